"""The links of a fetched page: where the crawl goes next, found in a worker process.

Parsing a page for its links is the biggest piece of work a crawl does per page besides
extraction; on the reactor thread, a hostile page (17 MB of anchors) would hold every download
for half a minute. It runs in the extraction workers instead, under their time limit, with
Scrapy's own LinkExtractor over the same bytes and headers the spider got.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from archiver.page import Page

_LINKS = LinkExtractor(unique=True)
_FEED_LINKS = (
    'link[rel~="alternate"][type="application/rss+xml"]::attr(href),'
    'link[rel~="alternate"][type="application/atom+xml"]::attr(href)'
)


@dataclass(frozen=True, slots=True)
class PageLinks:
    links: tuple[str, ...]
    """Absolute URLs of the page's links (`<a>`, `<area>`), each once, in page order."""
    feeds: tuple[str, ...]
    """Absolute URLs of the RSS and Atom feeds it declares (`<link rel="alternate">`)."""


def page_links(page: Page) -> PageLinks:
    headers = {"Content-Type": page.content_type} if page.content_type else None
    response = HtmlResponse(page.url, body=page.body, headers=headers)
    links = tuple(link.url for link in _LINKS.extract_links(response))
    feeds = tuple(response.urljoin(href) for href in response.css(_FEED_LINKS).getall())
    return PageLinks(links, feeds)
