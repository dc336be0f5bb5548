"""Writes article records to `DIR/articles.jsonl`, never twice the same.

A later crawl into the same folder appends only records that are new or whose article changed;
an unchanged article fetched again adds nothing.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.export.jsonl import RecordWriter, collection_records
from archiver.records import Record

ARTICLES_FILE = "articles.jsonl"


class RecordsPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._folder = Path(crawler.settings["ARCHIVER_OUTPUT"])
        self._out = RecordWriter(self._folder / ARTICLES_FILE, collection_records(self._folder))
        crawler.signals.connect(self._close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordsPipeline:
        return cls(crawler)

    def process_item(self, item: object, spider: Spider | None = None) -> object:
        if not isinstance(item, Record):
            return item
        stats = self._crawler.stats
        assert stats is not None
        if not self._out.write(item):
            stats.inc_value("archiver/records/unchanged")
            raise DropItem(f"record already in the collection: {item.url}", log_level="DEBUG")
        stats.inc_value("archiver/records/written")
        return item

    def _close(self, spider: Spider) -> None:
        self._out.close()
