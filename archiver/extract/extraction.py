"""The record extraction makes of one article page, before it becomes a Record.

Plain strings, tuples and small frozen dataclasses, so the record layer can serialise it
without knowing HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from archiver.extract.images import Image
from archiver.extract.source import Source


@dataclass(frozen=True, slots=True)
class Extraction:
    canonical_url: str
    publication: str | None
    headline: str
    standfirst: str | None
    byline: str | None
    """The byline as printed, e.g. "writes Chris Bambery" or "By Anna Kowalski and Tom Reid"."""
    authors: tuple[str, ...]
    """Person names only, in printed order: no roles, dates, agencies or photo credits."""
    date: str | None
    """ISO 8601 publication date; with time and offset only where the page gives them."""
    issue: str | None
    """Print issue number without its label: "Issue No. 1989" gives "1989"."""
    volume: str | None
    body: str
    """Plain text, paragraphs (subheadings included) separated by one blank line."""
    language: str | None
    """Primary language subtag, lower case ("en", "de")."""
    section: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    """The article's figures in page order: URL, caption (out of the body) and credit."""
    word_count: int = 0
    access: str | None = None
    """"paywalled" or "free" where the page says so, else None."""
    source: Source | None = None
    """Where a reprint first appeared, from a citation line the page prints."""
