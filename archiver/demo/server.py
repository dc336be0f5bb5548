"""The demo server: serves the bundled "Workers' Chronicle" site on a loopback port.

It is the target of `archiver demo` and the crawl target of the test-suite, so it behaves like the
awkward servers a real crawl meets, and it keeps an exact record of what it sent:

- HTTP/1.1 with keep-alive; every response has a Content-Length unless it is chunked.
- HTML is gzip-encoded when the request accepts gzip (always the same bytes for the same page,
  so a second capture of a page is byte-identical and can be deduplicated).
- Some header names are not in title case (`content-language`, `cache-control`), which an archive
  must keep as sent.
- Files are sent with an ETag and a Last-Modified, and a conditional GET or HEAD
  (If-None-Match, If-Modified-Since) of an unchanged file is answered 304 Not Modified without a
  body (`archiver.demo.conditional`).
- Per-path oddities come from the site's `_server.toml`: `chunks` (Transfer-Encoding: chunked),
  `content_type` (e.g. HTML without charset), `encoding` (e.g. a windows-1252 page), `reason`
  (a non-standard reason phrase), `headers` (extra headers), `gzip` (off for a page), `pad_to`
  (a big page) and `generate` (crawler traps, `archiver.demo.traps`); and faults: `status`
  (404, 410, 5xx, redirect chains and loops), `delay` and `stall` (past the crawl's timeout),
  `reset`, `truncate`, and `times` (a fault for the first N requests only, then the page), in
  `archiver.demo.faults`. `archiver.demo.manifest` describes them. Paths starting with "_" are
  never served.
- Text files are templates: `{{origin}}` becomes `DemoServer.origin` and `{{offsite}}` becomes
  `DemoServer.offsite_origin`, another loopback name for this same server which a crawler must
  treat as a different site (the tests check that it never requests it).

`DemoServer()` serves the demo site; `DemoServer(site=FAULT_SITE_DIR)` (from
`archiver.demo.site`) serves the fault site, where every kind of fault is linked from the home
page. Every response is built in full before a byte of it is written, and the bytes written are
logged as a `ServedRequest`, so tests can compare a WARC record with what was on the wire; a
reset or truncated response, or one whose client hung up, is logged with the part that was sent.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import ipaddress
import sys
import threading
from dataclasses import dataclass
from email.utils import formatdate
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

from archiver.demo import faults
from archiver.demo.conditional import entity_tag, http_date, not_modified
from archiver.demo.manifest import DEFAULT_RULE, PathRule, load_manifest, rule_for
from archiver.demo.site import (
    FAULT_SITE_DIR,
    SITE_DIR,
    Found,
    Redirect,
    content_type_for,
    fill,
    pad,
    render,
    resolve,
)
from archiver.demo.traps import trap_page

SERVER_NAME = "archiver-demo"
OFFSITE_HOST = "localhost"
# Lower-case names on purpose: an archive must keep header names as sent.
_HTML_HEADERS = (("content-language", "en"), ("cache-control", "max-age=60"))


@dataclass(frozen=True, slots=True)
class ServedRequest:
    """One request the server answered, with the exact bytes of its response."""

    method: str
    path: str
    """As requested, query included."""
    host: str | None
    """The request's Host header, None when it had none."""
    status: int
    """The code on the status line sent; 0 when the connection was reset before one was sent."""
    sent: bytes
    """Status line, headers and body (with chunked framing) exactly as written to the socket:
    only the part sent of a reset or truncated response, or of one whose client hung up."""


