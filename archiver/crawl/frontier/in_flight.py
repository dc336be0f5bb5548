"""When a worker is done with a request it took from the shared queue.

A request stays in the worker's in-flight hash (and would go back to the queue if the worker
died) until nothing of it can be lost any more:

- its response was scraped: every request the spider made from it is queued, every item it
  gave has left the pipelines (its record written, or dropped). `InFlightSpiderMiddleware`, the
  outermost spider middleware, counts what the callback put out and follows each output to its
  end (`request_scheduled`; `item_scraped`, `item_dropped`, `item_error`);
- or its download failed for good (`InFlightDownloaderMiddleware.process_exception`, the last
  to see an exception nobody turned into a response or a new request);
- or a downloader middleware made another request of it, a redirect or a retry, which carries
  its token and, once queued, ends it (`FrontierScheduler.enqueue_request`).

Both middlewares are off without a frontier.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from archiver.crawl.frontier.scheduler import TOKEN, FrontierScheduler


def _scheduler_done(crawler: Crawler, token: str) -> None:
    scheduler = crawler.engine.scheduler if crawler.engine is not None else None
    if isinstance(scheduler, FrontierScheduler):
        scheduler.done(token)


@dataclass(eq=False)
class _Outputs:
    """What one response's callback put out and is not yet through."""

    token: str
    response: Response
    pending: int = 0
    exhausted: bool = False
    children: set[Request] = field(default_factory=set)


class InFlightSpiderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._by_response: dict[Response, _Outputs] = {}
        self._by_child: dict[Request, _Outputs] = {}
        crawler.signals.connect(self._scheduled, signal=signals.request_scheduled)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_through, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InFlightSpiderMiddleware:
        if not crawler.settings.get("ARCHIVER_FRONTIER"):
            raise NotConfigured
        return cls(crawler)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        token = response.meta.get(TOKEN)
        if token is None:
            async for output in result:
                yield output
            return
        outputs = _Outputs(token, response)
        self._by_response[response] = outputs
        try:
            async for output in result:
                outputs.pending += 1
                if isinstance(output, Request):
                    self._by_child[output] = outputs
                yield output
        finally:
            outputs.exhausted = True
            self._through(outputs, 0)

    def _scheduled(self, request: Request, **_: Any) -> None:
        outputs = self._by_child.pop(request, None)
        if outputs is not None:
            self._through(outputs, 1)

    def _item_through(self, response: Response | None = None, **_: Any) -> None:
        outputs = self._by_response.get(response) if response is not None else None
        if outputs is not None:
            self._through(outputs, 1)

    def _through(self, outputs: _Outputs, count: int) -> None:
        outputs.pending -= count
        if outputs.exhausted and outputs.pending <= 0:
            self._by_response.pop(outputs.response, None)
            _scheduler_done(self._crawler, outputs.token)


class InFlightDownloaderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InFlightDownloaderMiddleware:
        if not crawler.settings.get("ARCHIVER_FRONTIER"):
            raise NotConfigured
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        # Outermost: no middleware turned the failure into a response or a retry; it ends here.
        token = request.meta.get(TOKEN)
        if token is not None:
            _scheduler_done(self._crawler, token)
