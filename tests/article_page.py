"""A page in the shape of a news template (tests/fixtures/article_template.html), for the tests
of one extraction rule each: the rule's markup goes in, everything else stays ordinary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from string import Template

from archiver.extract import Extraction, extract_article
from archiver.page import Page
from archiver.profile import Profile

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = Template((FIXTURES / "article_template.html").read_text(encoding="utf-8"))
BODY = (FIXTURES / "article_body.html").read_text(encoding="utf-8")
BYLINE = '<p class="byline">By Anna Kowalski</p><p class="date">12 March 2024</p>'
URL = "https://example.org/news/bus-strike"
CAPTURED = datetime(2024, 5, 1, tzinfo=UTC)


def page(
    *,
    header: str = BYLINE,
    head: str = "",
    body: str = BODY,
    footer: str = "",
    headline: str = "Bus workers strike over night cuts",
    lang: str = "en",
    url: str = URL,
    title: str | None = None,
) -> Page:
    html = TEMPLATE.substitute(
        lang=lang,
        title=f"{headline} | The Daily Example" if title is None else title,
        head=head,
        headline=headline,
        header=header,
        body=body,
        footer=footer,
    )
    return Page(url, html.encode(), "text/html; charset=utf-8", CAPTURED)


def extract(profile: Profile | None = None, **parts: str) -> Extraction | None:
    return extract_article(page(**parts), profile)
