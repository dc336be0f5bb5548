"""The page's language as a primary subtag ("en-GB" and "en_US" give "en"), or None.

Declared language only: <html lang>, the Content-Language meta, og:locale. Guessing from the
text would make the field depend on the text extraction and on a model.
"""

from __future__ import annotations

import re

from archiver.extract.metadata import Metadata

_PRIMARY = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_UNDETERMINED = {"und", "mul", "zxx"}


def page_language(metadata: Metadata) -> str | None:
    candidates = [metadata.html_lang or ""]
    candidates += metadata.all("content-language", "language", "dc.language", "og:locale")
    for candidate in candidates:
        for value in candidate.split(","):
            match = _PRIMARY.match(value)
            if match and match.group(1).lower() not in _UNDETERMINED:
                return match.group(1).lower()
    return None
