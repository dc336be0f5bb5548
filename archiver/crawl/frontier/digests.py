"""Payloads archived by any worker of a shared crawl: digest -> the capture holding the payload.

Beside each worker's own ArchiveIndex (what its output folder holds), so that a payload fetched
by two workers is stored once: the second writes a revisit record referring to the first's
response record, in the first's WARC file. A worker's folder alone may then cite WARCs of
another; `archiver merge` brings them into one collection where every reference resolves.
First writer wins (HSETNX), so all workers refer to the same original.
"""

from __future__ import annotations

import json

from redis import Redis
from scrapy import Spider

from archiver.crawl.frontier.shared_crawl import SharedCrawl
from archiver.warc.archive_index import Capture
from archiver.warc.writer import WarcPointer


class SharedDigests:
    def __init__(self, server: Redis, key: str) -> None:
        self._server = server
        self._key = key

    @classmethod
    def for_spider(cls, spider: Spider) -> SharedDigests | None:
        """None without a frontier: then a worker's own index is the only one."""
        shared = SharedCrawl.for_spider(spider)
        return cls(shared.server, shared.keys.digests) if shared is not None else None

    def by_digest(self, digest: str) -> Capture | None:
        found = self._server.hget(self._key, digest)
        if found is None:
            return None
        fields = json.loads(found)
        pointer = WarcPointer(**fields["warc"])
        return Capture(fields["url"], fields["date"], fields["status"], pointer)

    def add(self, capture: Capture) -> None:
        digest = capture.pointer.payload_digest
        if not digest:
            return
        fields = {
            "url": capture.url,
            "date": capture.date,
            "status": capture.status,
            "warc": capture.pointer.as_dict(),
        }
        self._server.hsetnx(self._key, digest, json.dumps(fields))
