"""The publication date, as ISO 8601 with only the precision the page gives.

Sources, most trusted first: JSON-LD datePublished, publication <meta> tags, <time datetime> in
the article's header or footer, dates printed there (read in the page's declared language, else
in the common languages of the press archived), and the URL (/2006/02/25/). Modified dates are
never used, nor the capture date; a date later than the capture is a mistake of the page. No
date is better than a guess: printed dates need a day, a month and a year, and relative dates
("Today 5:00 am") are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import suppress
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser
from lxml.html import HtmlElement

from archiver.extract.classnames import role_words, vocabulary
from archiver.extract.layout import Block
from archiver.extract.metadata import Metadata

_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
)
_MODIFIED_WORDS = vocabulary("modified updated update aktualisiert edited revised")
_UPDATED_TEXT = re.compile(
    r"\b(?:updated?|modified|aktualisiert|ge\u00e4ndert|mis \u00e0 jour|actualizado|aggiornato)\b",
    re.IGNORECASE,
)
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.)?"
_MONTH_WORD = r"[^\W\d_]{3,}\.?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_TIME = (
    r"(?:\s*(?:,|\||at|um|\u00e0|a las|alle|-|\u2013)?\s*"
    r"(?P<time>\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h))?"
    r"(?:\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}))?))?"
)
# Day, month and year in the orders pages print them; dateparser then reads the words.
_PRINTED = re.compile(
    rf"""(?P<date>
        (?:{_MONTH_WORD},?\s+)?{_DAY}\s+(?:de\s+)?{_MONTH_WORD},?\s+(?:de\s+)?{_YEAR}
      | (?:{_MONTH_WORD},?\s+)?{_MONTH_WORD}\s+{_DAY},?\s+{_YEAR}
      | \d{{1,2}}\.\s?\d{{1,2}}\.\s?{_YEAR}
      | {_YEAR}[-./]\s?\d{{1,2}}[-./]\s?\d{{1,2}}\b
      | \d{{1,2}}/\d{{1,2}}/{_YEAR}
    ){_TIME}""",
    re.VERBOSE,
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_])"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_SETTINGS = {
    "PARSERS": ["custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
}
_UNDECLARED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
_MAX_PRINTED = 6
_EARLIEST_YEAR = 1800
_CLOCK_SLACK = timedelta(days=2)


def publication_date(
    metadata: Metadata,
    time_elements: Iterable[HtmlElement],
    blocks: Iterable[Block],
    url: str,
    captured_at: datetime,
    language: str | None,
) -> str | None:
    """`time_elements` and `blocks`: what the page prints around the article's text."""
    latest = captured_at + _CLOCK_SLACK
    for found in _candidates(metadata, time_elements, blocks, url, language):
        if found.year >= _EARLIEST_YEAR and _not_after(found, latest):
            return found.isoformat()
    return None


def selected_date(value: str, captured_at: datetime, language: str | None) -> str | None:
    """The date a profile's selector points at: machine-readable, or printed with its words."""
    # Machine-readable first (ISO 8601 keeps its time and offset), else printed words and numbers.
    found: datetime | date | None = None
    if _ISO_START.match(value):
        found = next(_declared(value), None)
    match = _PRINTED.search(value) if found is None else None
    if match is not None:
        found = _parse_printed(match.group(0), language)
        if found is not None and not match.group("time"):
            found = found.date()
    if found is None or found.year < _EARLIEST_YEAR:
        return None
    return found.isoformat() if _not_after(found, captured_at + _CLOCK_SLACK) else None


def printed_day(text: str, language: str | None) -> date | None:
    """The day a short line prints ("Freitag, 26. April 2024, Nr. 98" gives 26 April 2024)."""
    match = _PRINTED.search(text)
    if match is None:
        return None
    parsed = _parse_printed(match.group("date"), language)
    return parsed.date() if parsed is not None else None


def remove_printed_dates(text: str) -> str:
    """The text without the dates it prints, to tell a date line from a sentence."""
    return _PRINTED.sub(" ", text)


def _candidates(
    metadata: Metadata,
    time_elements: Iterable[HtmlElement],
    blocks: Iterable[Block],
    url: str,
    language: str | None,
) -> Iterator[datetime | date]:
    for node in metadata.nodes_with("datePublished"):
        yield from _declared(node["datePublished"])
    for key in _META_KEYS:
        for value in metadata.meta.get(key, ()):
            yield from _declared(value)
    for element in time_elements:
        if role_words(element).isdisjoint(_MODIFIED_WORDS):
            yield from _declared(element.get("datetime"))
    yield from _printed(blocks, language)
    match = _URL_DATE.search(url)
    if match:
        with suppress(ValueError):
            yield date(*map(int, match.groups()))


def _declared(value: object) -> Iterator[datetime | date]:
    """Machine-readable dates: ISO 8601 as a rule, RFC 822 and others now and then."""
    if not isinstance(value, str) or not value.strip():
        return
    value = value.strip()
    if _ISO_DATE.match(value):
        with suppress(ValueError):
            yield date.fromisoformat(value)
        return
    try:
        yield datetime.fromisoformat(value).replace(microsecond=0)
    except ValueError:
        parsed = _dateparser(value, None)
        if parsed is not None:
            yield parsed


def _printed(blocks: Iterable[Block], language: str | None) -> Iterator[datetime | date]:
    tried = 0
    for block in blocks:
        if _UPDATED_TEXT.search(block.text):
            continue
        for match in _PRINTED.finditer(block.text):
            tried += 1
            if tried > _MAX_PRINTED:
                return
            if match.group("time"):
                with_time = _parse_printed(match.group(0), language)
                if with_time is not None:
                    yield with_time
                    continue
            parsed = _parse_printed(match.group("date"), language)
            if parsed is not None:
                yield parsed.date()


def _parse_printed(text: str, language: str | None) -> datetime | None:
    attempts = [text]
    first, _, rest = text.partition(" ")
    if rest and not first[0].isdigit():
        attempts.append(rest)  # "Published 25 Feb 2006": the leading word may not be a weekday
    # The page's language when it declares one (fast, and no clash of month names between
    # languages); else the languages of the press archived and their neighbours: trying every
    # language dateparser knows costs tens of milliseconds a date, seconds the first time.
    languages = [language] if language else list(_UNDECLARED_LANGUAGES)
    return next(filter(None, (_dateparser(a, languages) for a in attempts)), None)


def _dateparser(text: str, languages: list[str] | None) -> datetime | None:
    try:
        parser = _parser(tuple(languages) if languages else None)
        parsed = parser.get_date_data(text).date_obj
    except (ValueError, OverflowError):  # a language it does not know, a year out of range
        return None
    return parsed.replace(microsecond=0) if parsed is not None else None


@lru_cache(maxsize=64)
def _parser(languages: tuple[str, ...] | None) -> DateDataParser:
    """One parser per language: dateparser.parse() builds a new one, its locales too, each call
    (milliseconds, many times the parsing itself)."""
    return DateDataParser(languages=list(languages) if languages else None, settings=_SETTINGS)


def _not_after(found: datetime | date, latest: datetime) -> bool:
    if not isinstance(found, datetime):
        return found <= latest.date()
    if found.tzinfo is None:
        return found <= latest.replace(tzinfo=None)
    return found <= latest
