"""The bundled demo site ("Workers' Chronicle", a fictional weekly) and the server that serves it.

`archiver demo` crawls it, and so does the test-suite: the site is small but has what a real
paper's site throws at a crawler (sitemaps, feeds, robots.txt, pagination, tracking parameters,
off-site links, gzip, chunked responses, a windows-1252 page). Import from the modules:
`archiver.demo.server.DemoServer`; nothing is imported here, so that
`python -m archiver.demo.server` runs the module without importing it twice.
"""
