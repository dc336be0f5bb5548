"""What a profile's CSS selectors find on a page: fields its publication prints where the
generic rules do not look, and furniture they keep. A selector that finds nothing leaves the
field to the generic rules, so a profile made for one layout does no harm to another.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from archiver.extract.authors import is_person_name, names_from_byline
from archiver.extract.text import clean, element_text
from archiver.profile import Selectors


@dataclass(frozen=True, slots=True)
class Selected:
    headline: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    """Raw: an attribute value or printed text, for the date rules to read."""
    issue: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    removed: tuple[HtmlElement, ...] = ()


def select(tree: HtmlElement, selectors: Selectors) -> Selected:
    if selectors == Selectors():
        return Selected()
    return Selected(
        headline=_first_text(tree, selectors, "headline"),
        standfirst=_first_text(tree, selectors, "standfirst"),
        byline=", ".join(_texts(tree, selectors, "authors")) or None,
        authors=_names(_texts(tree, selectors, "authors")),
        date=_date_value(tree, selectors),
        issue=_first_text(tree, selectors, "issue"),
        section=_first_text(tree, selectors, "section"),
        tags=tuple(dict.fromkeys(_texts(tree, selectors, "tags"))),
        removed=tuple(_matches(tree, selectors, "remove")),
    )


def _matches(tree: HtmlElement, selectors: Selectors, name: str) -> list[HtmlElement]:
    selector = selectors.compiled(name)
    return selector(tree) if selector is not None else []


def _texts(tree: HtmlElement, selectors: Selectors, name: str) -> list[str]:
    return [t for t in (element_text(e) for e in _matches(tree, selectors, name)) if t]


def _first_text(tree: HtmlElement, selectors: Selectors, name: str) -> str | None:
    texts = _texts(tree, selectors, name)
    return texts[0] if texts else None


def _names(texts: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    for text in texts:
        found = [text] if is_person_name(text) else names_from_byline(text)
        names += [n for n in found if n not in names]
    return tuple(names)


def _date_value(tree: HtmlElement, selectors: Selectors) -> str | None:
    for element in _matches(tree, selectors, "date"):
        value = element.get("datetime") or element.get("content") or element_text(element)
        if clean(value):
            return clean(value)
    return None
