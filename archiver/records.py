"""The article record: what a researcher loads, one JSON object per line.

A record is built from a captured page and the WARC record holding its bytes, by the same code
for a live crawl and for `archiver extract` over old WARCs, so the two give equal records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from archiver import __version__
from archiver.crawl.scope import UrlCleaner
from archiver.extract import Extraction, blocked_page, extract_article
from archiver.page import Page
from archiver.profile import profile_for_url
from archiver.warc.writer import WarcPointer

SCHEMA_VERSION = "1.1"


def record_id(canonical_url: str) -> str:
    """Stable id: the same canonical URL gives the same id, whatever the scheme or `www.`."""
    canonical = UrlCleaner().canonical(canonical_url)
    without_scheme = canonical.split("://", 1)[-1]
    return hashlib.sha256(without_scheme.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    url: str
    canonical_url: str
    publication: str | None
    headline: str
    standfirst: str | None
    byline: str | None
    authors: list[str]
    date: str | None
    issue: str | None
    volume: str | None
    body: str
    language: str | None
    section: str | None
    tags: list[str]
    images: list[dict[str, str | None]]
    word_count: int
    access: str | None
    source: dict[str, str | None] | None
    issue_page: dict[str, str | None] | None
    """{url, issue, date} of an issue-archive page listing the article; set by the crawl."""
    warc: dict[str, Any]
    extracted_at: str
    extractor: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_CONTENT_FIELDS = (
    "headline",
    "standfirst",
    "byline",
    "authors",
    "date",
    "issue",
    "volume",
    "body",
    "section",
    "tags",
    "images",
    "access",
    "source",
    "issue_page",
)


def content_key(record: dict[str, Any]) -> tuple[str, str]:
    """Two records with the same key say the same thing about the same article."""
    content = json.dumps([record.get(f) for f in _CONTENT_FIELDS], ensure_ascii=False)
    return record["id"], hashlib.sha256(content.encode("utf-8")).hexdigest()


def build_record(
    extraction: Extraction,
    page: Page,
    warc: WarcPointer,
    profile_name: str | None,
    issue_page: dict[str, str | None] | None = None,
) -> Record:
    return Record(
        id=record_id(extraction.canonical_url),
        url=page.url,
        canonical_url=extraction.canonical_url,
        publication=extraction.publication,
        headline=extraction.headline,
        standfirst=extraction.standfirst,
        byline=extraction.byline,
        authors=list(extraction.authors),
        date=extraction.date,
        issue=extraction.issue,
        volume=extraction.volume,
        body=extraction.body,
        language=extraction.language,
        section=extraction.section,
        tags=list(extraction.tags),
        images=[image.as_dict() for image in extraction.images],
        word_count=extraction.word_count,
        access=extraction.access,
        source=extraction.source.as_dict() if extraction.source is not None else None,
        issue_page=issue_page,
        warc=warc.as_dict(),
        extracted_at=datetime.now(UTC).isoformat(timespec="seconds"),
        extractor={"name": "archiver", "version": __version__, "profile": profile_name},
    )


def record_from_page(page: Page, warc: WarcPointer) -> Record | None:
    """The record of a page, or None when the page is not an article."""
    profile = profile_for_url(page.url)
    extraction = extract_article(page, profile)
    if extraction is None:
        return None
    return build_record(extraction, page, warc, profile.name if profile else None)


def not_article_reason(page: Page) -> str:
    """Why a page gave no record: "bot-challenge", "login-wall", or "not-article"."""
    return blocked_page(page) or "not-article"


@cache
def record_schema() -> dict[str, Any]:
    text = (resources.files("archiver") / "schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
