"""The print issue and volume numbers, from JSON-LD or a short label line near the article.

"Issue No. 1989" -> "1989", "Vol. 12, No. 3" -> issue "3", volume "12", "Ausgabe 3/2024" ->
"3/2024". Only short lines in the article's header and footer are read, and a number must end
its label's phrase: "No. 10 Downing Street" in the text is no issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from archiver.extract.dates import printed_day
from archiver.extract.layout import Block
from archiver.extract.metadata import JsonObject, Metadata, node_types

_NUMBER = r"(?P<number>\d{1,5}(?:\s?/\s?\d{2,4})?)"
_SEPARATORS = r",;|\u2022\u00b7\u2013\u2014/\-"
# The number ends the label's phrase: "No. 10 Downing Street" is no issue number.
_NEXT_LABEL = r"vol|jahrgang|jg|issue|ausgabe|heft|no|nr|number|(?:19|20)\d\d"
_END = rf"(?=\s*(?:$|[{_SEPARATORS})\]]|\.\s|\.$|\s(?:{_NEXT_LABEL})\b))"
_START = rf"(?:^|(?<=[\s({_SEPARATORS}]))"
_ISSUE_LABEL = (
    r"issue|ausgabe|heft|nummer|num\u00e9ro|numero|n\u00famero|edition|nr|no|n[\u00b0\u00ba]|#"
)
_ISSUE = re.compile(
    _START
    + rf"(?:{_ISSUE_LABEL})\.?"
    + r"(?:\s*(?:no|nr|number|n[\u00b0\u00ba])\.?)?\s*[:#]?\s*"
    + _NUMBER
    + _END,
    re.IGNORECASE,
)
_VOLUME = re.compile(
    _START + r"(?:volume|vol|jahrgang|jg|ann\u00e9e|tome|band|bd)\.?\s*[:#]?\s*" + _NUMBER + _END,
    re.IGNORECASE,
)
_MAX_LINE = 80
_EDITION_DAYS = 2


@dataclass(frozen=True, slots=True)
class PrintIssue:
    issue: str | None
    volume: str | None


def remove_issue_labels(text: str) -> str:
    """The text without its issue and volume labels, to tell a label line from a sentence."""
    return _VOLUME.sub(" ", _ISSUE.sub(" ", text))


def print_issue(
    metadata: Metadata, blocks: Iterable[Block], published: str | None, language: str | None
) -> PrintIssue:
    """`published`: the article's date; an issue line dated otherwise is the current edition
    a masthead shows ("Freitag, 26. April 2024, Nr. 98" on a page of March), not the article's."""
    issue, volume = _from_jsonld(metadata)
    if issue is None:
        issue = _meta_number(metadata, "citation_issue", "prism.number", "prism.issueidentifier")
    if volume is None:
        volume = _meta_number(metadata, "citation_volume", "prism.volume")
    for block in blocks:
        if issue is not None and volume is not None:
            break
        if len(block.text) <= _MAX_LINE and not _another_edition(block.text, published, language):
            issue = issue or _number(_ISSUE, block.text)
            volume = volume or _number(_VOLUME, block.text)
    return PrintIssue(issue, volume)


def _another_edition(line: str, published: str | None, language: str | None) -> bool:
    """Whether the line dates its issue number, and not near the article's own date (a paper
    prints tonight's article in tomorrow's edition): with no date of its own, nothing vouches."""
    if _ISSUE.search(line) is None:
        return False
    day = printed_day(line, language)
    if day is None:
        return False
    if published is None:
        return True
    return abs((day - date.fromisoformat(published[:10])).days) > _EDITION_DAYS


def issue_number(text: str) -> str | None:
    """The issue number a profile's selector points at: "Issue: 2578", "Nr. 17" or "2578"."""
    text = text.strip()
    if re.fullmatch(r"\d{1,5}", text):
        return text
    return _number(_ISSUE, text)


def _from_jsonld(metadata: Metadata) -> tuple[str | None, str | None]:
    issue = volume = None
    for node in _issue_nodes(metadata):
        issue = issue or _text(node.get("issueNumber"))
        volume = volume or _text(node.get("volumeNumber"))
    return issue, volume


def _issue_nodes(metadata: Metadata) -> Iterable[JsonObject]:
    """The article node and what it is part of, then any PublicationIssue/Volume node."""
    pending = [n for n in (metadata.article_node(),) if n is not None]
    pending += [
        n for n in metadata.jsonld if {"PublicationIssue", "PublicationVolume"} & set(node_types(n))
    ]
    seen = 0
    while pending and seen < 10:
        node = pending.pop(0)
        seen += 1
        yield node
        parent = node.get("isPartOf")
        if isinstance(parent, dict):
            pending.append(parent)


def _meta_number(metadata: Metadata, *keys: str) -> str | None:
    value = metadata.first(*keys)
    return value.strip() if value and value.strip() else None


def _text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return str(value).strip() or None


def _number(pattern: re.Pattern[str], line: str) -> str | None:
    match = pattern.search(line)
    return re.sub(r"\s", "", match.group("number")) if match else None
