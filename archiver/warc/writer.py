"""WARC/1.1 writing: one gzip member per record, files rolled over at a size, open while writing.

Each file is written as `NAME.warc.gz.open` and renamed to `NAME.warc.gz` when closed, so a file
without the suffix is always complete. Response and request blocks are written byte for byte as
captured (warcio would re-serialise parsed HTTP headers), so the digests are computed here.

This runs on the crawl's reactor thread for every response, so it does each costly thing once:
one SHA-1 pass per digest, over the captured bytes in place (no copies of the body), and gzip
at a chosen level (warcio's own gzip is fixed at 9, which costs much more for hardly smaller
files).
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

OPEN_SUFFIX = ".open"


@dataclass(frozen=True, slots=True)
class WarcPointer:
    """Where a response record lives: what a JSON record cites."""

    filename: str
    offset: int
    record_id: str
    payload_digest: str | None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "filename": self.filename,
            "offset": self.offset,
            "record_id": self.record_id,
            "payload_digest": self.payload_digest,
        }


def sha1_digest(data: bytes | memoryview) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def http_body_offset(block: bytes) -> int:
    """Offset of the body in an HTTP message: after the first empty line."""
    crlf = block.find(b"\r\n\r\n")
    # A bare "\n\n" counts only if it comes first: searching past the CRLF one would read the
    # whole body.
    lf = block.find(b"\n\n", 0, crlf + 3) if crlf >= 0 else block.find(b"\n\n")
    if lf >= 0:
        return lf + 2
    return crlf + 4 if crlf >= 0 else len(block)


REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass(frozen=True, slots=True)
class Revisited:
    """The earlier capture a revisit record refers to."""

    url: str
    date: str
    record_id: str


def payload_digest_of(block: bytes, body_offset: int | None = None) -> str:
    """The digest of an HTTP message's body as sent (chunk framing and compression included,
    as warcio computes and checks it). `body_offset` is `http_body_offset(block)`, if known."""
    if body_offset is None:
        body_offset = http_body_offset(block)
    return sha1_digest(memoryview(block)[body_offset:])


class _GzipMembers:
    """What warcio writes into, gzipping each record into a gzip member of its own.

    warcio's own gzip is fixed at level 9; writing uncompressed into this instead lets the level
    be chosen. warcio flushes once at the end of every record, which ends the member.
    """

    def __init__(self, out: BinaryIO, level: int) -> None:
        self._out = out
        self._level = level
        self._compressor: zlib._Compress | None = None

    def write(self, data: bytes) -> int:
        if self._compressor is None:
            # wbits 16 + MAX_WBITS: a gzip header and trailer around the deflate stream.
            self._compressor = zlib.compressobj(self._level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        self._out.write(self._compressor.compress(data))
        return len(data)

    def flush(self) -> None:
        """Ends the record's member; the file itself is flushed by the caller, once an exchange."""
        if self._compressor is not None:
            self._out.write(self._compressor.flush())
            self._compressor = None


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime) -> str:
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


