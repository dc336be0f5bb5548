"""Honour robots.txt's Crawl-delay, which Scrapy reads but does not apply.

The delay becomes the floor of the host's download slot: set when robots.txt is parsed, and
restored after every response, because AutoThrottle adjusts slot delays from latency alone and
would otherwise bring it down again. A site asking for an absurd delay is capped (and told).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)


class RobotsCrawlDelay:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._cap = crawler.settings.getfloat("ARCHIVER_MAX_CRAWL_DELAY")
        self._delays: dict[str, float] = {}
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        # Connected after AutoThrottle (extensions are built in order), so this runs after it.
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelay:
        return cls(crawler)

    def _robots_parsed(self, robotparser: Any, request: Request, **_: Any) -> None:
        agent = self._crawler.settings.get("ROBOTSTXT_USER_AGENT") or self._crawler.settings.get(
            "USER_AGENT"
        )
        delay = robotparser.crawl_delay(agent)
        if not delay:
            return
        if delay > self._cap:
            logger.warning(
                "robots.txt of %s asks for a Crawl-delay of %ss; using %ss "
                "(ARCHIVER_MAX_CRAWL_DELAY)",
                request.url,
                delay,
                self._cap,
            )
            delay = self._cap
        key = self._slot_key(request)
        self._delays[key] = delay
        self._apply(key)
        assert self._crawler.stats is not None
        self._crawler.stats.set_value(f"archiver/crawl_delay/{key}", delay)

    def _response_downloaded(self, response: Response, request: Request, **_: Any) -> None:
        key = self._slot_key(request)
        if key in self._delays:
            self._apply(key)

    def _slot_key(self, request: Request) -> str:
        assert self._crawler.engine is not None
        return self._crawler.engine.downloader.get_slot_key(request)

    def _apply(self, key: str) -> None:
        assert self._crawler.engine is not None
        slot = self._crawler.engine.downloader.slots.get(key)
        if slot is not None:
            # Jitter would take up to half off the delay: a Crawl-delay is a floor.
            slot.jitter = 0.0
            slot.delay = max(slot.delay, self._delays[key])
