"""Progress of a running crawl: a live line on a terminal, a log line now and then elsewhere.

An archivist watching a crawl for hours wants to see at a glance that it moves: pages fetched,
articles found, errors, the rate, and how much is still queued. On a terminal one line on
stderr is redrawn in place; when stderr is a file or a pipe (cron, CI) the same figures go to
the log every ARCHIVER_PROGRESS_INTERVAL seconds instead, so the log stays readable.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)
TERMINAL_INTERVAL = 0.5


class CrawlProgress:
    def __init__(self, crawler: Crawler, stream: TextIO, live: bool, interval: float) -> None:
        self._crawler = crawler
        self._stream = stream
        self._live = live
        self._interval = interval
        self._last = (time.monotonic(), 0)
        self._task = None
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        mode = crawler.settings.get("ARCHIVER_PROGRESS", "auto")
        if mode == "off":
            raise NotConfigured
        live = mode == "live" or (mode == "auto" and sys.stderr.isatty())
        interval = (
            TERMINAL_INTERVAL if live else crawler.settings.getfloat("ARCHIVER_PROGRESS_INTERVAL")
        )
        return cls(crawler, sys.stderr, live, interval)

    def line(self) -> str:
        stats = self._crawler.stats
        assert stats is not None
        get = stats.get_value
        pages = get("archiver/warc/responses", 0) + get("archiver/resume/served_from_archive", 0)
        errors = get("downloader/exception_count", 0) + sum(
            count
            for key, count in stats.get_stats().items()
            if key.startswith("downloader/response_status_count/")
            and int(key.rsplit("/", 1)[1]) >= 400
        )
        now = time.monotonic()
        then, pages_then = self._last
        self._last = (now, pages)
        rate = (pages - pages_then) / (now - then) if now > then else 0.0
        scheduler = self._crawler.engine.scheduler if self._crawler.engine else None
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        return (
            f"pages {pages} | articles {get('archiver/records/written', 0)} | errors {errors} | "
            f"{rate:.1f} pages/s | queued {queued}"
        )

    def _show(self) -> None:
        if self._live:
            self._stream.write("\r\x1b[2K" + self.line())
            self._stream.flush()
        else:
            logger.info("Progress: %s", self.line())

    def _opened(self, spider: Spider) -> None:
        self._task = create_looping_call(self._show)
        self._task.start(self._interval, now=False)

    def _closed(self, spider: Spider) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        if self._live:
            self._stream.write("\r\x1b[2K")
            self._stream.flush()
