"""Bylines as printed, and the person names parsed from them and from metadata."""

from __future__ import annotations

import pytest

from archiver.extract.authors import names_from_byline
from tests.article_page import extract

DATE_LINE = '<p class="date">Published 12 March 2024</p>'


def _extract(header: str = DATE_LINE, footer: str = "", head: str = ""):
    return extract(header=header, footer=footer, head=head, title="Bus workers strike")


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("writes Chris Bambery", ["Chris Bambery"]),
        ("By Anna Kowalski and Tom Reid", ["Anna Kowalski", "Tom Reid"]),
        ("Anna Kowalski, Tom Reid and Jo Bloggs", ["Anna Kowalski", "Tom Reid", "Jo Bloggs"]),
        ("Words: Anna Kowalski", ["Anna Kowalski"]),
        ("Von Karim Natour", ["Karim Natour"]),
        ("Kommentar von Nicole Opitz", ["Nicole Opitz"]),
        ("Par Jeanne Dupont et Paul Martin", ["Jeanne Dupont", "Paul Martin"]),
        ("Anna Kowalski | Photos: Tom Reid", ["Anna Kowalski"]),
        ("Words: Anna Kowalski | Pictures: Tom Reid", ["Anna Kowalski"]),
        ("By Dave Smith, industrial correspondent", ["Dave Smith"]),
        ("By Dave Smith, 12 March 2024", ["Dave Smith"]),
        ("By Dave Smith (dave.smith@example.org)", ["Dave Smith"]),
        ("Von Anna Martel und Lea Wagner, Nairobi", ["Anna Martel", "Lea Wagner"]),
        ("By Zoë Müller and José Núñez", ["Zoë Müller", "José Núñez"]),
        ("By Ludwig van der Berg", ["Ludwig van der Berg"]),
        ("By Joe Bloggs in Caracas", ["Joe Bloggs"]),
        ("By Staff", []),
        ("By Socialist Worker reporters", []),
        ("Reuters", []),
    ],
)
def test_names_from_byline(byline: str, names: list[str]) -> None:
    assert names_from_byline(byline) == names


def test_byline_at_the_end_of_the_standfirst_is_the_writes_phrase() -> None:
    extraction = _extract(
        header='<p class="standfirst">Drivers say the cuts put passengers at risk,'
        " writes Chris Bambery</p>" + DATE_LINE
    )
    assert extraction is not None
    assert extraction.byline == "writes Chris Bambery"
    assert extraction.authors == ("Chris Bambery",)


def test_byline_element_is_printed_as_it_reads() -> None:
    extraction = _extract(
        header=DATE_LINE + '<div class="byline">By <a href="/author/anna">Anna Kowalski</a> and'
        ' <a href="/author/tom">Tom Reid</a> <a class="twitter" href="https://twitter.com/x">'
        "Twitter</a></div>"
    )
    assert extraction is not None
    assert extraction.byline == "By Anna Kowalski and Tom Reid"
    assert extraction.authors == ("Anna Kowalski", "Tom Reid")


def test_byline_line_without_class_is_found_by_its_wording() -> None:
    extraction = _extract(header=f"<p>By Dave Smith, industrial correspondent</p>{DATE_LINE}")
    assert extraction is not None
    assert extraction.byline == "By Dave Smith, industrial correspondent"
    assert extraction.authors == ("Dave Smith",)
    assert "By Dave Smith" not in extraction.body


def test_byline_sharing_a_line_with_date_and_issue_is_printed_alone() -> None:
    extraction = _extract(
        header='<div class="entry-meta"><span class="byline">Words: Sam Lorde</span> \u00b7'
        ' <span class="posted-on">Sat 25 Feb 2006, 00:00 GMT</span> \u00b7'
        ' <span class="issue-number">Issue No. 1989</span></div>'
    )
    assert extraction is not None
    assert extraction.byline == "Words: Sam Lorde"
    assert (extraction.date, extraction.issue) == ("2006-02-25T00:00:00+00:00", "1989")


def test_biography_line_is_never_a_byline() -> None:
    bio = (
        '<p class="author">Chris Bambery is the editor of Socialist Worker and author of the'
        " forthcoming book A Rebel\u2019s Guide to Gramsci</p>"
    )
    extraction = _extract(footer=bio)
    assert extraction is not None
    assert extraction.byline is None
    assert extraction.authors == ()


def test_metadata_supplies_authors_when_no_byline_is_printed() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Person", "name": "Anna Kowalski"},'
        '{"@type": "Organization", "name": "The Daily Example"}]}</script>'
    )
    extraction = _extract(head=jsonld)
    assert extraction is not None
    assert extraction.byline is None
    assert extraction.authors == ("Anna Kowalski",)


def test_meta_author_names_the_printed_name_line() -> None:
    extraction = _extract(
        head='<meta name="author" content="Anna Kowalski">',
        header=f"<p>Anna Kowalski</p>{DATE_LINE}",
    )
    assert extraction is not None
    assert extraction.byline == "Anna Kowalski"
    assert extraction.authors == ("Anna Kowalski",)


def test_printed_byline_wins_over_metadata() -> None:
    extraction = _extract(
        head='<meta name="author" content="Web Desk">',
        header=f'<p class="byline">By Tom Reid</p>{DATE_LINE}',
    )
    assert extraction is not None
    assert extraction.authors == ("Tom Reid",)
