"""Whether the article is free to read or behind a paywall, as far as the page tells.

"paywalled" where the page declares it (JSON-LD isAccessibleForFree false, a content tier of
"locked" or "metered") or prints a paywall box in the article; "free" where it declares that; None
when it says nothing, since a page without a paywall box may still be cut short for visitors.
A paywalled record keeps the text the page shows, and never teasers of other articles.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from archiver.extract.classnames import role_words, vocabulary
from archiver.extract.metadata import Metadata

PAYWALLED, FREE = "paywalled", "free"
_PAYWALL_WORDS = vocabulary("paywall paywalled regwall")
_LOCKED_TIERS = {"locked", "metered", "premium", "subscriber", "subscription"}
# XPath narrows to the few elements naming a paywall; the word rule then reads them. Compiled
# once: element.xpath() would compile it again on every page.
_MAY_NAME_PAYWALL = etree.XPath(
    ".//*[contains(@class, 'aywall') or contains(@id, 'aywall') or contains(@class, 'regwall')]"
)
_CLASSES_AND_IDS = etree.XPath(".//*/@class | .//*/@id", smart_strings=False)


def page_access(metadata: Metadata, article: HtmlElement | None) -> str | None:
    declared = _declared(metadata)
    if declared is not None:
        return declared
    if article is not None and _has_paywall_box(article):
        return PAYWALLED
    return None


def _declared(metadata: Metadata) -> str | None:
    for node in metadata.nodes_with("isAccessibleForFree"):
        value = node["isAccessibleForFree"]
        if isinstance(value, str):
            value = value.strip().lower() not in ("false", "0", "no")
        if isinstance(value, bool):
            return FREE if value else PAYWALLED
    tier = (metadata.first("article:content_tier") or "").strip().lower()
    if tier in _LOCKED_TIERS:
        return PAYWALLED
    if tier == "free":
        return FREE
    return None


def _has_paywall_box(article: HtmlElement) -> bool:
    # Most articles name nothing so, which their classes and ids all at once tell: read in C,
    # faster than the XPath tries its predicate element by element.
    names = "\n".join(_CLASSES_AND_IDS(article))
    if "aywall" not in names and "regwall" not in names:
        return False
    named = _MAY_NAME_PAYWALL(article)
    return any(not role_words(element).isdisjoint(_PAYWALL_WORDS) for element in named)
