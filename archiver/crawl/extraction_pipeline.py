"""Turns each captured page into an article record, or drops it as not an article.

Extraction runs in the crawl's worker processes (archiver/crawl/extraction_workers.py), awaited
here, so the reactor keeps downloading while pages are extracted on the other cores. An
issue-archive page goes on as the issue it lists, for the records pipeline to give its articles
their `issue_page`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.crawl.captured import CapturedPage
from archiver.crawl.extraction_workers import extraction_workers

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._pool = extraction_workers(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    async def process_item(self, item: object, spider: Spider | None = None) -> object:
        if not isinstance(item, CapturedPage):
            return item
        stats = self._crawler.stats
        assert stats is not None
        future = self._pool.submit(item.page, item.warc)
        if self._pool.restarts:
            stats.set_value("archiver/extract/pool_restarts", self._pool.restarts)
        with contextlib.suppress(Exception):  # the outcome below says what went wrong
            await asyncio.wrap_future(future)
        outcome = self._pool.outcome(future)
        if outcome.failure is not None:
            kind = outcome.failure.split(" ", 1)[0]
            stats.inc_value(f"archiver/extract/failed/{kind}")
            logger.warning("No record for %s: extraction %s", item.page.url, outcome.failure)
            raise DropItem(f"extraction failed: {item.page.url}", log_level="DEBUG")
        if outcome.listing is not None:
            stats.inc_value("archiver/pages/not_article")
            stats.inc_value("archiver/pages/issue_archive")
            return outcome.listing  # the records pipeline files its articles under it
        if outcome.record is None:
            stats.inc_value("archiver/pages/not_article")
            if outcome.skipped != "not-article":
                # A bot challenge or login wall served in place of the page: worth knowing.
                stats.inc_value(f"archiver/pages/blocked/{outcome.skipped}")
                logger.warning(
                    "No record for %s: the server sent a %s", item.page.url, outcome.skipped
                )
            raise DropItem(f"not an article: {item.page.url}", log_level="DEBUG")
        stats.inc_value("archiver/pages/article")
        return outcome.record
