"""Serves a generated benchmark site on 127.0.0.1 from memory, fast enough not to be measured.

A crawl of a local site at hundreds of pages a second shares this machine's two cores with the
server; every millisecond the server spends on a request is taken from the crawler. So the
server answers from ready-made responses (status line, headers and body built once at start-up)
on an asyncio protocol with HTTP/1.1 keep-alive: a request costs a dictionary look-up and one
write. `load_test` measures it alone, and the stdlib's threaded `http.server` beside it, so a
benchmark can show that the server is not its bottleneck.

Run on its own (`python benchmarks/siteserver.py ROOT [--port N] [--stdlib]`) it prints the
base URL on its first line of stdout once it listens, and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.server
import signal
import socket
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml; charset=utf-8"}
_TYPES[".txt"] = "text/plain; charset=utf-8"
_LAST_MODIFIED = "Sat, 04 Mar 2006 00:00:00 GMT"


def site_paths(root: Path) -> Iterator[tuple[str, Path]]:
    """Every URL path of the site with its file: `a/b/index.html` is served as `/a/b/`."""
    for file in sorted(root.rglob("*")):
        if not file.is_file() or file.name.startswith("."):
            continue
        relative = file.relative_to(root).as_posix()
        if file.name == "index.html":
            yield "/" + relative.removesuffix("index.html"), file
        else:
            yield "/" + relative, file


def _response(status: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        f"Date: {formatdate(usegmt=True)}\r\n"
        "Server: archiver-bench\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Last-Modified: {_LAST_MODIFIED}\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


def prepared_responses(root: Path, origin: str) -> dict[bytes, bytes]:
    """The whole answer to a GET of each path, `{{origin}}` in the pages filled in."""
    responses = {}
    for path, file in site_paths(root):
        body = file.read_bytes().replace(b"{{origin}}", origin.encode("ascii"))
        content_type = _TYPES.get(file.suffix, "application/octet-stream")
        responses[path.encode("ascii")] = _response("200 OK", content_type, body)
    return responses


_NOT_FOUND = _response("404 Not Found", "text/plain; charset=utf-8", b"not found\n")


class _SiteProtocol(asyncio.Protocol):
    def __init__(self, responses: dict[bytes, bytes], counter: list[int]) -> None:
        self._responses = responses
        self._counter = counter
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        assert self._transport is not None
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self._buffer = self._buffer[:end], self._buffer[end + 4 :]
            line, _, headers = head.partition(b"\r\n")
            parts = line.split(b" ")
            target = parts[1] if len(parts) == 3 else b"/"
            answer = self._responses.get(target) or self._responses.get(
                target.partition(b"?")[0], _NOT_FOUND
            )
            self._counter[0] += 1
            self._transport.write(answer)
            if parts[-1] == b"HTTP/1.0" or b"connection: close" in headers.lower():
                self._transport.close()
                return


async def _serve(root: Path, host: str, port: int) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    origin = f"http://{host}:{sock.getsockname()[1]}"
    responses = prepared_responses(root, origin)
    counter = [0]
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: _SiteProtocol(responses, counter), sock=sock, backlog=1024
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"{origin}/", flush=True)
    async with server:
        await stop.wait()
    print(f"served {counter[0]} requests", file=sys.stderr, flush=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve_stdlib(root: Path, host: str, port: int) -> None:
    handler = functools.partial(_QuietHandler, directory=str(root))
    # SIGTERM keeps its default action: shutdown() from a handler would wait on itself.
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"http://{host}:{server.server_address[1]}/", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    bytes: int
    seconds: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _fetch_all(host: str, port: int, paths: Sequence[str], connections: int) -> LoadResult:
    queue = list(reversed(paths))
    totals = [0, 0, 0]

    async def worker() -> None:
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        while queue:
            path = queue.pop()
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status_line, _, rest = head.partition(b"\r\n")
            length = 0
            close = status_line.startswith(b"HTTP/1.0")
            for header in rest.lower().split(b"\r\n"):
                name, _, value = header.partition(b":")
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection":
                    close = value.strip() == b"close"
            body = await reader.readexactly(length)
            totals[0] += 1
            totals[1] += len(head) + len(body)
            totals[2] += b" 200 " not in status_line
            if close:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return LoadResult(totals[0], totals[1], time.perf_counter() - started, totals[2])


def load_test(base_url: str, paths: Sequence[str], connections: int = 16) -> LoadResult:
    """Fetches every path once over `connections` keep-alive connections, as fast as it can."""
    host, _, port = base_url.split("//", 1)[1].rstrip("/").partition(":")
    return asyncio.run(_fetch_all(host, int(port), paths, connections))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--stdlib", action="store_true", help="the stdlib's ThreadingHTTPServer, for comparison"
    )
    args = parser.parse_args(argv)
    if args.stdlib:
        _serve_stdlib(args.root, args.host, args.port)
    else:
        asyncio.run(_serve(args.root, args.host, args.port))


if __name__ == "__main__":
    main()
