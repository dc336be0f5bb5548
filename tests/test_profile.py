"""Publication profiles: loading, URL patterns, and versions chosen by the capture date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from archiver.errors import ProfileError
from archiver.extract import extract_article
from archiver.page import Page
from archiver.profile import _parse, available_profiles, load_profile, profile_for_url

VERSIONED = """
publication = "The Example"
domains = ["www.example.org"]
article_urls = ['/news/[^/]+$']
section_urls = ['/news/?$']
issue_urls = ['/issue/\\d+$']

[[versions]]
until = "2019-01-01"
[versions.selectors]
date = ".old-date"
issue = ".old-issue"

[[versions]]
until = "2023-06-01"
[versions.selectors]
date = ".new-date"

[[versions]]
[versions.selectors]
issue = ""
"""
PAGE = """<html lang="en"><head><title>Bus strike</title></head><body>
<div class="story"><h1>Bus strike</h1><p class="byline">By Anna Kowalski</p>
<p class="old-date">1 March 2018</p><p class="new-date">2 April 2021</p>
<p class="old-issue">Issue: 2578</p>
{paragraphs}</div></body></html>"""
PARAGRAPHS = "".join(
    f"<p>Drivers at depot {n} walked out on Monday over cuts to the night shift, and their union"
    " said the strike would go on until the company withdrew its plans for good.</p>"
    for n in range(5)
)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def test_every_shipped_profile_loads_and_names_its_domains() -> None:
    assert available_profiles() == ["junge-welt", "socialist-worker", "taz", "the-nation"]
    for name in available_profiles():
        profile = load_profile(name)
        assert profile.domains and profile.start_urls and profile.article_urls


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.thenation.com/article/politics/x/", "the-nation"),
        ("https://taz.de/Entwurf/!5928990/", "taz"),
        ("https://www.jungewelt.de/artikel/474126.x.html", "junge-welt"),
        ("http://socialistworker.co.uk/art/8244/", "socialist-worker"),
        ("https://example.org/news/x", None),
    ],
)
def test_profile_is_picked_by_domain(url: str, name: str | None) -> None:
    profile = profile_for_url(url)
    assert (profile.name if profile else None) == name


def test_section_and_issue_archive_pages_are_never_articles() -> None:
    profile = _parse("example", VERSIONED)
    assert profile.says_article("https://example.org/news/bus-strike") is True
    assert profile.says_article("https://example.org/news/") is False
    assert profile.says_article("https://example.org/issue/996") is False
    assert profile.is_issue_archive("https://example.org/issue/996")
    assert profile.says_article("https://example.org/about") is None


@pytest.mark.parametrize("port", ["", ":8080", ":99999"])
def test_url_patterns_name_the_site_on_any_port(port: str) -> None:
    profile = load_profile("socialist-worker")
    assert profile.is_issue_archive(f"https://socialistworker.co.uk{port}/issue/996")
    assert profile.says_article(f"https://socialistworker.co.uk{port}/news/a-strike") is True


def test_version_is_chosen_by_the_capture_date() -> None:
    profile = _parse("example", VERSIONED)
    assert [v.until for v in profile.versions] == [date(2019, 1, 1), date(2023, 6, 1), None]
    assert profile.selectors_for(_at("2018-12-31")).date == ".old-date"
    assert profile.selectors_for(_at("2019-01-01")).date == ".new-date"
    assert profile.selectors_for(_at("2030-01-01")).date == ".new-date"


def test_a_version_repeats_only_the_selectors_that_changed() -> None:
    profile = _parse("example", VERSIONED)
    assert profile.selectors_for(_at("2020-01-01")).issue == ".old-issue"  # inherited
    assert profile.selectors_for(_at("2024-01-01")).issue is None  # "" clears it


def test_re_extracting_an_old_capture_uses_the_old_layout() -> None:
    profile = _parse("example", VERSIONED)
    html = PAGE.format(paragraphs=PARAGRAPHS).encode()
    url = "https://example.org/news/bus-strike"
    old = extract_article(Page(url, html, "text/html", _at("2018-06-01")), profile)
    new = extract_article(Page(url, html, "text/html", _at("2021-06-01")), profile)
    assert old is not None and new is not None
    assert (old.date, old.issue) == ("2018-03-01", "2578")
    assert (new.date, new.issue) == ("2021-04-02", "2578")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('publication = "X"', "domains"),
        ('publication = "X"\ndomains = ["x.org"]\narticle_urls = ["("]', "missing"),
        (
            'publication = "X"\ndomains = ["x.org"]\n[[versions]]\n[versions.selectors]\n'
            'byline = ".by"',
            "unknown selector",
        ),
        (
            'publication = "X"\ndomains = ["x.org"]\n[[versions]]\n[versions.selectors]\n'
            'date = "p[[["',
            "not CSS",
        ),
        (
            'publication = "X"\ndomains = ["x.org"]\n[[versions]]\nuntil = 2020-01-01\n'
            "[[versions]]\nuntil = 2019-01-01\n",
            "oldest first",
        ),
    ],
)
def test_malformed_profile_is_a_profile_error(text: str, complaint: str) -> None:
    with pytest.raises(ProfileError, match=complaint):
        _parse("broken", text)
