"""`archiver demo` and `scrapy crawl publication`: the two ways in a new user tries first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archiver.demo.server import DemoServer
from tests.conftest import FAST, TESTS, run_archiver


def test_demo_serves_crawls_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    done = run_archiver("demo", "--output", str(out), "--port", "0")
    assert done.returncode == 0, done.stderr[-3000:]
    records = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) >= 12
    assert "pages fetched" in done.stdout and "articles" in done.stdout
    assert str(out / "warc") in done.stdout
    assert list((out / "warc").glob("*.warc.gz"))


def test_scrapy_crawl_runs_the_same_spider_with_archiver_settings(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    out = tmp_path / "scrapy"
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
            f"output={out}",
            "-a",
            "max_pages=8",
            *FAST,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=TESTS.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert list((out / "warc").glob("*.warc.gz"))
    stats = json.loads((out / "crawl-stats.json").read_text())
    assert stats[-1]["archiver/warc/responses"] == 8 + 1, "eight pages and robots.txt"
