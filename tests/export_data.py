"""Records and WARCs made up for export and report tests: fixed ids, dates and versions.

A record here is schema-shaped like a crawl's; a WARC holds response records with fixed
WARC-Dates and record ids, so which capture is newer is known to the test, not to the clock.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def article_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:32]


def record(url: str, **fields: Any) -> dict[str, Any]:
    """A record of the article at `url`; `fields` override any key (`warc`, `extractor`...)."""
    base: dict[str, Any] = {
        "id": article_id(url),
        "url": url,
        "canonical_url": url,
        "publication": "Morning Star",
        "headline": f"Headline of {url}",
        "standfirst": None,
        "byline": "By Ann Example",
        "authors": ["Ann Example"],
        "date": "2024-03-01",
        "issue": None,
        "volume": None,
        "body": "First paragraph.\n\nSecond paragraph.",
        "language": "en",
        "warc": {
            "filename": "warc/none.warc.gz",
            "offset": 0,
            "record_id": f"<urn:uuid:{article_id(url + '#capture')}>",
            "payload_digest": None,
        },
        "extracted_at": "2024-03-02T00:00:00+00:00",
        "extractor": {"name": "archiver", "version": "0.1.0", "profile": None},
    }
    base.update(fields)
    return base


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        for item in records:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def write_captures(path: Path, captures: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """A WARC of one response per (url, WARC-Date), each with a request; their warc pointers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pointers = []
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number, (url, date) in enumerate(captures):
            body = f"<html><body><h1>{url} at {date}</h1></body></html>".encode()
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record_id = f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"
            response = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": record_id},
            )
            offset = stream.tell()
            writer.write_record(response)
            pointers.append(
                {
                    "filename": f"warc/{path.name}",
                    "offset": offset,
                    "record_id": record_id,
                    "payload_digest": response.rec_headers.get_header("WARC-Payload-Digest"),
                }
            )
    return pointers
