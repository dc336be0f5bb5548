"""A real crawl of the demo site: what it fetches, what it archives, what records it writes."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from lxml import html
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import DemoServer
from archiver.records import record_schema
from tests.conftest import CrawlRun, crawl, run_archiver


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _warc_records(output: Path) -> list[tuple[str, Any]]:
    found = []
    for path in sorted((output / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                block = b""
                if record.http_headers is not None:
                    block = record.http_headers.to_bytes()
                found.append(
                    (
                        path.name,
                        record.rec_type,
                        record.rec_headers,
                        block,
                        record.raw_stream.read(),
                        iterator.get_record_offset(),
                    )
                )
    return found


def test_crawl_finds_every_article_and_nothing_else(
    demo_crawl: CrawlRun, demo_expected: dict[str, Any]
) -> None:
    paths = sorted(_path(r["url"]) for r in demo_crawl.records())
    assert paths == sorted(demo_expected["articles"])


def test_articles_only_in_the_sitemap_or_the_feed_are_found(
    demo_crawl: CrawlRun, demo_expected: dict[str, Any]
) -> None:
    paths = {_path(r["url"]) for r in demo_crawl.records()}
    assert demo_expected["sitemap_only"] and set(demo_expected["sitemap_only"]) <= paths
    assert demo_expected["feed_only"] and set(demo_expected["feed_only"]) <= paths


def test_disallowed_and_off_site_pages_are_never_requested(
    demo_crawl: CrawlRun, demo_server: DemoServer, demo_expected: dict[str, Any]
) -> None:
    requested = {s.path for s in demo_crawl.served}
    assert not requested & set(demo_expected["disallowed"])
    assert not any(p.startswith("/private/") for p in requested)
    offsite_host = urlsplit(demo_server.offsite_origin).netloc
    assert all(s.host != offsite_host for s in demo_crawl.served)
    assert "/robots.txt" in requested


def test_each_url_is_fetched_once_without_tracking_parameters(demo_crawl: CrawlRun) -> None:
    counts = Counter(s.path for s in demo_crawl.served)
    assert [p for p, n in counts.items() if n > 1] == []
    assert not any("utm_" in p or "#" in p for p in counts)
    assert counts["/"] == 1


def test_every_response_is_archived_with_the_exact_bytes_the_server_sent(
    demo_crawl: CrawlRun, demo_server: DemoServer
) -> None:
    responses = {
        _path(headers.get_header("WARC-Target-URI")): block + body
        for _, kind, headers, block, body, _ in _warc_records(demo_crawl.output)
        if kind == "response"
    }
    assert len(responses) == len(demo_crawl.served)
    for served in demo_crawl.served:
        assert responses[served.path] == served.sent, served.path
    # The site sends gzip and chunked bodies: both must be in the archive as sent.
    assert any(b"\r\nContent-Encoding: gzip\r\n" in b for b in responses.values())
    assert any(b"\r\nTransfer-Encoding: chunked\r\n" in b for b in responses.values())


def test_warcs_start_with_warcinfo_and_pair_requests_with_responses(demo_crawl: CrawlRun) -> None:
    records = _warc_records(demo_crawl.output)
    assert records[0][1] == "warcinfo"
    info = records[0][4].decode()
    for field in (
        "software: archiver/",
        "format: WARC File Format 1.1",
        "robots: obey",
        "http-header-user-agent: archiver/",
        "isPartOf: ",
        "hostname: ",
        "conformsTo: ",
    ):
        assert field in info
    by_id = {
        headers.get_header("WARC-Record-ID"): (kind, headers) for _, kind, headers, *_ in records
    }
    assert len(by_id) == len(records)
    responses = [(k, h) for k, h in by_id.values() if k == "response"]
    for _, headers in responses:
        assert headers.protocol == "WARC/1.1"
        request_kind, request = by_id[headers.get_header("WARC-Concurrent-To")]
        assert request_kind == "request"
        assert request.get_header("WARC-Concurrent-To") == headers.get_header("WARC-Record-ID")
        assert request.get_header("WARC-Target-URI") == headers.get_header("WARC-Target-URI")
        assert request.get_header("WARC-Date") == headers.get_header("WARC-Date")
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert headers.get_header("WARC-Block-Digest").startswith("sha1:")


def test_warcio_check_accepts_every_file(demo_crawl: CrawlRun) -> None:
    files = sorted((demo_crawl.output / "warc").glob("*.warc.gz"))
    assert files and not list((demo_crawl.output / "warc").glob("*.open"))
    done = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    assert "digest pass" in done.stdout and "digest fail" not in done.stdout


def test_every_record_is_valid_against_the_schema(demo_crawl: CrawlRun) -> None:
    records = demo_crawl.records()
    assert records
    for record in records:
        jsonschema.validate(record, record_schema())


def test_each_record_points_at_the_response_record_of_its_page(demo_crawl: CrawlRun) -> None:
    for record in demo_crawl.records():
        pointer = record["warc"]
        with open(demo_crawl.output / pointer["filename"], "rb") as stream:
            stream.seek(pointer["offset"])
            warc_record = next(iter(ArchiveIterator(stream)))
            headers = warc_record.rec_headers
            body = warc_record.content_stream().read()
        assert warc_record.rec_type == "response"
        assert headers.get_header("WARC-Record-ID") == pointer["record_id"]
        assert headers.get_header("WARC-Target-URI") == record["url"]
        assert headers.get_header("WARC-Payload-Digest") == pointer["payload_digest"]
        assert record["headline"].split()[0].encode() in body


def test_records_carry_the_fields_printed_on_each_page(
    demo_crawl: CrawlRun, demo_expected: dict[str, Any]
) -> None:
    for record in demo_crawl.records():
        expected = demo_expected["articles"][_path(record["url"])]
        for field in ("headline", "standfirst", "byline", "authors", "date", "issue"):
            assert record[field] == expected[field], (record["url"], field)
        paragraphs = record["body"].split("\n\n")
        assert paragraphs[0] == expected["first_paragraph"], record["url"]
        assert paragraphs[-1] == expected["last_paragraph"], record["url"]
        assert record["language"] == "en"
        assert record["publication"]


def test_crawl_writes_stats_beside_records_not_in_jsonl(demo_crawl: CrawlRun) -> None:
    assert (demo_crawl.output / "crawl-stats.json").exists()
    assert [p.name for p in demo_crawl.output.rglob("*.jsonl")] == ["articles.jsonl"]
    assert "new articles" in demo_crawl.stdout


def test_extract_over_the_crawls_warcs_gives_the_same_records(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "rebuilt.jsonl"
    done = run_archiver("extract", str(demo_crawl.output / "warc"), "--output", str(out))
    assert done.returncode == 0, done.stderr
    rebuilt = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    crawled = demo_crawl.records()

    def comparable(record: dict[str, Any]) -> dict[str, Any]:
        # `extract` names files as given on its command line; the crawl relative to DIR.
        warc = dict(record["warc"], filename=Path(record["warc"]["filename"]).name)
        return {**record, "warc": warc, "extracted_at": None}

    assert sorted(map(comparable, rebuilt), key=lambda r: r["url"]) == sorted(
        map(comparable, crawled), key=lambda r: r["url"]
    )


def test_second_crawl_into_the_same_folder_adds_nothing_and_exits_zero(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    first = crawl(demo_server, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    second = crawl(demo_server, tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "Nothing new" in second.stdout
    assert len(second.records()) == len(first.records())


def test_max_pages_caps_the_responses_fetched(demo_server: DemoServer, tmp_path: Path) -> None:
    run = crawl(demo_server, tmp_path, "--max-pages", "5")
    pages = [s for s in run.served if s.path != "/robots.txt"]
    assert len(pages) == 5


def _links(server: DemoServer, path: str) -> set[str]:
    with urllib.request.urlopen(f"{server.origin}{path}") as response:
        tree = html.fromstring(response.read(), base_url=f"{server.origin}{path}")
    tree.make_links_absolute()
    return {urlsplit(a.get("href")).path for a in tree.iter("a", "link") if a.get("href")}


def _sitemap_paths(server: DemoServer) -> set[str]:
    with urllib.request.urlopen(f"{server.origin}/sitemap.xml") as response:
        text = response.read().decode()
    return {urlsplit(u.split("</loc>")[0]).path for u in text.split("<loc>")[1:]}


def test_max_depth_stops_one_hop_from_the_start_pages(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    reachable = {"/about/", "/robots.txt", "/sitemap.xml"}
    reachable |= _links(demo_server, "/about/") | _sitemap_paths(demo_server)
    run = crawl(demo_server, tmp_path, "--max-depth", "1", start=f"{demo_server.origin}/about/")
    requested = {urlsplit(s.path).path for s in run.served}
    assert "/about/" in requested and len(requested) > 3
    assert requested <= reachable


def test_gzip_bodies_are_archived_compressed_and_records_read_them_decoded(
    demo_crawl: CrawlRun,
) -> None:
    records = {r["url"]: r for r in demo_crawl.records()}
    checked = 0
    for _, kind, headers, block, body, _ in _warc_records(demo_crawl.output):
        url = headers.get_header("WARC-Target-URI")
        gzipped = b"Content-Encoding: gzip" in block and b"chunked" not in block
        if kind != "response" or url not in records or not gzipped:
            continue
        assert body.startswith(b"\x1f\x8b"), url
        text = " ".join(html.fromstring(gzip.decompress(body)).text_content().split())
        first_words = " ".join(records[url]["body"].split()[:8])
        assert first_words in text, url
        checked += 1
    assert checked >= 5
