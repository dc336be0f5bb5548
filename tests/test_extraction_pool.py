"""The extraction pool: same records as in-process, and a page past its time limit costs only
itself."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest

from archiver.extraction_pool import ExtractionPool
from archiver.page import Page
from archiver.records import record_from_page
from archiver.warc.writer import WarcPointer

FIXTURE = Path(__file__).parent / "fixtures" / "socialist_worker_article.html"
POINTER = WarcPointer("warc/x.warc.gz", 123, "<urn:uuid:1>", "sha1:ABC")


def _page(body: bytes) -> Page:
    return Page("https://socialistworker.co.uk/art/8293", body, "text/html; charset=utf-8",
                datetime(2006, 2, 25, tzinfo=UTC))


@pytest.fixture(scope="module")
def pool() -> ExtractionPool:
    pool = ExtractionPool(workers=1, timeout=3.0)
    yield pool
    pool.close()


def test_a_worker_gives_the_record_one_process_gives(pool: ExtractionPool) -> None:
    page = _page(FIXTURE.read_bytes())
    outcome = pool.outcome(pool.submit(page, POINTER))
    expected = record_from_page(page, POINTER)
    assert outcome.failure is None and outcome.record is not None and expected is not None
    assert replace(outcome.record, extracted_at="") == replace(expected, extracted_at="")


def test_a_page_past_the_time_limit_costs_its_worker_not_the_pool(pool: ExtractionPool) -> None:
    # Hundreds of thousands of paragraphs: minutes of lxml and trafilatura work, uninterruptible.
    giant = b"<html><body><h1>Long</h1>" + b"<div><p>word word word</p></div>" * 400_000
    assert pool.outcome(pool.submit(_page(giant), POINTER)).failure == "timeout"
    # The killed worker was replaced: the next page is extracted as usual.
    outcome = pool.outcome(pool.submit(_page(FIXTURE.read_bytes()), POINTER))
    assert outcome.failure is None and outcome.record is not None
    assert outcome.record.headline == "Revolution is in the air"


def test_a_pool_whose_idle_workers_were_killed_is_replaced() -> None:
    pool = ExtractionPool(workers=2, timeout=10.0)
    try:
        page = _page(FIXTURE.read_bytes())
        assert pool.outcome(pool.submit(page, POINTER)).record is not None
        workers = psutil.Process().children()
        assert workers
        for worker in workers:  # as the kernel's OOM killer would
            worker.kill()
        psutil.wait_procs(workers, timeout=10)
        time.sleep(0.5)  # pebble's manager thread notices the dead workers
        outcome = pool.outcome(pool.submit(page, POINTER))
        assert outcome.failure is None and outcome.record is not None
        assert pool.restarts == 1
    finally:
        pool.close()
