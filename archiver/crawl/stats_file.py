"""Keeps each run's Scrapy stats in `DIR/crawl-stats.json` (a list, one entry per run).

Not a `.jsonl` file: every `.jsonl` file in a collection holds article records and nothing else.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

STATS_FILE = "crawl-stats.json"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def read_runs(folder: Path) -> list[dict[str, Any]]:
    path = folder / STATS_FILE
    if not path.exists():
        return []
    try:
        runs = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return []
    return runs if isinstance(runs, list) else []


class CrawlStatsFile:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        crawler.signals.connect(self._write, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStatsFile:
        return cls(crawler)

    def _write(self, spider: Spider, reason: str) -> None:
        assert self._crawler.stats is not None
        folder = Path(self._crawler.settings["ARCHIVER_OUTPUT"])
        stats = {k: _jsonable(v) for k, v in self._crawler.stats.get_stats().items()}
        run = {"start_urls": list(getattr(spider, "start_urls", [])), "reason": reason, **stats}
        runs = [*read_runs(folder), run]
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{STATS_FILE}.tmp"
        temporary.write_text(json.dumps(runs, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temporary, folder / STATS_FILE)
