"""The one generic profile test: every profile against every page of its test data.

Each profile's manifest (tests/fixtures/profiles/<profile>.toml, read by tests/profile_data.py)
lists saved pages and what each must give; real third-party pages stay in ../shared and their
cases are skipped where it is absent. The page goes through the extraction a crawl runs: the
profile is picked by the page's domain, its version by the capture date.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from archiver.extract import Extraction, extract_article
from archiver.extract.text import clean
from archiver.profile import available_profiles, profile_for_url
from tests.profile_data import ProfilePage, profile_pages

PAGES = list(profile_pages())


def _extract(case: ProfilePage) -> Extraction:
    if not case.available:
        pytest.skip(f"{case.file} is absent (../shared beside the repository)")
    extraction = extract_article(case.page(), profile_for_url(case.url))
    assert extraction is not None, case.name
    return extraction


def test_every_profile_has_test_pages() -> None:
    assert {case.profile for case in PAGES} == set(available_profiles())


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_page_is_read_with_its_own_profile(case: ProfilePage) -> None:
    profile = profile_for_url(case.url)
    assert profile is not None and profile.name == case.profile


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_headline_authors_and_standfirst_are_as_expected(case: ProfilePage) -> None:
    extraction = _extract(case)
    assert extraction.headline == clean(case.expected["headline"])
    assert list(extraction.authors) == case.expected["authors"]
    assert extraction.standfirst == case.expected.get("standfirst")  # absent: none printed


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_date_is_the_expected_instant(case: ProfilePage) -> None:
    date = _extract(case).date
    assert date is not None
    assert datetime.fromisoformat(date) == datetime.fromisoformat(case.expected["date"])


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_body_holds_every_expected_paragraph_in_order(case: ProfilePage) -> None:
    body = _extract(case).body.split("\n\n")
    expected = case.expected["body"].split("\n\n")
    positions = [body.index(p) if p in body else -1 for p in expected]
    assert -1 not in positions, [p[:80] for p, i in zip(expected, positions, strict=True) if i < 0]
    assert positions == sorted(positions)
    # Nothing but the text: what the page prints beyond the expected paragraphs is subheadings.
    extra = [p for p in body if p not in expected]
    assert all(len(p.split()) <= 8 for p in extra), extra


@pytest.mark.parametrize(
    "case", [c for c in PAGES if "tags" in c.expected], ids=lambda case: case.name
)
def test_tags_are_as_expected(case: ProfilePage) -> None:
    assert list(_extract(case).tags) == case.expected["tags"]


@pytest.mark.parametrize(
    "case",
    [c for c in PAGES if {"issue", "section", "access"} & set(c.expected)],
    ids=lambda case: case.name,
)
def test_pinned_particulars_are_as_expected(case: ProfilePage) -> None:
    extraction = _extract(case)
    for name in ("issue", "section", "access"):
        if name in case.expected:
            assert getattr(extraction, name) == case.expected[name], name
