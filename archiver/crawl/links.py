"""The links of a fetched page: where the crawl goes next, found in a worker process.

Parsing a page for its links is the biggest piece of work a crawl does per page besides
extraction; on the reactor thread, a hostile page (17 MB of anchors) would hold every download
for half a minute. It runs in the extraction workers instead, under their time limit. The page
is read as a stream of start tags (lxml's parser with a target, no tree built), so a page of a
million elements costs its links in memory, not a tree beside the one extraction builds at the
same time; the links are then made absolute and filtered as Scrapy's LinkExtractor does
(`<base href>`, HTML5 whitespace, the page's encoding, no links to images, archives, media).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.url import url_has_any_extension
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from archiver.page import Page

_FEED_TYPES = frozenset(("application/rss+xml", "application/atom+xml"))
_SCHEMES = ("http://", "https://")
_FILE_SUFFIXES = frozenset(f".{extension}" for extension in IGNORED_EXTENSIONS)


@dataclass(frozen=True, slots=True)
class PageLinks:
    links: tuple[str, ...]
    """Absolute URLs of the page's links (`<a>`, `<area>`), each once, in page order."""
    feeds: tuple[str, ...]
    """Absolute URLs of the RSS and Atom feeds it declares (`<link rel="alternate">`)."""


class _StartTags:
    """lxml parser target: keeps the attributes that hold links, drops everything else."""

    def __init__(self) -> None:
        self.base: str | None = None
        self.links: list[str] = []
        self.feeds: list[str] = []

    def start(self, tag: str, attrib: Any) -> None:
        href = attrib.get("href")
        if href is None:
            return
        if tag in ("a", "area"):
            self.links.append(href)
        elif tag == "base" and self.base is None:
            self.base = href
        elif (
            tag == "link"
            and "alternate" in attrib.get("rel", "").lower().split()
            and attrib.get("type", "").strip().lower() in _FEED_TYPES
        ):
            self.feeds.append(href)

    def close(self) -> _StartTags:
        return self


def page_links(page: Page) -> PageLinks:
    headers = {"Content-Type": page.content_type} if page.content_type else None
    # Only to decode the page as the spider would (headers, <meta>, BOM, then a guess).
    response = HtmlResponse(page.url, body=page.body, headers=headers)
    parser = etree.HTMLParser(target=_StartTags(), no_network=True)
    parser.feed(response.text)
    found: _StartTags = parser.close()
    base = (found.base and _absolute(page.url, found.base, response.encoding)) or page.url
    links = (_absolute(base, href, response.encoding) for href in found.links)
    feeds = (_absolute(base, href, response.encoding) for href in found.feeds)
    return PageLinks(
        tuple(dict.fromkeys(u for u in links if u and not _ignored(u))),
        tuple(dict.fromkeys(u for u in feeds if u)),
    )


def _absolute(base: str, href: str, encoding: str) -> str | None:
    try:
        url = safe_url_string(urljoin(base, strip_html5_whitespace(href)), encoding=encoding)
    except ValueError:
        return None  # a bogus link (an invalid IPv6 host, say)
    return url if url.startswith(_SCHEMES) else None


def _ignored(url: str) -> bool:
    """Links to files that are no pages (images, archives, media, documents)."""
    return url_has_any_extension(url, _FILE_SUFFIXES)
