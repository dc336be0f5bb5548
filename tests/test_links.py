"""The links the crawl follows from a page, found without building a tree."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from archiver.crawl.links import PageLinks, page_links
from archiver.page import Page

DEMO_SITE = Path(__file__).parent.parent / "archiver" / "demo" / "site"
NOW = datetime(2024, 5, 1, tzinfo=UTC)


def _links(html: str | bytes, content_type: str = "text/html; charset=utf-8") -> PageLinks:
    body = html.encode() if isinstance(html, str) else html
    return page_links(Page("https://paper.example/news/index.html", body, content_type, NOW))


def test_links_are_absolute_unique_and_in_page_order() -> None:
    html = (
        '<a href="b">1</a><a href=" /a \n">2</a><area href="../c"><a href="b">again</a>'
        '<a name="anchor">no href</a><a href="#top">self</a>'
    )
    assert _links(html).links == (
        "https://paper.example/news/b",
        "https://paper.example/a",
        "https://paper.example/c",
        "https://paper.example/news/index.html#top",
    )


def test_base_href_sets_what_links_are_relative_to() -> None:
    html = '<head><base href="/archive/2006/"></head><a href="feb/strike">s</a>'
    assert _links(html).links == ("https://paper.example/archive/2006/feb/strike",)


def test_files_other_schemes_and_bogus_urls_are_not_links() -> None:
    html = (
        '<a href="/photo.JPG">p</a><a href="/paper.pdf">p</a><a href="mailto:ed@paper.example">'
        'm</a><a href="javascript:void(0)">j</a><a href="http://[::1x]/">bad</a>'
        '<a href="/news/strike">ok</a><a href="/bombs/gzip">no suffix: a page</a>'
    )
    assert _links(html).links == (
        "https://paper.example/news/strike",
        "https://paper.example/bombs/gzip",
    )


def test_a_link_is_encoded_in_the_pages_own_charset() -> None:
    html = '<a href="/suche?q=caf\xe9">s</a>'.encode("cp1252")
    links = _links(html, "text/html; charset=windows-1252").links
    assert links == ("https://paper.example/suche?q=caf%E9",)


def test_feeds_are_the_declared_rss_and_atom_alternates() -> None:
    html = (
        '<head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="Alternate nofollow" type="application/atom+xml " href="atom">'
        '<link rel="alternate" hreflang="de" href="/de/">'
        '<link rel="stylesheet" type="text/css" href="/s.css"></head>'
    )
    assert _links(html).feeds == (
        "https://paper.example/feed.xml",
        "https://paper.example/news/atom",
    )


@pytest.mark.parametrize("path", sorted(DEMO_SITE.rglob("*.html")), ids=lambda p: p.parent.name)
def test_the_same_links_as_scrapys_link_extractor(path: Path) -> None:
    url = f"http://127.0.0.1:8000/{path.relative_to(DEMO_SITE).parent.as_posix()}/"
    body = path.read_bytes()
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html"})
    expected = tuple(link.url for link in LinkExtractor(unique=True).extract_links(response))
    assert page_links(Page(url, body, "text/html", NOW)).links == expected
