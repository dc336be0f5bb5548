"""`--max-pages`: never send more requests than the budget of responses allows.

Scrapy's CLOSESPIDER_PAGECOUNT closes the spider once the count is reached but lets the requests
already in flight finish, so a crawl would overshoot by up to CONCURRENT_REQUESTS. Counting
requests as they leave, and giving the budget back for those that end without a response, keeps
the number of responses at or under the limit. robots.txt fetches are not pages and are free.
"""

from __future__ import annotations

import weakref

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response


def _is_robots(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


class PageBudgetMiddleware:
    def __init__(self, crawler: Crawler, max_pages: int) -> None:
        self._crawler = crawler
        self._max_pages = max_pages
        self._in_flight: weakref.WeakSet[Request] = weakref.WeakSet()
        self._responses = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        max_pages = crawler.settings.getint("ARCHIVER_MAX_PAGES")
        if max_pages <= 0:
            raise NotConfigured
        return cls(crawler, max_pages)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if _is_robots(request):
            return
        if self._responses + len(self._in_flight) >= self._max_pages:
            assert self._crawler.stats is not None
            self._crawler.stats.inc_value("archiver/max_pages_dropped")
            raise IgnoreRequest("page budget spent")
        self._in_flight.add(request)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if request in self._in_flight:
            self._in_flight.discard(request)
            self._responses += 1
        return response

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        # Also called for requests that an earlier middleware refused before this one saw them.
        self._in_flight.discard(request)
