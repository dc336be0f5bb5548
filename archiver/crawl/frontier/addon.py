"""The Scrapy add-on that makes a crawl a worker of a shared crawl when `ARCHIVER_FRONTIER` is set.

All of the frontier's settings are made here, in one place, so that `archiver crawl --frontier
URL` and `scrapy crawl publication -s ARCHIVER_FRONTIER=URL` run the same crawl. Without the
setting the add-on disables itself (as does the FrontierLifecycle extension) and the crawl is
the single-machine one.
"""

from __future__ import annotations

from redis import Redis
from redis.exceptions import RedisError
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from archiver.errors import UsageError


def check_frontier(url: str) -> None:
    """One clear line, before the crawl starts, when the frontier URL is wrong or unreachable."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise UsageError(f"--frontier must be a redis:// URL (redis://HOST:PORT/DB), not {url!r}")
    try:
        with Redis.from_url(url, socket_connect_timeout=10) as server:
            server.ping()
    except (RedisError, ValueError) as exc:
        raise UsageError(f"cannot reach the frontier at {url}: {exc}") from exc


class RedisFrontier:
    def __init__(self, url: str) -> None:
        self._url = url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisFrontier:
        url = crawler.settings.get("ARCHIVER_FRONTIER")
        if not url:
            raise NotConfigured
        return cls(url)

    def update_settings(self, settings: Settings) -> None:
        settings.set("REDIS_URL", self._url, priority="addon")
        settings.set("SCHEDULER", "archiver.crawl.frontier.scheduler.FrontierScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        # Priority order (DEPTH_PRIORITY: breadth first) across workers.
        settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", "addon")
        # A worker that stops must leave the queue and the seen URLs to the others.
        settings.set("SCHEDULER_PERSIST", True, "addon")
