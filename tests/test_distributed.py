"""Crawls shared by several `archiver crawl --frontier` workers through a real Redis server.

Every worker is a real `archiver crawl` process against the demo server, whose request log
counts what the workers fetched between them; `archiver merge` then makes their folders one
collection, which must hold what a crawl of one process holds.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.crawl.config import CrawlConfig
from archiver.crawl.runner import run_crawl
from archiver.demo.server import DemoServer
from archiver.errors import UsageError
from archiver.export.jsonl import read_records
from archiver.merge import merge_collections
from archiver.warc.validate import validate_warcs
from tests.conftest import FAST, TESTS, CrawlRun, run_archiver

if TYPE_CHECKING:
    from tests.redis_server import RedisServer

# The `redis_server` fixture: a real Redis server on 127.0.0.1.
pytest_plugins = ["tests.redis_server"]

# Workers take two requests at a time, and a delay spreads the demo site's 30 pages over them
# (and over workers that start a few seconds apart on a busy machine).
SHARED = [
    *("-s", "CONCURRENT_REQUESTS=2"),
    *("-s", "DOWNLOAD_DELAY=0.25"),
    *("-s", "ARCHIVER_FRONTIER_HEARTBEAT=0.5"),
]
# Where a worker is killed: the others take its requests over after 3 s of silence (30 s by
# default; a short time to live elsewhere would risk taking over a live worker's requests on a
# busy machine).
QUICK_REAPER = ("-s", "ARCHIVER_FRONTIER_WORKER_TIMEOUT=3")


@dataclass
class Workers:
    """Worker processes of one shared crawl, each writing into its own folder under `root`."""

    server: DemoServer
    redis: RedisServer
    root: Path
    crawl_id: str

    def __post_init__(self) -> None:
        self.processes: dict[str, subprocess.Popen[str]] = {}

    def start(self, name: str, *extra: str) -> subprocess.Popen[str]:
        log = open(self.root / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "archiver.cli",
                "crawl",
                f"{self.server.origin}/",
                *("--output", str(self.root / name)),
                *("--frontier", self.redis.url, "--crawl-id", self.crawl_id),
                *FAST,
                *SHARED,
                *extra,
            ],
            stdout=log,
            stderr=log,
            text=True,
            cwd=TESTS.parent,
        )
        log.close()
        self.processes[name] = process
        return process

    def wait(self) -> None:
        for name, process in self.processes.items():
            code = process.wait(timeout=180)
            if code not in (0, -9):
                tail = (self.root / f"{name}.log").read_text(encoding="utf-8")[-3000:]
                raise AssertionError(f"worker {name} exited {code}:\n{tail}")

    def in_flight_key(self, process: subprocess.Popen[str]) -> str:
        return f"archiver:{self.crawl_id}:worker:{socket.gethostname()}-{process.pid}:in-flight"

    def merge(self) -> Path:
        merged = self.root / "merged"
        merge_collections([self.root / name for name in sorted(self.processes)], merged)
        return merged


@pytest.fixture
def workers(
    demo_server: DemoServer, redis_server: RedisServer, tmp_path: Path
) -> Iterator[Workers]:
    demo_server.clear()
    group = Workers(demo_server, redis_server, tmp_path, f"test-{uuid.uuid4().hex[:12]}")
    yield group
    for process in group.processes.values():
        if process.poll() is None:
            process.kill()
            process.wait()


def _content(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records by id, without what differs between two crawls of the same pages."""
    return {
        r["id"]: {k: v for k, v in r.items() if k not in ("extracted_at", "warc")}
        for r in records
    }


def _page_fetches(served: list[Any]) -> Counter[str]:
    """Requests the demo server answered, robots.txt aside (each worker reads it once)."""
    return Counter(s.path for s in served if s.path != "/robots.txt")


