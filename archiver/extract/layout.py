"""The page as a reader scans it: text blocks in reading order, and which are hidden.

Headline, standfirst, byline, date and issue rules look at "the blocks after the headline" or
"the blocks after the body"; this module answers such questions by document position, so that
no rule walks the tree on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from archiver.extract.classnames import vocabulary
from archiver.extract.text import clean, comparable, element_text

# Elements that start a new line of text. A block is a run of text inside one of these, up to
# the next of them: a <p> holding an ad <aside> (libxml2 nests them) is still a paragraph, and
# "By <a>Name</a>" loose in a container is a block of its own.
BLOCK_TAGS = vocabulary(
    """
    p div h1 h2 h3 h4 h5 h6 li dd dt address blockquote figcaption figure td th tr table ul ol dl
    section article header footer aside main nav form pre caption
    """
)
# Whole class tokens only: "hidden-xs" hides on phones alone and must not hide an article.
_HIDDEN_CLASSES = vocabulary(
    "hidden hide invisible d-none sr-only screen-reader-text visually-hidden"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_MATCH_PREFIX = 60
# XPath (in C) finds the few elements that may hide themselves; _hides then decides.
_MAY_HIDE = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(@style, 'none') or contains(@style, 'hidden')"
    " or contains(@class, 'hid') or contains(@class, 'invisible') or contains(@class, 'none')"
    " or contains(@class, 'only') or contains(@class, 'screen-reader')"
    " or contains(@class, 'visually') or contains(@class, 'Hid') or contains(@class, 'HID')]"
)


@dataclass(frozen=True, slots=True)
class Block:
    element: HtmlElement
    """The block element; a container's loose text makes blocks of the container too."""
    text: str
    position: float
    """Where the text starts in document order (an element's index; runs of loose text after a
    child block sit half-way between indices)."""
    end: float
    """Where the text ends."""
    hidden: bool


class Layout:
    """Text blocks of one page in document order, with lookup by position and by text."""

    def __init__(self, tree: HtmlElement) -> None:
        self._order: dict[HtmlElement, int] = {}
        hidden: dict[HtmlElement, bool] = {}
        hiding = {e for e in _MAY_HIDE(tree) if _hides(e)}
        for position, element in enumerate(tree.iter()):
            if isinstance(element.tag, str):
                self._order[element] = position
                hidden[element] = hidden.get(element.getparent(), False) or element in hiding
        blocks = [
            Block(element, text, start, stop, hidden[element])
            for element in self._order
            if element.tag in BLOCK_TAGS
            for start, stop, text in self._runs(element)
        ]
        blocks.sort(key=lambda b: b.position)
        self.blocks: tuple[Block, ...] = tuple(blocks)
        self._positions = [b.position for b in blocks]
        self._keys = [comparable(b.text) for b in blocks]
        self._by_text: dict[str, list[int]] = {}
        for index, key in enumerate(self._keys):
            self._by_text.setdefault(key, []).append(index)

    def position(self, element: HtmlElement) -> int:
        return self._order.get(element, -1)

    def end(self, element: HtmlElement) -> int:
        """Position of the last element inside `element` (itself when it is empty)."""
        last = element
        while len(last):
            last = last[-1]
        return self._order.get(last, self.position(element))

    def _runs(self, element: HtmlElement) -> Iterator[tuple[float, float, str]]:
        """Runs of the element's own text, split where a child block interrupts it."""
        parts: list[str] = []
        start: float = self._order[element]
        walk = etree.iterwalk(element, events=("start", "end"))
        for event, node in walk:
            if node is element:
                if event == "start":
                    parts.append(node.text or "")
            elif event == "start" and node.tag in BLOCK_TAGS:
                yield from _text_run(start, self._order[node] - 0.5, parts)
                walk.skip_subtree()
            elif event == "start":
                parts.append(" " if node.tag == "br" else node.text or "")
            elif node.tag in BLOCK_TAGS:
                parts, start = [node.tail or ""], self.end(node) + 0.5
            else:
                parts.append(node.tail or "")
        yield from _text_run(start, self.end(element), parts)

    def elements(self, tag: str, start: float, stop: float) -> list[HtmlElement]:
        """Elements of one tag strictly between two positions, in page order."""
        return [e for e, p in self._order.items() if start < p < stop and e.tag == tag]

    def between(self, start: float, stop: float) -> list[Block]:
        """Visible blocks strictly after position `start` and before position `stop`."""
        low = bisect_right(self._positions, start)
        high = bisect_left(self._positions, stop)
        return [b for b in self.blocks[low:high] if not b.hidden]

    def locate(self, text: str, after: float = -1) -> Block | None:
        """The first block after position `after` showing this text (extracted text may differ
        in spacing, or run on where the page splits it)."""
        key = comparable(text)
        if not key:
            return None
        start = bisect_right(self._positions, after)
        exact = self._by_text.get(key, ())
        index = next((i for i in exact if i >= start), None)
        if index is None:
            prefix = key[:_MATCH_PREFIX]
            index = next(
                (i for i in range(start, len(self._keys)) if self._keys[i].startswith(prefix)), None
            )
        return self.blocks[index] if index is not None else None

    def align(self, texts: Iterable[str], after: float = -1) -> list[Block | None]:
        """Blocks printing the texts in order, each found after the previous one found."""
        found: list[Block | None] = []
        for text in texts:
            block = self.locate(text, after)
            found.append(block)
            if block is not None:
                after = block.position
        return found


def _text_run(start: float, stop: float, parts: list[str]) -> Iterator[tuple[float, float, str]]:
    text = clean("".join(parts))
    if text:
        yield start, stop, text


def _hides(element: HtmlElement) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    return any(
        token in _HIDDEN_CLASSES or token.endswith(("-hidden", "_hidden"))
        for token in (element.get("class") or "").lower().split()
    )


def link_share(element: HtmlElement) -> float:
    """Share of the element's text that sits inside links: high for menus and teaser lists."""
    total = len(element_text(element))
    if not total:
        return 0.0
    linked = sum(len(element_text(a)) for a in element.iter("a"))
    return min(1.0, linked / total)
