"""The crawl of one publication: start URLs, sitemaps, feeds, then every on-site link.

Section, issue-archive and tag pages are followed like any page (a profile's issue archives
first); whether a page is an article is decided by extraction from the page itself, so the spider
needs no per-site rules to find them. Every HTML page reaches the pipelines as a CapturedPage
(WARC writing has already happened in the downloader, for every response); its links are found
in the extraction workers (archiver/crawl/links.py), never on the reactor thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.selector import Selector
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from archiver.crawl.captured import WARC_META_KEY, CapturedPage
from archiver.crawl.extraction_workers import extraction_workers
from archiver.crawl.frontier.shared_crawl import SharedCrawl
from archiver.crawl.identity import identify
from archiver.crawl.scope import HostScope, UrlCleaner
from archiver.errors import UsageError
from archiver.page import Page
from archiver.profile import Profile, load_profile, profile_for_url

# Spider arguments (`scrapy crawl publication -a NAME=VALUE`) that are really crawl settings.
_ARGUMENT_SETTINGS = {
    "output": "ARCHIVER_OUTPUT",
    "max_pages": "ARCHIVER_MAX_PAGES",
    "max_depth": "DEPTH_LIMIT",
    "profile": "ARCHIVER_PROFILE",
    "contact": "ARCHIVER_CONTACT",
}
# DEPTH_PRIORITY lowers a request's priority by one per level of depth: an issue archive goes
# ahead of the pages found up to ten levels above it.
_ISSUE_ARCHIVE_PRIORITY = 10
# RSS <item><link>, Atom <entry><link href>, whatever the namespace.
_FEED_ITEM_LINKS = (
    "//*[local-name()='item']/*[local-name()='link']/text()"
    " | //*[local-name()='entry']/*[local-name()='link']"
    "[not(@rel) or @rel='alternate']/@href"
)


def _split_urls(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [u for u in value.replace(",", " ").split() if u]
    return [u for u in value if u]


class PublicationSpider(Spider):
    name = "publication"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PublicationSpider:
        for argument, setting in _ARGUMENT_SETTINGS.items():
            if kwargs.get(argument) is not None:
                crawler.settings.set(setting, kwargs[argument], priority="spider")
        kwargs.setdefault("profile", crawler.settings.get("ARCHIVER_PROFILE") or None)
        identify(crawler.settings)
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._cleaner = UrlCleaner(crawler.settings.getlist("ARCHIVER_TRACKING_PARAMS"))
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        return spider

    def __init__(
        self,
        start_urls: str | Iterable[str] | None = None,
        profile: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile: Profile | None = load_profile(profile) if profile else None
        urls = _split_urls(start_urls) or list(self.profile.start_urls if self.profile else [])
        if not urls:
            raise UsageError("no start URL: give one or more URLs, or a profile that has some")
        # Replaced in from_crawler by one built from the ARCHIVER_TRACKING_PARAMS setting.
        self._cleaner = UrlCleaner()
        self.start_urls = urls
        domains = [f"http://{d}/" for d in self.profile.domains] if self.profile else []
        self.scope_urls = [*self.start_urls, *domains]
        self._scope = HostScope(self.scope_urls)

    async def start(self) -> AsyncIterator[Request]:
        # A crawl shared through a frontier (--frontier) is seeded by its first worker, once.
        shared = SharedCrawl.for_spider(self)
        if shared is not None and not shared.claim_seeding():
            return
        for url in self.start_urls:
            yield self._request(url, self.parse)
        if self.profile:
            for url in self.profile.sitemaps:
                yield self._request(url, self.parse_sitemap)
            for url in self.profile.feeds:
                yield self._request(url, self.parse_feed)
        if shared is not None:
            shared.seeded()

    def _request(self, url: str, callback: Callable[[Response], Any]) -> Request:
        url = self._cleaner.clean(url)
        profile = profile_for_url(url)
        if profile is not None and profile.is_issue_archive(url):
            # Read an issue's contents before the articles it lists where the crawl can, so
            # their records get `issue_page` at once rather than written again at the end.
            return Request(url, callback=callback, priority=_ISSUE_ARCHIVE_PRIORITY)
        return Request(url, callback=callback)

    def _follow(
        self, urls: Iterable[str], callback: Callable[[Response], Any]
    ) -> Iterator[Request]:
        for url in urls:
            if url in self._scope:
                yield self._request(url, callback)

    async def parse(self, response: Response) -> AsyncIterator[Request | CapturedPage]:
        if not isinstance(response, HtmlResponse):
            return
        capture = response.meta.get(WARC_META_KEY)
        page = Page(
            url=response.url,
            body=response.body,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            captured_at=capture.sent_at if capture is not None else datetime.now(UTC),
        )
        if capture is not None:
            yield CapturedPage(page=page, warc=capture.pointer)
        workers = extraction_workers(self.crawler)
        future = workers.submit_links(page)
        with contextlib.suppress(Exception):  # `links` below says what went wrong
            await asyncio.wrap_future(future)
        found = workers.links(future)
        if isinstance(found, str):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"archiver/links/failed/{found.split(' ', 1)[0]}")
            self.logger.warning("Links of %s not followed: finding them %s", page.url, found)
            return
        for request in self._follow(found.links, self.parse):
            yield request
        for request in self._follow(found.feeds, self.parse_feed):
            yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("ARCHIVER_MAX_DECOMPRESSED"))
            except _DecompressionMaxSizeExceeded:
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("archiver/decompression/too_large")
                self.logger.warning("Sitemap %s inflates past the limit; not read", response.url)
                return
        sitemap = Sitemap(body)
        locations = (entry["loc"] for entry in sitemap if entry.get("loc"))
        callback = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse
        yield from self._follow(locations, callback)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            return
        selector = Selector(response=response, type="xml")
        links = (response.urljoin(u.strip()) for u in selector.xpath(_FEED_ITEM_LINKS).getall())
        yield from self._follow(links, self.parse)

    def _robots_parsed(self, robotparser: Any, **_: Any) -> None:
        sitemaps = getattr(getattr(robotparser, "rp", None), "sitemaps", ())
        assert self.crawler.engine is not None
        for request in self._follow(sitemaps, self.parse_sitemap):
            self.crawler.engine.crawl(request)
