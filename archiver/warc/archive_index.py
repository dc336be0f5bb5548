"""What a collection folder already holds: its captures by URL and by payload digest.

Built by reading the WARCs themselves, so it is right after any crash and needs no state of its
own. Deduplication asks it whether a payload is already archived (then a revisit record is
written instead of the payload), and a resumed crawl asks it whether a URL was already fetched
(then the page is served from the archive instead of the network).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from archiver.warc.reader import WarcProblem, WholeRecord, iter_whole_records
from archiver.warc.writer import WarcPointer


@dataclass(frozen=True, slots=True)
class Capture:
    """One archived response; `pointer` is the record holding its payload (for a revisit, the
    record it refers to)."""

    url: str
    date: str
    status: int
    pointer: WarcPointer
    validators: tuple[tuple[str, str], ...] = ()
    """The conditional request headers (If-None-Match, If-Modified-Since) that ask the server
    whether this capture is still current."""


_VALIDATORS = (("etag", "If-None-Match"), ("last-modified", "If-Modified-Since"))


def validators_of(headers: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Conditional request headers from a response's ETag and Last-Modified."""
    found = {name.lower(): value for name, value in headers}
    return tuple(
        (request_header, found[response_header])
        for response_header, request_header in _VALIDATORS
        if found.get(response_header)
    )


def _status(record: ArcWarcRecord) -> int:
    code = record.http_headers.get_statuscode() if record.http_headers else ""
    return int(code) if code and code.isdigit() else 0


def _nothing(record: ArcWarcRecord) -> None:
    return None


class ArchiveIndex:
    def __init__(self) -> None:
        self._by_url: dict[str, Capture] = {}
        self._by_digest: dict[str, Capture] = {}
        self._by_record_id: dict[str, Capture] = {}
        self.problems: list[WarcProblem] = []

    @classmethod
    def scan(cls, root: Path) -> ArchiveIndex:
        """Index the WARCs under `root/warc`; damaged files are indexed up to the damage."""
        index = cls()
        for path in sorted((root / "warc").glob("*.warc.gz")):
            for item in iter_whole_records(str(path), _nothing):
                if isinstance(item, WarcProblem):
                    index.problems.append(item)
                else:
                    index._add_record(item, path.relative_to(root).as_posix())
        return index

    def _add_record(self, item: WholeRecord[None], filename: str) -> None:
        headers = item.record.rec_headers
        kind = item.record.rec_type
        if kind not in ("response", "revisit") or headers.get_header("WARC-Truncated"):
            return
        url = headers.get_header("WARC-Target-URI") or ""
        digest = headers.get_header("WARC-Payload-Digest")
        record_id = headers.get_header("WARC-Record-ID") or ""
        pointer = WarcPointer(filename, item.offset, record_id, digest)
        if kind == "revisit":
            original = self._by_record_id.get(headers.get_header("WARC-Refers-To") or "")
            if original is None and digest:
                original = self._by_digest.get(digest)
            if original is None:
                return
            pointer = original.pointer
        http = item.record.http_headers
        self.add(
            Capture(
                url,
                headers.get_header("WARC-Date") or "",
                _status(item.record),
                pointer,
                validators_of(http.headers if http else []),
            )
        )

    def add(self, capture: Capture) -> None:
        known = self._by_url.get(capture.url)
        # A 304 confirms the capture before it; it holds no page of its own to serve.
        newer = known is None or iso_date_to_datetime(known.date) <= iso_date_to_datetime(
            capture.date
        )
        if newer and capture.status != 304:
            self._by_url[capture.url] = capture
        digest = capture.pointer.payload_digest
        if digest and capture.pointer.record_id not in self._by_record_id:
            self._by_record_id[capture.pointer.record_id] = capture
            self._by_digest.setdefault(digest, capture)

    def by_digest(self, digest: str) -> Capture | None:
        """The first capture whose payload has this digest."""
        return self._by_digest.get(digest)

    def latest(self, url: str) -> Capture | None:
        return self._by_url.get(url)

    def __len__(self) -> int:
        return len(self._by_url)
