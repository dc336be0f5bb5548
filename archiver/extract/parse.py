"""Decoded text to one lxml tree, parsed once and shared by every extraction step.

The tree is the original page except for what a reader never sees as text: comments, processing
instructions, and (after metadata has read its JSON-LD) scripts and styles.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

_PARSER = HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# lxml refuses str input that still declares a byte encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_CODE_TAGS = ("script", "style", "noscript", "template", "svg", "math")


def parse_html(text: str) -> HtmlElement | None:
    """The document tree, or None when the text holds no HTML document at all."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        tree = document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    if tree is None or tree.find("body") is None:
        return None
    return tree


def remove_code(tree: HtmlElement) -> None:
    """Drop scripts, styles and other elements whose text a reader never sees."""
    etree.strip_elements(tree, *_CODE_TAGS, with_tail=False)
