"""Turns each captured page into an article record, or drops it as not an article."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.crawl.captured import CapturedPage
from archiver.records import record_from_page


class ExtractionPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    def process_item(self, item: object, spider: Spider | None = None) -> object:
        if not isinstance(item, CapturedPage):
            return item
        stats = self._crawler.stats
        assert stats is not None
        record = record_from_page(item.page, item.warc)
        if record is None:
            stats.inc_value("archiver/pages/not_article")
            raise DropItem(f"not an article: {item.page.url}", log_level="DEBUG")
        stats.inc_value("archiver/pages/article")
        return record
