"""Traps: what a page prints that looks like a field of the article but is not.

The masthead's current edition ("Nr. 98" on every junge Welt page, "Current Issue" on every page
of The Nation) is not the article's issue; a paywalled page keeps only its own text.
"""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extract import extract_article
from archiver.page import Page
from archiver.profile import profile_for_url
from tests.article_page import extract, page

SHARED = Path(__file__).parents[2] / "shared" / "bench" / "left-press-pages"
MASTHEAD = (
    '<div class="jw-info">Gegründet 1947 <strong>Freitag, 26. April 2024,'
    ' <abbr title="Nummer">Nr.</abbr> 98</strong></div>'
)


def test_masthead_edition_number_is_not_the_issue() -> None:
    article = page()
    html = article.body.replace(
        b'<div id="site-header">', f'<div id="site-header">{MASTHEAD}'.encode()
    )
    extraction = extract_article(replace(article, body=html))
    assert extraction is not None
    assert (extraction.issue, extraction.date) == (None, "2024-03-12")


@pytest.mark.parametrize(
    ("line", "issue"),
    [
        ("Freitag, 26. April 2024, Nr. 98", None),  # the day's edition, not the article's
        ("13 March 2024 · Issue 2578", "2578"),  # the next morning's paper
        ("Issue 2578", "2578"),
    ],
)
def test_dated_issue_line_counts_only_near_the_article_date(line: str, issue: str | None) -> None:
    head = '<meta property="article:published_time" content="2024-03-12T18:00:00+00:00">'
    extraction = extract(head=head, header=f'<p class="byline">By Anna Kowalski</p><p>{line}</p>')
    assert extraction is not None
    assert extraction.issue == issue


def test_current_issue_box_in_the_text_is_not_the_issue() -> None:
    box = (
        '<div class="current-issue"><h4>Current Issue</h4><a href="/issue/jan-2024/">'
        '<img src="/cover.jpg" alt="Cover"></a><a href="/issue/jan-2024/">January 1, 2024,'
        " Issue</a></div>"
    )
    extraction = extract(footer=box)
    assert extraction is not None
    assert extraction.issue is None
    assert "Current Issue" not in extraction.body
    assert all(not i.url.endswith("/cover.jpg") for i in extraction.images)


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared/bench beside the repository")
def test_junge_welt_masthead_nr_98_is_not_the_issue_of_the_real_page() -> None:
    body = gzip.decompress((SHARED / "JungeWelt_2024_04_26.html.gz").read_bytes())
    assert b"Nr.</abbr> 98" in body
    url = "https://www.jungewelt.de/artikel/474126.nationaler-veteranentag-orden-f%C3%BCrs-morden.html"
    page = Page(url, body, "text/html", datetime(2024, 4, 26, 10, 19, tzinfo=UTC))
    extraction = extract_article(page, profile_for_url(url))
    assert extraction is not None
    assert extraction.issue is None
    assert extraction.source is not None and extraction.source.date == "2024-04-26"
