"""Defences against crawler traps: URL spaces that never end.

An events calendar whose "next month" never runs out, a search page whose sorts and facets
combine without end, a relative link that nests a path in itself: each would keep a crawl busy
forever. Like Heritrix's decide rules, these limits look only at URLs:

- a URL *template* (host and path with every run of digits made `N`, plus the names of its query
  parameters) is followed for at most ARCHIVER_MAX_URLS_PER_TEMPLATE distinct URLs (a calendar's
  /events/N/N/, a listing's /news/page/N/);
- one path is followed with at most ARCHIVER_MAX_QUERY_VARIANTS distinct query strings;
- a path of more than ARCHIVER_MAX_PATH_SEGMENTS segments, or one segment repeated three times in
  a row, is not followed.

URLs a publication profile names as article, section or issue-archive pages are exempt: a
paper's issue archive can well hold thousands of /issue/N pages.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)
_DIGITS = re.compile(r"\d+")


def template_of(url: str) -> str:
    parts = urlsplit(url)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.hostname}{_DIGITS.sub('N', parts.path)}?{'&'.join(names)}"


def _repeats(segments: list[str]) -> bool:
    return any(segments[i] == segments[i + 1] == segments[i + 2] for i in range(len(segments) - 2))


class TrapGuardMiddleware:
    """A spider middleware: trapped URLs are dropped before they are ever scheduled."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self._crawler = crawler
        self._max_per_template = settings.getint("ARCHIVER_MAX_URLS_PER_TEMPLATE")
        self._max_variants = settings.getint("ARCHIVER_MAX_QUERY_VARIANTS")
        self._max_segments = settings.getint("ARCHIVER_MAX_PATH_SEGMENTS")
        # Short hashes of the distinct URLs seen, per template and per path, up to the limits.
        self._templates: dict[str, set[bytes]] = defaultdict(set)
        self._variants: dict[str, set[bytes]] = defaultdict(set)
        self._reported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapGuardMiddleware:
        return cls(crawler)

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        for item in result:
            if not isinstance(item, Request) or self._allowed(item):
                yield item

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        async for item in result:
            if not isinstance(item, Request) or self._allowed(item):
                yield item

    def _allowed(self, request: Request) -> bool:
        url = request.url
        profile = getattr(self._crawler.spider, "profile", None)
        if profile is not None and profile.names_page(url):
            return True
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) > self._max_segments or _repeats(segments):
            return self._refuse(request, "path", parts.path)
        key = hashlib.blake2b(url.encode(), digest_size=8).digest()
        if parts.query and not self._within(self._variants[parts.path], key, self._max_variants):
            return self._refuse(request, "query_variants", parts.path)
        template = template_of(url)
        if not self._within(self._templates[template], key, self._max_per_template):
            return self._refuse(request, "template", template)
        return True

    @staticmethod
    def _within(seen: set[bytes], key: bytes, limit: int) -> bool:
        if key in seen:
            return True
        if len(seen) >= limit:
            return False
        seen.add(key)
        return True

    def _refuse(self, request: Request, rule: str, where: str) -> bool:
        assert self._crawler.stats is not None
        self._crawler.stats.inc_value(f"archiver/trap_guard/{rule}")
        if where not in self._reported:
            self._reported.add(where)
            logger.warning(
                "Crawler trap? Not following more URLs like %s (%s limit)",
                request.url,
                rule.replace("_", " "),
            )
        return False
