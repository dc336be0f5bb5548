"""Clean strings out of markup: whitespace, element text, and loose text comparison.

Every field of an Extraction passes through here, so "the same text" means the same thing in the
headline, byline, standfirst and body rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

# Marks where a page breaks a paragraph with <br><br>; a private-use character no page prints.
PARAGRAPH_BREAK = "\ue000"
# Zero-width characters CMSs leave in titles and names, and soft hyphens: invisible to the reader
# (or a line-end hyphen), they would hide "Geschlechtseintrag" from a search.
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_INVISIBLE[ord(PARAGRAPH_BREAK)] = " "
_TRANSLATED = (*_INVISIBLE_CHARS, PARAGRAPH_BREAK)
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_NOT_WORD = re.compile(r"[\W_]+")
# Most comparable() input is ASCII or nearly so, and regexes walk text a character at a time:
# ASCII bytes other than letters and digits become spaces in one C pass (bytes.translate), and
# the characters that are not ASCII are found by deleting the ASCII bytes.
_ASCII_WORD = bytes(c if c >= 0x80 or chr(c).isalnum() else ord(" ") for c in range(256))
# The same for ASCII text, lower-cased as well (casefold() of ASCII is lower()). Not for text
# casefolded and decomposed: NFKD makes capitals of some characters ("\u2122" is "TM").
_ASCII_KEY = bytes(ord(chr(c).lower()) if c < 0x80 and chr(c).isalnum() else 32 for c in range(256))
_ASCII = bytes(range(0x80))
_FEW_OTHER_BYTES = 256
# Han and kana; Korean writes spaces between words, so Hangul counts as any other script.
_IDEOGRAPHS = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_BELOW_E3 = bytes(range(0xE3))
# Combining marks (accents once NFKD splits them off their letters): dropped, not spaced.
_COMBINING_RANGES = (
    (0x300, 0x36F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
_COMBINING = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _COMBINING_RANGES) + "]")
_COMBINING_MARKS = frozenset(chr(c) for a, b in _COMBINING_RANGES for c in range(a, b + 1))


def clean(text: str) -> str:
    """One line of text: whitespace runs (non-breaking spaces, newlines) become one space."""
    # Printable text holds no whitespace but plain spaces and nothing to translate (those are
    # all unprintable): most text is one such line already, and is kept as it is. ASCII text
    # is printable without unprintable bytes, which bytes.translate finds faster.
    if text.isascii():
        printable = not text.encode().translate(None, _PRINTABLE_ASCII)
    else:
        printable = text.isprintable()
    if printable and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    # str.translate walks a non-ASCII string char by char in Python objects: only when needed.
    if not printable and not text.isascii() and any(c in text for c in _TRANSLATED):
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
    if text.isascii():  # most text: case and punctuation go in one C pass (bytes.translate)
        return b" ".join(text.encode().translate(_ASCII_KEY).split()).decode()
    # surrogatepass: a lone surrogate (JSON-LD may escape one) is a non-word character like any.
    encoded = text.encode("utf-8", "surrogatepass")
    others = set(encoded.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
    if all(map(_is_punctuation, others)):  # ASCII with curly quotes and dashes, most others
        for char in others:
            encoded = encoded.replace(char.encode("utf-8", "surrogatepass"), b" ")
        return b" ".join(encoded.translate(_ASCII_KEY).split()).decode()
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
    encoded = folded.encode("utf-8", "surrogatepass")
    spaced_bytes = encoded.translate(_ASCII_WORD)
    if spaced_bytes.isascii():
        return b" ".join(spaced_bytes.split()).decode()
    spaced = spaced_bytes.decode("utf-8", "surrogatepass")
    others = encoded.translate(None, _ASCII)
    if len(others) > _FEW_OTHER_BYTES:  # a script other than Latin: many distinct characters
        spaced = _NOT_WORD.sub(" ", _COMBINING.sub("", spaced))
    else:  # Latin with a few quotes, dashes and accents: each of them dealt with in one C pass
        for char in set(others.decode("utf-8", "surrogatepass")):
            if char in _COMBINING_MARKS:
                spaced = spaced.replace(char, "")
            elif not char.isalnum():
                spaced = spaced.replace(char, " ")
    return " ".join(spaced.split())


@lru_cache(maxsize=4096)
def _is_punctuation(char: str) -> bool:
    """Whether comparable() makes a space of the character, and of it alone: no letter or digit,
    and kept as it is by casefold() and NFKD, which only reorder combining characters."""
    return (
        not char.isalnum()
        and char not in _COMBINING_MARKS
        and not unicodedata.combining(char)
        and char.casefold() == char
        and unicodedata.normalize("NFKD", char) == char
    )


def word_count(text: str) -> int:
    """Words as a word processor counts them: runs between spaces, and every Chinese or Japanese
    character, since those scripts write no spaces (a page of Japanese is not one long word)."""
    if text.isascii() or not _from_u3000(text):
        return len(text.split())
    ideographs = len(_IDEOGRAPHS.findall(text))
    if not ideographs:
        return len(text.split())
    return ideographs + len(_IDEOGRAPHS.sub(" ", text).split())


def _from_u3000(text: str) -> bool:
    """Whether the text holds a character from U+3000 on, where the ideographs start: in UTF-8
    only those lead with a byte of 0xE3 or more, and bytes.translate finds them in one C pass
    (the regex would walk a long text character by character)."""
    return bool(text.encode("utf-8", "surrogatepass").translate(None, _BELOW_E3))
