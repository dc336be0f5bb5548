"""Whatever the bytes, extraction answers with a clean result or None, and never raises."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extract import extract_article
from archiver.page import Page

FIXTURE = (Path(__file__).parent / "fixtures" / "socialist_worker_article.html").read_bytes()
URL = "http://www.socialistworker.co.uk/article.php?article_id=8244"


def _page(body: bytes, content_type: str | None = "text/html") -> Page:
    return Page(URL, body, content_type, datetime(2024, 5, 1, tzinfo=UTC))


def _noise(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


BAD_BODIES = {
    "empty": b"",
    "whitespace": b" \r\n\t ",
    "png": b"\x89PNG\r\n\x1a\n" + _noise(1, 2000),
    "gzip served as html": b"\x1f\x8b\x08\x00" + _noise(2, 2000),
    "random bytes": _noise(3, 5000),
    "nul bytes": FIXTURE.replace(b"<p>", b"<p>\x00\x00", 5),
    "truncated mid-tag": FIXTURE[: len(FIXTURE) // 2] + b'<p class="sta',
    "truncated in head": FIXTURE[:300],
    "only a doctype": b"<!DOCTYPE html>",
    "xml declaration": b'<?xml version="1.0" encoding="iso-8859-1"?>' + FIXTURE,
    "unclosed nesting": b"<html><body>" + b"<div><font><b>" * 3000 + b"text",
    "plain text": b"Just some text.\n" * 50,
    "json": b'{"@type": "NewsArticle", "headline": "x"}',
    "broken entities": b"<html><body><h1>&#xD800;&#99999999;&bogus;</h1><p>&#0;</p></body></html>",
    "wrong charset label": FIXTURE.replace(b"charset=utf-8", b"charset=klingon"),
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.parametrize("content_type", ["text/html", None, "text/html; charset=utf-16"])
def test_bad_input_never_raises(body: bytes, content_type: str | None) -> None:
    first = extract_article(_page(body, content_type))
    assert first == extract_article(_page(body, content_type))
    if first is not None:
        assert first.headline and first.body
        assert "\x00" not in first.body


def test_nul_bytes_do_not_change_the_article() -> None:
    clean = extract_article(_page(FIXTURE))
    dirty = extract_article(_page(BAD_BODIES["nul bytes"]))
    assert clean is not None and dirty == clean


@pytest.mark.parametrize("name", ["empty", "png", "random bytes", "plain text", "only a doctype"])
def test_non_articles_give_none(name: str) -> None:
    assert extract_article(_page(BAD_BODIES[name])) is None


def test_urls_that_urllib_refuses_do_not_break_extraction() -> None:
    broken = (
        b'<link rel="canonical" href="http://[broken"><meta property="og:url" content="http://[x">'
        b'<script type="application/ld+json">{"@type": "WebSite", "url": "http://[y"}</script>'
    )
    body = FIXTURE.replace(b"<title>", broken + b"<title>").replace(
        b'href="/"', b'href="http://[z"'
    )
    extraction = extract_article(_page(body))
    assert extraction is not None
    assert extraction.canonical_url == URL
