"""A crawl of a hostile site, and `archiver extract` over what it archived: each bad page costs
only itself.

One site on 127.0.0.1 (a small socket server of this module, serving prebuilt or streamed bytes)
holds every kind of page issue 9 names: gzip and brotli bombs (2 MB and 1 MB that inflate to 2
and 5 GiB, built by streaming, never held in memory), a sitemap and an RSS feed with an entity
bomb and external entities, a 100,000-deep page, one 50 MB line, a response that never ends, a
page that keeps extraction past its time limit, and pages of undecodable bytes. Three ordinary
articles sit beside them, found through the home page, the sitemap and the feed, so a crawl
that gives up early, or a parser that chokes, shows. The crawl runs once per module (`archiver
crawl` in a subprocess, its process tree's memory sampled with psutil), and each test reads one
consequence from it; `archiver extract` then reads the WARCs it wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
import psutil
import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.settings import ARCHIVER_MAX_DECOMPRESSED, DOWNLOAD_MAXSIZE
from tests.conftest import FAST, TESTS

MIB = 1 << 20
# What the site holds: bombs and giants far past the limits.
GZIP_BOMB_MIB = 2048
BROTLI_BOMB_MIB = 5120
ONE_LINE_BYTES = 50_000_000
DEPTH = 100_000
# The crawl runs with archiver's limits (DOWNLOAD_MAXSIZE), but a short extraction time limit
# to be quick, and must stay within the memory bound issue 9 sets.
EXTRACT_TIMEOUT = 3
MEMORY_LIMIT = 1_000_000_000
ARTICLE = (TESTS / "fixtures" / "socialist_worker_article.html").read_bytes()
SECRET = "not-for-crawlers-7f3a"


def _article(headline: str) -> bytes:
    return ARTICLE.replace(b"Revolution is in the air", headline.encode())


def _gzip_bomb(path: Path, mib: int) -> None:
    """`mib` MiB of zeros in gzip, about 1 KB per MiB, written without ever holding them.

    One MiB of zeros is deflated once and ended with a full flush, which makes the deflate
    blocks byte-aligned and free of references to what came before: the same bytes repeated are
    a valid stream of any length."""
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    with open(path, "wb") as out:
        out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
        for _ in range(mib):
            out.write(segment)
            crc = zlib.crc32(zeros, crc)
        out.write(b"\x03\x00")  # an empty final block
        out.write(crc.to_bytes(4, "little") + ((mib * MIB) & 0xFFFFFFFF).to_bytes(4, "little"))


def _brotli_bomb(path: Path, mib: int) -> None:
    """`mib` MiB of zeros in brotli (quality 1: fast, about 190 KB per GiB), streamed."""
    zeros = bytes(MIB)
    compressor = brotli.Compressor(quality=1)
    with open(path, "wb") as out:
        for _ in range(mib):
            out.write(compressor.process(zeros))
        out.write(compressor.finish())


def _entity_bomb(
    origin: str, secret: Path, root: str, shell: str, entry: str, honest: str
) -> bytes:
    """An XML document with a billion laughs and three external entities (a system file, a file
    of ours, a URL of this site), each used inside a URL the crawler would request if it
    expanded them, after an honest URL that must still be followed.

    `shell` is the document with `{}` where the entries go; `entry` one entry, `{}` its URL."""
    laughs = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    externals = [
        '<!ENTITY passwd SYSTEM "file:///etc/passwd">',
        f'<!ENTITY secret SYSTEM "file://{secret}">',
        f'<!ENTITY remote SYSTEM "{origin}/xxe">',
    ]
    doctype = "\n".join([f"<!DOCTYPE {root} [", *laughs, *externals, "]>"])
    urls = [f"{origin}/leak/&{name};" for name in ("lol9", "passwd", "secret", "remote")]
    entries = "".join(entry.format(url) for url in [f"{origin}{honest}", *urls])
    return f'<?xml version="1.0"?>\n{doctype}\n{shell.format(entries)}'.encode()


def _sitemap(origin: str, secret: Path) -> bytes:
    shell = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
    entry = "<url><loc>{}</loc></url>"
    return _entity_bomb(origin, secret, "urlset", shell, entry, "/news/from-the-sitemap")


def _feed(origin: str, secret: Path) -> bytes:
    shell = '<rss version="2.0"><channel><title>The Hostile Times</title>{}</channel></rss>'
    entry = "<item><title>An item</title><link>{}</link></item>"
    return _entity_bomb(origin, secret, "rss", shell, entry, "/news/from-the-feed")


Body = Callable[[threading.Event], Iterator[bytes]]


@dataclass(frozen=True)
class Route:
    head: bytes
    """Status line and headers, the blank line included."""
    body: Body


def _head(content_type: str, length: int | None, *extra: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", f"Content-Type: {content_type}", "Connection: close", *extra]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _bytes(data: bytes, content_type: str = "text/html; charset=utf-8", *extra: str) -> Route:
    return Route(_head(content_type, len(data), *extra), lambda stop: iter([data]))


def _file(path: Path, content_type: str, *extra: str) -> Route:
    def body(stop: threading.Event) -> Iterator[bytes]:
        with open(path, "rb") as stream:
            while chunk := stream.read(MIB):
                yield chunk

    return Route(_head(content_type, path.stat().st_size, *extra), body)


def _endless(stop: threading.Event) -> Iterator[bytes]:
    yield b"<html><body><h1>Never ends</h1><p>"
    chunk = b"and on " * (MIB // 7)
    while not stop.is_set():
        yield chunk


class _Handler(socketserver.StreamRequestHandler):
    server: HostileServer

    def handle(self) -> None:
        request_line = self.rfile.readline(65536)
        while self.rfile.readline(65536).strip():
            pass  # the request's headers
        parts = request_line.split()
        path = parts[1].decode("latin-1") if len(parts) > 1 else ""
        self.server.requested.append(path)
        route = self.server.routes.get(path)
        try:
            if route is None:
                self.wfile.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                return
            self.wfile.write(route.head)
            for chunk in route.body(self.server.stop):
                self.wfile.write(chunk)
        except OSError:
            pass  # the crawler hung up (a response cut at its limit)


class HostileServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.routes: dict[str, Route] = {}
        self.requested: list[str] = []
        self.stop = threading.Event()


@dataclass
class HostileSite:
    origin: str
    folder: Path
    """Where the bombs are kept, as sent."""
    requested: list[str]
    served: dict[str, bytes] = field(default_factory=dict)
    """The bytes each fixed-size page was sent as (head and body), for comparison with WARCs."""


# The pages of the site, by path: what each one is.
GZIP_BOMB = "/bombs/gzip"
BROTLI_BOMB = "/bombs/brotli"
NEVER_ENDS = "/giants/never-ends"
ONE_LINE = "/giants/one-line"
DEEP = "/giants/deep"
SLOW_TO_EXTRACT = "/news/slow-to-extract"
# Hundreds of thousands of paragraphs: minutes of lxml and trafilatura work.
SLOW_BODY = b"<html><body><h1>Long</h1>" + b"<div><p>word word word</p></div>" * 400_000
UNDECODABLE = {
    "/news/invalid-utf8": _article("Invalid bytes in the text").replace(
        b"<p>", b"<p>\xff\xfe\xc3\x28\xed\xa0\x80", 3
    ),
    "/news/nul-bytes": _article("Nul bytes in the text").replace(b"<p>", b"<p>\x00\x00", 5),
    "/news/mixed-encodings": _article("Mixed encodings").replace(
        b"<p>", "<p>caf\xe9 na\xefve \u20ac ".encode("cp1252"), 2
    ),
    "/news/empty": b"",
    "/news/binary": zlib.compress(bytes(range(256)) * 64) + bytes(range(256)) * 8,
}
ARTICLES = {
    "/news/strike-one": "Cleaners strike for a living wage",
    "/news/from-the-sitemap": "Found through the sitemap",
    "/news/from-the-feed": "Found through the feed",
}


def _routes(origin: str, folder: Path) -> dict[str, Route]:
    gzip_bomb, brotli_bomb = folder / "bomb.gz", folder / "bomb.br"
    _gzip_bomb(gzip_bomb, GZIP_BOMB_MIB)
    _brotli_bomb(brotli_bomb, BROTLI_BOMB_MIB)
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    hostile = [GZIP_BOMB, BROTLI_BOMB, NEVER_ENDS, ONE_LINE, DEEP, SLOW_TO_EXTRACT, *UNDECODABLE]
    links = "".join(f'<a href="{path}">{path}</a> ' for path in [*hostile, "/news/strike-one"])
    home = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.rss">'
        f"</head><body><h1>The Hostile Times</h1>{links}</body></html>"
    ).encode()
    routes = {
        "/robots.txt": _bytes(
            f"User-agent: *\nDisallow:\nSitemap: {origin}/sitemap.xml\n".encode(), "text/plain"
        ),
        "/": _bytes(home),
        "/sitemap.xml": _bytes(_sitemap(origin, secret), "application/xml"),
        "/feed.rss": _bytes(_feed(origin, secret), "application/rss+xml"),
        "/xxe": _bytes(b"fetched-by-an-external-entity", "text/plain"),
        GZIP_BOMB: _file(gzip_bomb, "text/html", "Content-Encoding: gzip"),
        BROTLI_BOMB: _file(brotli_bomb, "text/html", "Content-Encoding: br"),
        NEVER_ENDS: Route(_head("text/html", None), _endless),
        ONE_LINE: _bytes(
            b"<html><body><h1>One line</h1><p>" + b"word " * (ONE_LINE_BYTES // 5) + b"</p>"
        ),
        DEEP: _bytes(b"<html><body>" + b"<div>" * DEPTH + b"deep" + b"</div>" * DEPTH),
        SLOW_TO_EXTRACT: _bytes(SLOW_BODY),
    }
    routes.update((path, _bytes(body)) for path, body in UNDECODABLE.items())
    routes.update((path, _bytes(_article(headline))) for path, headline in ARTICLES.items())
    return routes


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    server = HostileServer()
    folder = tmp_path_factory.mktemp("hostile-site")
    server.routes = _routes(server.origin, folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site = HostileSite(server.origin, folder, server.requested)
    for path, route in server.routes.items():
        if route.body is not _endless and not path.startswith("/bombs/"):
            site.served[path] = route.head + b"".join(route.body(server.stop))
    try:
        yield site
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int
    """The most the process and its children (extraction workers) held at once, in bytes."""


def run_sampled(*args: str, timeout: float = 300) -> Run:
    """`archiver ARGS` in a subprocess, its process tree's resident memory sampled meanwhile.

    A tree that grows past MEMORY_LIMIT is killed there: the test has failed, and the machine
    running it is spared the gigabytes a bomb would go on to take."""
    process = subprocess.Popen(
        [sys.executable, "-m", "archiver.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=TESTS.parent,
    )
    root = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def tree() -> list[psutil.Process]:
        return [root, *root.children(recursive=True)]

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            with contextlib.suppress(psutil.Error):  # a process ended meanwhile: sample again
                members = tree()
                peak = max(peak, sum(member.memory_info().rss for member in members))
                if peak >= MEMORY_LIMIT:
                    _kill(members)
                    return
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
        with contextlib.suppress(psutil.Error):
            _kill(tree())
    return Run(process.returncode, stdout, stderr, peak)


def _kill(processes: list[psutil.Process]) -> None:
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()


@dataclass(frozen=True)
class HostileCrawl:
    output: Path
    run: Run
    seconds: float
    stats: dict[str, Any]
    records: dict[str, dict[str, Any]]
    """Article records by URL path."""


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"


@pytest.fixture(scope="module")
def hostile_crawl(
    hostile_site: HostileSite, tmp_path_factory: pytest.TempPathFactory
) -> HostileCrawl:
    output = tmp_path_factory.mktemp("hostile-crawl")
    started = time.monotonic()
    run = run_sampled(
        "crawl",
        f"{hostile_site.origin}/",
        "--output",
        str(output),
        *FAST,
        "-s",
        f"ARCHIVER_EXTRACT_TIMEOUT={EXTRACT_TIMEOUT}",
    )
    seconds = time.monotonic() - started
    stats = json.loads((output / "crawl-stats.json").read_text(encoding="utf-8"))[-1]
    lines = (output / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    records = {_path(r["url"]): r for r in map(json.loads, lines)}
    return HostileCrawl(output, run, seconds, stats, records)


@dataclass(frozen=True)
class Archived:
    headers: dict[str, str]
    block: bytes
    """The HTTP response as archived: head and body as sent."""


def _archived(output: Path) -> dict[str, list[Archived]]:
    found: dict[str, list[Archived]] = {}
    for path in sorted((output / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "revisit"):
                    continue
                headers = dict(record.rec_headers.headers)
                block = record.http_headers.to_bytes() + record.raw_stream.read()
                found.setdefault(_path(headers["WARC-Target-URI"]), []).append(
                    Archived(headers, block)
                )
    return found


def test_the_crawl_goes_past_every_hostile_page_to_the_articles(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl
) -> None:
    assert hostile_crawl.run.returncode == 0, hostile_crawl.run.stderr[-3000:]
    assert hostile_crawl.stats["finish_reason"] == "finished"
    for path in [GZIP_BOMB, BROTLI_BOMB, NEVER_ENDS, ONE_LINE, DEEP, SLOW_TO_EXTRACT]:
        assert path in hostile_site.requested
    for path, headline in ARTICLES.items():
        assert hostile_crawl.records[path]["headline"] == headline
    assert hostile_crawl.seconds < 180


def test_the_crawl_of_the_hostile_site_stays_under_1_gb_of_memory(
    hostile_crawl: HostileCrawl,
) -> None:
    assert 0 < hostile_crawl.run.peak_rss < MEMORY_LIMIT, hostile_crawl.run.peak_rss


def test_no_hostile_page_gives_a_traceback(hostile_crawl: HostileCrawl) -> None:
    log = hostile_crawl.run.stderr
    assert "Traceback" not in log, log[log.find("Traceback") - 2000 :][:6000]
    assert "spider_exceptions" not in json.dumps(hostile_crawl.stats)


@pytest.mark.parametrize(("path", "bomb"), [(GZIP_BOMB, "bomb.gz"), (BROTLI_BOMB, "bomb.br")])
def test_a_compression_bomb_is_archived_as_sent_and_gives_no_record(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl, path: str, bomb: str
) -> None:
    (archived,) = _archived(hostile_crawl.output)[path]
    body = archived.block[archived.block.index(b"\r\n\r\n") + 4 :]
    assert body == (hostile_site.folder / bomb).read_bytes()
    assert "WARC-Truncated" not in archived.headers
    assert path not in hostile_crawl.records


def test_a_compression_bomb_is_counted_in_the_crawl_stats(hostile_crawl: HostileCrawl) -> None:
    assert hostile_crawl.stats["archiver/decompression/too_large"] == 2


def test_a_response_that_never_ends_is_cut_at_the_download_size_limit(
    hostile_crawl: HostileCrawl,
) -> None:
    (archived,) = _archived(hostile_crawl.output)[NEVER_ENDS]
    assert archived.headers["WARC-Truncated"] == "length"
    body = archived.block[archived.block.index(b"\r\n\r\n") + 4 :]
    assert len(body) == DOWNLOAD_MAXSIZE
    stream = _endless(threading.Event())
    sent = next(stream) + next(stream) * (DOWNLOAD_MAXSIZE // MIB + 1)
    assert body == sent[:DOWNLOAD_MAXSIZE]
    assert NEVER_ENDS not in hostile_crawl.records


def test_every_response_cut_at_the_size_limit_is_counted_in_the_stats(
    hostile_crawl: HostileCrawl,
) -> None:
    archived = _archived(hostile_crawl.output)
    cut = [a for page in archived.values() for a in page if "WARC-Truncated" in a.headers]
    assert {a.headers["WARC-Truncated"] for a in cut} == {"length"}
    assert hostile_crawl.stats["archiver/warc/truncated/length"] == len(cut) >= 2


def test_a_page_of_one_50_mb_line_is_cut_at_the_download_size_limit(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl
) -> None:
    archived = _archived(hostile_crawl.output)[ONE_LINE]
    assert archived, "archived, as far as it came"
    for cut in archived:
        assert cut.headers["WARC-Truncated"] == "length"
        assert hostile_site.served[ONE_LINE].startswith(cut.block)
    assert ONE_LINE not in hostile_crawl.records


def test_a_100000_deep_page_is_archived_whole_and_gives_no_record(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl
) -> None:
    (archived,) = _archived(hostile_crawl.output)[DEEP]
    assert archived.block == hostile_site.served[DEEP]
    assert DEEP not in hostile_crawl.records


def test_an_entity_bomb_in_a_sitemap_or_a_feed_is_not_expanded(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl
) -> None:
    assert "/sitemap.xml" in hostile_site.requested and "/feed.rss" in hostile_site.requested
    assert not [path for path in hostile_site.requested if "lol" in path]
    # What comes before the bomb is read; libxml2's entity amplification limit stops the rest.
    assert "/news/from-the-sitemap" in hostile_crawl.records
    assert "/news/from-the-feed" in hostile_crawl.records


def test_an_external_entity_in_a_sitemap_or_a_feed_is_never_fetched_or_read(
    hostile_site: HostileSite,
) -> None:
    assert "/xxe" not in hostile_site.requested
    leaked = [p for p in hostile_site.requested if SECRET in p or "root:" in p]
    assert leaked == []
    assert {p for p in hostile_site.requested if p.startswith("/leak/")} <= {"/leak/"}


def test_a_page_past_the_extraction_time_limit_gives_no_record_and_a_stats_line(
    hostile_crawl: HostileCrawl,
) -> None:
    assert SLOW_TO_EXTRACT not in hostile_crawl.records
    assert hostile_crawl.stats["archiver/extract/failed/timeout"] == 1
    assert "No record for " in hostile_crawl.run.stderr


@pytest.mark.parametrize("path", UNDECODABLE)
def test_undecodable_bytes_give_a_clean_record_or_none(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl, path: str
) -> None:
    assert path in hostile_site.requested
    record = hostile_crawl.records.get(path)
    if UNDECODABLE[path].startswith(b"<!DOCTYPE"):  # an article, whatever its bad bytes
        assert record is not None
        assert record["headline"] and record["body"]
        assert "\x00" not in record["body"]
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # no lone surrogates
    else:
        assert record is None


def test_an_extraction_timeout_is_one_warning_not_an_asyncio_error(
    hostile_crawl: HostileCrawl,
) -> None:
    assert "Future exception was never retrieved" not in hostile_crawl.run.stderr


def test_a_gzipped_sitemap_bomb_is_cut_without_a_spider_error(
    hostile_site: HostileSite, tmp_path: Path
) -> None:
    server = HostileServer()
    server.routes = {
        "/robots.txt": _bytes(
            f"User-agent: *\nDisallow:\nSitemap: {server.origin}/sitemap.xml.gz\n".encode(),
            "text/plain",
        ),
        "/": _bytes(b'<html><body><a href="/news/strike-one">Strike</a></body></html>'),
        "/news/strike-one": _bytes(_article(ARTICLES["/news/strike-one"])),
        # A gzip file, not a gzip-encoded response: the spider inflates it itself.
        "/sitemap.xml.gz": _file(hostile_site.folder / "bomb.gz", "application/x-gzip"),
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = run_sampled("crawl", f"{server.origin}/", "--output", str(tmp_path), *FAST)
    finally:
        server.shutdown()
        server.server_close()
    assert "/sitemap.xml.gz" in server.requested
    assert run.returncode == 0 and run.peak_rss < MEMORY_LIMIT
    assert "Traceback" not in run.stderr
    stats = json.loads((tmp_path / "crawl-stats.json").read_text(encoding="utf-8"))[-1]
    assert stats["archiver/decompression/too_large"] == 1
    assert not [key for key in stats if key.startswith("spider_exceptions")]


def test_a_page_of_200000_links_does_not_hold_the_reactor() -> None:
    """Its links are found in a worker process: downloads go on meanwhile (on the reactor
    thread, the 7.6 MB page held everything for about 6 s)."""
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from archiver.crawl.extraction_workers import extraction_workers
    from spiders.publication import PublicationSpider

    url = "http://127.0.0.1:8000/news/links"
    body = b"<html><body><h1>Links</h1>" + b'<a href="/news/strike-one">Strike</a>' * 200_000
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))
    crawler = get_crawler(PublicationSpider, {"ARCHIVER_EXTRACT_TIMEOUT": 120})
    spider = PublicationSpider.from_crawler(crawler, start_urls=url)

    async def parse_while_ticking() -> tuple[list[object], float]:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        longest = 0.0

        async def tick() -> None:
            nonlocal longest
            while not done.is_set():
                before = loop.time()
                await asyncio.sleep(0.01)
                longest = max(longest, loop.time() - before - 0.01)

        ticker = asyncio.create_task(tick())
        out = [item async for item in spider.parse(response)]
        done.set()
        await ticker
        return out, longest

    try:
        out, longest_pause = asyncio.run(parse_while_ticking())
    finally:
        extraction_workers(crawler).close()
    assert [r.url for r in out if isinstance(r, Request)] == ["http://127.0.0.1:8000/news/strike-one"]
    assert longest_pause < 0.5


@dataclass(frozen=True)
class HostileExtract:
    run: Run
    records: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def hostile_extract(
    hostile_crawl: HostileCrawl, tmp_path_factory: pytest.TempPathFactory
) -> HostileExtract:
    """`archiver extract` over the WARCs of the hostile crawl, into a file of its own."""
    output = tmp_path_factory.mktemp("hostile-extract") / "records.jsonl"
    run = run_sampled(
        "extract",
        str(hostile_crawl.output / "warc"),
        "--output",
        str(output),
        "--timeout",
        str(EXTRACT_TIMEOUT),
    )
    lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
    return HostileExtract(run, {_path(r["url"]): r for r in map(json.loads, lines)})


def test_extract_over_the_hostile_warcs_gives_the_crawls_records_in_under_1_gb(
    hostile_crawl: HostileCrawl, hostile_extract: HostileExtract
) -> None:
    run = hostile_extract.run
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert 0 < run.peak_rss < MEMORY_LIMIT, run.peak_rss
    assert set(hostile_extract.records) == set(hostile_crawl.records)


@pytest.mark.parametrize("path", [GZIP_BOMB, BROTLI_BOMB])
def test_extract_skips_a_compression_bomb_at_the_decompressed_size_limit(
    hostile_site: HostileSite, hostile_extract: HostileExtract, path: str
) -> None:
    assert (
        f"archiver: warning: {hostile_site.origin}{path}: not extracted "
        f"(body longer than {ARCHIVER_MAX_DECOMPRESSED} bytes decompressed)"
    ) in hostile_extract.run.stderr.splitlines()


@pytest.mark.parametrize("path", [NEVER_ENDS, ONE_LINE])
def test_extract_skips_a_response_archived_cut_short_as_the_crawl_did(
    hostile_site: HostileSite, hostile_extract: HostileExtract, path: str
) -> None:
    assert (
        f"archiver: warning: {hostile_site.origin}{path}: not extracted "
        "(archived cut short, WARC-Truncated: length)"
    ) in hostile_extract.run.stderr.splitlines()


def test_extract_gives_a_page_past_the_time_limit_no_record_and_goes_on(
    hostile_site: HostileSite, hostile_extract: HostileExtract
) -> None:
    assert (
        f"archiver: warning: {hostile_site.origin}{SLOW_TO_EXTRACT}: extraction timeout"
    ) in hostile_extract.run.stderr.splitlines()
    assert SLOW_TO_EXTRACT not in hostile_extract.records


def test_a_resumed_crawl_over_archived_bombs_stays_under_1_gb(
    hostile_site: HostileSite, hostile_crawl: HostileCrawl, tmp_path: Path
) -> None:
    shutil.copytree(hostile_crawl.output / "warc", tmp_path / "warc")
    # Resumed with the settings of the crawl it resumes (its extraction time limit included).
    run = run_sampled(
        "crawl",
        f"{hostile_site.origin}/",
        "--output",
        str(tmp_path),
        "--resume",
        *FAST,
        "-s",
        f"ARCHIVER_EXTRACT_TIMEOUT={EXTRACT_TIMEOUT}",
    )
    assert run.peak_rss < MEMORY_LIMIT, run.peak_rss
    assert run.returncode == 0, run.stderr[-3000:]
    stats = json.loads((tmp_path / "crawl-stats.json").read_text(encoding="utf-8"))[-1]
    assert stats["archiver/resume/served_from_archive"] > 0
    assert stats["archiver/decompression/too_large"] == 2
