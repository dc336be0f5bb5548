"""`archiver demo`: the demo site served on 127.0.0.1, crawled into `data/demo/`.

The port is fixed by default so a second demo run sees the same URLs (and so the same record
ids) and shows an incremental run adding nothing; a free port is used if it is taken.
"""

from __future__ import annotations

from pathlib import Path

from archiver.crawl.config import CrawlConfig
from archiver.crawl.runner import CrawlSummary, run_crawl
from archiver.demo.server import DemoServer

# The demo site is our own, on this machine: no need to be gentle with it.
LOCAL_SITE_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


def _start_server(port: int) -> DemoServer:
    try:
        return DemoServer(port=port).start()
    except OSError:
        return DemoServer(port=0).start()


def run_demo(output: Path, port: int) -> tuple[str, CrawlSummary]:
    """Serves the demo site, crawls it, and returns the site's URL and the crawl's summary."""
    server = _start_server(port)
    try:
        start_url = f"{server.origin}/"
        config = CrawlConfig(start_urls=(start_url,), output=output, settings=LOCAL_SITE_SETTINGS)
        return start_url, run_crawl(config)
    finally:
        server.stop()
