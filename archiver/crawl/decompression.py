"""Scrapy's response decompression, with its own size limit and a count of what it refused.

A gzip or brotli bomb (a megabyte that inflates to gigabytes) is archived as sent, compressed;
only its decompression for extraction is refused, past ARCHIVER_MAX_DECOMPRESSED bytes (a limit
of its own: the download cap, DOWNLOAD_MAXSIZE, counts bytes on the wire). The refusal is
counted, so the stats say which pages were skipped and why.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedHttpCompressionMiddleware:
        middleware = super().from_crawler(crawler)
        middleware._max_size = min(  # the attribute Scrapy's middleware reads its limit from
            crawler.settings.getint("DOWNLOAD_MAXSIZE") or 2**63,
            crawler.settings.getint("ARCHIVER_MAX_DECOMPRESSED"),
        )
        return middleware

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response, spider)
        except IgnoreRequest:
            if self.stats:
                self.stats.inc_value("archiver/decompression/too_large")
            raise
