"""A captured page: the input of extraction, whether it comes from a live crawl or a WARC.

Extraction knows nothing of Scrapy or warcio: the crawl and `archiver extract` both build a Page
(body already freed of transfer and content encodings) and hand it to the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    body: bytes
    content_type: str | None
    captured_at: datetime
    """When the request was sent (the response record's WARC-Date), timezone-aware UTC."""
