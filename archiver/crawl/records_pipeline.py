"""Writes article records to `DIR/articles.jsonl`, never twice the same.

A later crawl into the same folder appends only records that are new or whose article changed;
an unchanged article fetched again adds nothing. Records get the `issue_page` of the issue-archive
pages read (archiver/issue_pages.py); those written before their issue page was read are written
again with it when the spider closes.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.export.jsonl import RecordWriter, collection_records
from archiver.extract import IssueArchive
from archiver.issue_pages import IssuePages
from archiver.records import Record

ARTICLES_FILE = "articles.jsonl"


class RecordsPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._folder = Path(crawler.settings["ARCHIVER_OUTPUT"])
        self._out = RecordWriter(self._folder / ARTICLES_FILE, collection_records(self._folder))
        self._issues = IssuePages()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordsPipeline:
        return cls(crawler)

    def process_item(self, item: object, spider: Spider | None = None) -> object:
        if isinstance(item, IssueArchive):
            self._issues.learn(item)
            raise DropItem(f"issue archive: {item.url}", log_level="DEBUG")
        if not isinstance(item, Record):
            return item
        stats = self._crawler.stats
        assert stats is not None
        item = self._issues.fill(item)
        if not self._out.write(item):
            stats.inc_value("archiver/records/unchanged")
            raise DropItem(f"record already in the collection: {item.url}", log_level="DEBUG")
        stats.inc_value("archiver/records/written")
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        # Before spider_closed: the crawl's stats file, written then, counts the amended records.
        amended = self._issues.amend(self._out, self._out.start)
        if amended:
            assert self._crawler.stats is not None
            self._crawler.stats.set_value("archiver/records/issue_page_added", amended)
        self._out.close()
