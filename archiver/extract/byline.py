"""The byline as printed, found near the headline (or after the body) by class or by wording.

Three ways a page prints it: an element named for it (class byline/author, itemprop author,
<address>); a line that starts with "By"/"Von"/"Par"/"Words:"; or the end of the standfirst,
"…, writes Chris Bambery". A biography line ("Chris Bambery is the editor of…") is never a
byline, whatever its class: that is the classic mistake of generic extractors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml.html import HtmlElement

from archiver.extract.authors import BYLINE_LEAD, names_from_byline
from archiver.extract.classnames import role_words, says, vocabulary
from archiver.extract.furniture import is_particulars_line
from archiver.extract.layout import Block
from archiver.extract.text import clean, comparable, element_text, word_count

_BYLINE_WORDS = vocabulary(
    "byline byl author authors autor autoren autorin writer writers contributor contributors"
)
# Author boxes at the foot of an article hold a biography, not a byline.
_NOT_BYLINE_WORDS = vocabulary("bio biography about avatar description")
_SOCIAL_WORDS = vocabulary("twitter facebook instagram social share email mail follow")
_SOCIAL_HOSTS = re.compile(r"^(?:mailto:|https?://(?:www\.)?(?:twitter|x|facebook|instagram)\.com)")
_WRITES = re.compile(
    r"(?:^|[,;:\u2013\u2014-]\s*|\s)((?:writes|reports|argues|explains|asks|analyses|analyzes"
    r"|examines|investigates|looks at|considers|assesses)\s+[^,;:]+?)\s*\.?$",
    re.IGNORECASE,
)
_BIOGRAPHY = re.compile(
    r"\b(?:is|was|are|were|has|have|ist|war|sind|est|\u00e9tait|es|fue)\b", re.IGNORECASE
)
_SEPARATOR = re.compile(r"(\s+[|\u00b7\u2022]\s+)")
_MAX_WORDS = 20
_MAX_BIOGRAPHY_WORDS = 80
_LEVELS = 2


@dataclass(frozen=True, slots=True)
class Byline:
    text: str
    names: tuple[str, ...]


def find_byline(blocks: Iterable[Block], known_names: list[str]) -> Byline | None:
    """The first byline among the blocks, tried in the order given (header before footer)."""
    candidates = list(blocks)
    for block in candidates:
        found = _by_class(block.element) or _by_wording(block.text)
        if found is not None:
            return found
    keys = [comparable(n) for n in known_names]
    for block in candidates:  # a line printing a name the metadata gives, without any lead word
        key = block.key
        if word_count(block.text) <= _MAX_WORDS // 2 and any(k and k in key for k in keys):
            return Byline(block.text, tuple(n for n in known_names if comparable(n) in key))
    return None


def find_biography(blocks: Iterable[Block], names: Iterable[str]) -> str | None:
    """The author's biography line printed right after the text ("Sam Lorde is a housing
    worker..."): part of the article, though templates style it apart and trafilatura drops it."""
    starts = tuple(f"{name} " for name in names)
    for block in blocks:
        text = block.text
        if starts and text.startswith(starts) and _BIOGRAPHY.search(text):
            return text if word_count(text) <= _MAX_BIOGRAPHY_WORDS else None
    return None


def _by_class(element: HtmlElement) -> Byline | None:
    if element.tag != "address" and not _in_byline_element(element):
        return None
    if says(element, _NOT_BYLINE_WORDS, levels=_LEVELS):
        return None
    text = _visible_text(element)
    if _is_biography(text):
        return None
    return _byline(text)


def _in_byline_element(element: HtmlElement) -> bool:
    """Whether the element or a near ancestor is named for the byline and is small: WordPress
    names a whole post "author-<slug>", which says nothing about the blocks inside it."""
    current: HtmlElement | None = element
    for _ in range(_LEVELS + 1):
        if current is None:
            return False
        if not role_words(current).isdisjoint(_BYLINE_WORDS):
            return word_count(element_text(current)) <= _MAX_WORDS * 2
        current = current.getparent()
    return False


def _by_wording(text: str) -> Byline | None:
    if word_count(text) <= _MAX_WORDS and BYLINE_LEAD.match(text) and not _is_biography(text):
        found = _byline(text)
        if found is not None:
            return found
    match = _WRITES.search(text)
    return _byline(match.group(1)) if match else None


def _byline(text: str) -> Byline | None:
    """The byline of a line that may also print the date and issue: "By X \u00b7 4 Mar 2006"."""
    segments = _SEPARATOR.split(text)
    printed = "" if is_particulars_line(segments[0].strip()) else segments[0]
    for separator, segment in zip(segments[1::2], segments[2::2], strict=True):
        if not is_particulars_line(segment.strip()):
            printed = printed + separator + segment if printed else segment
    printed = clean(printed)
    names = names_from_byline(printed)
    return Byline(printed, tuple(names)) if names else None


def _is_biography(text: str) -> bool:
    return word_count(text) > _MAX_WORDS or bool(_BIOGRAPHY.search(text))


def _visible_text(element: HtmlElement) -> str:
    """The element's text without the social-media links bylines often carry."""
    return element_text(element, skip=_is_social)


def _is_social(element: HtmlElement) -> bool:
    if element.tag != "a":
        return False
    if _SOCIAL_HOSTS.match(element.get("href") or ""):
        return True
    return not role_words(element).isdisjoint(_SOCIAL_WORDS)
