"""Fuzzing the extractor with damaged copies of real pages: a clean result or None, never an
exception.

The seeds are the HTML pages of the project's own crawl of the demo site (the session's
`demo_crawl`, read back from its WARC) and the Socialist Worker fixture. Hypothesis damages them
as pages from the open web come damaged: bytes flipped, cut or deleted, bad bytes inserted
(NULs, invalid UTF-8, lone surrogates as UTF-8, stray markup), parts repeated, the whole wrapped
in deep nesting, the text re-encoded under a wrong or missing charset label; and serves them
with odd Content-Types, URLs and capture times.

What must hold: `extract_article` returns None or an Extraction whose headline and body are
not empty and whose text holds no NUL and no lone surrogate (so a record is valid UTF-8 JSON);
within a deadline per case. Derandomized and not stored, as in test_fuzz_warc.py: 1,000 cases.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.extract import Extraction, extract_article
from archiver.page import Page
from archiver.warc.reader import read_pages
from tests.conftest import TESTS, CrawlRun

FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=1000,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NASTY = [
    b"\x00",
    b"\x00" * 64,
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"<",
    b"</div></body></html>",
    b"<html><body>",
    b"<!--",
    b"<![CDATA[",
    b"]]>",
    b"<script>",
    b"<style>",
    b"<h1>",
    b"<p>",
    b"&#0;",
    b"&#xD800;",
    b"&#99999999;",
    b"&amp",
    b'<meta charset="utf-16">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=klingon">',
    b'<script type="application/ld+json">{"@type": "NewsArticle", "headline": ',
    b'<script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[</script>',
    b'<time datetime="99999-99-99">',
    b'<a href="http://[broken">',
    b'<img src="data:,">',
]
CONTENT_TYPES = [
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=utf-16",
    "text/html; charset=iso-8859-1",
    "text/html; charset=klingon",
    "application/xhtml+xml",
    "application/octet-stream",
    None,
]
URLS = [
    "http://127.0.0.1:8470/news/a-page/",
    "https://socialistworker.co.uk/art/8293",
    "http://127.0.0.1:8470/news/%ff%fe/?utm_source=x#frag",
    "http://xn--nxasmq6b.example/ü/",
    "",
]
CAPTURED = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@pytest.fixture(scope="module")
def seeds(demo_crawl: CrawlRun) -> list[Page]:
    pages = [
        item.page
        for warc in sorted((demo_crawl.output / "warc").glob("*.warc.gz"))
        for item in read_pages(str(warc))
        if hasattr(item, "page")
    ]
    fixture = (TESTS / "fixtures" / "socialist_worker_article.html").read_bytes()
    seeds = [*pages, dataclasses.replace(pages[0], body=fixture)]
    # Damage tells most on pages that are articles when whole.
    assert sum(extract_article(page) is not None for page in seeds) >= 10
    return seeds


@st.composite
def damaged_bodies(draw: st.DrawFn, body: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        tags = [i for i in range(len(body)) if body[i : i + 1] == b"<"]
        if tags and draw(st.booleans()):
            at = draw(st.sampled_from(tags)) + draw(st.integers(-2, 2))
        else:
            at = draw(st.integers(0, len(body)))
        at = min(max(at, 0), len(body))
        kind = draw(
            st.sampled_from(["flip", "cut", "insert", "delete", "repeat", "nest", "recode"])
        )
        if kind == "flip" and at < len(body):
            body = body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1 :]
        elif kind == "cut":
            body = body[:at]
        elif kind == "insert":
            inserted = draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=32))
            body = body[:at] + inserted + body[at:]
        elif kind == "delete":
            body = body[:at] + body[at + draw(st.integers(1, 400)) :]
        elif kind == "repeat":
            piece = body[at : at + draw(st.integers(1, 300))]
            body = body[:at] + piece * draw(st.integers(2, 50)) + body[at:]
        elif kind == "nest":
            depth = draw(st.integers(1, 3000))
            tag = draw(st.sampled_from([b"div", b"b", b"table", b"p", b"li"]))
            body = (b"<" + tag + b">") * depth + body
        elif kind == "recode":
            encoding = draw(st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-16-le", "koi8-r"]))
            body = body.decode("utf-8", "replace").encode(encoding, "replace")
    return body


@st.composite
def damaged_pages(draw: st.DrawFn, seeds: list[Page]) -> Page:
    seed = draw(st.sampled_from(seeds))
    return Page(
        url=draw(st.sampled_from([seed.url, *URLS])),
        body=draw(damaged_bodies(seed.body)),
        content_type=draw(st.sampled_from([seed.content_type, *CONTENT_TYPES])),
        captured_at=draw(CAPTURED),
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in _strings(key) + _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.timeout(300)
def test_fuzz_the_extractor_gives_a_clean_result_or_none(seeds: list[Page]) -> None:
    @FUZZ
    @given(page=damaged_pages(seeds))
    def case(page: Page) -> None:
        result = extract_article(page)
        if result is None:
            return
        assert isinstance(result, Extraction)
        assert result.headline.strip() and result.body.strip()
        for text in _strings(dataclasses.asdict(result)):
            assert "\x00" not in text
            text.encode("utf-8")  # raises on a lone surrogate

    case()


def test_a_page_url_that_urllib_refuses_gives_a_result_not_an_exception() -> None:
    body = (TESTS / "fixtures" / "socialist_worker_article.html").read_bytes()
    page = Page("http://[broken/x", body, "text/html", datetime(2024, 5, 1, tzinfo=UTC))
    result = extract_article(page)
    assert result is not None and result.headline == "Revolution is in the air"
