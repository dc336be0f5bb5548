"""`archiver check-profile NAME PATH...`: run one profile over saved pages and count the fields.

For the archivist writing or updating a profile: the pages come out of WARCs (a small crawl of
the paper, or anyone's), every page on the profile's domains goes through the very extraction a
crawl runs with that profile forced, and the report says how often each field was found. A
field found on few articles is where a selector is wanted; a page type miscounted is where the
URL patterns are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from archiver.crawl.captured import CapturedPage
from archiver.extract import Extraction, blocked_page, extract_article
from archiver.profile import Profile, load_profile
from archiver.warc.reader import WarcProblem, expand_paths, read_pages

FIELDS = (
    "headline",
    "standfirst",
    "byline",
    "authors",
    "date",
    "issue",
    "volume",
    "section",
    "tags",
    "images",
    "access",
    "source",
    "language",
    "publication",
)


@dataclass
class ProfileCheck:
    profile: Profile
    files: int = 0
    pages: int = 0
    """HTML pages on the profile's domains."""
    other_sites: int = 0
    articles: int = 0
    not_articles: Counter[str] = field(default_factory=Counter)
    """Pages that gave no article, by reason ("not-article", "bot-challenge", "login-wall")."""
    found: Counter[str] = field(default_factory=Counter)
    """Articles on which each field was found."""
    problems: list[WarcProblem] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"{self.profile.name} ({self.profile.publication}): {self.files} WARC files, "
            f"{self.pages} pages on its domains ({self.other_sites} on other sites skipped)",
            f"  articles          {self.articles}",
        ]
        for reason, count in sorted(self.not_articles.items()):
            lines.append(f"  {reason:<17} {count}")
        lines.append("  field found on articles:")
        for name in FIELDS:
            count = self.found[name]
            share = f"{100 * count / self.articles:.0f}%" if self.articles else "-"
            lines.append(f"    {name:<14} {count:>6} {share:>5}")
        return lines


def check_profile(name: str, paths: Sequence[str]) -> ProfileCheck:
    profile = load_profile(name)
    files, problems = expand_paths(paths)
    check = ProfileCheck(profile, files=len(files), problems=problems)
    for path in files:
        for item in read_pages(path):
            if isinstance(item, WarcProblem):
                check.problems.append(item)
            elif isinstance(item, CapturedPage):
                _check_page(check, item)
    return check


def _check_page(check: ProfileCheck, item: CapturedPage) -> None:
    if not check.profile.covers(item.page.url):
        check.other_sites += 1
        return
    check.pages += 1
    extraction = extract_article(item.page, check.profile)
    if extraction is None:
        check.not_articles[blocked_page(item.page) or "not-article"] += 1
        return
    check.articles += 1
    for name in FIELDS:
        if _has(extraction, name):
            check.found[name] += 1


def _has(extraction: Extraction, name: str) -> bool:
    value = getattr(extraction, name)
    return value is not None and value != () and value != ""
