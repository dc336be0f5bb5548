"""WARC/1.1 writing: one gzip member per record, files rolled over at a size, open while writing.

Each file is written as `NAME.warc.gz.open` and renamed to `NAME.warc.gz` when closed, so a file
without the suffix is always complete. Response and request blocks are written byte for byte as
captured (warcio would re-serialise parsed HTTP headers), so the digests are computed here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import uuid
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


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def http_body_offset(block: bytes) -> int:
    """Offset of the body in an HTTP message: after the first empty line."""
    crlf = block.find(b"\r\n\r\n")
    lf = block.find(b"\n\n")
    candidates = [i + 4 for i in [crlf] if i >= 0] + [i + 2 for i in [lf] if i >= 0]
    return min(candidates) if candidates else len(block)


REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass(frozen=True, slots=True)
class Revisited:
    """The earlier capture a revisit record refers to."""

    url: str
    date: str
    record_id: str


def payload_digest_of(block: bytes) -> str:
    """The digest of an HTTP message's body as sent (chunk framing and compression included,
    as warcio computes and checks it)."""
    return sha1_digest(block[http_body_offset(block) :])


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
    ) -> None:
        self._folder = folder
        self._prefix = prefix
        self._max_size = max_size
        self._warcinfo = warcinfo
        self._root = root
        self._serial = 0
        self._file: BinaryIO | None = None
        self._path: Path | None = None
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
    ) -> WarcPointer:
        """Writes a response (or, for a payload already archived, a revisit) and its request.

        `truncated` is the WARC-Truncated reason ("length", "time") of a response cut short.
        """
        writer, stream = self._current()
        request_id = new_record_id()
        response_id = new_record_id()
        common = {"WARC-Target-URI": url, "WARC-Date": warc_date(sent_at)}
        if ip_address:
            common["WARC-IP-Address"] = ip_address

        response_offset = stream.tell()
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
        assert self._path is not None
        pointer = WarcPointer(
            filename=self._final_path(self._path).relative_to(self._root).as_posix(),
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
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        info = self._writer.create_warcinfo_record(self._final_path(path).name, self._warcinfo)
        self._writer.write_record(info)
        self._file.flush()

    @staticmethod
    def _final_path(path: Path) -> Path:
        return path.with_name(path.name.removesuffix(OPEN_SUFFIX))
