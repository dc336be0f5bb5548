"""The URL a page names as its own: <link rel=canonical>, else og:url, else the captured URL.

Only a URL on the same site is believed: a canonical pointing elsewhere is a syndication or a
template mistake, and the archive must not file the page under someone else's address.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from archiver.extract.metadata import Metadata


def canonical_url(page_url: str, metadata: Metadata) -> str:
    for candidate in (metadata.canonical, metadata.first("og:url")):
        if candidate and _same_site(candidate.strip(), page_url):
            return urljoin(page_url, candidate.strip())
    return page_url


def _same_site(candidate: str, page_url: str) -> bool:
    try:
        parts, page = urlsplit(urljoin(page_url, candidate)), urlsplit(page_url)
        host, page_host = parts.hostname, page.hostname
    except ValueError:  # "http://[broken" and other URLs urllib refuses
        return False
    if parts.scheme not in ("http", "https") or not host or not page_host:
        return False
    host, page_host = host.removeprefix("www."), page_host.removeprefix("www.")
    return host == page_host or host.endswith("." + page_host) or page_host.endswith("." + host)
