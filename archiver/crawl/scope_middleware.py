"""Keeps every request, redirects included, on the hosts of the crawl's start URLs."""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from archiver.crawl.scope import HostScope

logger = logging.getLogger(__name__)


class HostScopeMiddleware:
    """A downloader middleware, so redirects to other hosts are caught as well as links."""

    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._scope: HostScope | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self._scope is None:
            self._scope = HostScope(getattr(self._crawler.spider, "scope_urls", ()))
        if request.url in self._scope:
            return
        assert self._crawler.stats is not None
        self._crawler.stats.inc_value("archiver/offsite_filtered")
        logger.debug("Off-site request dropped: %s", request.url)
        raise IgnoreRequest(f"off-site: {request.url}")
