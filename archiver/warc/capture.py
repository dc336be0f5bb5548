"""Capture of the bytes exchanged with a server, before Scrapy or Twisted touch them.

Scrapy hands its middlewares a response whose headers are title-cased, whose reason phrase is gone
and whose body is de-chunked (and later decompressed). An archive must hold what the server sent,
so this download handler swaps the protocol of Scrapy's HTTP/1.1 connection pool for one that tees
every byte written to and read from the socket. Twisted's client handles one request at a time
per connection, so the bytes read between two requests on a connection belong to one exchange.

Scrapy never shows its downloader the Twisted objects, so the exchange is tied to the Scrapy
request through the `headers_received` signal, which Scrapy sends synchronously while the
protocol is still delivering the bytes that completed the response headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress
    from twisted.web._newclient import HTTP11ClientProtocol
    from twisted.web._newclient import Request as TxRequest
    from twisted.web.iweb import IResponse

EXCHANGE_META_KEY = "_archiver_exchange"


@dataclass(eq=False)
class RawExchange:
    """The bytes of one request and its response, as they crossed the socket."""

    sent_at: datetime
    request: bytearray = field(default_factory=bytearray)
    response: bytearray = field(default_factory=bytearray)

    def final_response(self) -> bytes:
        """The response without interim 1xx responses, which Twisted skips as well."""
        data = bytes(self.response)
        while data.startswith((b"HTTP/1.1 1", b"HTTP/1.0 1")):
            end = data.find(b"\r\n\r\n")
            if end < 0:
                break
            data = data[end + 4 :]
        return data


# The exchange whose bytes the reactor is delivering right now (the reactor runs one callback at
# a time, so one module-level slot is enough).
_delivering: RawExchange | None = None


class _TeeTransport:
    """A transport proxy that copies every write into the exchange's request bytes."""

    def __init__(self, transport: Any, sink: bytearray) -> None:
        self._transport = transport
        self._sink = sink

    def write(self, data: bytes) -> None:
        self._sink += data
        self._transport.write(data)

    def writeSequence(self, seq: Any) -> None:
        chunks = list(seq)
        for chunk in chunks:
            self._sink += chunk
        self._transport.writeSequence(chunks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _RecordingProtocol(_LenientHTTP11ClientProtocol):
    _exchange: RawExchange | None = None

    def request(self, request: TxRequest) -> Deferred[IResponse]:
        exchange = RawExchange(sent_at=datetime.now(UTC))
        self._exchange = exchange
        real_transport = self.transport
        self.transport = _TeeTransport(real_transport, exchange.request)
        try:
            return super().request(request)
        finally:
            self.transport = real_transport

    def dataReceived(self, data: bytes) -> None:
        global _delivering
        exchange = self._exchange
        if exchange is not None:
            exchange.response += data
        _delivering = exchange
        try:
            super().dataReceived(data)
        finally:
            _delivering = None


class _RecordingClientFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: IAddress | None) -> HTTP11ClientProtocol:
        return _RecordingProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]


class CapturingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, leaving the raw exchange in `request.meta` for the archive."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool._factory = _RecordingClientFactory
        crawler.signals.connect(self._claim_exchange, signal=signals.headers_received)

    @staticmethod
    def _claim_exchange(request: Request, **_: Any) -> None:
        if _delivering is not None:
            request.meta[EXCHANGE_META_KEY] = _delivering
        else:
            request.meta.pop(EXCHANGE_META_KEY, None)
