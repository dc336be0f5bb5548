"""Conditional requests: the validators the demo server sends, and when it answers 304.

An incremental crawl revalidates pages it has archived (If-None-Match, If-Modified-Since) rather
than fetch them again, so the test site must answer as a real server does (RFC 9110, 13.1-13.2):
an ETag computed from the body as served (so gzip and identity differ, and a changed page gets a
new one) and a Last-Modified taken from the file (so it does not move between runs).
"""

from __future__ import annotations

import hashlib
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime


def entity_tag(body: bytes) -> str:
    """A strong ETag for a body: the same bytes always get the same tag."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def http_date(timestamp: float) -> str:
    """An IMF-fixdate ("Sat, 04 Mar 2006 00:00:00 GMT"), to the second as HTTP dates are."""
    return formatdate(int(timestamp), usegmt=True)


def not_modified(headers: Message, etag: str, modified: float) -> bool:
    """Whether a GET or HEAD with these request headers is answered 304 Not Modified.

    If-None-Match decides when present (weak comparison: W/ tags match too), and only without
    it does If-Modified-Since count; an unreadable date is ignored, as RFC 9110 asks.
    """
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return int(modified) <= since.timestamp()
