"""What an element's class, id and itemprop say about its role on the page.

Many rules here are class-name heuristics ("byline", "standfirst", "share", "promo"), the
vocabulary news templates share across CMSs. Names are split into words so that
"article-title__dek", "typo-r-subline-detail" and "articleByline" all speak plainly.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from lxml.html import HtmlElement

_SPLIT = re.compile(r"[\s_\-:./]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ROLE_ATTRIBUTES = frozenset(("class", "id", "itemprop", "role"))
_NO_WORDS: frozenset[str] = frozenset()


def vocabulary(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string, the way rules list them."""
    return frozenset(words.split())


def role_words(element: HtmlElement) -> frozenset[str]:
    """Lower-case words of the element's class, id, itemprop and role attributes."""
    if _ROLE_ATTRIBUTES.isdisjoint(element.keys()):  # most elements: one call, not four reads
        return _NO_WORDS
    get = element.get
    return _words(get("class"), get("id"), get("itemprop"), get("role"))


@lru_cache(maxsize=8192)
def _words(*values: str | None) -> frozenset[str]:
    """Templates repeat a few hundred names on thousands of elements: split each name once."""
    words: set[str] = set()
    for value in values:
        if value:
            words.update(t.lower() for t in _SPLIT.split(_CAMEL.sub(" ", value)) if t)
    return frozenset(words)


def says(element: HtmlElement, words: Collection[str], levels: int = 0) -> bool:
    """Whether the element, or one of its `levels` nearest ancestors, uses one of the words."""
    current: HtmlElement | None = element
    for _ in range(levels + 1):
        if current is None or not isinstance(current.tag, str):
            return False
        if not role_words(current).isdisjoint(words):
            return True
        current = current.getparent()
    return False
