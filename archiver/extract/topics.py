"""The section an article is filed under and the tags it is given, as the page declares them.

Section: JSON-LD articleSection, the article:section meta, else the breadcrumb trail's last step
before the article itself (not "Home" or a generic "Article"). Tags: JSON-LD keywords,
article:tag and the keywords metas, split on commas, in the page's order, without repeats. Only
declared values: a guess from the text would be no better than none.
"""

from __future__ import annotations

from archiver.extract.metadata import Metadata, jsonld_text, node_types
from archiver.extract.text import clean, comparable

_GENERIC_CRUMBS = {
    "home", "homepage", "start", "startseite", "accueil", "inicio", "article", "articles",
    "artikel", "story", "stories", "post", "posts", "blog", "news article",
}  # fmt: skip
_TAG_METAS = ("article:tag", "news_keywords", "keywords")
_MAX_TAG_CHARS = 80


def page_section(metadata: Metadata, headline: str) -> str | None:
    for node in metadata.nodes_with("articleSection"):
        section = jsonld_text(node["articleSection"])
        if section:
            return section
    section = metadata.first("article:section")
    return section or _breadcrumb_section(metadata, headline)


def page_tags(metadata: Metadata) -> tuple[str, ...]:
    raw: list[str] = []
    for node in metadata.nodes_with("keywords"):
        keywords = node["keywords"]
        raw += keywords if isinstance(keywords, list) else [keywords]
    for key in _TAG_METAS:
        raw += metadata.meta.get(key, ())
    tags: list[str] = []
    seen: set[str] = set()
    for value in raw:
        if not isinstance(value, str):
            continue
        for part in value.split(","):
            tag = clean(part)
            key = comparable(tag)
            if tag and key not in seen and len(tag) <= _MAX_TAG_CHARS:
                seen.add(key)
                tags.append(tag)
    return tuple(tags)


def _breadcrumb_section(metadata: Metadata, headline: str) -> str | None:
    for node in metadata.jsonld:
        if "BreadcrumbList" not in node_types(node):
            continue
        items = node.get("itemListElement")
        if not isinstance(items, list):
            continue
        names = [_crumb_name(item) for item in items if isinstance(item, dict)]
        names = [n for n in names if n]
        if names and comparable(names[-1]) == comparable(headline):
            names = names[:-1]
        if names and comparable(names[-1]) not in _GENERIC_CRUMBS:
            return names[-1]
    return None


def _crumb_name(item: dict[str, object]) -> str | None:
    return jsonld_text(item.get("name")) or jsonld_text(item.get("item"))
