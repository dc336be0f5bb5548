"""Is this page an article? Decided from the page itself, so it works on anyone's WARCs.

A profile's URL rule wins where it has one. Otherwise what the page declares: a JSON-LD article
type is an article; a JSON-LD collection, list, profile, search or about page is not, nor the
site's home (a WebSite node for this very URL). Any other page must not be a list of teasers
(paragraphs each under a linked heading). With og:type "article" any text will then do. Else
the page must read like an article (a few real paragraphs, or one long one) and be dated or
signed, or, when it is neither, hold a long text under a headline that does not name one of the
site's own pages (about, contact, imprint, privacy...): old and small sites print neither date
nor byline on their articles. og:type "website" says nothing: many CMSs give it to every page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from archiver.extract.classnames import vocabulary
from archiver.extract.furniture import is_teaser_card
from archiver.extract.layout import Block, Layout, link_share
from archiver.extract.metadata import Metadata, is_article_type, jsonld_text, node_types
from archiver.extract.text import element_text, word_count

_NOT_ARTICLE_TYPES = vocabulary(
    """
    CollectionPage ItemList ProfilePage SearchResultsPage AboutPage ContactPage FAQPage
    CheckoutPage MediaGallery
    """
)
_SITE_PAGE = re.compile(
    r"""^(?:about(?:\ us)?|who\ we\ are|contact(?:\ us)?|kontakt|impressum|imprint
    |privacy(?:\ policy)?|datenschutz\w*|terms\b.*|legal|cookies?(?:\ policy)?|faq
    |help|jobs|careers|advertise|subscribe|donate|\u00fcber\ uns|mentions\ l\u00e9gales
    |qui\ sommes\ nous|index|home)$""",
    re.IGNORECASE | re.VERBOSE,
)
_MIN_PARAGRAPHS = 3
_MIN_WORDS = 80
_LONG_PARAGRAPH_WORDS = 50
_MIN_UNMARKED_WORDS = 150
_MIN_DECLARED_WORDS = 40
_PARAGRAPH_WORDS = 10
_TEASER_LEVELS = 3
_LINKED = 0.5
_TITLE_WORDS = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the extraction found, as far as the page type is concerned."""

    url: str
    headline: str
    paragraphs: Sequence[str]
    layout: Layout
    dated: bool
    signed: bool


def is_article(metadata: Metadata, evidence: Evidence, says_article: bool | None) -> bool:
    if says_article is not None:
        return says_article
    declared = _declared(metadata, evidence.url)
    if declared is not None:
        return declared
    if _is_teaser_list(evidence):
        return False
    if (metadata.first("og:type") or "").lower() == "article":
        return _words(evidence) >= _MIN_DECLARED_WORDS
    if not _reads_like_article(evidence):
        return False
    if evidence.dated or evidence.signed:
        return True
    return _words(evidence) >= _MIN_UNMARKED_WORDS and not _is_site_page(evidence)


def _declared(metadata: Metadata, url: str) -> bool | None:
    types = metadata.types()
    if any(map(is_article_type, types)):
        return True
    if types & _NOT_ARTICLE_TYPES:
        return False
    for node in metadata.jsonld:
        if "WebSite" in node_types(node) and _same_page(jsonld_text(node.get("url")), url):
            return False
    return None


def _reads_like_article(evidence: Evidence) -> bool:
    counts = [word_count(p) for p in evidence.paragraphs]
    real = sum(1 for c in counts if c >= _PARAGRAPH_WORDS)
    long = any(c >= _LONG_PARAGRAPH_WORDS for c in counts)
    return (real >= _MIN_PARAGRAPHS or long) and sum(counts) >= _MIN_WORDS


def _is_site_page(evidence: Evidence) -> bool:
    """About, contact, imprint, privacy and other pages about the site itself."""
    if _SITE_PAGE.search(evidence.headline):
        return True
    try:
        path = urlsplit(evidence.url).path
    except ValueError:
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return _SITE_PAGE.search(last.replace("-", " ").replace("_", " ")) is not None


def _words(evidence: Evidence) -> int:
    return sum(map(word_count, evidence.paragraphs))


def _is_teaser_list(evidence: Evidence) -> bool:
    """Whether most paragraphs are teasers for other pages."""
    blocks = [b for b in evidence.layout.align(evidence.paragraphs) if b is not None]
    if not blocks:
        return False
    teasers = sum(1 for b in blocks if _is_teaser(b))
    return teasers * 2 >= len(blocks)


def _is_teaser(block: Block) -> bool:
    """A paragraph that is mostly links, opens with a linked title, or sits in a teaser card."""
    if link_share(block.element) > _LINKED or _opens_with_title_link(block.element):
        return True
    return _under_linked_heading(block)


def _opens_with_title_link(element: HtmlElement) -> bool:
    """ "<a>Tube workers walk out over cuts</a>: a 48-hour strike...", a table of contents."""
    if (element.text or "").strip() or not len(element):
        return False
    first = element[0]
    return first.tag == "a" and word_count(element_text(first)) >= _TITLE_WORDS


def _under_linked_heading(block: Block) -> bool:
    """Whether a small container around the block is a teaser card (a linked heading on top)."""
    container = block.element
    for _ in range(_TEASER_LEVELS):
        container = container.getparent()
        if container is None:
            return False
        if is_teaser_card(container):
            return True
    return False


def _same_page(declared: str | None, url: str) -> bool:
    return bool(declared) and _where(declared) is not None and _where(declared) == _where(url)


def _where(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www."), parts.path.rstrip("/")
