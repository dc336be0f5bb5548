"""Which URLs a crawl may fetch, and the one form of a URL that deduplication sees.

Scope is the exact hosts of the start URLs (a `www.` prefix either way counts as the same host);
every other host name is off-site, even a sibling subdomain or another name for the same server,
because an archive of a publication must not wander into other people's sites.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only track a click and never change the page.
TRACKING_PARAMS = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "igshid",
    "yclid",
    "ocid",
    "cmpid",
    "ito",
)


def host_key(url: str) -> str:
    """The host of a URL as scope sees it: lower case, without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


class HostScope:
    def __init__(self, urls: Iterable[str]) -> None:
        self.hosts = frozenset(host_key(u) for u in urls if host_key(u))

    def __contains__(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and host_key(url) in self.hosts


class UrlCleaner:
    """Drops fragments and click-tracking parameters, which never change the page fetched."""

    def __init__(self, tracking_params: Iterable[str] = TRACKING_PARAMS) -> None:
        self._patterns = tuple(p.lower() for p in tracking_params)

    def _is_tracking(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name.lower(), p) for p in self._patterns)

    def clean(self, url: str) -> str:
        parts = urlsplit(url.strip())
        query = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(k, v) for k, v in query if not self._is_tracking(k)]
        new_query = urlencode(kept) if len(kept) != len(query) else parts.query
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", new_query, ""))

    def canonical(self, url: str) -> str:
        """The form under which two URLs name the same page: cleaned, query sorted, no `www.`."""
        parts = urlsplit(canonicalize_url(self.clean(url)))
        netloc = parts.netloc.lower()
        netloc = netloc.removeprefix("www.")
        return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))
