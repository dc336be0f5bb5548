"""An issue-archive page: one print issue's contents, which gives its articles their issue.

A profile names these pages (`issue_urls`, e.g. Socialist Worker's /issue/996). The page states
the print issue and its date ("Issue: 2637", "Dated: 15 Jan 2019") and links the articles; the
crawl files each article's record under `issue_page` {url, issue, date}. The number in the
archive's URL is the archive's own and never taken for the print issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from archiver.extract.dates import selected_date
from archiver.extract.issue import issue_number
from archiver.extract.parse import parse_page, remove_code
from archiver.extract.text import element_text
from archiver.page import Page
from archiver.profile import Profile

_DATED = re.compile(r"^(?:dated|date|datum|vom|published)\s*:?\s*(?P<date>.+)$", re.IGNORECASE)
_MAX_LINE = 80


@dataclass(frozen=True, slots=True)
class IssueArchive:
    url: str
    issue: str | None
    date: str | None
    articles: tuple[str, ...]
    """Absolute URLs of the articles it lists, as the profile's article patterns recognise them."""

    def issue_page(self) -> dict[str, str | None]:
        """The record's `issue_page` for each article listed."""
        return {"url": self.url, "issue": self.issue, "date": self.date}


def read_issue_archive(page: Page, profile: Profile) -> IssueArchive | None:
    """The issue a profile's issue-archive page states and the articles it lists, or None when
    the URL is no issue archive of the profile or the page states no issue."""
    if not profile.is_issue_archive(page.url):
        return None
    tree = parse_page(page.body, page.content_type)
    if tree is None:
        return None
    remove_code(tree)
    issue = day = None
    for element in tree.iter("p", "li", "div", "span", "h1", "h2", "h3", "dd", "dt"):
        if len(element) > 3:
            continue  # a container: its lines are read one by one
        line = element_text(element)
        if not line or len(line) > _MAX_LINE:
            continue
        issue = issue or issue_number(line)
        dated = _DATED.match(line)
        if day is None and dated is not None:
            day = selected_date(dated.group("date"), _latest(page), None)
    if issue is None:
        return None
    articles: list[str] = []
    for link in tree.iter("a"):
        url = urljoin(page.url, link.get("href") or "").split("#", 1)[0]
        same_site = profile.covers(url) and urlsplit(url).scheme in ("http", "https")
        if same_site and profile.says_article(url) is True and url not in articles:
            articles.append(url)
    return IssueArchive(page.url, issue, day, tuple(articles))


def _latest(page: Page) -> datetime:
    return page.captured_at if page.captured_at.tzinfo else page.captured_at.replace(tzinfo=UTC)
