"""The extraction pool: same records as in-process, and a page past its time limit costs only
itself."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extraction_pool import ExtractionPool
from archiver.page import Page
from archiver.page_records import record_from_page
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


class _Unreadable:
    """A result a worker can send but the crawl cannot read back: pebble then gives up on the
    whole pool, as it does when a worker dies idle or the channel to the workers breaks."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_refuse, ())


def _refuse() -> None:
    raise TypeError("cannot be read back")


def _unreadable(page: Page) -> _Unreadable:
    return _Unreadable()


def test_a_pool_pebble_gave_up_on_is_replaced_and_the_crawl_goes_on() -> None:
    pool = ExtractionPool(workers=1, timeout=10.0)
    try:
        page = _page(FIXTURE.read_bytes())
        breaking = pool._schedule(_unreadable, page)
        assert pool.outcome(breaking).failure.startswith("error (BrokenProcessPool")
        deadline = time.monotonic() + 20
        while pool.restarts == 0 and time.monotonic() < deadline:
            time.sleep(0.1)  # the pool's watch notices, with no page submitted meanwhile
        assert pool.restarts == 1
        outcome = pool.outcome(pool.submit(page, POINTER))
        assert outcome.failure is None and outcome.record is not None
    finally:
        pool.close()
