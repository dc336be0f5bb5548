"""Clean strings out of markup: whitespace, element text, and loose text comparison.

Every field of an Extraction passes through here, so "the same text" means the same thing in the
headline, byline, standfirst and body rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from lxml import etree
from lxml.html import HtmlElement

# Marks where a page breaks a paragraph with <br><br>; a private-use character no page prints.
PARAGRAPH_BREAK = "\ue000"
# Zero-width characters CMSs leave in titles and names, and soft hyphens: invisible to the reader
# (or a line-end hyphen), they would hide "Geschlechtseintrag" from a search.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_INVISIBLE[ord(PARAGRAPH_BREAK)] = " "
_NOT_WORD = re.compile(r"[\W_]+")
# Han and kana; Korean writes spaces between words, so Hangul counts as any other script.
_IDEOGRAPHS = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def clean(text: str) -> str:
    """One line of text: whitespace runs (non-breaking spaces, newlines) become one space."""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def element_text(element: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None) -> str:
    """The reader-visible text of an element on one line, leaving out subtrees `skip` selects.

    A <br> counts as a space: "line<br>line" is two words, not one."""
    parts: list[str] = []
    walk = etree.iterwalk(element, events=("start", "end"))
    for event, node in walk:
        if event == "end":
            if node is not element:
                parts.append(node.tail or "")
        elif node is not element and skip is not None and skip(node):
            walk.skip_subtree()
        elif node.tag == "br":
            parts.append(" ")
        elif isinstance(node.tag, str):
            parts.append(node.text or "")
    return clean("".join(parts))


def comparable(text: str) -> str:
    """A key under which texts that differ only in case, accents or punctuation are equal."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return _NOT_WORD.sub(" ", folded).strip()


def word_count(text: str) -> int:
    """Words as a word processor counts them: runs between spaces, and every Chinese or Japanese
    character, since those scripts write no spaces (a page of Japanese is not one long word)."""
    if text.isascii():
        return len(text.split())
    ideographs = len(_IDEOGRAPHS.findall(text))
    if not ideographs:
        return len(text.split())
    return ideographs + len(_IDEOGRAPHS.sub(" ", text).split())
