"""What pages say about themselves: JSON-LD (lists, @graph, broken), OpenGraph, canonical, lang."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from string import Template

import lxml.html
import pytest

from archiver.extract import extract_article
from archiver.extract.metadata import read_metadata
from archiver.page import Page
from archiver.profile import Profile

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = Template((FIXTURES / "article_template.html").read_text(encoding="utf-8"))
BODY = (FIXTURES / "article_body.html").read_text(encoding="utf-8")
URL = "https://www.example.org/news/bus-strike"
PROFILE = Profile(name="example", publication="Example Profile Name", domains=("example.org",))


def _extract(head: str = "", lang: str = "en", profile: Profile | None = None):
    html = TEMPLATE.substitute(
        lang=lang,
        title="Bus workers strike",
        head=head,
        headline="Bus workers strike",
        header='<p class="byline">By Anna Kowalski</p>',
        body=BODY,
        footer="",
    )
    page = Page(URL, html.encode(), "text/html; charset=utf-8", datetime(2024, 5, 1, tzinfo=UTC))
    extraction = extract_article(page, profile)
    assert extraction is not None
    return extraction


def _jsonld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def test_broken_jsonld_is_skipped_and_the_next_block_read() -> None:
    head = _jsonld('{"@type": "NewsArticle", "datePublished": "2024-01-01",}') + _jsonld(
        '{"@type": "NewsArticle", "datePublished": "2024-02-02T10:00:00Z"}'
    )
    assert _extract(head).date == "2024-02-02T10:00:00+00:00"


def test_jsonld_graph_is_read() -> None:
    head = _jsonld(
        '{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "url": "https://www.example.org/", "name": "The Graph Daily"},'
        '{"@type": "NewsArticle", "datePublished": "2024-03-03T08:00:00+01:00",'
        ' "publisher": {"@type": "Organization", "name": "The Graph Daily"}}]}'
    )
    extraction = _extract(head)
    assert extraction.date == "2024-03-03T08:00:00+01:00"
    assert extraction.publication == "The Graph Daily"


def test_jsonld_list_is_read() -> None:
    head = _jsonld(
        '[{"@type": "BreadcrumbList"}, {"@type": ["NewsArticle"], "datePublished": "2024-04-04"}]'
    )
    assert _extract(head).date == "2024-04-04"


def test_read_metadata_keeps_every_meta_key_lower_cased() -> None:
    tree = lxml.html.document_fromstring(
        '<html lang="de-DE"><head><meta property="OG:Title" content=" A  title ">'
        '<meta name="author" content="A"><meta name="author" content="B">'
        '<link rel="canonical" href="/a"></head><body></body></html>'
    )
    metadata = read_metadata(tree)
    assert metadata.first("og:title") == "A title"
    assert metadata.all("author") == ["A", "B"]
    assert metadata.canonical == "/a"
    assert metadata.html_lang == "de-DE"


@pytest.mark.parametrize(
    ("head", "publication"),
    [
        (
            _jsonld('{"@type": "NewsArticle", "publisher": {"name": "JSON-LD Name"}}')
            + '<meta property="og:site_name" content="OG Name">',
            "JSON-LD Name",
        ),
        ('<meta property="og:site_name" content="OG Name">', "OG Name"),
    ],
)
def test_publication_from_metadata_before_the_profile(head: str, publication: str) -> None:
    assert _extract(head, profile=PROFILE).publication == publication


def test_publication_from_profile_before_the_masthead() -> None:
    assert _extract(profile=PROFILE).publication == "Example Profile Name"


def test_publication_from_the_masthead_when_nothing_else_names_it() -> None:
    assert _extract().publication == "The Daily Example"


@pytest.mark.parametrize(
    ("head", "canonical"),
    [
        ('<link rel="canonical" href="/news/bus-strike-canonical">', URL + "-canonical"),
        ('<link rel="canonical" href="https://example.org/news/b">', "https://example.org/news/b"),
        ('<link rel="canonical" href="https://aggregator.example.com/copy">', URL),
        ('<meta property="og:url" content="https://www.example.org/news/og">', URL[:-10] + "og"),
        ('<meta property="og:url" content="https://elsewhere.example.net/x">', URL),
        ("", URL),
    ],
)
def test_canonical_url_is_believed_only_on_the_same_site(head: str, canonical: str) -> None:
    assert _extract(head).canonical_url == canonical


@pytest.mark.parametrize(
    ("lang", "head", "language"),
    [
        ("en-GB", "", "en"),
        ("DE", "", "de"),
        ("", '<meta http-equiv="content-language" content="fr-FR">', "fr"),
        ("", '<meta property="og:locale" content="de_DE">', "de"),
        ("", "", None),
    ],
)
def test_language_is_the_declared_primary_subtag(
    lang: str, head: str, language: str | None
) -> None:
    assert _extract(head, lang=lang).language == language
