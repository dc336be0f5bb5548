"""The record of a captured page: what extraction found, where the page is archived, and when.

Run where pages are extracted: in the extraction workers (see `extraction_tasks`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from archiver import __version__
from archiver.extract import Extraction, blocked_page, extract_article
from archiver.page import Page
from archiver.profile import profile_for_url
from archiver.records import Record, record_id
from archiver.warc.writer import WarcPointer


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
