"""Shared fixtures: the demo site served on 127.0.0.1, and real crawls of it.

Crawls run the `archiver` command in a subprocess (the real Scrapy engine, a fresh reactor each
time) against the demo server this process runs, so the server's log shows every request made.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import DemoServer, ServedRequest

TESTS = Path(__file__).parent
SHARED = TESTS.parent.parent / "shared"
# Our own site on loopback: no politeness delays; short timeouts keep failing tests fast.
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_TIMEOUT=10",
    "-s",
    "RETRY_TIMES=1",
    "-s",
    "LOG_LEVEL=INFO",
]


@dataclass(frozen=True)
class CrawlRun:
    output: Path
    returncode: int
    stdout: str
    stderr: str
    served: list[ServedRequest]

    def records(self) -> list[dict[str, Any]]:
        path = self.output / "articles.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_archiver(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archiver.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=TESTS.parent,
    )


def crawl(server: DemoServer, output: Path, *args: str, start: str | None = None) -> CrawlRun:
    server.clear()
    done = run_archiver(
        "crawl", start or f"{server.origin}/", "--output", str(output), *FAST, *args
    )
    return CrawlRun(output, done.returncode, done.stdout, done.stderr, server.requests)


@pytest.fixture(scope="session")
def demo_expected() -> dict[str, Any]:
    return json.loads((TESTS / "data" / "demo_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    """One full crawl of the demo site, shared by the tests that only read its output."""
    run = crawl(demo_server, tmp_path_factory.mktemp("demo-crawl"))
    assert run.returncode == 0, run.stderr[-3000:]
    return run
