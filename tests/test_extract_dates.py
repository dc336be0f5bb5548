"""Publication dates: declared, in <time>, printed in many languages, in the URL; never guessed."""

from __future__ import annotations

import pytest

from tests.article_page import BODY, extract

BYLINE = '<p class="byline">By Anna Kowalski</p>'


def _date(
    header: str = BYLINE,
    head: str = "",
    footer: str = "",
    url: str = "https://example.org/news/bus-strike",
    lang: str = "en",
    body: str = BODY,
) -> str | None:
    extraction = extract(
        header=header, head=head, footer=footer, url=url, lang=lang, body=body,
        headline="Bus workers strike", title="Bus workers strike",
    )
    assert extraction is not None
    return extraction.date


def test_jsonld_date_published_comes_first() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2024-01-11T16:10:50+00:00",'
        ' "dateModified": "2024-01-12T09:00:00+00:00"}</script>'
        '<meta property="article:published_time" content="2023-12-01T10:00:00+00:00">'
    )
    assert _date(head=head, header=BYLINE + "<p>3 March 2022</p>") == "2024-01-11T16:10:50+00:00"


def test_published_meta_is_used_and_modified_meta_never() -> None:
    head = (
        '<meta property="article:modified_time" content="2024-02-02T08:00:00+01:00">'
        '<meta property="article:published_time" content="2024-02-01T18:41:00+01:00">'
    )
    assert _date(head=head) == "2024-02-01T18:41:00+01:00"


def test_modified_meta_alone_gives_no_date() -> None:
    head = '<meta property="article:modified_time" content="2024-02-02T08:00:00+01:00">'
    assert _date(head=head) is None


def test_time_element_in_the_header() -> None:
    header = BYLINE + '<time datetime="2023-04-28T18:41:00+02:00">28.4.2023, 18:41</time>'
    assert _date(header=header) == "2023-04-28T18:41:00+02:00"


@pytest.mark.parametrize(
    ("printed", "lang", "iso"),
    [
        ("Sat 25 Feb 2006, 00:00 GMT", "en", "2006-02-25T00:00:00+00:00"),
        ("25 February 2006", "en", "2006-02-25"),
        ("February 25, 2006", "en", "2006-02-25"),
        ("Published: 25 February 2006", "en", "2006-02-25"),
        ("25. Februar 2006", "de", "2006-02-25"),
        ("Samstag, 25. Februar 2006, 14:30 Uhr", "de", "2006-02-25T14:30:00"),
        ("25.02.2006", "de", "2006-02-25"),
        ("25 février 2006", "fr", "2006-02-25"),
        ("Publié le 25 février 2006 à 14h30", "fr", "2006-02-25T14:30:00"),
        ("25 de febrero de 2006", "es", "2006-02-25"),
        ("2006-02-25", "en", "2006-02-25"),
    ],
)
def test_printed_dates(printed: str, lang: str, iso: str) -> None:
    assert _date(header=f'{BYLINE}<p class="meta">{printed}</p>', lang=lang) == iso


def test_printed_date_in_the_article_footer() -> None:
    footer = '<ul class="info"><li>Sat 25 Feb 2006, 00:00 GMT</li><li>Issue No. 1989</li></ul>'
    assert _date(footer=footer) == "2006-02-25T00:00:00+00:00"


def test_url_date_is_the_last_resort() -> None:
    assert _date(url="https://example.org/2006/02/25/bus-strike/") == "2006-02-25"


def test_updated_line_is_not_the_publication_date() -> None:
    header = f"{BYLINE}<p>Updated 3 March 2006</p><p>1 March 2006</p>"
    assert _date(header=header) == "2006-03-01"


@pytest.mark.parametrize(
    "printed",
    ["Today 5:00 am", "2 hours ago", "Saturday 25 February", "Issue No. 1989", "May 2006"],
)
def test_no_date_rather_than_a_guess(printed: str) -> None:
    assert _date(header=f"{BYLINE}<p>{printed}</p>") is None


def test_date_after_the_capture_is_refused() -> None:
    head = '<meta property="article:published_time" content="2031-01-01T00:00:00+00:00">'
    assert _date(head=head, header=f"{BYLINE}<p>1 March 2006</p>") == "2006-03-01"


def test_dates_in_the_text_are_not_read() -> None:
    prose = "<p>The garage first opened on 3 June 1921, long before the union came to it.</p>"
    assert _date(body=prose + BODY + prose.replace("3 June 1921", "9 May 1945")) is None
