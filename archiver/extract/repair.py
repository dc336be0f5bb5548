"""Text repair: mojibake and lost spaces that old left-press sites serve, mended after decoding.

decode.py reads the bytes with the right charset; what it cannot fix is text that was already
broken when the page was made: UTF-8 read once as windows-1252 and saved again ("workerâ€™s"),
or a no-break space a legacy converter turned into "?" ("says?Sam Lorde"). ftfy undoes the first
(only when its marks are there: it is slow, and most pages are clean); the second is mended where
a "?" glues a word to a capitalised one, which prose never does.
"""

from __future__ import annotations

import re

import ftfy

# A lead byte of UTF-8 read as windows-1252 (Â Ã Å â ...) followed by a continuation byte so read.
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00c4\u00c5\u00c6\u00e2\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
    "\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]"
)
_MOJIBAKE_LEADS = "\u00c2\u00c3\u00c4\u00c5\u00c6\u00e2\u00ef"
# A word of letters glued by "?" to a capitalised one; words inside URLs ("index.php?Id=") are not.
_LOST_SPACE = re.compile(r"(?<![\w/.=&%?-])([^\W\d_]*[a-z])\?(?=[A-Z][a-z])")
_QUESTION_CAPITAL = re.compile(r"\?[A-Z]")  # what _LOST_SPACE needs, found by literal search


def repair_text(text: str) -> str:
    """The text with mojibake undone and lost spaces restored; clean text comes back as is."""
    # Plain substring tests (fast C scans) first: the regexes would walk every paragraph of
    # every clean page a character at a time. The leads are not ASCII, and isascii() is free.
    mojibake = not text.isascii() and any(lead in text for lead in _MOJIBAKE_LEADS)
    if mojibake and _MOJIBAKE.search(text):
        text = ftfy.fix_encoding(text)
    if "?" in text and _QUESTION_CAPITAL.search(text):
        text = _LOST_SPACE.sub(r"\1 ", text)
    return text
