"""Which crawl a worker joins, and where that crawl's state lives in Redis.

Workers join the same crawl when they compute the same crawl id: the one given with
`--crawl-id`, or else one derived from the start URLs and the profile, so that the same
`archiver crawl` command typed on three machines makes them one crawl without agreeing on a
name first. A worker's id is its host name and process id, as in its WARC file names.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def derived_crawl_id(start_urls: Iterable[str], profile: str | None) -> str:
    """`HOST-HASH`: the first start URL's host (for people reading Redis keys) and a hash of
    every start URL and the profile (so that different crawls of one site stay apart)."""
    urls = sorted(start_urls)
    digest = hashlib.sha256("\n".join([profile or "", *urls]).encode("utf-8")).hexdigest()
    host = urlsplit(urls[0]).netloc if urls else profile or "crawl"
    return checked_crawl_id(f"{host}-{digest[:12]}")


def checked_crawl_id(crawl_id: str) -> str:
    """Only letters, digits, `.`, `_` and `-`: the id becomes part of Redis keys (and of
    scrapy-redis's `%`-formatted key templates)."""
    return _UNSAFE.sub("-", crawl_id).strip("-") or "crawl"


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass(frozen=True, slots=True)
class CrawlKeys:
    crawl_id: str

    @property
    def prefix(self) -> str:
        return f"archiver:{self.crawl_id}"

    @property
    def queue(self) -> str:
        """Sorted set of serialized requests, scored by -priority (scrapy-redis's queue)."""
        return f"{self.prefix}:queue"

    @property
    def seen(self) -> str:
        """Set of request fingerprints (scrapy-redis's dupefilter)."""
        return f"{self.prefix}:seen"

    @property
    def digests(self) -> str:
        """Hash: payload digest -> the capture holding that payload."""
        return f"{self.prefix}:digests"

    @property
    def workers(self) -> str:
        """Set of the ids of workers that joined and were not reaped."""
        return f"{self.prefix}:workers"

    @property
    def state(self) -> str:
        """`seeding:WORKER`, then `done` once the start requests are queued, then `finished`."""
        return f"{self.prefix}:state"

    def alive(self, worker: str) -> str:
        """The worker's heartbeat: exists while the worker lives (it expires)."""
        return f"{self.prefix}:worker:{worker}:alive"

    def in_flight(self, worker: str) -> str:
        """Hash: token -> `SCORE SERIALIZED-REQUEST` of each request the worker took."""
        return f"{self.prefix}:worker:{worker}:in-flight"
