"""Bytes to tree: a UTF-8 page is parsed from its bytes, which must give the tree its text gives,
whatever charset the page's own <meta> names; and clean() keeps text that is one line already."""

from __future__ import annotations

import pytest
from lxml import etree

from archiver.extract.decode import decode_html, decode_page
from archiver.extract.parse import parse_html, parse_page
from archiver.extract.text import clean

_PAGE = (
    "<html><head>{meta}<title>Caf\u00e9</title></head><body><p>\u201cWe won\u2019t\u201d"
    " &amp; &#233;\u00a0na\u00efve \U0001f600<br>line</p><!-- note --><?pi x?></body></html>"
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_PAGE.format(meta="").encode(), "text/html; charset=utf-8"),
        (_PAGE.format(meta='<meta charset="iso-8859-1">').encode(), "text/html; charset=utf-8"),
        (_PAGE.format(meta='<meta charset="utf-8">').encode(), None),
        (b"\xef\xbb\xbf" + _PAGE.format(meta="").encode(), None),
        (b'<?xml version="1.0" encoding="utf-8"?>' + _PAGE.format(meta="").encode(), None),
        (_PAGE.format(meta="").encode("cp1252", "replace"), "text/html; charset=windows-1252"),
    ],
)
def test_page_parses_as_its_decoded_text(body: bytes, content_type: str | None) -> None:
    text = decode_html(body, content_type)
    assert text is not None
    tree, from_text = parse_page(body, content_type), parse_html(text)
    assert tree is not None and from_text is not None
    assert etree.tostring(tree) == etree.tostring(from_text)


def test_only_utf8_read_as_is_is_parsed_from_the_bytes() -> None:
    utf8 = _PAGE.format(meta="").encode()
    assert decode_page(utf8, "text/html; charset=utf-8") == (utf8.decode(), True)
    assert decode_page(b"\xef\xbb\xbf" + utf8, None) == (utf8.decode(), False)
    assert decode_page(utf8.replace(b"<p>", b"<p>\x07"), None) == (utf8.decode(), False)
    assert decode_page(b"<p>caf\xe9 \xff</p>", "text/html; charset=utf-8")[1] is False


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("one line as it is", "one line as it is"),
        ("\u201cone\u201d line", "\u201cone\u201d line"),
        (" two  spaces ", "two spaces"),
        ("tab\there\x1fand\nnewline", "tab here and newline"),
        ("no\u00a0break\u2003em", "no break em"),
        ("soft\u00adhyphen and\u200bzero width", "softhyphen andzero width"),
        ("", ""),
    ],
)
def test_clean_keeps_one_line_and_mends_the_rest(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned
