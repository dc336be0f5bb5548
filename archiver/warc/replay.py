"""A Scrapy response rebuilt from an archived record, for a resumed crawl.

A crawl resumed after a crash does not fetch again what it archived: the spider gets the page
from the WARC instead, so it finds the same links and the frontier grows back as it was.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from archiver.warc.archive_index import Capture
from archiver.warc.writer import OPEN_SUFFIX

# The body handed over is de-chunked, so these no longer describe it. It stays compressed as
# archived: decompression is left to the crawl's own middleware, with its size limit, so an
# archived compression bomb is refused again rather than inflated here.
_TRANSPORT_HEADERS = {b"transfer-encoding", b"content-length"}
ARCHIVED_FLAG = "archived"


def archived_response(root: Path, capture: Capture, url: str) -> Response:
    path = root / capture.pointer.filename
    if not path.exists():
        # Written earlier in this very crawl: the file still has its `.open` name.
        path = path.with_name(path.name + OPEN_SUFFIX)
    with open(path, "rb") as stream:
        stream.seek(capture.pointer.offset)
        record = next(iter(ArchiveIterator(stream)))
        http = record.http_headers
        chunked = http is not None and http.get_header("transfer-encoding") == "chunked"
        body = (ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream).read()
    headers = Headers(
        [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in (http.headers if http else [])
            if name.lower().encode("latin-1") not in _TRANSPORT_HEADERS
        ]
    )
    status = int(http.get_statuscode()) if http and http.get_statuscode().isdigit() else 200
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, flags=[ARCHIVED_FLAG])
