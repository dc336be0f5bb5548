"""Where a page prints an article's particulars: the zones around the text trafilatura found.

Between the headline and the first paragraph (the header) pages print standfirst, byline, date
and issue; after the last paragraph, inside the article (the footer), they print them again or
for the first time; a few blocks above the headline hold a topline or a date line. The text
itself is not searched (but for its first line, where some pages put "By ..."), so prose about
"No. 10" or a date in 1917 stays prose.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from lxml.html import HtmlElement

from archiver.extract.classnames import vocabulary
from archiver.extract.furniture import is_furniture_element
from archiver.extract.headline import Headline
from archiver.extract.layout import Block, Layout

_END = sys.maxsize
_AFTER_HEADLINE = 15
_HEADER_BLOCKS = 25
_ABOVE_HEADLINE = 6
_FOOTER_BLOCKS = 30
_FOOTER_BYLINE_BLOCKS = 10
_BIOGRAPHY_BLOCKS = 3
_TEXT_BLOCKS = 5
_FURNITURE_LEVELS = 3
_SUBTITLE_TAGS = vocabulary("h2 h3 h4")


@dataclass(frozen=True, slots=True)
class Zones:
    above: list[Block]
    """A few blocks above the headline inside the article (topline, section and date line)."""
    after_headline: list[Block]
    """The first blocks after the headline, whatever they are."""
    header: list[Block]
    """Between the headline and the first paragraph of the text."""
    footer: list[Block]
    """After the last paragraph of the text, inside the article."""
    text: list[Block]
    """Blocks printing the first paragraphs of the text."""
    root: HtmlElement | None = None
    """The smallest element holding headline and text (None when that is the whole page)."""

    @property
    def around(self) -> list[Block]:
        """Every block near the text, where dates and issue numbers are printed."""
        return [*self.above, *self.header, *self.footer]

    def standfirst_candidates(self) -> list[Block]:
        """The header, and a heading opening the text: a subtitle, not a subheading."""
        first = self.text[0] if self.text else None
        if first is not None and first.element.tag in _SUBTITLE_TAGS:
            return [*self.header, first]
        return list(self.header)

    def byline_candidates(self, standfirst: Block | None) -> list[Block]:
        """Standfirst and header, the text's first block, then the top of the footer."""
        header = list(self.header)
        if standfirst is not None and standfirst not in header:
            header.insert(0, standfirst)
        return header + self.text[:1] + self.footer[:_FOOTER_BYLINE_BLOCKS]

    def after_text(self) -> list[Block]:
        """The first blocks after the text, where an author's biography line is printed."""
        return self.footer[:_BIOGRAPHY_BLOCKS]

    def time_elements(self, tree: HtmlElement, layout: Layout) -> list[HtmlElement]:
        """<time datetime> elements printed around the text, and any marked datePublished."""
        spans = [(b.position, b.end) for b in self.around]
        found = []
        for element in tree.iter("time"):
            if element.get("datetime") is None:
                continue
            position = layout.position(element)
            marked = (element.get("itemprop") or "").lower() == "datepublished"
            if marked or any(start <= position <= end for start, end in spans):
                found.append(element)
        return found


def find_zones(layout: Layout, headline: Headline, paragraphs: list[str]) -> Zones:
    heading = headline.block
    located = layout.align(paragraphs, heading.position if heading is not None else -1)
    text = [b for b in located if b is not None]
    text_start = text[0].position if text else _END
    text_end = text[-1].end if text else _END
    if heading is not None:
        start = layout.end(heading.element)
    else:  # no printed headline: the header is what comes just before the text
        before = layout.between(-1, text_start)[-_HEADER_BLOCKS:]
        start = before[0].position - 1 if before else -1
    root = _article_root(heading, text[0] if text else None)
    above: list[Block] = []
    if root is not None and heading is not None:
        above = layout.between(layout.position(root), heading.position)[-_ABOVE_HEADLINE:]
    footer_end = layout.end(root) + 1 if root is not None else _END
    # The zones overlap (the header is most of the blocks after the headline), and blocks share
    # the ancestors tried: each element's verdict is reached once.
    furniture: dict[HtmlElement, bool] = {}
    return Zones(
        above=_outside_furniture(above, furniture),
        after_headline=_outside_furniture(layout.between(start, _END)[:_AFTER_HEADLINE], furniture),
        header=_outside_furniture(layout.between(start, text_start)[:_HEADER_BLOCKS], furniture),
        footer=layout.between(text_end, footer_end)[:_FOOTER_BLOCKS],
        text=text[:_TEXT_BLOCKS],
        root=root,
    )


def _article_root(heading: Block | None, first: Block | None) -> HtmlElement | None:
    """The smallest element holding both headline and text, unless that is the whole page."""
    if heading is None or first is None:
        return None
    ancestors = set(first.element.iterancestors())
    for element in heading.element.iterancestors():
        if element in ancestors:
            return None if element.tag in ("body", "html") else element
    return None


def _outside_furniture(blocks: list[Block], furniture: dict[HtmlElement, bool]) -> list[Block]:
    """Blocks not in a figure, caption, share bar or other furniture (checked a few levels up);
    `furniture` holds the verdicts on elements reached so far."""
    return [b for b in blocks if not _in_furniture(b.element, furniture)]


def _in_furniture(element: HtmlElement | None, furniture: dict[HtmlElement, bool]) -> bool:
    for _ in range(_FURNITURE_LEVELS):
        if element is None:
            return False
        verdict = furniture.get(element)
        if verdict is None:
            verdict = furniture[element] = is_furniture_element(element)
        if verdict:
            return True
        element = element.getparent()
    return False
