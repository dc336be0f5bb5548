"""The article record: what a researcher loads, one JSON object per line.

A record is built from a captured page and the WARC record holding its bytes (`page_records`),
by the same code for a live crawl and for `archiver extract` over old WARCs, so the two give
equal records. This module holds what reading and writing records needs, and nothing of
extraction: `archiver extract`'s own process writes records its workers built.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

from archiver.crawl.scope import UrlCleaner

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
        """The record's fields as a dict to write out; its lists and dicts are the record's own
        (dataclasses.asdict copied every value of every record, the writer's biggest cost)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(field.name for field in fields(Record))
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


@cache
def record_schema() -> dict[str, Any]:
    text = (resources.files("archiver") / "schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
