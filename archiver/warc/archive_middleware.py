"""Archive every response the downloader gets, first, before anything else reads it.

Sits nearest the downloader, so errors, redirects and responses later retried are archived too,
and their bodies are still as the server encoded them. Leaves the WarcCapture of the response in
`request.meta`, which the spider passes on so each article record cites its response record.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from archiver import __version__
from archiver.crawl.captured import WARC_META_KEY
from archiver.warc.capture import EXCHANGE_META_KEY, RawExchange
from archiver.warc.writer import RotatingWarcWriter, WarcPointer

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WarcCapture:
    pointer: WarcPointer
    sent_at: datetime


def warcinfo_fields(crawler: Crawler) -> dict[str, str]:
    """The warcinfo fields Heritrix and Browsertrix write, so replay tools and people know the
    provenance of the file."""
    settings = crawler.settings
    spider = crawler.spider
    start_urls = " ".join(getattr(spider, "start_urls", ()))
    return {
        "software": f"archiver/{__version__} (Scrapy, warcio)",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": settings.get("ARCHIVER_CRAWL_NAME") or Path(settings["ARCHIVER_OUTPUT"]).name,
        "description": f"archiver crawl from {start_urls}",
        "operator": settings.get("ARCHIVER_CONTACT") or "",
        "http-header-user-agent": settings.get("USER_AGENT", ""),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
    }


class WarcArchiveMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._writer: RotatingWarcWriter | None = None
        crawler.signals.connect(self._close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        return cls(crawler)

    def _open_writer(self) -> RotatingWarcWriter:
        settings = self._crawler.settings
        root = Path(settings["ARCHIVER_OUTPUT"])
        return RotatingWarcWriter(
            root / "warc",
            prefix=settings.get("ARCHIVER_WARC_PREFIX", "archiver"),
            max_size=settings.getint("ARCHIVER_WARC_MAX_SIZE"),
            warcinfo=warcinfo_fields(self._crawler),
            root=root,
        )

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        stats = self._crawler.stats
        assert stats is not None
        exchange: RawExchange | None = request.meta.pop(EXCHANGE_META_KEY, None)
        if exchange is None:
            # Only responses from archiver's capturing handler carry their raw bytes.
            stats.inc_value("archiver/warc/not_captured")
            logger.warning("Not archived (no raw capture): %s", response.url)
            request.meta.pop(WARC_META_KEY, None)
            return response
        if self._writer is None:
            self._writer = self._open_writer()
        pointer = self._writer.write_exchange(
            url=response.url,
            sent_at=exchange.sent_at,
            request_block=bytes(exchange.request),
            response_block=exchange.final_response(),
            ip_address=str(response.ip_address) if response.ip_address else None,
        )
        request.meta[WARC_META_KEY] = WarcCapture(pointer, exchange.sent_at)
        stats.inc_value("archiver/warc/responses")
        return response

    def _close(self, spider: Spider) -> None:
        if self._writer is not None:
            self._writer.close()
            stats = self._crawler.stats
            assert stats is not None
            stats.set_value("archiver/warc/files", len(self._writer.files_written))