class RotatingWarcWriter:
    """Writes exchanges into `folder`, starting a new file once one passes `max_size` bytes."""

    def __init__(
        self,
        folder: Path,
        *,
        prefix: str,
        max_size: int,
        warcinfo: dict[str, str],
        root: Path,
        gzip_level: int = 6,
    ) -> None:
        self._folder = folder
        self._prefix = prefix
        self._max_size = max_size
        self._warcinfo = warcinfo
        self._root = root
        self._gzip_level = gzip_level
        self._serial = 0
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._filename = ""
        """The open file's final name relative to `root`, as pointers cite it."""
        self._writer: WARCWriter | None = None
        self.files_written: list[Path] = []

    def write_exchange(
        self,
        *,
        url: str,
        sent_at: datetime,
        request_block: bytes,
        response_block: bytes,
        ip_address: str | None = None,
        revisit_of: Revisited | None = None,
        truncated: str | None = None,
        payload_digest: str | None = None,
    ) -> WarcPointer:
        """Writes a response (or, for a payload already archived, a revisit) and its request.

        `truncated` is the WARC-Truncated reason ("length", "time") of a response cut short.
        `payload_digest` is `payload_digest_of(response_block)`, if the caller has it already.
        """
        writer, stream = self._current()
        request_id = new_record_id()
        response_id = new_record_id()
        common = {"WARC-Target-URI": url, "WARC-Date": warc_date(sent_at)}
        if ip_address:
            common["WARC-IP-Address"] = ip_address

        response_offset = stream.tell()
        if payload_digest is None:
            payload_digest = payload_digest_of(response_block)
        response_headers = {
            **common,
            "WARC-Record-ID": response_id,
            "WARC-Concurrent-To": request_id,
        }
        if truncated:
            response_headers["WARC-Truncated"] = truncated
        if revisit_of is None:
            self._write_block(
                writer,
                "response",
                response_block,
                response_headers,
                payload_digest=payload_digest,
                message_type="response",
            )
        else:
            # A revisit keeps the response's headers and leaves the payload to the original.
            response_headers.update(
                {
                    "WARC-Profile": REVISIT_PROFILE,
                    "WARC-Refers-To": revisit_of.record_id,
                    "WARC-Refers-To-Target-URI": revisit_of.url,
                    "WARC-Refers-To-Date": revisit_of.date,
                }
            )
            headers_only = response_block[: http_body_offset(response_block)]
            self._write_block(
                writer,
                "revisit",
                headers_only,
                response_headers,
                payload_digest=payload_digest,
                message_type="response",
            )
        self._write_block(
            writer,
            "request",
            request_block,
            {**common, "WARC-Record-ID": request_id, "WARC-Concurrent-To": response_id},
            payload_digest=payload_digest_of(request_block),
            message_type="request",
        )
        stream.flush()
        pointer = WarcPointer(
            filename=self._filename,
            offset=response_offset,
            record_id=response_id,
            payload_digest=payload_digest,
        )
        if stream.tell() >= self._max_size:
            self.close()
        return pointer

    def close(self) -> None:
        if self._file is None or self._path is None:
            return
        self._file.close()
        final = self._final_path(self._path)
        os.replace(self._path, final)
        self.files_written.append(final)
        self._file = self._writer = self._path = None
        self._filename = ""

    def _write_block(
        self,
        writer: WARCWriter,
        record_type: str,
        block: bytes,
        headers: dict[str, str],
        *,
        payload_digest: str,
        message_type: str,
    ) -> None:
        rec_headers = StatusAndHeaders(
            "",
            [
                ("WARC-Type", record_type),
                *headers.items(),
                ("WARC-Block-Digest", sha1_digest(block)),
                ("WARC-Payload-Digest", payload_digest),
            ],
            protocol=writer.warc_version,
        )
        content_type = f"application/http; msgtype={message_type}"
        # warcio writes a revisit's block from parsed HTTP headers only, never from the raw
        # stream; handing it the record as a response keeps the block as captured (the
        # WARC-Type header above still says revisit).
        writer_type = "response" if record_type == "revisit" else record_type
        record = ArcWarcRecord(
            "warc", writer_type, rec_headers, BytesIO(block), None, content_type, len(block)
        )
        writer.write_record(record)

    def _current(self) -> tuple[WARCWriter, BinaryIO]:
        if self._writer is None or self._file is None:
            self._open_next()
        assert self._writer is not None and self._file is not None
        return self._writer, self._file

    def _open_next(self) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
            name = f"{self._prefix}-{stamp}-{self._serial:05d}-{socket.gethostname()}-{os.getpid()}"
            self._serial += 1
            path = self._folder / f"{name}.warc.gz{OPEN_SUFFIX}"
            if not path.exists() and not self._final_path(path).exists():
                break
        # "xb": never overwrite an existing file, even if another process raced us to the name.
        self._file = open(path, "xb")  # noqa: SIM115 - kept open across records on purpose
        self._path = path
        self._filename = self._final_path(path).relative_to(self._root).as_posix()
        self._writer = WARCWriter(
            _GzipMembers(self._file, self._gzip_level), gzip=False, warc_version="1.1"
        )
        info = self._writer.create_warcinfo_record(self._final_path(path).name, self._warcinfo)
        self._writer.write_record(info)
        self._file.flush()

    @staticmethod
    def _final_path(path: Path) -> Path:
        return path.with_name(path.name.removesuffix(OPEN_SUFFIX))
