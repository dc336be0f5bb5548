"""Bytes of a captured page to text, the way a browser would read them, or None for non-text.

First step of extraction: the charset comes from the BOM, the Content-Type header or the page's
own <meta> declaration (w3lib follows the HTML rules). Three common mistakes are mended
because archives are full of them: a page without any declaration that is not UTF-8 is read as
windows-1252 (the web's legacy default); a page labelled (by header or <meta>) with a Western
single-byte charset whose bytes are valid multi-byte UTF-8 is read as UTF-8 (such bytes are
almost never real windows-1252 text); a page labelled UTF-8 without a single UTF-8 sequence is
read as windows-1252.
"""

from __future__ import annotations

import re
from codecs import BOM_UTF8

from w3lib.encoding import html_to_unicode, read_bom

# Magic numbers of formats that servers sometimes send as text/html.
_BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"wOFF",
    b"wOF2",
    b"\x00\x00\x01\x00",
    b"\xd0\xcf\x11\xe0",
    b"7z\xbc\xaf",
    b"Rar!",
)
# C0 controls other than tab, newline, form feed and carriage return: rare in real text.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_NOT_BINARY_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(bytes([b])))
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL_TEXT.match(chr(b)))
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SINGLE_BYTE_WESTERN = {"cp1252", "iso8859-15"}  # w3lib's names; latin-1 and ASCII become cp1252
_ASCII_BYTES = {"utf-8", *_SINGLE_BYTE_WESTERN}
_SNIFF_BYTES = 4096


def decode_html(body: bytes, content_type: str | None) -> str | None:
    """The page as text, or None when the bytes are empty or binary."""
    decoded = decode_page(body, content_type)
    return decoded[0] if decoded is not None else None


def decode_page(body: bytes, content_type: str | None) -> tuple[str, bool] | None:
    """The page as text, and whether that text is the bytes read as UTF-8 and nothing else (a
    parser may take the bytes then, which spares encoding the text again); None when the
    bytes are empty or binary."""
    if not body or body.isspace() or _looks_binary(body):  # isspace: strip() copies the page
        return None
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_sniff)
    as_read = False
    if encoding in _SINGLE_BYTE_WESTERN and _is_utf8(body):
        text, as_read = body.decode("utf-8"), True
    elif encoding == "utf-8":
        # Bytes that are not UTF-8 decode to U+FFFD: a page without one is UTF-8, unsniffed
        # (the text leaves out a byte order mark the bytes start with).
        if "\ufffd" not in text:
            as_read = not body.startswith(BOM_UTF8)
        elif _sniff(body) == "cp1252":
            text = body.decode("cp1252", errors="replace")
    # In these encodings a byte below 0x80 is always that ASCII character: the control
    # characters of the text are the control bytes of the page, which need no encoding.
    if encoding in _ASCII_BYTES:
        controlled = _has_control(body)
    else:
        controlled = _has_control(text.encode("utf-8", "surrogatepass"))
    if controlled:
        return _CONTROL_TEXT.sub("", text), False
    return text, as_read


def _has_control(encoded: bytes) -> bool:
    """Whether text, encoded, holds a control character: the regex would walk the whole page a
    character at a time, bytes.translate finds them in one C pass (in UTF-8 they are single
    bytes, which no other character uses)."""
    return bool(encoded.translate(None, _NOT_CONTROL))


def _looks_binary(body: bytes) -> bool:
    if read_bom(body[:4])[0] is not None:
        return False  # UTF-16/32 text is full of NUL bytes but is text
    head = body[:_SNIFF_BYTES]
    if head.startswith(_BINARY_SIGNATURES):
        return True
    return len(head.translate(None, _NOT_BINARY_CONTROL)) > len(head) * 0.1


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _UTF8_MULTIBYTE.search(body) is not None


def _sniff(body: bytes) -> str:
    """UTF-8 unless the bytes hold no UTF-8 at all; w3lib asks when nothing declares a charset."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        # Mostly UTF-8 with a few broken bytes stays UTF-8; no UTF-8 at all is legacy text.
        return "utf-8" if _UTF8_MULTIBYTE.search(body) else "cp1252"
    return "utf-8"
