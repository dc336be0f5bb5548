"""Bytes to text as a browser reads them, with the server mistakes archives are full of."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import extract_article
from archiver.extract.decode import decode_html
from archiver.page import Page

TEXT = "\u201cWe won\u2019t pay\u201d \u2013 rents up \u00a35 a week in Br\u00fcssel"


def _html(meta: str = "") -> str:
    paragraphs = "".join(
        f"<p>Paragraph {n}: {TEXT}, tenants said at the meeting in the hall on Friday night.</p>"
        for n in range(4)
    )
    return (
        f"<html><head>{meta}<title>{TEXT}</title></head><body><h1>{TEXT}</h1>"
        f"<p class='byline'>By Anna Kowalski</p>{paragraphs}</body></html>"
    )


def test_windows_1252_without_any_declaration() -> None:
    assert TEXT in decode_html(_html().encode("cp1252"), None)


def test_windows_1252_declared_in_meta() -> None:
    body = _html('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    assert TEXT in decode_html(body.encode("cp1252"), "text/html")


def test_utf8_labelled_latin1_by_the_server_is_read_as_utf8() -> None:
    assert TEXT in decode_html(_html().encode("utf-8"), "text/html; charset=ISO-8859-1")


def test_utf8_labelled_windows_1252_in_meta_is_read_as_utf8() -> None:
    body = _html('<meta charset="windows-1252">').encode("utf-8")
    assert TEXT in decode_html(body, "text/html")


def test_windows_1252_labelled_utf8_is_read_as_windows_1252() -> None:
    body = _html('<meta charset="utf-8">').encode("cp1252")
    assert TEXT in decode_html(body, "text/html; charset=utf-8")


def test_header_charset_is_honoured() -> None:
    assert TEXT in decode_html(_html().encode("utf-16"), "text/html; charset=utf-16")


def test_byte_order_mark_wins() -> None:
    assert TEXT in decode_html(
        b"\xef\xbb\xbf" + _html().encode("utf-8"), "text/html; charset=cp1251"
    )


def test_nul_and_control_bytes_are_dropped() -> None:
    decoded = decode_html(_html().replace("tenants", "ten\x00ants\x07").encode("utf-8"), None)
    assert decoded is not None
    assert "\x00" not in decoded and "\x07" not in decoded


@pytest.mark.parametrize(
    "body",
    [b"", b"   \n", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"%PDF-1.4\n%\xe2\xe3", bytes(300)],
)
def test_empty_and_binary_bodies_are_not_text(body: bytes) -> None:
    assert decode_html(body, "text/html") is None


def test_windows_1252_article_extracts_with_its_quotes_and_pound_sign() -> None:
    page = Page(
        "https://example.org/news/rents",
        _html().encode("cp1252"),
        "text/html",
        datetime(2024, 5, 1, tzinfo=UTC),
    )
    extraction = extract_article(page)
    assert extraction is not None
    assert extraction.headline == TEXT
    assert TEXT in extraction.body
