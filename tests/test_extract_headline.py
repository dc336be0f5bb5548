"""The printed headline, without the site names, sections and dates templates add to titles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from string import Template

import pytest

from archiver.extract import extract_article
from archiver.extract.headline import strip_site_name
from archiver.page import Page

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = Template((FIXTURES / "article_template.html").read_text(encoding="utf-8"))
BODY = (FIXTURES / "article_body.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("title", "names", "headline"),
    [
        ("Anleihen im Aufwind | Börsen-Zeitung", {"borsen zeitung"}, "Anleihen im Aufwind"),
        ("Anleihen im Aufwind | Börsen-Zeitung", set(), "Anleihen im Aufwind"),
        ("Neue Grafikkarten vorgestellt - Golem.de", set(), "Neue Grafikkarten vorgestellt"),
        (
            "Streik bei der Bahn \u2013 DW \u2013 30.01.2024",
            {"dw"},
            "Streik bei der Bahn",
        ),
        (
            "Socialist Worker Online: Revolution is in the air",
            {"socialist worker"},
            "Revolution is in the air",
        ),
        ("Kenia: Nairobi von unten", {"junge welt"}, "Kenia: Nairobi von unten"),
        ("Left - right: the debate goes on", set(), "Left - right: the debate goes on"),
        ("Unions win big | Jobs", set(), "Unions win big"),
        ("Jobs | Unions win big tonight", set(), "Unions win big tonight"),
    ],
)
def test_strip_site_name(title: str, names: set[str], headline: str) -> None:
    assert strip_site_name(title, names) == headline


def _headline(headline: str, head: str = "", title: str = "", extra: str = "") -> str | None:
    html = TEMPLATE.substitute(
        lang="en",
        title=title,
        head=head,
        headline=headline,
        header=extra + '<p class="byline">By Anna Kowalski</p>',
        body=BODY,
        footer="",
    )
    page = Page(
        "https://www.example.org/news/bus-strike",
        html.encode(),
        "text/html; charset=utf-8",
        datetime(2024, 5, 1, tzinfo=UTC),
    )
    extraction = extract_article(page)
    return extraction.headline if extraction is not None else None


def test_h1_agreeing_with_the_title_wins() -> None:
    assert _headline("Bus workers strike", title="Bus workers strike | The Daily Example") == (
        "Bus workers strike"
    )


def test_printed_h1_wins_over_a_different_seo_title() -> None:
    head = '<meta property="og:title" content="Strike news: buses, depots and more">'
    assert _headline("Bus workers strike", head=head) == "Bus workers strike"


def test_hidden_h1_is_skipped_for_the_visible_one() -> None:
    hidden = '<h1 style="display:none">Log in</h1>'
    head = '<meta property="og:title" content="Bus workers strike - The Daily Example">'
    assert _headline(hidden, head=head, extra="<h1>Bus workers strike</h1>") == (
        "Bus workers strike"
    )


def test_topline_and_headline_from_the_declared_title() -> None:
    head = '<meta property="og:title" content="Nationaler Veteranentag: Orden fürs Morden">'
    assert _headline("Orden fürs Morden", head=head) == "Nationaler Veteranentag: Orden fürs Morden"


def test_headline_from_metadata_when_no_heading_is_printed() -> None:
    head = '<meta property="og:title" content="Bus workers strike | The Daily Example">'
    assert _headline("", head=head) == "Bus workers strike"
