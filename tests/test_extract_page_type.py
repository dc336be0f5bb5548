"""Article or not: decided from the page (metadata, then shape), a profile's URL rule overriding."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from string import Template

from archiver.extract import extract_article
from archiver.extract.text import word_count
from archiver.page import Page
from archiver.profile import Profile

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = Template((FIXTURES / "article_template.html").read_text(encoding="utf-8"))
BODY = (FIXTURES / "article_body.html").read_text(encoding="utf-8")
DATED = '<p class="byline">By Anna Kowalski</p><p class="date">12 March 2024</p>'
URL = "https://example.org/news/bus-strike"


def _page(
    header: str = DATED,
    head: str = "",
    body: str = BODY,
    headline: str = "Bus strike",
    url: str = URL,
) -> Page:
    html = TEMPLATE.substitute(
        lang="en", title=headline, head=head, headline=headline, header=header, body=body, footer=""
    )
    return Page(url, html.encode(), "text/html; charset=utf-8", datetime(2024, 5, 1, tzinfo=UTC))


def _profile(article: str = r"^$", skip: str = r"^$") -> Profile:
    return Profile(
        name="example",
        publication="The Example",
        domains=("example.org",),
        article_urls=(re.compile(article),),
        skip_urls=(re.compile(skip),),
    )


def _teasers(count: int) -> str:
    return "".join(
        f'<div class="teaser"><h2><a href="/news/story-{n}">Story number {n} about the strike'
        f" wave</a></h2><p>Drivers and engineers at depot {n} walked out on Monday over cuts to"
        " the night shift, their union said in a statement.</p></div>"
        for n in range(count)
    )


def test_article_without_any_metadata_is_an_article() -> None:
    assert extract_article(_page()) is not None


def test_listing_of_teasers_is_not_an_article() -> None:
    assert extract_article(_page(body=_teasers(12), headline="News")) is None


def test_listing_of_teasers_with_og_type_article_is_not_an_article() -> None:
    head = '<meta property="og:type" content="article">'
    assert extract_article(_page(head=head, body=_teasers(12), headline="News")) is None


def test_print_issue_contents_page_is_not_an_article() -> None:
    contents = "".join(
        f'<h2>Section {n}</h2><ul><li><a href="/news/story-{n}/">Workers at depot {n} walk out'
        f"</a> \u2013 A 48-hour strike against plans to cut more than {n}00 safety jobs on the"
        " network.</li></ul>"
        for n in range(1, 5)
    )
    header = '<p class="issue__date">Dated: 25 Feb 2006</p>'
    assert extract_article(_page(header=header, body=contents, headline="Issue 1989")) is None


def test_about_page_is_not_an_article() -> None:
    about = "".join(
        f"<p>The Daily Example was founded in 19{n}0 by print workers who wanted a paper that"
        " reported their struggles, and it is still owned by its readers today.</p>"
        for n in range(5, 9)
    )
    assert extract_article(_page(header="", body=about, headline="About us")) is None


def test_jsonld_collection_page_is_not_an_article() -> None:
    head = '<script type="application/ld+json">{"@type": "CollectionPage"}</script>'
    assert extract_article(_page(head=head)) is None


def test_jsonld_website_for_this_url_is_the_home_page() -> None:
    head = (
        '<script type="application/ld+json">'
        '{"@type": "WebSite", "url": "https://example.org/", "name": "The Daily Example"}</script>'
    )
    assert extract_article(_page(head=head, url="https://example.org/")) is None
    assert extract_article(_page(head=head)) is not None


def test_og_type_website_does_not_stop_a_dated_article() -> None:
    head = '<meta property="og:type" content="website">'
    assert extract_article(_page(head=head, header='<p class="date">12 March 2024</p>')) is not None
    assert extract_article(_page(head=head, body=_teasers(12), headline="News")) is None


def test_long_text_without_date_or_byline_is_an_article() -> None:
    long = "".join(
        f"<p>Drivers at depot {n} walked out on Monday over cuts to the night shift, and their"
        " union said the strike would go on until the company withdrew its plans for good.</p>"
        for n in range(6)
    )
    assert extract_article(_page(header="", body=long)) is not None


def test_long_text_under_a_site_page_headline_or_url_is_not_an_article() -> None:
    long = "".join(
        f"<p>The Daily Example was founded in 19{n}0 by print workers who wanted a paper that"
        " reported their struggles, and it is still owned and run by its readers today.</p>"
        for n in range(6)
    )
    assert extract_article(_page(header="", body=long, headline="Who we are")) is None
    assert (
        extract_article(_page(header="", body=long, url="https://example.org/privacy-policy"))
        is None
    )


def test_one_long_signed_paragraph_is_an_article() -> None:
    body = (
        "<p>Drivers at the depot walked out on Monday over cuts to the night shift. Their union"
        " said the strike would go on until the company withdrew its plans, and that drivers at"
        " two more depots would vote on joining them next week, with a result due on Friday. The"
        " company said it regretted the disruption to passengers but that the cuts were needed to"
        " keep the network running, and it offered no new talks with the union before the weekend"
        " or at any time next week.</p>"
    )
    assert extract_article(_page(body=body)) is not None


def test_chinese_and_japanese_text_is_counted_in_characters() -> None:
    assert word_count("先日、不正に改造したiPhoneを販売") == 14
    assert word_count("Drivers walked out") == 3


def test_jsonld_article_type_is_an_article_even_when_short() -> None:
    head = '<script type="application/ld+json">{"@type": "OpinionNewsArticle"}</script>'
    body = "<p>A short comment on the strike, in one paragraph of a dozen words.</p>"
    assert extract_article(_page(head=head, header="", body=body)) is not None


def test_jsonld_article_nested_in_an_item_list_does_not_make_an_article() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "ItemList", "itemListElement": ['
        '{"@type": "ListItem", "item": {"@type": "NewsArticle", "headline": "x"}}]}</script>'
    )
    assert extract_article(_page(head=head)) is None


def test_profile_url_rule_overrides_the_page() -> None:
    assert extract_article(_page(), _profile(skip=r"/news/")) is None
    about = "<p>The Daily Example was founded by print workers who wanted a paper of their own.</p>"
    assert extract_article(_page(header="", body=about), _profile(article=r"/news/")) is not None


def test_page_without_headline_or_text_is_not_an_article() -> None:
    assert extract_article(_page(body="", header="")) is None
    empty = b"<html><head><title></title></head><body><p></p></body></html>"
    assert extract_article(Page(URL, empty, "text/html", datetime(2024, 5, 1, tzinfo=UTC))) is None
