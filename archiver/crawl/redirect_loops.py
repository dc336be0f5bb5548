"""Names redirect loops in the crawl's stats.

Scrapy's duplicate filter already stops a loop (A -> B -> A) after one round, but counts it with
every other repeated URL; an archivist reading crawl-stats.json should see that a site sends
the crawler in circles.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)


class RedirectLoopStats:
    """A downloader middleware just outside RedirectMiddleware: it sees each 3xx first."""

    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopStats:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            target = response.urljoin(location.decode("latin-1"))
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if target in chain:
                assert self._crawler.stats is not None
                self._crawler.stats.inc_value("archiver/redirect/loop")
                logger.warning("Redirect loop: %s leads back to %s", request.url, target)
        return response
