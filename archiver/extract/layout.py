"""The page as a reader scans it: text blocks in reading order, and which are hidden.

Headline, standfirst, byline, date and issue rules look at "the blocks after the headline" or
"the blocks after the body"; this module answers such questions by document position, so that
no rule walks the tree on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

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
# A run of a block's own text: start, the block's position, stop, text, the block, hidden.
_Run = tuple[float, int, float, str, HtmlElement, bool]
_RUN_ORDER = itemgetter(0, 1)


class Block(NamedTuple):
    """One run of text (a NamedTuple: as immutable as a frozen dataclass, and made in a third of
    the time, which counts at hundreds a page)."""

    element: HtmlElement
    """The block element; a container's loose text makes blocks of the container too."""
    text: str
    position: float
    """Where the text starts in document order (an element's index; runs of loose text after a
    child block sit half-way between indices)."""
    end: float
    """Where the text ends."""
    hidden: bool
    key: str
    """comparable(text), which the rules match blocks by."""


class Layout:
    """Text blocks of one page in document order, with lookup by position and by text."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._order: dict[HtmlElement, int] = {}
        self._text_keys: dict[str, str] = {}
        order = self._order
        verdicts: dict[HtmlElement, bool] = {}
        runs: list[_Run] = []
        # One walk of the page: each block's own text is gathered until a child block
        # interrupts it, and resumes after that child's last element (the parser keeps no
        # comments, so every node walked is an element and its walk index is its position).
        open_blocks: list[_OpenBlock] = []
        current: _OpenBlock | None = None  # the innermost open block, whose run `parts` gathers
        parts: list[str] = []
        position = -1
        for event, node in etree.iterwalk(tree, events=("start", "end")):
            if event == "start":
                position += 1
                order[node] = position
                tag = node.tag
                if tag in BLOCK_TAGS:
                    if current is not None:
                        current.close_run(position - 0.5, runs)
                    parts = [node.text or ""]
                    current = _OpenBlock(
                        node, position, _is_hidden(node, verdicts), position, parts
                    )
                    open_blocks.append(current)
                elif current is not None:
                    parts.append(" " if tag == "br" else node.text or "")
            elif current is None:
                continue
            elif current.element is node:  # the block ends
                open_blocks.pop().close_run(position, runs)
                current = open_blocks[-1] if open_blocks else None
                if current is not None:
                    parts = [node.tail or ""]
                    current.resume(position + 0.5, parts)
            else:
                parts.append(node.tail or "")
        # Page order; a parent's run and a child's that start at one position keep the
        # parent's first.
        runs.sort(key=_RUN_ORDER)
        self.blocks: tuple[Block, ...] = tuple(
            Block(element, text, start, stop, hidden, self.key(text))
            for start, _, stop, text, element, hidden in runs
        )
        self._texts = set(self._text_keys)
        self._positions = [b.position for b in self.blocks]
        self._keys = [b.key for b in self.blocks]
        self._by_text: dict[str, list[int]] = {}
        for index, key in enumerate(self._keys):
            self._by_text.setdefault(key, []).append(index)

    def key(self, text: str) -> str:
        """comparable(text), computed once a page: the rules locate, tidy and compare the same
        paragraphs many times over, and most of them print as one of the blocks."""
        key = self._text_keys.get(text)
        if key is None:
            key = self._text_keys[text] = comparable(text)
        return key

    def clean(self, text: str) -> str:
        """clean(text), which a block's text is already: extracted paragraphs mostly print as
        blocks, and looking one up costs its hash, which key() needs of it anyway."""
        return text if text in self._texts else clean(text)

    def position(self, element: HtmlElement) -> int:
        return self._order.get(element, -1)

    def end(self, element: HtmlElement) -> int:
        """Position of the last element inside `element` (itself when it is empty)."""
        last = element
        while len(last):
            last = last[-1]
        return self._order.get(last, self.position(element))

    def elements(self, tag: str, start: float, stop: float) -> list[HtmlElement]:
        """Elements of one tag strictly between two positions, in page order."""
        return [e for e in self._tree.iter(tag) if start < self.position(e) < stop]

    def between(self, start: float, stop: float) -> list[Block]:
        """Visible blocks strictly after position `start` and before position `stop`."""
        low = bisect_right(self._positions, start)
        high = bisect_left(self._positions, stop)
        return [b for b in self.blocks[low:high] if not b.hidden]

    def locate(self, text: str, after: float = -1) -> Block | None:
        """The first block after position `after` showing this text (extracted text may differ
        in spacing, or run on where the page splits it)."""
        key = self.key(text)
        if not key:
            return None
        start = bisect_right(self._positions, after)
        exact = self._by_text.get(key, ())
        first = bisect_left(exact, start)  # block indices in page order
        index = exact[first] if first < len(exact) else None
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


@dataclass(slots=True)
class _OpenBlock:
    """A block element being walked, and the run of its own text being gathered."""

    element: HtmlElement
    order: int
    """The element's position."""
    hidden: bool
    start: float
    """Where the run being gathered starts."""
    parts: list[str]

    def close_run(self, stop: float, runs: list[_Run]) -> None:
        """Add the run gathered so far to `runs`, if it holds any text."""
        text = "".join(self.parts)
        if text and not text.isspace():  # most runs are the indentation between child blocks
            text = clean(text)
            if text:
                runs.append((self.start, self.order, stop, text, self.element, self.hidden))

    def resume(self, start: float, parts: list[str]) -> None:
        """Gather a new run after a child block, from the text following it."""
        self.start, self.parts = start, parts


def _is_hidden(element: HtmlElement, verdicts: dict[HtmlElement, bool]) -> bool:
    """Whether the element or an ancestor hides it; `verdicts` holds those reached so far.
    Asked of blocks only, not of the inline elements that are most of a page: a block's
    ancestors are mostly blocks, whose verdicts are known already."""
    unknown = []
    verdict = False
    current: HtmlElement | None = element
    while current is not None:
        known = verdicts.get(current)
        if known is not None:
            verdict = known
            break
        unknown.append(current)
        current = current.getparent()
    for current in reversed(unknown):
        verdict = verdicts[current] = verdict or _hides(current)
    return verdict


def _hides(element: HtmlElement) -> bool:
    if not element.keys():  # most paragraphs: one call, where each attribute read is another
        return False
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style, names = element.get("style") or "", element.get("class") or ""
    if not _may_hide(style, names):
        return False
    if _HIDDEN_STYLE.search(style):
        return True
    return any(
        token in _HIDDEN_CLASSES or token.endswith(("-hidden", "_hidden"))
        for token in names.lower().split()
    )


def _may_hide(style: str, names: str) -> bool:
    """Whether the style or class holds a word hiding is written with (case-sensitive): plain
    substring tests that leave the full rules only the few elements that may hide."""
    return (
        "none" in style
        or "hidden" in style
        or "hid" in names
        or "invisible" in names
        or "none" in names
        or "only" in names
        or "screen-reader" in names
        or "visually" in names
        or "Hid" in names
        or "HID" in names
    )


def link_share(element: HtmlElement) -> float:
    """Share of the element's text that sits inside links: high for menus and teaser lists."""
    total = len(element_text(element))
    if not total:
        return 0.0
    linked = sum(len(element_text(a)) for a in element.iter("a"))
    return min(1.0, linked / total)
