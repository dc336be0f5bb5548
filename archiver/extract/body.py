"""The article text: trafilatura over the page with its furniture pruned, then tidied paragraphs.

trafilatura finds the main text well but keeps what sits inside the article container:
captions, share bars, promo boxes, newsletter prompts. Those elements are marked in our tree and
pruned from trafilatura's copy (it copies the tree, so ours stays whole for the other rules);
what still slips through is dropped per paragraph, with exact repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from copy import copy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from archiver.extract.classnames import role_words, vocabulary
from archiver.extract.furniture import (
    is_appeal_box,
    is_caption,
    is_furniture_text,
    is_named_furniture,
    teaser_cards,
)
from archiver.extract.layout import Layout, link_share
from archiver.extract.text import PARAGRAPH_BREAK, clean, word_count

_MARK = "data-archiver-furniture"
# The marked elements, by way of their marks: a predicate tried on every element costs more.
_PRUNE = f"//@{_MARK}/.."
# Only the body tree is read: a text output format spares its rendering as plain text, which
# the "python" format makes.
_OPTIONS = Extractor(output_format="txt", fast=True, comments=False, images=False, links=False)
_MAX_FURNITURE_SHARE = 1 / 3
# trafilatura's output tags; "div" comes from its fallback extractors.
_CONTAINERS = ("list", "quote", "table", "div")
_APPEAL_BLOCKS = ("p", "h1", "h2", "h3", "h4")
_DROP_CAP_WORDS = vocabulary("initial dropcap drop cap firstletter first letter capital")
_CHUNK_LEVELS, _CHUNK_PARAGRAPHS, _CHUNK_WORDS, _CHUNK_LINKED = 3, 2, 10, 0.5
_UNITS = ("p", "head", "item", "row", "quote", "list", "table", "code", "div")


def extract_paragraphs(
    tree: HtmlElement,
    layout: Layout,
    keep: Iterable[HtmlElement],
    url: str,
    prune: Iterable[HtmlElement] = (),
) -> list[str]:
    """Paragraphs trafilatura finds once furniture is pruned; `keep` elements are never pruned,
    `prune` elements (a profile's furniture) always are."""
    for element in prune:
        element.set(_MARK, "")
    _mark_furniture(tree, layout, keep)
    _mark_paragraph_breaks(tree)
    _join_drop_caps(tree)
    document = trafilatura.bare_extraction(tree, prune_xpath=_PRUNE, options=_options(url))
    if document is None or document.body is None:
        return []
    for line_break in document.body.iter("lb"):  # one <br>: the words either side stay apart
        line_break.text = " "
    return _with_other_chunks(tree, layout, list(_paragraphs(document.body, layout)))


def _options(url: str) -> Extractor:
    """trafilatura's options for one page: a copy of _OPTIONS naming its URL, as trafilatura's
    own command line sets one Extractor's URL per page (building one reads its config again)."""
    options = copy(_OPTIONS)
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")
    return options


def _with_other_chunks(tree: HtmlElement, layout: Layout, paragraphs: list[str]) -> list[str]:
    """The text with the chunks trafilatura left out: templates cut a long text into several
    containers of one kind (the same tag and class) around ads, and trafilatura keeps one."""
    located = layout.align(paragraphs)
    containers = {
        b.element.getparent()
        for b in located
        if b is not None and b.element.tag == "p" and b.element.getparent() is not None
    }
    extra: list[tuple[float, str]] = []
    for container in containers:
        name, scope = container.get("class"), _chunk_scope(container)
        if not name or scope is None:
            continue
        for chunk in scope.iter(container.tag):
            if chunk in containers or chunk.get("class") != name or _pruned(chunk):
                continue
            start, stop = layout.position(chunk), layout.end(chunk) + 1
            found = [
                (b.position, b.text)
                for b in layout.between(start, stop)
                if b.element.tag == "p"
                and not _pruned(b.element, chunk)
                and link_share(b.element) < _CHUNK_LINKED
            ]
            if sum(1 for _, text in found if word_count(text) >= _CHUNK_WORDS) >= _CHUNK_PARAGRAPHS:
                extra += found
    if not extra:
        return paragraphs
    placed: list[tuple[float, str]] = []
    last = -1.0
    for block, text in zip(located, paragraphs, strict=True):
        last = block.position if block is not None else last
        placed.append((last, text))
    return [text for _, text in sorted(placed + extra, key=lambda item: item[0])]


def _chunk_scope(container: HtmlElement) -> HtmlElement | None:
    """Where the other chunks of a text may be: a few levels up, never the whole page."""
    scope = container
    for _ in range(_CHUNK_LEVELS):
        parent = scope.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        scope = parent
    return scope if scope is not container else None


def _pruned(element: HtmlElement, until: HtmlElement | None = None) -> bool:
    """Whether the element, or an ancestor below `until`, was marked as furniture."""
    for current in (element, *element.iterancestors()):
        if current is until:
            return False
        if current.get(_MARK) is not None:
            return True
    return False


def tidy(
    paragraphs: Iterable[str], layout: Layout, captions: set[str], drop: set[str]
) -> list[str]:
    """Paragraphs without captions, furniture lines, the `drop` texts (comparable() keys) and
    repeats."""
    seen = set(drop)
    kept = []
    for paragraph in paragraphs:
        key = layout.key(paragraph)
        if not key or key in seen or is_furniture_text(paragraph) or is_caption(key, captions):
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
    walk = etree.iterwalk(body, events=("start",))
    for _, element in walk:
        if (
            isinstance(element.tag, str)
            and element not in protected
            and is_named_furniture(element)
            and len(element.text_content()) <= most
        ):
            element.set(_MARK, "")
            walk.skip_subtree()  # pruned whole: what it holds needs no verdict
    for card in teaser_cards(body):
        if card not in protected:
            card.set(_MARK, "")
    tried: set[HtmlElement] = set()
    for block in layout.blocks:  # appeal boxes hold paragraphs and headings like the text's own
        if block.element.tag not in _APPEAL_BLOCKS:
            continue
        parent = block.element.getparent()
        if parent is None or parent in tried:
            continue
        tried.add(parent)
        if parent not in protected and not _pruned(parent) and is_appeal_box(parent):
            parent.set(_MARK, "")
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


def _join_drop_caps(tree: HtmlElement) -> None:
    """Join a drop cap to its word: "<span class=initial>N</span> a endlich" reads "Na"."""
    for element in tree.iter("span", "b", "strong", "em", "big", "font"):
        letter = (element.text or "").strip()
        if len(letter) != 1 or len(element) or role_words(element).isdisjoint(_DROP_CAP_WORDS):
            continue
        outer = element
        parent = outer.getparent()
        while parent is not None and (parent.text_content() or "").strip() == letter:
            outer, parent = parent, parent.getparent()
        outer.tail = (outer.tail or "").lstrip()
        following = outer.getnext()
        if not outer.tail and following is not None and following.text:
            following.text = following.text.lstrip()


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


def _paragraphs(container: HtmlElement, layout: Layout) -> Iterator[str]:
    """Paragraphs of trafilatura's output tree, whose loose text may sit in tails of headings."""
    run = [container.text or ""]
    for child in container:
        tag = child.tag
        if tag in _UNITS:
            yield from _split("".join(run), layout)
            run = []
            if tag in _CONTAINERS and any(c.tag in _UNITS for c in child):
                yield from _paragraphs(child, layout)
            elif tag == "row":
                yield clean(" ".join(clean("".join(cell.itertext())) for cell in child))
            else:
                yield from _split("".join(child.itertext()), layout)
        else:  # inline markup: hi, ref, lb
            run.append("".join(child.itertext()))
        run.append(child.tail or "")
    yield from _split("".join(run), layout)


def _split(text: str, layout: Layout) -> list[str]:
    """Paragraphs of a text: two <br> part paragraphs, one is a space."""
    if PARAGRAPH_BREAK not in text:  # most text: one paragraph, or none
        text = layout.clean(text)
        return [text] if text else []
    return [p for p in (layout.clean(part) for part in text.split(PARAGRAPH_BREAK)) if p]
