"""Where a reprinted article first appeared, from the citation line the page prints.

Reprint archives (marxists.org and its kind) and papers reprinting their print edition print a
line such as "From International Socialism, No.43, April/May 1970, pp.15-20", "Source: Labour
Monthly, Vol. 2, No. 3, March 1921", or "Aus: Ausgabe vom 26.04.2024, Seite 1 / Titel". Its parts
become `source` {publication, issue, date, pages}: publication as printed (the site's own name
for "Ausgabe vom..." lines), issue without its label, date in ISO 8601 where the line gives day,
month and year (else as printed), pages as printed ("15-20"). Only short lines that open with
such a lead are read, around the text and at its two ends, so prose is never taken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from archiver.extract.text import clean

_LEAD = re.compile(
    r"""^(?:from|source|sources|first\ published(?:\ in)?|originally\ published(?:\ in)?
    |published\ in|reprinted\ from|reproduced\ from|aus|quelle|erschienen\ in
    |erstver\u00f6ffentlichung(?:\ in)?|paru\ dans|publi\u00e9\ dans)\s*:?\s+""",
    re.IGNORECASE | re.VERBOSE,
)
_OWN_EDITION = re.compile(r"^(?:der\ )?(?:print-?)?ausgabe\s+vom\b", re.IGNORECASE | re.VERBOSE)
_ISSUE = re.compile(
    r"^(?:issue|no|nr|number|n[\u00b0\u00ba]|heft|ausgabe)\.?\s*(?P<n>\d[\w/-]*)$", re.IGNORECASE
)
_VOLUME_AND_ISSUE = re.compile(
    r"^vol(?:ume)?\.?\s*\d+\s*[,;]?\s*(?:issue|no|nr|number)\.?\s*(?P<n>\d[\w/-]*)$", re.IGNORECASE
)
_PAGES = re.compile(
    r"^(?:pp?|pages?|seiten?|s)\.?\s*(?P<p>\d+(?:\s*[-\u2013]\s*\d+)?f{0,2})\.?$", re.IGNORECASE
)
_DAY_MONTH_YEAR = re.compile(r"^(?:ausgabe\s+vom\s+)?(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")
_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_PARTS = re.compile(r"\s*[,;|]\s*|\s+/\s+")
_MAX_LINE = 250
_MAX_PART_WORDS = 6


@dataclass(frozen=True, slots=True)
class Source:
    publication: str | None
    issue: str | None
    date: str | None
    pages: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "publication": self.publication,
            "issue": self.issue,
            "date": self.date,
            "pages": self.pages,
        }


def find_source(lines: Iterable[str], own_name: str | None) -> tuple[Source, str] | None:
    """The first citation line among `lines` (blocks around the text, then its ends), parsed,
    and the line itself (to be left out of the body)."""
    for line in lines:
        found = source_of_line(line, own_name)
        if found is not None:
            return found, line
    return None


def source_of_line(line: str, own_name: str | None) -> Source | None:
    line = clean(line)
    lead = _LEAD.match(line)
    if lead is None or len(line) > _MAX_LINE:
        return None
    parts = [p.strip(" .") for p in _PARTS.split(line[lead.end() :])]
    parts = [p for p in parts if p]
    # A citation is a list of short parts; a sentence ("From Monday, workers at 12 depots will
    # strike, the union said on 3 March 2024") has long ones.
    if not parts or any(len(p.split()) > _MAX_PART_WORDS for p in parts):
        return None
    publication: str | None = None
    if _OWN_EDITION.match(parts[0]):
        publication = own_name
        parts[0] = re.sub(r"^(?:der\s+)?(?:print-?)?ausgabe\s+vom\s+", "", parts[0], flags=re.I)
    else:
        publication = parts.pop(0)
    issue = date = pages = None
    for part in parts:
        if issue is None and (m := _ISSUE.match(part) or _VOLUME_AND_ISSUE.match(part)):
            issue = m.group("n")
        elif pages is None and (m := _PAGES.match(part)):
            pages = re.sub(r"\s", "", m.group("p"))
        elif date is None and _YEAR.search(part):
            date = _iso(part)
    if issue is None and date is None and pages is None:
        return None  # "From our correspondent" and other lines that cite nothing
    return Source(publication, issue, date, pages)


def edition_section(lines: Iterable[str]) -> str | None:
    """The print section a paper's own edition line names after the page: "Aus: Ausgabe vom
    26.04.2024, Seite 1 / Titel" gives "Titel"."""
    for line in lines:
        line = clean(line)
        lead = _LEAD.match(line)
        if lead is None or len(line) > _MAX_LINE:
            continue
        parts = [p.strip(" .") for p in _PARTS.split(line[lead.end() :]) if p.strip(" .")]
        if len(parts) >= 3 and _OWN_EDITION.match(parts[0]) and _PAGES.match(parts[-2]):
            return parts[-1]
    return None


def _iso(printed: str) -> str:
    match = _DAY_MONTH_YEAR.match(printed)
    if match:
        return f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    return printed
