"""One log line, not a traceback, for a page that could not be downloaded.

A refused connection or a timeout is an everyday event of a crawl, not a bug: Scrapy logs it with
a full traceback, which hides the one line an archivist needs. The traceback stays for anything
else.
"""

from __future__ import annotations

import logging

from scrapy import exceptions
from scrapy.crawler import Crawler

NETWORK_ERRORS = (
    exceptions.CannotResolveHostError,
    exceptions.DownloadCancelledError,
    exceptions.DownloadConnectionRefusedError,
    exceptions.DownloadFailedError,
    exceptions.DownloadTimeoutError,
    exceptions.ResponseDataLossError,
    OSError,
)
# The loggers that report failed downloads with a traceback.
LOGGERS = ("scrapy.core.scraper", "scrapy.downloadermiddlewares.robotstxt")


def _shorten(record: logging.LogRecord) -> bool:
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, NETWORK_ERRORS):
        if str(error) not in record.getMessage():
            record.msg = f"{record.msg}: {error}"
        record.exc_info = None
        record.exc_text = None
    return True


class NetworkErrorLog:
    """A Scrapy extension, so `scrapy crawl publication` logs the same way as `archiver crawl`."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkErrorLog:
        for name in LOGGERS:
            logger = logging.getLogger(name)
            if _shorten not in logger.filters:
                logger.addFilter(_shorten)
        return cls()
