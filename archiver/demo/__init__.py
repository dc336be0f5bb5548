"""The bundled demo site ("Workers' Chronicle", a fictional weekly) and the server that serves it.

`archiver demo` crawls it, and so does the test-suite: the site is small but has what a real
paper's site throws at a crawler (sitemaps, feeds, robots.txt, pagination, tracking parameters,
off-site links, gzip, chunked responses, a windows-1252 page, conditional requests). A second
bundled site, the fault site (`archiver.demo.site.FAULT_SITE_DIR`), fails in every way a crawl
must survive: 5xx then success, 404 and 410, redirect chains and loops, a page past the timeout,
resets, truncated bodies, a 5 MB page, a page with no charset anywhere, endless calendar and
search traps. Import from the modules: `archiver.demo.server.DemoServer`; nothing is imported
here, so that `python -m archiver.demo.server` runs the module without importing it twice.
"""
