"""What a collection holds, in numbers: the facts `archiver report` draws.

Computed over the same one-record-per-article table `archiver export` writes (latest.py), so the
report describes the dataset a researcher loads, and from `crawl-stats.json` for what went wrong
while crawling. Which fields count toward completeness is read from the record schema, so a field
added to the record is reported without a change here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from archiver.crawl.stats_file import read_runs
from archiver.export.latest import latest_records
from archiver.records import record_schema
from archiver.warc.reader import WARC_SUFFIXES

NO_PUBLICATION = "(no publication named)"
TOP_AUTHORS = 20
# Kept by archiver for every record, never looked for on the page: always there, so no measure
# of how well extraction did.
_BOOKKEEPING = frozenset({"id", "url", "canonical_url", "warc", "extracted_at", "extractor"})
_NUMBERED_ISSUE = re.compile(r"^(?P<number>\d{1,5})(?:\s*/\s*(?P<year>\d{2,4}))?$")
# Scrapy's counters for requests that failed, by kind. IgnoreRequest is left out: it is how
# robots.txt, the page budget and the scope drop requests on purpose, not a failure.
_EXCEPTION = "downloader/exception_type_count/"
_STATUS = "downloader/response_status_count/"
_SPIDER_EXCEPTION = "spider_exceptions/"
_TRUNCATED = "archiver/warc/truncated/"
_NOT_CAPTURED = "archiver/warc/not_captured"
_ON_PURPOSE = ("scrapy.exceptions.IgnoreRequest",)


@dataclass(frozen=True, slots=True)
class IssueCoverage:
    """The print issues of one publication (and volume, or year for "3/2024" numbering)."""

    publication: str
    series: str | None
    numbers: tuple[int, ...]
    """Issue numbers with at least one article, ascending."""
    articles: int

    @property
    def runs(self) -> list[tuple[int, int]]:
        """Unbroken stretches of covered issues, as (first, last)."""
        runs: list[tuple[int, int]] = []
        for number in self.numbers:
            if runs and number == runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], number)
            else:
                runs.append((number, number))
        return runs

    @property
    def gaps(self) -> list[tuple[int, int]]:
        """Stretches of missing issues between the first and the last covered one."""
        runs = self.runs
        return [(a[1] + 1, b[0] - 1) for a, b in pairwise(runs)]


@dataclass(frozen=True, slots=True)
class AuthorCount:
    name: str
    articles: int
    publications: tuple[str, ...]


@dataclass(frozen=True)
class Overview:
    collection: Path
    records: int
    lines_read: int
    warc_files: int
    crawl_runs: int
    publications: list[str]
    months: list[str]
    """Every month from the first to the last dated article, "YYYY-MM"."""
    per_month: dict[str, Counter[str]]
    """Publication -> month -> articles."""
    undated: Counter[str]
    articles: Counter[str]
    """Publication -> articles."""
    completeness_fields: list[str]
    found: dict[str, Counter[str]]
    """Publication -> field -> articles where the field was found."""
    issues: list[IssueCoverage]
    other_issues: dict[str, list[str]]
    """Publication -> issue labels that are not numbers ("Spring 2006")."""
    crawl_errors: list[tuple[str, int]]
    robots_forbidden: int
    top_authors: list[AuthorCount]


def collection_overview(collection: Path) -> Overview:
    latest = latest_records(collection)
    records = latest.records
    runs = read_runs(collection)
    publications = sorted({_publication(r) for r in records}, key=_publication_order)
    per_month, undated = _per_month(records)
    fields = completeness_fields(record_schema())
    return Overview(
        collection=collection,
        records=len(records),
        lines_read=latest.lines_read,
        warc_files=sum(
            1 for p in collection.rglob("*") if p.name.endswith(WARC_SUFFIXES) and p.is_file()
        ),
        crawl_runs=len(runs),
        publications=publications,
        months=_month_range(m for months in per_month.values() for m in months),
        per_month=per_month,
        undated=undated,
        articles=Counter(_publication(r) for r in records),
        completeness_fields=fields,
        found=_found(records, fields),
        issues=issue_coverage(records),
        other_issues=_other_issues(records),
        crawl_errors=crawl_errors(runs),
        robots_forbidden=sum(_count(run.get("robotstxt/forbidden")) for run in runs),
        top_authors=top_authors(records),
    )


def completeness_fields(schema: dict[str, Any]) -> list[str]:
    """The record's fields extraction looks for on the page, in the schema's order."""
    properties = schema.get("properties", {})
    return [name for name in properties if name not in _BOOKKEEPING]


def is_found(value: Any) -> bool:
    """Whether a field was found: not null, not an empty string, list or object."""
    return value is not None and value != "" and value != [] and value != {}


def issue_coverage(records: Iterable[dict[str, Any]]) -> list[IssueCoverage]:
    numbers: dict[tuple[str, str | None], set[int]] = {}
    articles: Counter[tuple[str, str | None]] = Counter()
    for record in records:
        match = _NUMBERED_ISSUE.match(str(record.get("issue") or "").strip())
        if match is None:
            continue
        volume = record.get("volume")
        series = match.group("year") or (str(volume) if volume else None)
        key = (_publication(record), series)
        numbers.setdefault(key, set()).add(int(match.group("number")))
        articles[key] += 1
    order = sorted(numbers, key=lambda k: (_publication_order(k[0]), _series_order(k[1])))
    return [IssueCoverage(*key, tuple(sorted(numbers[key])), articles[key]) for key in order]


def crawl_errors(runs: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """Failed requests over every run, by kind, most frequent first."""
    kinds: Counter[str] = Counter()
    for run in runs:
        for key, value in run.items():
            kind = _error_kind(key)
            if kind is not None:
                kinds[kind] += _count(value)
    return sorted(((k, n) for k, n in kinds.items() if n > 0), key=lambda kn: (-kn[1], kn[0]))


def top_authors(records: Iterable[dict[str, Any]], limit: int = TOP_AUTHORS) -> list[AuthorCount]:
    """The most frequent authors (ties in name order); each record counts once per author."""
    articles: Counter[str] = Counter()
    publications: dict[str, set[str]] = {}
    for record in records:
        authors = record.get("authors")
        for name in dict.fromkeys(authors if isinstance(authors, list) else []):
            if isinstance(name, str) and name:
                articles[name] += 1
                publications.setdefault(name, set()).add(_publication(record))
    ranked = sorted(articles.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))[:limit]
    return [
        AuthorCount(name, count, tuple(sorted(publications[name], key=_publication_order)))
        for name, count in ranked
    ]


def _error_kind(key: str) -> str | None:
    if key.startswith(_EXCEPTION):
        name = key.removeprefix(_EXCEPTION)
        return None if name in _ON_PURPOSE else name.rsplit(".", 1)[-1]
    if key.startswith(_STATUS):
        status = key.removeprefix(_STATUS)
        return f"HTTP {status}" if status.isdigit() and int(status) >= 400 else None
    if key.startswith(_SPIDER_EXCEPTION):
        return f"spider error: {key.removeprefix(_SPIDER_EXCEPTION).rsplit('.', 1)[-1]}"
    if key.startswith(_TRUNCATED):
        return f"truncated ({key.removeprefix(_TRUNCATED)})"
    if key == _NOT_CAPTURED:
        return "not archived (no raw capture)"
    return None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _publication(record: dict[str, Any]) -> str:
    publication = record.get("publication")
    return publication if isinstance(publication, str) and publication else NO_PUBLICATION


def _publication_order(name: str) -> tuple[bool, str, str]:
    return name == NO_PUBLICATION, name.casefold(), name


def _series_order(series: str | None) -> tuple[bool, int, str]:
    return series is None, int(series) if series and series.isdigit() else 0, series or ""


def _per_month(records: Iterable[dict[str, Any]]) -> tuple[dict[str, Counter[str]], Counter[str]]:
    per_month: dict[str, Counter[str]] = {}
    undated: Counter[str] = Counter()
    for record in records:
        date = record.get("date")
        publication = _publication(record)
        if isinstance(date, str) and re.match(r"^\d{4}-\d{2}", date):
            per_month.setdefault(publication, Counter())[date[:7]] += 1
        else:
            undated[publication] += 1
    return per_month, undated


def _month_range(months: Iterable[str]) -> list[str]:
    known = sorted(set(months))
    if not known:
        return []
    year, month = map(int, known[0].split("-"))
    last = known[-1]
    every: list[str] = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        every.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return every


def _found(records: Iterable[dict[str, Any]], fields: Sequence[str]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {}
    for record in records:
        counts = found.setdefault(_publication(record), Counter())
        for name in fields:
            if is_found(record.get(name)):
                counts[name] += 1
    return found


def _other_issues(records: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    other: dict[str, set[str]] = {}
    for record in records:
        issue = record.get("issue")
        if isinstance(issue, str) and issue.strip() and not _NUMBERED_ISSUE.match(issue.strip()):
            other.setdefault(_publication(record), set()).add(issue.strip())
    return {publication: sorted(labels) for publication, labels in other.items()}
