"""The archive side under stress: re-crawls, crashes, concurrent runs, over-long responses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import DemoServer
from archiver.warc.reader import WarcProblem, WholeRecord, iter_whole_records
from archiver.warc.recovery import recover_open_files
from tests.conftest import FAST, TESTS, crawl

REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def _records_of(paths: list[Path]) -> list[tuple[str, Any]]:
    found = []
    for path in paths:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                found.append((record.rec_type, record.rec_headers))
    return found


def _warcs(folder: Path) -> set[Path]:
    return set((folder / "warc").glob("*.warc.gz"))


def _warcio_check(paths: list[Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_recrawl_of_an_unchanged_site_writes_revisits_and_costs_little_disk(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    first = crawl(demo_server, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    first_files = _warcs(tmp_path)
    # Fetch everything again in full (no conditional requests): each payload comes back the same.
    second = crawl(demo_server, tmp_path, "-s", "ARCHIVER_REVALIDATE=False")
    assert second.returncode == 0, second.stderr[-2000:]
    second_files = sorted(_warcs(tmp_path) - first_files)

    originals = {
        headers.get_header("WARC-Record-ID"): headers
        for kind, headers in _records_of(sorted(first_files))
        if kind == "response"
    }
    later = [(k, h) for k, h in _records_of(second_files) if k in ("response", "revisit")]
    assert later and all(kind == "revisit" for kind, _ in later)
    for _, headers in later:
        assert headers.get_header("WARC-Profile") == REVISIT_PROFILE
        original = originals[headers.get_header("WARC-Refers-To")]
        assert headers.get_header("WARC-Refers-To-Target-URI") == original.get_header(
            "WARC-Target-URI"
        )
        assert headers.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
        assert headers.get_header("WARC-Payload-Digest") == original.get_header(
            "WARC-Payload-Digest"
        )
    # No payload is stored twice: what is left is WARC and HTTP headers and the requests, which on
    # the demo site's small pages (2-3 KB gzipped) is still a third of the first crawl's size.
    first_size = sum(p.stat().st_size for p in first_files)
    second_size = sum(p.stat().st_size for p in second_files)
    assert second_size < first_size / 2, (first_size, second_size)
    _warcio_check(second_files)
    assert len(second.records()) == len(first.records())


def test_records_rebuilt_from_a_collection_with_revisits_point_at_payloads(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    for _ in range(2):
        assert crawl(demo_server, tmp_path, "-s", "ARCHIVER_REVALIDATE=False").returncode == 0
    out = tmp_path / "rebuilt.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "extract", str(tmp_path / "warc"), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=TESTS.parent,
    )
    assert done.returncode == 0, done.stderr
    assert " revisits," in done.stdout and " 0 revisits," not in done.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12


def test_recovery_keeps_every_whole_record_and_cuts_the_torn_one(
    demo_crawl: Any, tmp_path: Path
) -> None:
    source = max(_warcs(demo_crawl.output), key=lambda p: p.stat().st_size)
    data = source.read_bytes()
    whole = [
        i for i in iter_whole_records(str(source), lambda r: None) if isinstance(i, WholeRecord)
    ]
    torn_at = whole[len(whole) // 2].offset + 50
    folder = tmp_path / "warc"
    folder.mkdir()
    opened = folder / (source.name + ".open")
    opened.write_bytes(data[:torn_at])

    (recovered,) = recover_open_files(folder)

    assert recovered.name == source.name and not opened.exists()
    assert recovered.read_bytes() == data[: whole[len(whole) // 2].offset]
    items = list(iter_whole_records(str(recovered), lambda r: None))
    assert not [i for i in items if isinstance(i, WarcProblem)]
    assert len(items) == len(whole) // 2


def _start_slow_crawl(server: DemoServer, output: Path, *extra: str) -> subprocess.Popen[str]:
    server.clear()
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver.cli",
            "crawl",
            f"{server.origin}/",
            "--output",
            str(output),
            "-s",
            "DOWNLOAD_DELAY=0.25",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s",
            "RANDOMIZE_DOWNLOAD_DELAY=False",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=TESTS.parent,
        start_new_session=True,
    )


def _wait_for_responses(server: DemoServer, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(server.requests) < count:
        assert time.monotonic() < deadline, "the crawl did not get going"
        time.sleep(0.02)


def _archived_urls(paths: list[Path]) -> set[str]:
    return {
        urlsplit(headers.get_header("WARC-Target-URI")).path
        for kind, headers in _records_of(paths)
        if kind in ("response", "revisit")
    }


@pytest.mark.parametrize("killed_after", [2, 9, 20])
def test_a_crawl_killed_with_sigkill_resumes_without_fetching_or_recording_twice(
    demo_server: DemoServer, demo_expected: dict[str, Any], tmp_path: Path, killed_after: int
) -> None:
    process = _start_slow_crawl(demo_server, tmp_path)
    _wait_for_responses(demo_server, killed_after)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    left_open = sorted((tmp_path / "warc").glob("*.warc.gz.open"))
    assert left_open, "the killed crawl's WARC is still open"
    for path in left_open:
        whole = list(iter_whole_records(str(path), lambda r: None))
        assert any(isinstance(i, WholeRecord) for i in whole)
    assert (tmp_path / ".archiver.lock").read_text().startswith("pid ")

    resumed = crawl(demo_server, tmp_path, "--resume")

    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "Took over the lock" in resumed.stderr and "Recovered" in resumed.stderr
    recovered = [p.with_name(p.name.removesuffix(".open")) for p in left_open]
    archived_before = _archived_urls(recovered)
    fetched_again = {urlsplit(s.path).path for s in resumed.served} & archived_before
    assert fetched_again == set()
    records = resumed.records()
    assert sorted(urlsplit(r["url"]).path for r in records) == sorted(demo_expected["articles"])
    assert len({r["id"] for r in records}) == len(records)
    assert not list((tmp_path / "warc").glob("*.open"))
    _warcio_check(sorted(_warcs(tmp_path)))


def test_a_second_crawl_into_a_busy_folder_is_refused(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    first = _start_slow_crawl(demo_server, tmp_path)
    try:
        _wait_for_responses(demo_server, 2)
        second = crawl(demo_server, tmp_path)
        assert second.returncode == 2
        assert "another crawl (pid" in second.stderr and "Traceback" not in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)


def test_a_response_over_the_size_cap_is_archived_cut_and_marked(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    noise = os.urandom(60_000).hex()  # incompressible, so gzip cannot bring it under the cap
    (site / "index.html").write_text(f"<html><body><h1>Big</h1><p>{noise}</p></body></html>")
    with DemoServer(site=site) as server:
        run = crawl(server, tmp_path / "out", "-s", "DOWNLOAD_MAXSIZE=20000")
        sent = {s.path: s.sent for s in run.served}
        page_url = f"{server.origin}/"
    assert run.returncode != 0  # no article: the one page was cut
    (path,) = _warcs(tmp_path / "out")
    with open(path, "rb") as stream:
        cut = [
            (record.rec_headers, record.http_headers.to_bytes() + record.raw_stream.read())
            for record in ArchiveIterator(stream)
            if record.rec_type == "response"
            and record.rec_headers.get_header("WARC-Target-URI") == page_url
        ]
    assert len(cut) == 1, "the cut response is archived once"
    headers, block = cut[0]
    assert headers.get_header("WARC-Truncated") == "length"
    head_end = block.index(b"\r\n\r\n") + 4
    body = block[head_end:]
    assert 0 < len(body) <= 20000
    # What is archived is what the server sent, up to the cut.
    assert sent["/"].startswith(block[:head_end] + body)


def test_scrapy_crawl_of_a_busy_folder_does_not_write_into_it(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    first = _start_slow_crawl(demo_server, tmp_path)
    try:
        _wait_for_responses(demo_server, 2)
        before = sorted(p.name for p in (tmp_path / "warc").iterdir())
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "publication",
                "-a",
                f"start_urls={demo_server.origin}/",
                "-a",
                f"output={tmp_path}",
                *FAST,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=TESTS.parent,
        )
        assert "another crawl (pid" in done.stderr
        assert sorted(p.name for p in (tmp_path / "warc").iterdir()) == before
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)


def test_binary_responses_are_archived_byte_exact_but_give_no_record(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "files").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    blob = os.urandom(5000)
    (site / "files" / "report").write_bytes(blob)  # no extension: served as octet-stream
    (site / "index.html").write_text('<html><body><a href="/files/report">Report</a></body></html>')
    with DemoServer(site=site) as server:
        run = crawl(server, tmp_path / "out")
        sent = {s.path: s.sent for s in run.served}
    assert run.returncode != 0 and run.records() == []
    (path,) = _warcs(tmp_path / "out")
    with open(path, "rb") as stream:
        blocks = {
            urlsplit(r.rec_headers.get_header("WARC-Target-URI")).path: (
                r.http_headers.to_bytes() + r.raw_stream.read()
            )
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        }
    assert blocks["/files/report"] == sent["/files/report"]
    assert blocks["/files/report"].endswith(blob)


def test_a_response_that_never_ends_is_archived_as_far_as_it_came(tmp_path: Path) -> None:
    import socket
    import threading

    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    sent_body = b"<html><body><p>" + b"slow " * 200
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            listener.settimeout(0.2)
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                request = connection.recv(65536)
                if request.startswith(b"GET /robots.txt"):
                    connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    continue
                connection.sendall(head + sent_body)
                stop.wait(10)  # and never send the rest

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "archiver.cli", "crawl", f"http://127.0.0.1:{port}/",
             "--output", str(tmp_path), *FAST, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=0"],
            capture_output=True, text=True, timeout=120, cwd=TESTS.parent,
        )
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    assert done.returncode != 0 and "Traceback" not in done.stderr.split("archiver: error")[-1]
    (path,) = _warcs(tmp_path)
    with open(path, "rb") as stream:
        cut = [
            (r.rec_headers, r.http_headers.to_bytes() + r.raw_stream.read())
            for r in ArchiveIterator(stream)
            if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI").endswith(
                f"{port}/"
            )
        ]
    assert len(cut) == 1
    headers, block = cut[0]
    assert headers.get_header("WARC-Truncated") == "time"
    assert block == head + sent_body
