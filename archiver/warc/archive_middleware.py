"""Archive every response the downloader gets, first, before anything else reads it.

Sits nearest the downloader, so errors, redirects and responses later retried are archived too,
and their bodies are still as the server encoded them. Leaves the WarcCapture of the response in
`request.meta`, which the spider passes on so each article record cites the record holding its
payload.

The collection folder is opened once per crawl: WARCs a killed crawl left open are recovered,
and what the folder already holds is indexed: a payload archived before is written as a
revisit record; a page archived before is asked for conditionally (If-None-Match,
If-Modified-Since), and when the server answers 304 the spider reads the archived page; a
resumed crawl (`ARCHIVER_RESUME`) serves what it archived from the WARCs without asking. With a
frontier (a crawl shared by several workers, `archiver.crawl.frontier`), a payload any worker
of the crawl archived is written as a revisit record too.
"""

from __future__ import annotations

import logging
import socket
from datetime import UTC
from io import BytesIO
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.utils.url import strip_url
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.timeutils import iso_date_to_datetime

from archiver import __version__
from archiver.crawl.captured import WARC_META_KEY, WarcCapture
from archiver.crawl.frontier.digests import SharedDigests
from archiver.errors import UsageError
from archiver.warc.archive_index import ArchiveIndex, Capture, validators_of
from archiver.warc.capture import EXCHANGE_META_KEY, RawExchange
from archiver.warc.recovery import recover_open_files
from archiver.warc.redaction import redact_request
from archiver.warc.replay import ARCHIVED_FLAG, archived_response
from archiver.warc.writer import (
    Revisited,
    RotatingWarcWriter,
    http_body_offset,
    payload_digest_of,
    warc_date,
)

logger = logging.getLogger(__name__)
_REVALIDATING = "_archiver_revalidating"
_HTTP_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False)


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
        "hostname": socket.gethostname(),
        "http-header-user-agent": settings.get("USER_AGENT", ""),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
    }


def _status_code(block: bytes) -> int:
    """The code of a status line "HTTP/1.1 200 OK"."""
    parts = block[:64].split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


class WarcArchiveMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        settings = crawler.settings
        self._root = Path(settings["ARCHIVER_OUTPUT"])
        self._resume = settings.getbool("ARCHIVER_RESUME")
        self._revalidate = settings.getbool("ARCHIVER_REVALIDATE")
        self._keep_credentials = settings.getbool("ARCHIVER_KEEP_CREDENTIALS")
        self._max_size = settings.getint("DOWNLOAD_MAXSIZE")
        self._gzip_level = settings.getint("ARCHIVER_WARC_GZIP_LEVEL")
        if not 0 <= self._gzip_level <= 9:
            raise UsageError(f"ARCHIVER_WARC_GZIP_LEVEL must be 0 to 9, not {self._gzip_level}")
        self._index = ArchiveIndex()
        # With a frontier (a crawl shared by several workers), payloads any worker archived.
        self._shared: SharedDigests | None = None
        self._writer: RotatingWarcWriter | None = None
        crawler.signals.connect(self._open, signal=signals.spider_opened)
        crawler.signals.connect(self._close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        return cls(crawler)

    def _open(self, spider: Spider) -> None:
        recover_open_files(self._root / "warc")
        self._index = ArchiveIndex.scan(self._root)
        for problem in self._index.problems:
            logger.warning("Damaged WARC in the collection, indexed up to the damage: %s", problem)
        self._shared = SharedDigests.for_spider(spider)
        settings = self._crawler.settings
        self._writer = RotatingWarcWriter(
            self._root / "warc",
            prefix=settings.get("ARCHIVER_WARC_PREFIX", "archiver"),
            max_size=settings.getint("ARCHIVER_WARC_MAX_SIZE"),
            warcinfo=warcinfo_fields(self._crawler),
            root=self._root,
            gzip_level=self._gzip_level,
        )

    def process_request(self, request: Request, spider: Spider | None = None) -> Response | None:
        capture = self._index.latest(request.url)
        if capture is None:
            return None
        if self._resume:
            self._stats("archiver/resume/served_from_archive")
            return self._from_archive(request, capture)
        if self._revalidate and capture.status == 200 and capture.validators:
            # Ask whether the archived page is still current: an unchanged page costs a 304.
            for name, value in capture.validators:
                request.headers.setdefault(name, value)
            request.meta[_REVALIDATING] = True
        return None

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        exchange: RawExchange | None = request.meta.pop(EXCHANGE_META_KEY, None)
        if exchange is None:
            if ARCHIVED_FLAG not in response.flags:
                # Only responses from archiver's capturing handler carry their raw bytes.
                self._stats("archiver/warc/not_captured")
                logger.warning("Not archived (no raw capture): %s", response.url)
                request.meta.pop(WARC_META_KEY, None)
            return response
        self._archive(request, response.url, exchange, response.ip_address)
        capture = self._index.latest(request.url)
        if response.status == 304 and request.meta.pop(_REVALIDATING, False) and capture:
            # Unchanged: the spider reads the archived page, to follow its links again.
            self._stats("archiver/incremental/not_modified")
            return self._from_archive(request, capture)
        return response

    def _from_archive(self, request: Request, capture: Capture) -> Response:
        sent_at = iso_date_to_datetime(capture.date).replace(tzinfo=UTC)
        request.meta[WARC_META_KEY] = WarcCapture(capture.pointer, sent_at)
        return archived_response(self._root, capture, request.url)

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        """A response cut off at the size or time limit is archived as far as it came."""
        exchange: RawExchange | None = request.meta.pop(EXCHANGE_META_KEY, None)
        if exchange is None:
            return
        if isinstance(exception, DownloadTimeoutError):
            self._archive(request, request.url, exchange, None, truncated="time")
        elif isinstance(exception, DownloadCancelledError) and self._max_size:
            self._archive(request, request.url, exchange, None, truncated="length")
        elif isinstance(exception, ResponseDataLossError):
            # The server closed the connection before the body it announced was complete.
            self._archive(request, request.url, exchange, None, truncated="disconnect")

    def _archive(
        self,
        request: Request,
        url: str,
        exchange: RawExchange,
        ip_address: object,
        truncated: str | None = None,
    ) -> None:
        assert self._writer is not None
        request_block = bytes(exchange.request)
        if not self._keep_credentials:
            request_block = redact_request(request_block)
            url = strip_url(
                url,
                strip_credentials=True,
                strip_default_port=False,
                origin_only=False,
                strip_fragment=False,
            )
        block = exchange.final_response()
        body_offset = http_body_offset(block)
        if truncated == "length":
            block = block[: body_offset + self._max_size]
        digest = payload_digest_of(block, body_offset)
        has_payload = body_offset < len(block) and not truncated
        original = self._original(digest) if has_payload else None
        revisit_of = (
            Revisited(original.url, original.date, original.pointer.record_id) if original else None
        )
        pointer = self._writer.write_exchange(
            url=url,
            sent_at=exchange.sent_at,
            request_block=request_block,
            response_block=block,
            ip_address=str(ip_address) if ip_address else None,
            revisit_of=revisit_of,
            truncated=truncated,
            payload_digest=digest,
        )
        payload_pointer = original.pointer if original else pointer
        head = _HTTP_PARSER.parse(BytesIO(block[:body_offset]))
        if not truncated:
            # A cut capture is kept, but never served or revalidated as the page.
            capture = Capture(
                url,
                warc_date(exchange.sent_at),
                _status_code(block),
                payload_pointer,
                validators_of(head.headers),
            )
            if original is None or self._index.by_digest(digest) is not None:
                # Not a revisit of another worker's capture, which this folder cannot serve.
                self._index.add(capture)
            if self._shared is not None and has_payload and original is None:
                self._shared.add(capture)
        request.meta[WARC_META_KEY] = WarcCapture(payload_pointer, exchange.sent_at)
        self._stats("archiver/warc/responses")
        if original:
            self._stats("archiver/warc/revisits")
        if truncated:
            self._stats(f"archiver/warc/truncated/{truncated}")

    def _original(self, digest: str) -> Capture | None:
        """The capture already holding this payload: in this folder, else (with a frontier) in
        any worker's."""
        found = self._index.by_digest(digest)
        if found is None and self._shared is not None:
            found = self._shared.by_digest(digest)
        return found

    def _stats(self, key: str) -> None:
        assert self._crawler.stats is not None
        self._crawler.stats.inc_value(key)

    def _close(self, spider: Spider) -> None:
        if self._writer is not None:
            self._writer.close()
            assert self._crawler.stats is not None
            self._crawler.stats.set_value("archiver/warc/files", len(self._writer.files_written))
