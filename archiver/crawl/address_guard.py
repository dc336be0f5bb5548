"""Keeps a crawl of the open web from being turned against the network it runs in.

A page can link, or redirect, to an address inside the crawler's own network (a router's admin
page, a cloud metadata service, an intranet); a host name can resolve to one. Before a request
leaves, its host is resolved (through the same resolver the connection will use, whose cache
makes the answer stick) and refused if the address lies in an inward range (private, loopback,
link-local, multicast, reserved, or one declared in ARCHIVER_INWARD_NETWORKS) that none of the
crawl's start URLs lies in. So a crawl of a site on this machine or on the intranet still works,
and nothing else inward is ever contacted.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

INWARD_NETWORKS = (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    "::1/128", "::/128", "fc00::/7", "fe80::/10", "ff00::/8", "::ffff:0:0/96",
)  # fmt: skip


class AddressGuardMiddleware:
    def __init__(self, crawler: Crawler, networks: Iterable[str]) -> None:
        self._crawler = crawler
        self._networks = [ipaddress.ip_network(n, strict=False) for n in networks]
        self._allowed: list[Network] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        extra = crawler.settings.getlist("ARCHIVER_INWARD_NETWORKS")
        return cls(crawler, [*INWARD_NETWORKS, *extra])

    async def _resolve(self, host: str) -> Address | None:
        try:
            return ipaddress.ip_address(host)
        except ValueError:
            pass
        from twisted.internet import reactor

        try:
            resolved = await maybe_deferred_to_future(reactor.resolve(host))
        except Exception:  # unresolvable: the download itself will fail and say so
            return None
        return ipaddress.ip_address(resolved)

    async def _allowed_networks(self) -> list[Network]:
        """The inward ranges the start URLs lie in: crawling there is what the user asked for."""
        if self._allowed is None:
            allowed = []
            for url in getattr(self._crawler.spider, "start_urls", ()):
                address = await self._resolve(urlparse_cached(Request(url)).hostname or "")
                if address is not None:
                    allowed += [n for n in self._networks if address in n]
            self._allowed = allowed
        return self._allowed

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = urlparse_cached(request).hostname or ""
        address = await self._resolve(host)
        if address is None:
            return
        allowed = await self._allowed_networks()
        refused = [n for n in self._networks if address in n and n not in allowed]
        if refused:
            assert self._crawler.stats is not None
            self._crawler.stats.inc_value("archiver/address_refused")
            logger.warning(
                "Refused %s: %s resolves to %s, inside %s (an inward network)",
                request.url,
                host,
                address,
                refused[0],
            )
            raise IgnoreRequest(f"inward address {address}")
