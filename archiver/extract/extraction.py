"""The record extraction makes of one article page, before it becomes a Record.

Plain strings and tuples only, so the record layer can serialise it without knowing HTML.
"""

from __future__ import annotations

from dataclasses import dataclass


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
