"""The article text: trafilatura over the page with its furniture pruned, then tidied paragraphs.

trafilatura finds the main text well but keeps what sits inside the article container:
captions, share bars, promo boxes, newsletter prompts. Those elements are marked in our tree and
pruned from trafilatura's copy (it copies the tree, so ours stays whole for the other rules);
what still slips through is dropped per paragraph, with exact repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import trafilatura
from lxml.html import HtmlElement

from archiver.extract.furniture import is_caption, is_furniture_element, is_furniture_text
from archiver.extract.layout import Layout
from archiver.extract.text import PARAGRAPH_BREAK, clean, comparable

_MARK = "data-archiver-furniture"
_MAX_FURNITURE_SHARE = 1 / 3
# trafilatura's output tags; "div" comes from its fallback extractors.
_CONTAINERS = ("list", "quote", "table", "div")
_UNITS = ("p", "head", "item", "row", "quote", "list", "table", "code", "div")


def extract_paragraphs(
    tree: HtmlElement, layout: Layout, keep: Iterable[HtmlElement], url: str
) -> list[str]:
    """Paragraphs trafilatura finds once furniture is pruned; `keep` elements are never pruned."""
    _mark_furniture(tree, layout, keep)
    _mark_paragraph_breaks(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_images=False,
        include_links=False,
        prune_xpath=f"//*[@{_MARK}]",
    )
    if document is None or document.body is None:
        return []
    for line_break in document.body.iter("lb"):  # one <br>: the words either side stay apart
        line_break.text = " "
    return list(_paragraphs(document.body))


def tidy(paragraphs: Iterable[str], captions: set[str], drop: set[str]) -> list[str]:
    """Paragraphs without captions, furniture lines, the `drop` texts and repeats."""
    seen = set(drop)
    kept = []
    for paragraph in paragraphs:
        key = comparable(paragraph)
        if (
            not key
            or key in seen
            or is_furniture_text(paragraph)
            or is_caption(paragraph, captions)
        ):
            continue
        seen.add(key)
        kept.append(paragraph)
    return kept


def _mark_furniture(tree: HtmlElement, layout: Layout, keep: Iterable[HtmlElement]) -> None:
    kept = list(keep)
    dense = _densest_container(layout)
    if dense is not None:
        kept.append(dense)
    protected = {a for element in kept for a in (element, *element.iterancestors())}
    body = tree.find("body")
    if body is None:
        return
    # A wrapper holding much of the page is layout ("l-sidebar-fixed"), not furniture.
    most = len(body.text_content()) * _MAX_FURNITURE_SHARE
    for element in body.iter():
        if (
            isinstance(element.tag, str)
            and element not in protected
            and is_furniture_element(element)
            and len(element.text_content()) <= most
        ):
            element.set(_MARK, "")
    article = _main_article(kept)
    while article is not None and article.tag != "body":
        for sibling in article.itersiblings(preceding=True):
            sibling.set(_MARK, "")
        for sibling in article.itersiblings():
            sibling.set(_MARK, "")
        article = article.getparent()


def _mark_paragraph_breaks(tree: HtmlElement) -> None:
    """Mark <br><br>, which old templates print between paragraphs: trafilatura makes one line
    break of it, and the paragraphs would run together."""
    for line_break in tree.iter("br"):
        following = line_break.getnext()
        if following is not None and following.tag == "br" and not (line_break.tail or "").strip():
            line_break.tail = PARAGRAPH_BREAK


def _main_article(kept: list[HtmlElement]) -> HtmlElement | None:
    """The <article> holding headline and text: what lies outside it is another page's teaser."""
    if not kept:
        return None
    for article in kept[0].iterancestors("article"):
        if all(article in e.iterancestors() or e is article for e in kept[1:]):
            return article
    return None


def _densest_container(layout: Layout) -> HtmlElement | None:
    """The element holding the most paragraph text directly: the article text's own container."""
    weight: dict[HtmlElement, int] = {}
    for block in layout.blocks:
        parent = block.element.getparent()
        if block.element.tag == "p" and parent is not None:
            weight[parent] = weight.get(parent, 0) + len(block.text)
    return max(weight, key=weight.__getitem__, default=None)


def _paragraphs(container: HtmlElement) -> Iterator[str]:
    """Paragraphs of trafilatura's output tree, whose loose text may sit in tails of headings."""
    run = [container.text or ""]
    for child in container:
        if child.tag in _UNITS:
            yield from _split("".join(run))
            run = []
            if child.tag in _CONTAINERS and any(c.tag in _UNITS for c in child):
                yield from _paragraphs(child)
            elif child.tag == "row":
                yield clean(" ".join(clean("".join(cell.itertext())) for cell in child))
            else:
                yield from _split("".join(child.itertext()))
        else:  # inline markup: hi, ref, lb
            run.append("".join(child.itertext()))
        run.append(child.tail or "")
    yield from _split("".join(run))


def _split(text: str) -> list[str]:
    """Paragraphs of a text: two <br> part paragraphs, one is a space."""
    return [p for p in (clean(part) for part in text.split(PARAGRAPH_BREAK)) if p]