def _warc_records(folder: Path) -> list[tuple[str, int, Any]]:
    found = []
    for path in sorted((folder / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                found.append((path.name, iterator.get_record_offset(), record.rec_headers))
    return found


def _assert_one_collection(merged: Path, single: CrawlRun) -> None:
    """The merged folder holds what one process's crawl holds, and every reference resolves."""
    records = list(read_records(merged / "articles.jsonl"))
    assert len(records) == len({r["id"] for r in records})
    assert _content(records) == _content(single.records())
    assert all(check.ok for check in validate_warcs([merged / "warc"]))
    warc = _warc_records(merged)
    responses = {h.get_header("WARC-Record-ID"): (name, offset) for name, offset, h in warc}
    for record in records:
        pointer = record["warc"]
        assert (merged / pointer["filename"]).is_file()
        name, offset = responses[pointer["record_id"]]
        assert (f"warc/{name}", offset) == (pointer["filename"], pointer["offset"])
    for _, _, headers in warc:
        if headers.get_header("WARC-Type") == "revisit":
            assert headers.get_header("WARC-Refers-To") in responses
    assert (merged / "indexes" / "index.cdxj").stat().st_size > 0


@pytest.mark.parametrize("count", [2, 3])
def test_workers_fetch_every_page_once_and_merge_into_one_collection(
    workers: Workers, demo_crawl: CrawlRun, demo_server: DemoServer, count: int
) -> None:
    demo_server.clear()
    names = [f"w{i}" for i in range(1, count + 1)]
    for name in names:
        workers.start(name)
    workers.wait()

    fetches = _page_fetches(demo_server.requests)
    assert fetches == _page_fetches(demo_crawl.served)
    assert set(fetches.values()) == {1}
    busy = [n for n in names if list((workers.root / n / "warc").glob("*.warc.gz"))]
    assert len(busy) >= 2, "the pages were not shared"

    merged = workers.merge()
    _assert_one_collection(merged, demo_crawl)
    # A payload is stored once per crawl: robots.txt, read by every worker that fetched pages,
    # is one response and revisits of it.
    robots = [
        h.get_header("WARC-Type")
        for _, _, h in _warc_records(merged)
        if urlsplit(h.get_header("WARC-Target-URI") or "").path == "/robots.txt"
        and h.get_header("WARC-Type") in ("response", "revisit")
    ]
    assert robots.count("response") + robots.count("revisit") == len(busy)
    assert robots.count("response") < len(busy) or len(busy) == 1
    # The crawl is over: its queue and seen URLs are gone from Redis, so the same command
    # later starts a new crawl.
    with workers.redis.client() as client:
        assert client.keys(f"archiver:{workers.crawl_id}:*") == [
            f"archiver:{workers.crawl_id}:state".encode()
        ]

    again = run_archiver("merge", *(str(workers.root / n) for n in busy), "-o", str(merged))
    assert again.returncode == 0, again.stderr
    assert "0 WARC files brought in, 0 records written" in again.stdout


def test_a_worker_killed_midway_loses_nothing(
    workers: Workers, demo_crawl: CrawlRun, demo_server: DemoServer
) -> None:
    demo_server.clear()
    victim = workers.start("w1", *QUICK_REAPER)
    workers.start("w2", *QUICK_REAPER)
    key = workers.in_flight_key(victim)
    warc = workers.root / "w1" / "warc"
    with workers.redis.client() as client:
        deadline = time.monotonic() + 60
        # Killed once it has archived pages, at a moment it holds requests in flight.
        while sum(p.stat().st_size for p in warc.glob("*.open")) < 4000 or not client.hlen(key):
            assert time.monotonic() < deadline, "the worker never took a request"
            time.sleep(0.01)
        victim.kill()
        victim.wait()
        # Frozen now: the requests the reaper will put back.
        held = client.hlen(key)
    workers.wait()

    fetches = _page_fetches(demo_server.requests)
    assert set(fetches) == set(_page_fetches(demo_crawl.served))
    assert sum(fetches.values()) - len(fetches) <= held
    merged = workers.merge()
    _assert_one_collection(merged, demo_crawl)
    # The WARC the killed worker left open was closed and merged like the others.
    assert any(name.endswith(f"-{victim.pid}.warc.gz") for name in os.listdir(merged / "warc"))


def test_a_restarted_worker_resumes_the_crawl_from_redis(
    workers: Workers, demo_crawl: CrawlRun, demo_server: DemoServer
) -> None:
    demo_server.clear()
    first = workers.start("w1", *QUICK_REAPER)
    deadline = time.monotonic() + 60
    while len(_page_fetches(demo_server.requests)) < 5:
        assert time.monotonic() < deadline, "the worker fetched nothing"
        time.sleep(0.02)
    first.kill()
    first.wait()
    with workers.redis.client() as client:
        held = client.hlen(workers.in_flight_key(first))
    fetched_before = len(_page_fetches(demo_server.requests))
    workers.start("w1", "-s", "DOWNLOAD_DELAY=0", *QUICK_REAPER)
    workers.wait()

    fetches = _page_fetches(demo_server.requests)
    assert set(fetches) == set(_page_fetches(demo_crawl.served))
    # Only what the killed worker held in flight (fetching, or its page still being extracted)
    # is fetched again.
    assert sum(fetches.values()) - len(fetches) <= held
    assert len(fetches) > fetched_before
    _assert_one_collection(workers.merge(), demo_crawl)


def test_a_crawl_whose_seeding_worker_died_is_seeded_again(
    workers: Workers, demo_crawl: CrawlRun, demo_server: DemoServer
) -> None:
    with workers.redis.client() as client:
        prefix = f"archiver:{workers.crawl_id}"
        client.set(f"{prefix}:state", "seeding:ghost-1")
        client.sadd(f"{prefix}:workers", "ghost-1")
    demo_server.clear()
    workers.start("w1", "-s", "DOWNLOAD_DELAY=0")
    workers.wait()
    assert set(_page_fetches(demo_server.requests).values()) == {1}
    _assert_one_collection(workers.merge(), demo_crawl)


def test_max_pages_is_each_workers_share_and_leaves_the_rest_queued(
    workers: Workers, demo_server: DemoServer
) -> None:
    demo_server.clear()
    for name in ("w1", "w2"):
        workers.start(name, "--max-pages", "4", "-s", "DOWNLOAD_DELAY=0")
    workers.wait()
    fetches = _page_fetches(demo_server.requests)
    assert set(fetches.values()) == {1}
    assert 4 < sum(fetches.values()) <= 8
    with workers.redis.client() as client:
        assert client.zcard(f"archiver:{workers.crawl_id}:queue") > 0
        assert client.get(f"archiver:{workers.crawl_id}:state") == b"done"


def test_a_crawl_id_without_a_frontier_is_refused(tmp_path: Path) -> None:
    config = CrawlConfig(start_urls=("http://127.0.0.1:9/",), output=tmp_path, crawl_id="weekly")
    with pytest.raises(UsageError, match="--frontier"):
        run_crawl(config)


def test_crawl_with_an_unreachable_frontier_fails_in_one_line(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    done = run_archiver(
        "crawl",
        f"{demo_server.origin}/",
        *("--output", str(tmp_path / "out"), "--frontier", f"redis://127.0.0.1:{closed_port}/0"),
    )
    assert done.returncode != 0
    assert done.stderr.startswith("archiver: error: cannot reach the frontier at redis://")
    assert len(done.stderr.strip().splitlines()) == 1


def test_merge_refuses_an_output_inside_a_worker_folder(tmp_path: Path) -> None:
    (tmp_path / "w1").mkdir()
    done = run_archiver("merge", str(tmp_path / "w1"), "--output", str(tmp_path / "w1" / "all"))
    assert done.returncode != 0
    assert "inside" in done.stderr
