"""Credentials a user gives the crawl for a site stay out of the archive.

A WARC is handed to libraries and published; the login cookie or API token an archivist used to
reach a site must not travel with it. Request records keep the header, so a reader sees that
one was sent, with its value replaced (unless ARCHIVER_KEEP_CREDENTIALS asks otherwise).
"""

from __future__ import annotations

import re

REDACTED = b"[redacted by archiver]"
CREDENTIAL_HEADERS = (b"authorization", b"proxy-authorization", b"cookie")
_HEADER_LINE = re.compile(rb"^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*?)(\r?)$", re.M)


def redact_request(block: bytes) -> bytes:
    """The request with the values of its credential headers replaced; the body untouched."""
    end = block.find(b"\r\n\r\n")
    head, rest = (block, b"") if end < 0 else (block[:end], block[end:])

    def redact(line: re.Match[bytes]) -> bytes:
        if line.group(1).lower() in CREDENTIAL_HEADERS:
            return line.group(1) + b": " + REDACTED + line.group(3)
        return line.group(0)

    return _HEADER_LINE.sub(redact, head) + rest
