"""Print issue and volume numbers, without their labels, from the article's header and footer."""

from __future__ import annotations

import pytest

from tests.article_page import BODY, extract

BYLINE = '<p class="byline">By Anna Kowalski</p>'


def _issue(header: str = BYLINE, footer: str = "", head: str = "", body: str = BODY):
    extraction = extract(
        header=header, footer=footer, head=head, body=body,
        headline="Bus workers strike", title="Bus workers strike",
    )
    assert extraction is not None
    return extraction.issue, extraction.volume


@pytest.mark.parametrize(
    ("printed", "issue", "volume"),
    [
        ("Issue No. 1989", "1989", None),
        ("Issue 2578", "2578", None),
        ("No. 45", "45", None),
        ("Vol. 12, No. 3", "3", "12"),
        ("Volume 7 Issue 2", "2", "7"),
        ("Nr. 17", "17", None),
        ("Jahrgang 79, Nr. 17", "17", "79"),
        ("Ausgabe 3/2024", "3/2024", None),
        ("Socialist Worker issue 2578 | 12 March 2024", "2578", None),
    ],
)
def test_issue_line_in_the_header(printed: str, issue: str, volume: str | None) -> None:
    assert _issue(header=f'{BYLINE}<p class="edition">{printed}</p>') == (issue, volume)


def test_issue_line_in_the_article_footer() -> None:
    footer = '<ul class="info"><li>Sat 25 Feb 2006, 00:00 GMT</li><li>Issue No. 1989</li></ul>'
    assert _issue(footer=footer) == ("1989", None)


def test_jsonld_issue_and_volume() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "isPartOf":'
        ' {"@type": "PublicationIssue", "issueNumber": "45",'
        ' "isPartOf": {"@type": "PublicationVolume", "volumeNumber": 12}}}</script>'
    )
    assert _issue(head=head) == ("45", "12")


def test_issue_date_is_no_issue_number() -> None:
    header = f'{BYLINE}<div class="issue">Aus: Ausgabe vom 26.04.2024, Seite 1 / Titel</div>'
    assert _issue(header=header) == (None, None)


def test_numbers_in_the_text_are_no_issue() -> None:
    prose = "<p>No. 10 Downing Street said on Monday it would not intervene in the dispute.</p>"
    assert _issue(body=BODY + prose) == (None, None)
    assert _issue(header=f"{BYLINE}<p>No. 10 Downing Street</p>") == (None, None)
