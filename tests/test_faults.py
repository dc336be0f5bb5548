"""A real crawl of the fault site: a server that fails in every way a crawl meets over days.

One crawl (`archiver crawl` in a subprocess, short timeouts, a depth limit) is shared by the tests
that read its output: what it fetched, retried, archived and extracted, and what it counted in
crawl-stats.json. The site's faults are in archiver/demo/fault_site/_server.toml.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import DemoServer
from archiver.demo.site import FAULT_SITE_DIR
from tests.conftest import CrawlRun, crawl

DEPTH = 3
TIMEOUT = 2
RETRIES = 2
FAULT_CRAWL = [
    "--max-depth",
    str(DEPTH),
    "-s",
    f"DOWNLOAD_TIMEOUT={TIMEOUT}",
    "-s",
    f"RETRY_TIMES={RETRIES}",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    # One extraction worker: starting one per core (spawned, warmed up) while the first pages
    # download starves the crawl for seconds on a small machine, and the short timeout then
    # cuts the 5 MB page.
    "-s",
    "ARCHIVER_EXTRACT_WORKERS=1",
]
TRIES = RETRIES + 1
# Well over a fault crawl's ~10 s, well under the time an unbounded trap would take.
BOUNDED_SECONDS = 90

FLAKY = "/news/pensions-ballot-result/"
WINDOWS_1252 = "/international/cafe-workers-win-recognition/"
BIG = "/archive/1906-congress-minutes/"
CHAIN = ["/go/glasgow-march/", "/go/glasgow-march-2/", "/go/glasgow-march-3/"]
CHAIN_END = "/features/where-the-redirects-end/"
LOOP = ["/loop/one/", "/loop/two/"]
SLOW = "/features/slow-to-load/"
STALLED = "/news/bus-drivers-strike-vote/"
RESETS = ["/news/dropped-connection/", "/features/half-sent/"]
TRUNCATED = "/news/cut-short/"
GONE = "/news/withdrawn-article/"
MISSING = "/news/no-such-article/"
ARTICLES = {"/news/cleaners-strike-spreads/", FLAKY, WINDOWS_1252, BIG, CHAIN_END}
"""The articles a crawl can get whole, so the ones that must have a record."""


@dataclass(frozen=True)
class Archived:
    """A response or revisit record of the crawl's WARCs."""

    kind: str
    path: str
    status: int
    truncated: str | None
    record_id: str
    block: bytes
    """The record block: HTTP status line, headers and (not for revisits) the body, as sent."""


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def archived(output: Path) -> list[Archived]:
    found = []
    for path in sorted((output / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream, no_record_parse=True):
                if record.rec_type not in ("response", "revisit"):
                    continue
                block = record.raw_stream.read()
                headers = record.rec_headers
                found.append(
                    Archived(
                        kind=record.rec_type,
                        path=_path(headers.get_header("WARC-Target-URI")),
                        status=int(block.split(b" ", 2)[1]),
                        truncated=headers.get_header("WARC-Truncated"),
                        record_id=headers.get_header("WARC-Record-ID"),
                        block=block,
                    )
                )
    return found


def statuses(records: list[Archived], path: str) -> list[int]:
    return [r.status for r in records if r.path == path]


def last_run(output: Path) -> dict[str, Any]:
    runs = json.loads((output / "crawl-stats.json").read_text(encoding="utf-8"))
    return runs[-1]


def records_by_path(run: CrawlRun) -> dict[str, dict[str, Any]]:
    return {_path(r["url"]): r for r in run.records()}


def is_trap(path: str) -> bool:
    return path.startswith(("/calendar/", "/search"))


@dataclass(frozen=True)
class FaultCrawl:
    run: CrawlRun
    seconds: float
    archived: list[Archived]
    stats: dict[str, Any]


@pytest.fixture(scope="module")
def fault_server() -> Iterator[DemoServer]:
    with DemoServer(site=FAULT_SITE_DIR) as server:
        yield server


@pytest.fixture(scope="module")
def fault_crawl(fault_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> FaultCrawl:
    started = time.monotonic()
    run = crawl(fault_server, tmp_path_factory.mktemp("fault-crawl"), *FAULT_CRAWL)
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr[-3000:]
    return FaultCrawl(run, seconds, archived(run.output), last_run(run.output))


def test_crawl_of_the_fault_site_finishes_in_bounded_time_with_its_articles(
    fault_crawl: FaultCrawl,
) -> None:
    assert fault_crawl.stats["finish_reason"] == "finished"
    assert fault_crawl.seconds < BOUNDED_SECONDS
    # The stalled page's record is pinned by its own test, below.
    assert set(records_by_path(fault_crawl.run)) - {STALLED} == ARTICLES


def test_trap_is_entered_and_cut_at_the_depth_limit(fault_crawl: FaultCrawl) -> None:
    trap = [s.path for s in fault_crawl.run.served if is_trap(s.path)]
    months = {urlsplit(p).path for p in trap if p.startswith("/calendar/")}
    assert len(months) > 1 and any(p.startswith("/search") for p in trap)
    # The calendar is linked at depth 1, so depth 3 leaves two steps (month or year) from it.
    for month in months:
        year, number = (int(part) for part in month.strip("/").split("/")[1:])
        steps = abs(year - 2006) + abs(number - 3)
        assert steps <= DEPTH - 1, month
    assert fault_crawl.stats["request_depth_max"] == DEPTH
    assert fault_crawl.stats["depth/request_ignored_count"] > 0


def test_page_failing_twice_with_500_is_retried_and_every_answer_archived(
    fault_crawl: FaultCrawl,
) -> None:
    assert statuses(fault_crawl.archived, FLAKY) == [500, 500, 200]
    page = next(r for r in fault_crawl.archived if r.path == FLAKY and r.status == 200)
    record = records_by_path(fault_crawl.run)[FLAKY]
    assert record["warc"]["record_id"] == page.record_id
    assert record["headline"] == "Council unions announce pensions ballot result"


def test_404_and_410_are_archived_and_give_no_record(fault_crawl: FaultCrawl) -> None:
    assert statuses(fault_crawl.archived, MISSING) == [404]
    assert statuses(fault_crawl.archived, GONE) == [410]
    assert not {MISSING, GONE} & set(records_by_path(fault_crawl.run))


def test_redirect_chain_is_followed_and_every_hop_archived(
    fault_crawl: FaultCrawl, fault_server: DemoServer
) -> None:
    hops = [(p, statuses(fault_crawl.archived, p)) for p in [*CHAIN, CHAIN_END]]
    assert hops == [(CHAIN[0], [301]), (CHAIN[1], [302]), (CHAIN[2], [301]), (CHAIN_END, [200])]
    # The second hop's Location is a bare path, archived as the server wrote it.
    second = next(r for r in fault_crawl.archived if r.path == CHAIN[1])
    assert b"\r\nLocation: /go/glasgow-march-3/\r\n" in second.block
    record = records_by_path(fault_crawl.run)[CHAIN_END]
    assert record["url"] == fault_server.origin + CHAIN_END


def test_redirect_loop_is_stopped_after_one_round(fault_crawl: FaultCrawl) -> None:
    requested = Counter(s.path for s in fault_crawl.run.served)
    assert [requested[p] for p in LOOP] == [1, 1]
    assert [statuses(fault_crawl.archived, p) for p in LOOP] == [[302], [302]]


def test_slow_page_times_out_on_every_try_and_the_crawl_goes_on(fault_crawl: FaultCrawl) -> None:
    stats = fault_crawl.stats
    timeouts = stats["downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError"]
    # Each try of the slow page, and the first try of the stalled one.
    assert timeouts >= TRIES + 1
    assert stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] >= RETRIES
    assert statuses(fault_crawl.archived, SLOW) == []
    assert SLOW not in records_by_path(fault_crawl.run)
    # Every try of the slow page waited out the whole timeout, and the crawl went on meanwhile.
    assert fault_crawl.seconds >= TRIES * TIMEOUT
    assert len(fault_crawl.run.records()) >= len(ARTICLES)


def test_connection_resets_are_retried_and_counted(fault_crawl: FaultCrawl) -> None:
    stats = fault_crawl.stats
    assert (
        stats["downloader/exception_type_count/scrapy.exceptions.DownloadFailedError"] >= 2 * TRIES
    )
    for path in RESETS:
        served = [s for s in fault_crawl.run.served if s.path == path]
        assert len(served) >= TRIES, path
        assert statuses(fault_crawl.archived, path) == [], path
    dropped, half = ([s for s in fault_crawl.run.served if s.path == p] for p in RESETS)
    assert all((s.status, s.sent) == (0, b"") for s in dropped)
    assert all(s.sent.startswith(b"HTTP/1.1 200 OK\r\n") for s in half)
    assert not any(b"\r\n\r\n" in s.sent for s in half)


def test_truncated_body_is_retried_and_counted(fault_crawl: FaultCrawl) -> None:
    stats = fault_crawl.stats
    assert stats["downloader/exception_type_count/scrapy.exceptions.ResponseDataLossError"] == TRIES
    assert stats["retry/reason_count/scrapy.exceptions.ResponseDataLossError"] == RETRIES
    served = [s for s in fault_crawl.run.served if s.path == TRUNCATED]
    assert len(served) == TRIES
    for sent in (s.sent for s in served):
        head, _, body = sent.partition(b"\r\n\r\n")
        length = int(head.split(b"\r\nContent-Length: ")[1].split(b"\r\n")[0])
        assert 0 < len(body) < length
    assert TRUNCATED not in records_by_path(fault_crawl.run)


def test_truncated_body_is_archived_as_far_as_it_came(fault_crawl: FaultCrawl) -> None:
    cut = [r for r in fault_crawl.archived if r.path == TRUNCATED]
    assert len(cut) == TRIES
    assert all(r.truncated == "disconnect" for r in cut)


def test_windows_1252_page_without_any_charset_gives_the_right_text(
    fault_crawl: FaultCrawl,
) -> None:
    sent = next(s.sent for s in fault_crawl.run.served if s.path == WINDOWS_1252)
    head, _, body = sent.partition(b"\r\n\r\n")
    assert b"\r\nContent-Type: text/html\r\n" in head
    assert b"charset" not in head.lower() and b"charset" not in body.lower()
    assert "£".encode("windows-1252") in body
    record = records_by_path(fault_crawl.run)[WINDOWS_1252]
    assert (
        record["headline"]
        == "Café workers win union recognition: \u2018We\u2019re not going back\u2019"
    )
    assert record["standfirst"] == (
        "Baristas at a Paris-owned chain in London won their union — and £1.20 an hour more"
    )
    assert record["byline"] == "By Amélie Durand"
    for text in (
        "the first in the chain\u2019s history",
        "from £5.35 to £6.55 an hour",
        "a rise of €1 at the same time",
        "“They said we were naïve to think we could win,” said barista Zoë Clarke. "
        "“Well… here we are.”",
        "90% of the staff — and ended",
    ):
        assert text in record["body"], text


def test_five_megabyte_page_is_archived_whole_and_extracted(fault_crawl: FaultCrawl) -> None:
    (page,) = [r for r in fault_crawl.archived if r.path == BIG and r.truncated is None]
    head, _, body = page.block.partition(b"\r\n\r\n")
    assert len(body) == 5_000_000
    assert b"\r\nContent-Length: 5000000\r\n" in head
    assert page.block in [s.sent for s in fault_crawl.run.served if s.path == BIG]
    record = records_by_path(fault_crawl.run)[BIG]
    assert record["warc"]["record_id"] == page.record_id
    assert record["body"].endswith("transcribing the volume by hand.")


def test_every_failure_kind_is_counted_in_crawl_stats(fault_crawl: FaultCrawl) -> None:
    stats = fault_crawl.stats
    status = "downloader/response_status_count/"
    error = "downloader/exception_type_count/scrapy.exceptions."
    assert stats[f"{status}500"] == 2
    assert stats["retry/reason_count/500 Internal Server Error"] == 2
    assert stats[f"{status}404"] == 1 and stats[f"{status}410"] == 1
    assert stats["httperror/response_ignored_status_count/410"] == 1
    assert stats[f"{status}301"] == 2
    assert stats[f"{status}302"] == 1 + len(LOOP)
    assert stats[f"{error}DownloadTimeoutError"] >= TRIES
    assert stats[f"{error}DownloadFailedError"] >= 2 * TRIES
    assert stats[f"{error}ResponseDataLossError"] == TRIES
    # Slow, two resets and the truncated page: given up after every retry.
    assert stats["retry/max_reached"] >= 4
    assert stats["archiver/warc/truncated/time"] >= 1


def test_redirect_loop_is_named_in_crawl_stats(fault_crawl: FaultCrawl) -> None:
    assert any("redirect" in key and "loop" in key for key in fault_crawl.stats)


def test_body_stalled_past_the_timeout_is_fetched_whole_on_retry(
    fault_crawl: FaultCrawl,
) -> None:
    captures = [r for r in fault_crawl.archived if r.path == STALLED]
    assert [r.truncated for r in captures] == ["time", None]
    assert [r.status for r in captures] == [200, 200]
    record = records_by_path(fault_crawl.run)[STALLED]
    assert record["warc"]["record_id"] == captures[1].record_id


def test_warcio_check_accepts_the_fault_crawl(fault_crawl: FaultCrawl) -> None:
    files = sorted((fault_crawl.run.output / "warc").glob("*.warc.gz"))
    done = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_crawl_without_limits_ends_by_itself_despite_the_trap(
    fault_server: DemoServer, tmp_path: Path
) -> None:
    # A safety net far above what the site's articles and faults need (about 60 responses), so
    # the test ends; a crawl that defends itself finishes ("finished") before reaching it.
    safety_net = ["-s", "CLOSESPIDER_PAGECOUNT=5000"]
    without_depth_limit = FAULT_CRAWL[2:]
    run = crawl(fault_server, tmp_path / "unlimited", *without_depth_limit, *safety_net)
    assert run.returncode == 0, run.stderr[-3000:]
    assert last_run(run.output)["finish_reason"] == "finished"
