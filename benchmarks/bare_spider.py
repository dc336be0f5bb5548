"""The baseline of the crawl benchmark: a bare Scrapy CrawlSpider that only follows links.

No archive, no extraction, no records: what Scrapy itself costs to fetch and parse the same
pages at the same concurrency. benchmarks/crawl.py runs it with `scrapy runspider` from a
folder outside the repository, so archiver's scrapy.cfg and settings stay out of it:

    scrapy runspider bare_spider.py -a start_url=URL -a stats=FILE.json -s NAME=VALUE...
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class BareSpider(CrawlSpider):
    name = "bare"
    rules = (Rule(LinkExtractor(), follow=True),)

    def __init__(self, start_url: str, stats: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.allowed_domains = [urlsplit(start_url).hostname or ""]
        self._stats_path = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BareSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # After spider_closed, when Scrapy has set the elapsed time.
        crawler.signals.connect(spider._write_stats, signal=signals.engine_stopped)
        return spider

    def _write_stats(self) -> None:
        if self._stats_path:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            Path(self._stats_path).write_text(json.dumps(stats, default=str, indent=1))
