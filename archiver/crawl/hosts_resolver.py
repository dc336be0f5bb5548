"""Host names the crawl resolves from a table of its own before asking DNS (like curl --resolve).

`ARCHIVER_HOSTS = {"paper.example": "10.0.0.5"}` lets an archivist crawl a site by its real name
on a mirror or a staging address; the tests use it to give several loopback addresses names.
Every other name goes to Scrapy's caching resolver as usual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.defer import Deferred


class StaticHostsResolver(CachingThreadedResolver):
    def __init__(self, reactor: Any, cache_size: int, timeout: float, hosts: Mapping[str, str]):
        super().__init__(reactor, cache_size, timeout)
        self._hosts = {name.lower(): address for name, address in hosts.items()}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Self:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            settings.getdict("ARCHIVER_HOSTS"),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        address = self._hosts.get(name.lower())
        if address is not None:
            return defer.succeed(address)
        return super().getHostByName(name, timeout)
