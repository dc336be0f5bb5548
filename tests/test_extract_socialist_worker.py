"""The Socialist Worker article of 25 Feb 2006 ("Revolution is in the air"), pinned field by field.

The fixture is a 2006-style CMS page with no JSON-LD and no OpenGraph: every field comes from the
generic rules (masthead, h1, standfirst class, "writes" byline, printed date and issue number,
furniture by class and by text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.extract import Extraction, extract_article
from archiver.extract.images import Image
from archiver.page import Page
from archiver.profile import load_profile

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[2] / "shared/samples/socialist-worker-revolution-is-in-the-air.txt"
URL = "http://www.socialistworker.co.uk/article.php?article_id=8244"
BODY = (FIXTURES / "socialist_worker_article.body.txt").read_text(encoding="utf-8").strip()

EXPECTED = Extraction(
    canonical_url=URL,
    publication="Socialist Worker",
    headline="Revolution is in the air",
    standfirst=(
        "Recent rebellions against neo-liberalism have raised questions about workers\u2019 power,"
        " writes Chris Bambery"
    ),
    byline="writes Chris Bambery",
    authors=("Chris Bambery",),
    date="2006-02-25T00:00:00+00:00",
    issue="1989",
    volume=None,
    body=BODY,
    language="en",
    images=(
        Image(
            url="http://www.socialistworker.co.uk/images/2006/1989/1989-venezuela-barrio.jpg",
            caption=(
                "Children from the 23 January barrio, one of the most radical neighbourhoods in"
                " Caracas, Venezuela"
            ),
            credit="Jess Hurd",
        ),
    ),
    word_count=len(BODY.split()),
)


def _page() -> Page:
    body = (FIXTURES / "socialist_worker_article.html").read_bytes()
    return Page(URL, body, "text/html", datetime(2024, 5, 1, 12, 0, tzinfo=UTC))


def test_socialist_worker_article_gives_the_pinned_extraction() -> None:
    assert extract_article(_page()) == EXPECTED


def test_profile_changes_nothing_the_page_already_says() -> None:
    assert extract_article(_page(), load_profile("socialist-worker")) == EXPECTED


def test_body_keeps_the_biography_as_its_last_paragraph() -> None:
    extraction = extract_article(_page())
    assert extraction is not None
    paragraphs = extraction.body.split("\n\n")
    assert paragraphs[0].startswith("Last summer something happened")
    assert paragraphs[-1] == (
        "Chris Bambery is the editor of Socialist Worker and author of the forthcoming book"
        " A Rebel\u2019s Guide to Gramsci"
    )
    assert "New and old" in paragraphs and "Unity from below" in paragraphs


@pytest.mark.parametrize(
    "furniture",
    [
        "Children from the 23 January barrio",
        "Venezuela and Revolution in the 21st Century",
        "Day school, hosted by the International Socialism journal",
        "Breakfast in red",
        "Article information",
        "Share this article",
        "Mobile users!",
        "Issue No. 1989",
        "Sat 25 Feb 2006",
    ],
)
def test_body_leaves_out_page_furniture(furniture: str) -> None:
    extraction = extract_article(_page())
    assert extraction is not None
    assert furniture not in extraction.body


def test_extraction_is_deterministic() -> None:
    assert extract_article(_page()) == extract_article(_page())


@pytest.mark.skipif(not SAMPLE.exists(), reason="needs ../shared/samples beside the repository")
def test_pinned_body_is_the_sample_text_from_first_paragraph_to_biography() -> None:
    paragraphs = SAMPLE.read_text(encoding="utf-8").split("\n\n")
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("Last summer"))
    last = next(i for i, p in enumerate(paragraphs) if p.startswith("Chris Bambery is"))
    # The extraction normalises whitespace: the sample's no-break spaces become spaces.
    expected = "\n\n".join(" ".join(p.split()) for p in paragraphs[first : last + 1])
    assert expected == BODY