@dataclass(frozen=True, slots=True)
class _Response:
    """A response before the transport decisions (gzip, chunking, keep-alive) are made."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    """Sent after the standard headers."""
    rule: PathRule = DEFAULT_RULE
    file: Path | None = None
    """The file the body was made from: its responses carry validators and may be a 304."""


class _Server(ThreadingHTTPServer):
    """The socket server, holding what handlers share: the site, its rules, the request log."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Path) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self.rules = load_manifest(site)
        self.log: list[ServedRequest] = []
        self.log_lock = threading.Lock()
        self.requests_per_path = faults.PathCounter()
        # Set when stopping, so handlers waiting out a `delay` or `stall` give up at once:
        # server_close() joins every handler thread.
        self.stopping = threading.Event()
        host, port = self.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.offsite_origin = f"http://{OFFSITE_HOST}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up mid-response (a crawler enforcing its size cap) is not an error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = SERVER_NAME
    sys_version = ""
    server: _Server

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Called by the base class for malformed requests and unsupported methods; answered
        # through _send so that these responses are logged with their bytes like any other.
        self.close_connection = True
        self._send(_error_page(code, message), head=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and `archiver demo` read the request log instead of stderr."""

    def _answer(self, head: bool) -> None:
        url_path = urlsplit(self.path).path
        rule = rule_for(self.server.rules, url_path)
        if rule.times and self.server.requests_per_path.count(url_path) > rule.times:
            rule = rule.without_faults()
        if rule.delay and self.server.stopping.wait(rule.delay):
            self.close_connection = True
            return
        if rule.reset == "after-request":
            self._reset(0, b"")
            return
        status, raw = self._compose(self._response(url_path, rule), head)
        if rule.reset == "mid-headers":
            self._reset(status, faults.mid_headers(raw))
        elif rule.truncate and not head:
            # Decided after the headers were made, so they promise the whole body and keep-alive.
            self.close_connection = True
            self._write(status, faults.truncated(raw, rule.truncate))
        elif rule.stall and not head:
            self._write(status, raw, stall_at=len(faults.truncated(raw, 0.5)), stall=rule.stall)
        else:
            self._write(status, raw)

    def _response(self, url_path: str, rule: PathRule) -> _Response:
        if 300 <= rule.status <= 399:
            assert rule.location is not None
            location = fill(rule.location, self.server.origin, self.server.offsite_origin)
            page = _error_page(rule.status)
            return dataclasses.replace(page, headers=(("Location", location),))
        if rule.status:
            return _error_page(rule.status)
        if rule.generate:
            page = trap_page(rule.generate, url_path, urlsplit(self.path).query)
            if page is None:
                return _error_page(HTTPStatus.NOT_FOUND)
            html = "text/html; charset=utf-8"
            return _Response(200, html, page.encode(), _HTML_HEADERS + rule.headers, rule)
        found = resolve(self.server.site, url_path)
        if isinstance(found, Redirect):
            query = urlsplit(self.path).query
            location = self.server.origin + found.location + (f"?{query}" if query else "")
            page = _error_page(HTTPStatus.MOVED_PERMANENTLY)
            return dataclasses.replace(page, headers=(("Location", location),))
        if not isinstance(found, Found):
            return _error_page(HTTPStatus.NOT_FOUND)
        body = render(found.file, self.server.origin, self.server.offsite_origin, rule.encoding)
        if rule.pad_to:
            body = pad(body, rule.pad_to, seed=url_path)
        content_type = rule.content_type or content_type_for(found.file, rule.encoding)
        headers = _HTML_HEADERS if content_type.startswith("text/html") else ()
        return _Response(200, content_type, body, headers + rule.headers, rule, found.file)

    def _send(self, response: _Response, head: bool) -> None:
        self._write(*self._compose(response, head))

    def _compose(self, response: _Response, head: bool) -> tuple[int, bytes]:
        """The status sent (304 for an unchanged file) and the response's bytes on the wire."""
        body = response.body
        content = [("Content-Type", response.content_type)]
        is_html = response.content_type.startswith("text/html")
        if is_html and response.rule.gzip and self._accepts_gzip():
            # mtime=0: the same page always compresses to the same bytes.
            body = gzip.compress(body, mtime=0)
            content.append(("Content-Encoding", "gzip"))
        if is_html:
            content.append(("Vary", "Accept-Encoding"))
        validators = []
        unchanged = False
        if response.file is not None:
            modified = response.file.stat().st_mtime
            etag = entity_tag(body)
            validators = [("ETag", etag), ("Last-Modified", http_date(modified))]
            unchanged = self._has_headers() and not_modified(self.headers, etag, modified)
        headers = [("Server", SERVER_NAME), ("Date", formatdate(usegmt=True))]
        if unchanged:
            # A 304 stands for the representation (Vary, validators) but carries none of it.
            status, reason, body = 304, _reason(304), b""
            headers += [h for h in content if h[0] == "Vary"]
        else:
            status, reason = response.status, response.rule.reason or _reason(response.status)
            headers += content
            if response.rule.chunks and self.request_version == "HTTP/1.1":
                headers.append(("Transfer-Encoding", "chunked"))
                body = _chunk(body, response.rule.chunks)
            else:
                headers.append(("Content-Length", str(len(body))))
        headers += validators
        headers += response.headers
        headers.append(("X-Served-By", SERVER_NAME))
        if self.close_connection:
            headers.append(("Connection", "close"))
        elif self.request_version == "HTTP/1.0":
            headers.append(("Connection", "keep-alive"))
        head_lines = [f"{self.protocol_version} {status} {reason}"]
        head_lines += [f"{name}: {value}" for name, value in headers]
        raw = ("\r\n".join(head_lines) + "\r\n\r\n").encode("latin-1")
        if not head:
            raw += body
        return status, raw

    def _write(self, status: int, raw: bytes, stall_at: int = 0, stall: float = 0.0) -> None:
        """Logs the bytes, then writes them, pausing `stall` seconds after the first `stall_at`;
        if the client hung up (or the server stopped in the pause), the log keeps what was sent.

        Logged first so that a client that has read the response finds it in the log.
        """
        served = self._record(status, raw)
        pieces = (raw[:stall_at], raw[stall_at:]) if stall else (raw,)
        written = 0
        for i, piece in enumerate(pieces):
            if i and self.server.stopping.wait(stall):
                break
            sent = self._send_all(piece)
            written += sent
            if sent < len(piece):
                break
        if written < len(raw):
            self.close_connection = True
            self._amend(served, raw[:written])

    def _send_all(self, data: bytes) -> int:
        """Sends data; returns how much the socket took, less than all if the client hung up."""
        view = memoryview(data)
        sent = 0
        with contextlib.suppress(OSError):
            while sent < len(data):
                sent += self.connection.send(view[sent:])
        return sent

    def _reset(self, status: int, partial: bytes) -> None:
        """Sends `partial` (perhaps nothing), then resets the connection."""
        self._write(status, partial)
        faults.reset(self.connection)
        self.close_connection = True

    def _accepts_gzip(self) -> bool:
        header = self.headers.get("Accept-Encoding", "") if self._has_headers() else ""
        weights: dict[str, float] = {}
        for item in header.split(","):
            coding, _, params = item.partition(";")
            q = params.strip().removeprefix("q=").strip() or "1"
            try:
                weights[coding.strip().lower()] = float(q)
            except ValueError:
                weights[coding.strip().lower()] = 0.0
        # An explicit gzip (or x-gzip) weight wins over the "*" wildcard (RFC 9110, 12.5.3).
        for coding in ("gzip", "x-gzip", "*"):
            if coding in weights:
                return weights[coding] > 0
        return False

    def _has_headers(self) -> bool:
        # Absent when the request line itself was malformed.
        return getattr(self, "headers", None) is not None

    def _record(self, status: int, raw: bytes) -> ServedRequest:
        served = ServedRequest(
            method=getattr(self, "command", None) or "",
            path=getattr(self, "path", None) or "",
            host=self.headers.get("Host") if self._has_headers() else None,
            status=status,
            sent=raw,
        )
        with self.server.log_lock:
            self.server.log.append(served)
        return served

    def _amend(self, served: ServedRequest, sent: bytes) -> None:
        with self.server.log_lock:
            for i, logged in enumerate(self.server.log):
                if logged is served:
                    self.server.log[i] = dataclasses.replace(served, sent=sent)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _error_page(status: int, message: str | None = None) -> _Response:
    title = f"{status} {_reason(status)}"
    text = message or {
        404: "There is no page at this address on the Workers' Chronicle site.",
        410: "This article has been withdrawn and will not come back.",
        301: "This page has moved.",
        302: "This page is for now at another address.",
    }.get(status, "The server could not answer this request.")
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<p>{escape(text)}</p>\n"
        '<p><a href="/">Back to the front page</a></p>\n</body>\n</html>\n'
    )
    return _Response(int(status), "text/html; charset=utf-8", page.encode())


