"""`archiver extract` hands its workers ranges of a WARC file: the records come out as one
process, reading the file page by page, would write them."""

from __future__ import annotations

import io
import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.crawl.captured import CapturedPage
from archiver.page import Page
from archiver.page_records import record_from_page
from archiver.rebuild import extract_warcs
from archiver.warc.ranges import RANGE_RECORDS, record_ranges
from archiver.warc.reader import read_pages
from tests.article_page import page

ARTICLES = 3 * RANGE_RECORDS  # with their request records: six ranges
# Hundreds of thousands of paragraphs: minutes of lxml and trafilatura work, uninterruptible.
GIANT = b"<html><body><h1>Long</h1>" + b"<div><p>word word word</p></div>" * 400_000


def _article(number: int) -> Page:
    return page(
        headline=f"Bus workers strike over night cuts, day {number}",
        url=f"https://example.org/news/bus-strike-{number}",
    )


def _write_warc(path: Path, pages: list[Page]) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.1")
        for item in pages:
            writer.write_record(
                writer.create_warc_record(item.url, "request", payload=None, length=0)
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", item.content_type)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    item.url,
                    "response",
                    payload=io.BytesIO(item.body),
                    http_headers=headers,
                )
            )


def _written(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [{**json.loads(line), "extracted_at": ""} for line in lines]


def _one_process(warc: Path) -> list[dict[str, object]]:
    """The records of the file read page by page and extracted here, in one process."""
    records = []
    for item in read_pages(str(warc)):
        assert isinstance(item, CapturedPage)
        record = record_from_page(item.page, item.warc)
        if record is not None:
            records.append(replace(record, extracted_at="").as_dict())
    return records


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warc = tmp_path_factory.mktemp("ranges") / "articles.warc.gz"
    _write_warc(warc, [_article(n) for n in range(ARTICLES)])
    return warc


def test_a_warc_is_cut_into_ranges_of_whole_records(articles: Path) -> None:
    ranges = list(record_ranges(str(articles)))
    assert len(ranges) == 6
    assert ranges[0][0] == 0 and ranges[-1][1] is None
    assert all(stop == start for (_, stop), (start, _) in itertools.pairwise(ranges))


def test_records_from_ranges_are_those_of_one_process_in_the_same_order(
    articles: Path, tmp_path: Path
) -> None:
    output = tmp_path / "records.jsonl"

    report = extract_warcs([str(articles)], output, workers=2)

    assert report.pages == ARTICLES and report.records_written == ARTICLES
    assert not report.failures and not report.problems
    assert _written(output) == _one_process(articles)


def test_a_range_past_the_time_limit_is_taken_again_page_by_page(tmp_path: Path) -> None:
    pages = [_article(n) for n in range(RANGE_RECORDS)]
    giant = Page("https://example.org/news/giant", GIANT, "text/html", pages[0].captured_at)
    warc = tmp_path / "giant.warc.gz"
    _write_warc(warc, [*pages[:10], giant, *pages[10:]])
    output = tmp_path / "records.jsonl"

    report = extract_warcs([str(warc)], output, workers=2, timeout=3.0)

    # Only the giant page fails; every article of its range still gets its record, in order.
    assert report.failures == [f"{giant.url}: extraction timeout"]
    assert [r["url"] for r in _written(output)] == [p.url for p in pages]
    assert report.pages == len(pages) + 1
