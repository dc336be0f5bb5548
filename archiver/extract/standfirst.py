"""The standfirst: the summary printed between the headline and the article text.

Found by class (standfirst, dek, lede, lead, summary, intro, subtitle, teaser...) among the first
blocks after the headline, else as the sentence-like block that sits between the headline and
the first paragraph of the text. Never the first body paragraph itself: a page without a
standfirst has none.
"""

from __future__ import annotations

from collections.abc import Sequence

from archiver.extract.authors import BYLINE_LEAD
from archiver.extract.classnames import says, vocabulary
from archiver.extract.furniture import is_furniture_text
from archiver.extract.layout import Block, link_share
from archiver.extract.text import word_count

_STANDFIRST_WORDS = vocabulary(
    """
    standfirst dek deck lede lead leadin summary intro introduction kicker subtitle subheadline
    strapline strap excerpt teaser abstract description subline vorspann chapo chapeau
    """
)
_MIN_WORDS, _MAX_CHARS = 4, 600
_FALLBACK_MIN_WORDS = 8
_FALLBACK_TAGS = vocabulary("p h2 h3 div span")


def find_standfirst(
    after_headline: Sequence[Block], header: Sequence[Block], text: Sequence[Block]
) -> Block | None:
    """`after_headline`: the first blocks after the headline; `header`: those before the text;
    `text`: blocks printing the text's first paragraphs."""
    for block in after_headline:
        if (
            says(block.element, _STANDFIRST_WORDS, levels=1)
            and _reads_like_summary(block, _MIN_WORDS)
            and not _opens_text(block, text)
        ):
            return block
    for block in header:
        if (
            block.element.tag in _FALLBACK_TAGS
            and _reads_like_summary(block, _FALLBACK_MIN_WORDS)
            and not BYLINE_LEAD.match(block.text)
        ):
            return block
    return None


def _opens_text(block: Block, text: Sequence[Block]) -> bool:
    """Whether a "summary" paragraph is the text's first paragraph, styled (speakable-summary):
    it sits among the text's paragraphs, and the headline is not printed in there with it."""
    parent = block.element.getparent()
    if parent is None or next(parent.iter("h1"), None) is not None:
        return False
    return any(b is not block and b.element.getparent() is parent for b in text)


def _reads_like_summary(block: Block, min_words: int) -> bool:
    return (
        block.element.tag != "h1"
        and min_words <= word_count(block.text)
        and len(block.text) <= _MAX_CHARS
        and not is_furniture_text(block.text)
        and link_share(block.element) < 0.5
    )