def _chunk(body: bytes, chunks: int) -> bytes:
    """Chunked framing with the body cut into `chunks` nearly equal non-empty pieces."""
    size = max(1, -(-len(body) // chunks))
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    framed = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces)
    return framed + b"0\r\n\r\n"


class DemoServer:
    """The demo site served on a loopback port from a daemon thread; also a context manager.

    `host` must be a loopback IPv4 address: pages name a second host, `localhost`, for links a
    crawler must consider off-site, and that only works when both names reach this machine.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, site: Path | None = None) -> None:
        try:
            loopback = ipaddress.IPv4Address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"the demo server only serves on loopback IPv4, not {host!r}")
        self.host = host
        self.port = port
        self.site = Path(site) if site is not None else SITE_DIR
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._server = _Server((self.host, self.port), self.site)
        self.port = self._server.server_address[1]
        # A short poll interval makes stop() quick: tests start and stop many servers.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"demo-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """The site's own origin, e.g. "http://127.0.0.1:8123"."""
        return self._running().origin

    @property
    def offsite_origin(self) -> str:
        """Same server under another name, e.g. "http://localhost:8123": off-site for a crawler."""
        return self._running().offsite_origin

    @property
    def requests(self) -> list[ServedRequest]:
        """Every request answered so far, oldest first (a copy)."""
        server = self._running()
        with server.log_lock:
            return list(server.log)

    def paths_requested(self) -> list[str]:
        """The path (with query) of every request so far, oldest first, repeats kept."""
        return [r.path for r in self.requests]

    def clear(self) -> None:
        """Forget the requests so far, e.g. between two crawls of one test; faults that end
        after N requests (`times`) start counting again, so each crawl meets them all."""
        server = self._running()
        with server.log_lock:
            server.log.clear()
        server.requests_per_path.clear()

    def _running(self) -> _Server:
        if self._server is None:
            raise RuntimeError("the demo server is not running; call start() first")
        return self._server


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site until interrupted, for looking at it in a browser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--faults", action="store_true", help="serve the fault site instead")
    args = parser.parse_args(argv)
    site, name = (FAULT_SITE_DIR, "fault site") if args.faults else (SITE_DIR, "demo site")
    with DemoServer(port=args.port, site=site) as server:
        print(f"Serving the {name} at {server.origin}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
