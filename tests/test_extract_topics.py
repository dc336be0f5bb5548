"""Section and tags, as the page declares them."""

from __future__ import annotations

from tests.article_page import extract


def _extract(head: str):
    extraction = extract(head=head)
    assert extraction is not None
    return extraction


def test_section_from_jsonld_article_section() -> None:
    head = '<script type="application/ld+json">{"@type":"NewsArticle","articleSection":"Unions"}'
    assert _extract(head + "</script>").section == "Unions"


def test_section_from_the_breadcrumb_step_before_the_article() -> None:
    crumbs = (
        '<script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":['
        '{"@type":"ListItem","position":1,"name":"Home","item":"https://example.org/"},'
        '{"@type":"ListItem","position":2,"name":"Workplace","item":"https://example.org/w/"},'
        '{"@type":"ListItem","position":3,"name":"Bus workers strike over night cuts"}]}</script>'
    )
    assert _extract(crumbs).section == "Workplace"


def test_generic_breadcrumb_names_are_no_section() -> None:
    crumbs = (
        '<script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":['
        '{"@type":"ListItem","position":1,"name":"Home"},'
        '{"@type":"ListItem","position":2,"name":"Article"}]}</script>'
    )
    assert _extract(crumbs).section is None


def test_tags_from_keywords_split_and_without_repeats() -> None:
    head = (
        '<meta property="article:tag" content="Unions"><meta property="article:tag" content="Bus">'
        '<meta name="keywords" content="Unions, Strikes ,Transport">'
    )
    assert _extract(head).tags == ("Unions", "Bus", "Strikes", "Transport")


def test_no_declared_section_or_tags_gives_none_and_empty() -> None:
    extraction = _extract("")
    assert (extraction.section, extraction.tags) == (None, ())
