"""The demo server: serves the bundled "Workers' Chronicle" site on a loopback port.

It is the target of `archiver demo` and the crawl target of the test-suite, so it behaves like the
awkward servers a real crawl meets, and it keeps an exact record of what it sent:

- HTTP/1.1 with keep-alive; every response has a Content-Length unless it is chunked.
- HTML is gzip-encoded when the request accepts gzip (always the same bytes for the same page,
  so a second capture of a page is byte-identical and can be deduplicated).
- Some header names are not in title case (`content-language`, `cache-control`), which an archive
  must keep as sent.
- Per-path oddities come from the site's `_server.toml`: `chunks` (Transfer-Encoding: chunked),
  `content_type` (e.g. HTML without charset), `encoding` (e.g. a windows-1252 page), `reason`
  (a non-standard reason phrase) and `headers` (extra headers); `archiver.demo.manifest` describes
  them. Paths starting with "_" are never served.
- Text files are templates: `{{origin}}` becomes `DemoServer.origin` and `{{offsite}}` becomes
  `DemoServer.offsite_origin`, another loopback name for this same server which a crawler must
  treat as a different site (the tests check that it never requests it).

Every response is built in full and written to the socket in one call, and those very bytes are
logged as a `ServedRequest`, so tests can compare a WARC record with what was on the wire.
"""

from __future__ import annotations

import argparse
import contextlib
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

from archiver.demo.manifest import DEFAULT_RULE, PathRule, load_manifest
from archiver.demo.site import SITE_DIR, Found, Redirect, content_type_for, render, resolve

SERVER_NAME = "archiver-demo"
OFFSITE_HOST = "localhost"


@dataclass(frozen=True, slots=True)
class ServedRequest:
    """One request the server answered, with the exact bytes of its response."""

    method: str
    path: str
    """As requested, query included."""
    host: str | None
    """The request's Host header, None when it had none."""
    status: int
    sent: bytes
    """Status line, headers and body (with chunked framing) exactly as written to the socket."""


@dataclass(frozen=True, slots=True)
class _Response:
    """A response before the transport decisions (gzip, chunking, keep-alive) are made."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    """Sent after the standard headers."""
    rule: PathRule = DEFAULT_RULE


class _Server(ThreadingHTTPServer):
    """The socket server, holding what handlers share: the site, its rules, the request log."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Path) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self.rules = load_manifest(site)
        self.log: list[ServedRequest] = []
        self.log_lock = threading.Lock()
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
        self._send(self._response(), head=False)

    def do_HEAD(self) -> None:
        self._send(self._response(), head=True)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Called by the base class for malformed requests and unsupported methods; answered
        # through _send so that these responses are logged with their bytes like any other.
        self.close_connection = True
        self._send(_error_page(code, message), head=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and `archiver demo` read the request log instead of stderr."""

    def _response(self) -> _Response:
        url_path = urlsplit(self.path).path
        found = resolve(self.server.site, url_path)
        if isinstance(found, Redirect):
            query = urlsplit(self.path).query
            location = self.server.origin + found.location + (f"?{query}" if query else "")
            page = _error_page(HTTPStatus.MOVED_PERMANENTLY)
            return _Response(page.status, page.content_type, page.body, (("Location", location),))
        if not isinstance(found, Found):
            return _error_page(HTTPStatus.NOT_FOUND)
        rule = self.server.rules.get(url_path, DEFAULT_RULE)
        body = render(found.file, self.server.origin, self.server.offsite_origin, rule.encoding)
        content_type = rule.content_type or content_type_for(found.file, rule.encoding)
        headers: tuple[tuple[str, str], ...] = ()
        if content_type.startswith("text/html"):
            # Lower-case names on purpose: an archive must keep header names as sent.
            headers = (("content-language", "en"), ("cache-control", "max-age=60"))
        return _Response(200, content_type, body, headers + rule.headers, rule)

    def _send(self, response: _Response, head: bool) -> None:
        body = response.body
        headers = [("Server", SERVER_NAME), ("Date", formatdate(usegmt=True))]
        headers.append(("Content-Type", response.content_type))
        is_html = response.content_type.startswith("text/html")
        if is_html and self._accepts_gzip():
            # mtime=0: the same page always compresses to the same bytes.
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        if is_html:
            headers.append(("Vary", "Accept-Encoding"))
        chunked = response.rule.chunks and self.request_version == "HTTP/1.1"
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
            body = _chunk(body, response.rule.chunks)
        else:
            headers.append(("Content-Length", str(len(body))))
        headers += response.headers
        headers.append(("X-Served-By", SERVER_NAME))
        if self.close_connection:
            headers.append(("Connection", "close"))
        elif self.request_version == "HTTP/1.0":
            headers.append(("Connection", "keep-alive"))
        reason = response.rule.reason or _reason(response.status)
        head_lines = [f"{self.protocol_version} {response.status} {reason}"]
        head_lines += [f"{name}: {value}" for name, value in headers]
        raw = ("\r\n".join(head_lines) + "\r\n\r\n").encode("latin-1")
        if not head:
            raw += body
        self._record(response.status, raw)
        self.wfile.write(raw)
        self.wfile.flush()

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

    def _record(self, status: int, raw: bytes) -> None:
        served = ServedRequest(
            method=getattr(self, "command", None) or "",
            path=getattr(self, "path", None) or "",
            host=self.headers.get("Host") if self._has_headers() else None,
            status=status,
            sent=raw,
        )
        with self.server.log_lock:
            self.server.log.append(served)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _error_page(status: int, message: str | None = None) -> _Response:
    title = f"{status} {_reason(status)}"
    text = message or {
        404: "There is no page at this address on the Workers' Chronicle site.",
        301: "This page has moved.",
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
        """Forget the requests so far, e.g. between two crawls of one test."""
        server = self._running()
        with server.log_lock:
            server.log.clear()

    def _running(self) -> _Server:
        if self._server is None:
            raise RuntimeError("the demo server is not running; call start() first")
        return self._server


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site until interrupted, for looking at it in a browser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    with DemoServer(port=args.port) as server:
        print(f"Serving the demo site at {server.origin}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
