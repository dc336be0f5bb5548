"""Captured bytes, decoded, to one lxml tree, parsed once and shared by every extraction step.

The tree is the original page except for what a reader never sees as text: comments, processing
instructions, and (after metadata has read its JSON-LD) scripts and styles.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from archiver.extract.decode import decode_page

_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# The same for UTF-8 bytes: given the encoding, libxml2 reads them as the text they decode to
# (a <meta> naming another charset is not followed, as it is not for text).
_UTF8_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8"
)
# Every element an HtmlElement, chosen in C: lxml.html's own lookup runs Python code for each
# element proxy made (by every rule and by trafilatura, on our tree and its copies), only to
# give form controls classes no rule uses. The parsers drop comments and processing
# instructions, the other nodes lxml.html classes.
for _parser in (_PARSER, _UTF8_PARSER):
    _parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=HtmlElement))
# lxml refuses str input that still declares a byte encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_CODE_TAGS = ("script", "style", "noscript", "template", "svg", "math")


def parse_page(body: bytes, content_type: str | None) -> HtmlElement | None:
    """The document tree of a captured page, or None when it holds no HTML document at all."""
    decoded = decode_page(body, content_type)
    if decoded is None:
        return None
    text, as_read = decoded
    return parse_html(text, body if as_read else None)


def parse_html(text: str, utf8: bytes | None = None) -> HtmlElement | None:
    """The document tree, or None when the text holds no HTML document at all. `utf8`: the
    bytes the text is read from as UTF-8, if it is, which libxml2 takes without the text
    being encoded again for it."""
    declaration = _XML_DECLARATION.match(text)
    if declaration is not None:
        text, utf8 = text[declaration.end() :], None
    if not text or text.isspace():  # strip() would copy the page
        return None
    try:
        if utf8 is not None:
            tree = etree.fromstring(utf8, parser=_UTF8_PARSER)
        else:
            tree = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    if tree is None or tree.find("body") is None:
        return None
    return tree


def remove_code(tree: HtmlElement) -> None:
    """Drop scripts, styles and other elements whose text a reader never sees."""
    etree.strip_elements(tree, *_CODE_TAGS, with_tail=False)
