"""What a page says about itself in markup: JSON-LD, <meta> tags, canonical link, language.

Read once from the parsed tree (before scripts are dropped) and consulted by every field rule.
JSON-LD may be one object, a list, or an @graph; a block that is not valid JSON is skipped, as
search engines do. Only the top level and @graph count as describing the page: items nested in
an ItemList describe other pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from archiver.extract.text import clean

JsonObject = dict[str, Any]

_ARTICLE_TYPES = frozenset(
    {"BlogPosting", "LiveBlogPosting", "Report", "SocialMediaPosting", "DiscussionForumPosting"}
)


@dataclass(frozen=True, slots=True)
class Metadata:
    jsonld: tuple[JsonObject, ...]
    """Top-level and @graph JSON-LD nodes, in page order."""
    meta: Mapping[str, tuple[str, ...]]
    """<meta> contents by lower-cased name, property, itemprop or http-equiv."""
    canonical: str | None
    html_lang: str | None

    def first(self, *keys: str) -> str | None:
        """The first non-empty <meta> content under any of the keys, tried in order."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    def all(self, *keys: str) -> list[str]:
        return [v for key in keys for v in self.meta.get(key, ()) if v]

    def types(self) -> set[str]:
        return {t for node in self.jsonld for t in node_types(node)}

    def article_node(self) -> JsonObject | None:
        """The JSON-LD node that describes an article, if the page has one."""
        return next((n for n in self.jsonld if any(map(is_article_type, node_types(n)))), None)

    def nodes_with(self, key: str) -> Iterator[JsonObject]:
        """Nodes holding `key`, the article node first."""
        article = self.article_node()
        if article is not None and key in article:
            yield article
        yield from (n for n in self.jsonld if n is not article and key in n)


def is_article_type(schema_type: str) -> bool:
    """NewsArticle, OpinionNewsArticle, BlogPosting...: every schema.org kind of article."""
    return schema_type.endswith("Article") or schema_type in _ARTICLE_TYPES


def node_types(node: JsonObject) -> list[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    # "http://schema.org/NewsArticle" and "schema:NewsArticle" name the same type.
    return [v.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)]


def jsonld_text(value: object) -> str | None:
    """A plain string from a JSON-LD value that may be a string, an object with a name, a list."""
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, dict):
        return jsonld_text(value.get("name"))
    if isinstance(value, list) and value:
        return jsonld_text(value[0])
    return None


def read_metadata(tree: HtmlElement) -> Metadata:
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                meta.setdefault(key.strip().lower(), []).append(clean(content))
    canonical = next(
        (
            link.get("href", "").strip()
            for link in tree.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split()
        ),
        None,
    )
    return Metadata(
        jsonld=tuple(_jsonld_nodes(tree)),
        meta={k: tuple(v) for k, v in meta.items()},
        canonical=canonical or None,
        html_lang=tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
    )


def _jsonld_nodes(tree: HtmlElement) -> Iterator[JsonObject]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                yield from _with_graph(item)


def _with_graph(item: JsonObject) -> Iterator[JsonObject]:
    if "@type" in item:
        yield item
    graph = item.get("@graph")
    for node in graph if isinstance(graph, list) else [graph]:
        if isinstance(node, dict) and "@type" in node:
            yield node
