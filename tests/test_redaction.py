"""Credentials given for a site are not archived, unless the archivist asks to keep them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from archiver.demo.server import DemoServer
from archiver.warc.redaction import redact_request
from tests.conftest import crawl

SECRET_HEADERS = {"Authorization": "Bearer s3cret-token", "Cookie": "session=abc123"}


def _archive_text(output: Path) -> bytes:
    return b"".join(gzip.decompress(p.read_bytes()) for p in (output / "warc").glob("*.warc.gz"))


def test_credential_headers_are_redacted_in_request_records(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    run = crawl(
        demo_server,
        tmp_path,
        "--max-pages",
        "3",
        "-s",
        f"DEFAULT_REQUEST_HEADERS={json.dumps(SECRET_HEADERS)}",
    )
    assert run.served, run.stderr[-2000:]
    archived = _archive_text(tmp_path)
    assert b"s3cret-token" not in archived and b"abc123" not in archived
    assert b"\r\nAuthorization: [redacted by archiver]\r\n" in archived
    assert b"\r\nCookie: [redacted by archiver]\r\n" in archived


def test_credentials_are_kept_when_asked(demo_server: DemoServer, tmp_path: Path) -> None:
    crawl(
        demo_server,
        tmp_path,
        "--max-pages",
        "2",
        "-s",
        "ARCHIVER_KEEP_CREDENTIALS=True",
        "-s",
        f"DEFAULT_REQUEST_HEADERS={json.dumps(SECRET_HEADERS)}",
    )
    assert b"Bearer s3cret-token" in _archive_text(tmp_path)


def test_redaction_keeps_the_request_line_other_headers_and_the_body() -> None:
    block = (
        b"POST /login HTTP/1.1\r\nHost: x.org\r\nauthorization: Basic dTpw\r\n"
        b"X-Cookie-Note: harmless\r\n\r\nuser=me&cookie: not-a-header"
    )
    assert redact_request(block) == (
        b"POST /login HTTP/1.1\r\nHost: x.org\r\nauthorization: [redacted by archiver]\r\n"
        b"X-Cookie-Note: harmless\r\n\r\nuser=me&cookie: not-a-header"
    )
