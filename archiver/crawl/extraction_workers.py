"""The crawl's one ExtractionPool, shared by the spider (a page's links) and the extraction
pipeline (its record), started on first use and stopped with the engine."""

from __future__ import annotations

import os
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

from archiver.extraction_pool import ExtractionPool

_POOLS: WeakKeyDictionary[Crawler, ExtractionPool] = WeakKeyDictionary()


def extraction_workers(crawler: Crawler) -> ExtractionPool:
    pool = _POOLS.get(crawler)
    if pool is None:
        settings = crawler.settings
        workers = settings.getint("ARCHIVER_EXTRACT_WORKERS") or os.cpu_count() or 1
        pool = ExtractionPool(workers, settings.getfloat("ARCHIVER_EXTRACT_TIMEOUT"))
        _POOLS[crawler] = pool
        crawler.signals.connect(pool.close, signal=signals.engine_stopped, weak=False)
    return pool
