"""Fixity and conformance of WARC files, archiver's or anyone's: `archiver validate`.

The librarian's check before a WARC is accepted, copied or packaged. Every record of every file
is read to its end; what is checked:

- fixity: WARC-Block-Digest and WARC-Payload-Digest (sha1, sha256, md5; base32, hex or base64),
  by warcio's digest checker, which also gives `warcio check` its verdict;
- framing: Content-Length matches the block (the two blank lines follow where it ends), each
  record is its own gzip member, the file is a WARC and is not cut short (reader.py's checks);
- headers: WARC-Record-ID, WARC-Date, WARC-Type and Content-Length present, WARC-Date a UTC
  date, a warcinfo record first in each file, a revisit naming its profile and its original;
- links, across all the files given: WARC-Record-IDs unique, and in a file that has request
  records, every HTTP response and revisit linked to its request by WARC-Concurrent-To (either
  way round: archiver and wget link the response to the request, Heritrix the request to the
  response).

A framing problem ends the reading of that file (what follows cannot be told apart reliably);
problems inside a record do not.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

from archiver.warc.reader import (
    BoundedArchiveIterator,
    expand_paths,
    gzip_member_unfinished,
    looks_like_archive,
    missing_bytes,
)

MANDATORY_HEADERS = ("WARC-Record-ID", "WARC-Date", "WARC-Type", "Content-Length")
# WARC 1.1 (W3C ISO 8601 in UTC, fractions of a second allowed); WARC 1.0 dates match too.
_WARC_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z")
# Problems printed per file; a file with a bad digest in every record would fill the screen.
SHOWN_PROBLEMS = 10


@dataclass(frozen=True, slots=True)
class Problem:
    offset: int
    message: str

    def __str__(self) -> str:
        return f"{self.message} at offset {self.offset}"


@dataclass
class FileCheck:
    """The verdict on one file: how many whole records it holds, and what is wrong in it."""

    path: str
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, offset: int, message: str) -> None:
        self.problems.append(Problem(offset, message))

    def line(self) -> str:
        if self.ok:
            return f"OK {self.path} ({self.records} records)"
        problems = sorted(self.problems, key=lambda p: p.offset)
        shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        return f"FAIL {self.path}: {shown}" + (f"; and {more} more" if more > 0 else "")


@dataclass
class _Response:
    kind: str
    check: FileCheck
    offset: int
    record_id: str
    url: str
    concurrent_to: list[str]


@dataclass
class _Links:
    """Record IDs and WARC-Concurrent-To links of all files, judged once all are read."""

    first_use: dict[str, tuple[str, int]] = field(default_factory=dict)
    request_links: dict[str, list[str]] = field(default_factory=dict)
    responses: list[_Response] = field(default_factory=list)
    files_with_requests: set[str] = field(default_factory=set)

    def add(self, record: ArcWarcRecord, check: FileCheck, offset: int) -> None:
        headers = record.rec_headers
        record_id = headers.get_header("WARC-Record-ID") or ""
        if record_id in self.first_use:
            path, first = self.first_use[record_id]
            check.add(offset, f"WARC-Record-ID {record_id} already used (offset {first} of {path})")
        elif record_id:
            self.first_use[record_id] = (check.path, offset)
        concurrent_to = _all_values(headers, "WARC-Concurrent-To")
        url = headers.get_header("WARC-Target-URI") or ""
        if record.rec_type == "request":
            self.files_with_requests.add(check.path)
            self.request_links[record_id] = concurrent_to
        elif record.rec_type in ("response", "revisit") and url.startswith(("http:", "https:")):
            # Other responses (dns:, whois:) are fetched without an HTTP request.
            self.responses.append(
                _Response(record.rec_type, check, offset, record_id, url, concurrent_to)
            )

    def check_pairs(self) -> None:
        answered = {target for links in self.request_links.values() for target in links}
        for response in self.responses:
            if response.check.path not in self.files_with_requests:
                continue  # a file of responses only is a choice its maker made, not damage
            if response.record_id in answered or any(
                link in self.request_links for link in response.concurrent_to
            ):
                continue
            response.check.add(
                response.offset,
                f"{response.kind} for {response.url} has no request linked by WARC-Concurrent-To",
            )


def _all_values(headers: StatusAndHeaders, name: str) -> list[str]:
    """Every value of a header that may be repeated (WARC-Concurrent-To may)."""
    return [value for key, value in headers.headers if key.lower() == name.lower()]


def _is_warc_date(value: str) -> bool:
    if not _WARC_DATE.fullmatch(value):
        return False
    try:
        datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:  # well formed but impossible, as in month 13
        return False
    return True


def _framing_damage(
    record: ArcWarcRecord, iterator: ArchiveIterator, missing: int, warnings_before: int
) -> str | None:
    """What is wrong with where the record ends, once it has been read to its end."""
    gzipped = iterator.reader is not None and iterator.reader.decompressor is not None
    length = record.rec_headers.get_header("Content-Length")
    if missing:
        if gzipped and not gzip_member_unfinished(iterator):
            # The record's gzip member is whole: the header, not the file, is wrong.
            return f"Content-Length {length} is {missing} bytes more than the record holds"
        return f"record cut short: {missing} bytes missing"
    if gzip_member_unfinished(iterator):
        return "gzip member cut short (its end is missing)"
    if iterator.err_count > warnings_before:
        return f"Content-Length {length} does not match the block (no blank lines where it ends)"
    if gzipped and iterator.next_line is not None:
        # warcio found the start of another record before the end of this gzip member.
        return "more than one record in one gzip member (a record must be a member of its own)"
    return None


def _record_problems(record: ArcWarcRecord, *, first: bool) -> Iterator[str]:
    headers = record.rec_headers
    absent = [name for name in MANDATORY_HEADERS if not headers.get_header(name)]
    if absent:
        yield f"missing {', '.join(absent)}"
    date = headers.get_header("WARC-Date")
    if date and not _is_warc_date(date):
        yield f"WARC-Date {date!r} is not a UTC date like 2024-05-01T12:00:00Z"
    if first and record.rec_type != "warcinfo":
        yield f"the first record is a {record.rec_type} record, not warcinfo"
    if record.rec_type == "revisit":
        if not headers.get_header("WARC-Profile"):
            yield "revisit record without WARC-Profile"
        names_original = headers.get_header("WARC-Refers-To") or (
            headers.get_header("WARC-Refers-To-Target-URI")
            and headers.get_header("WARC-Refers-To-Date")
        )
        if not names_original:
            yield (
                "revisit record names no original (WARC-Refers-To, or "
                "WARC-Refers-To-Target-URI and WARC-Refers-To-Date)"
            )
    yield from record.digest_checker.problems


def _read_records(path: str, check: FileCheck, links: _Links) -> None:
    # warcio prints its framing warnings on stderr; they are counted in err_count and become
    # problems here, so they are kept off the user's screen.
    with open(path, "rb") as stream, contextlib.redirect_stderr(io.StringIO()):
        iterator = BoundedArchiveIterator(stream, check_digests=True)
        end = 0
        try:
            for record in iterator:
                warnings_before = iterator.err_count
                missing = missing_bytes(record)
                # Only now: warcio reads the record to its end to tell where it began.
                offset = iterator.get_record_offset()
                if record.format != "warc":
                    check.add(offset, "an ARC file, not a WARC")
                    return
                damage = _framing_damage(record, iterator, missing, warnings_before)
                if damage:
                    check.add(offset, damage)
                    return
                end = offset + iterator.get_record_length()
                check.records += 1
                for message in _record_problems(record, first=check.records == 1):
                    check.add(offset, message)
                links.add(record, check, offset)
        except Exception as exc:
            # warcio fails on damaged bytes in many ways: ArchiveLoadFailed, zlib and gzip
            # errors, but also AttributeError (a response without a WARC-Target-URI) and others.
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            check.add(max(end, iterator.offset), f"damaged record ({type(exc).__name__}: {reason})")
            return
        # warcio ends quietly where a record's head is cut off: bytes left after the last whole
        # record (other than the blank lines that end records) are the start of a lost one.
        stream.seek(end)
        if stream.read(1 << 16).strip():
            check.add(end, "the file ends inside a record (cut short?)")


def validate_warcs(paths: Sequence[str]) -> list[FileCheck]:
    """One FileCheck per WARC file named in `paths` or found in folders there, in order."""
    files, unusable = expand_paths(paths)
    checks = [FileCheck(p.path, problems=[Problem(p.offset, p.message)]) for p in unusable]
    links = _Links()
    for path in files:
        check = FileCheck(path)
        checks.append(check)
        try:
            if looks_like_archive(path):
                _read_records(path, check, links)
            else:
                check.add(0, "not a WARC file (no WARC/ header at its start)")
        except OSError as exc:
            check.add(0, f"cannot read the file ({exc.strerror})")
    links.check_pairs()
    return checks


def summary(checks: Sequence[FileCheck]) -> str:
    failed = sum(not check.ok for check in checks)
    records = sum(check.records for check in checks)
    return f"{len(checks)} files, {records} records: {len(checks) - failed} OK, {failed} failed"
