"""The text keys and counts every rule compares by: their fast paths (byte-level C passes) must
give what their plain definitions give, for every character."""

from __future__ import annotations

import random
import re
import unicodedata

from archiver.extract.text import clean, comparable, word_count

_NOT_WORD = re.compile(r"[\W_]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_IDEOGRAPHS = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def _comparable_by_definition(text: str) -> str:
    """Case folded, accents dropped, every run of other non-word characters one space."""
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return _NOT_WORD.sub(" ", folded).strip()


def _word_count_by_definition(text: str) -> int:
    ideographs = len(_IDEOGRAPHS.findall(text))
    return ideographs + len(_IDEOGRAPHS.sub(" ", text).split())


def test_comparable_keys_every_character_by_its_definition() -> None:
    for code in range(0x30000):
        char = chr(code)
        for text in (char, f"Ab{char}c d", f"\u201c{char}\u201d"):
            assert comparable(text) == _comparable_by_definition(text), hex(code)


def test_comparable_keys_mixed_text_by_its_definition() -> None:
    rng = random.Random(6)
    latin = list("abc XYZ,.;'\"_-\t\n\u00a0\u2019\u201c\u201d\u2014\u00e9\u00fc\u00df\u0301")
    other = [chr(c) for c in range(0x370, 0x3100)] + ["\ud800", "\udfff"]
    for _ in range(3000):
        length = rng.randint(0, 400)  # long non-Latin text takes the regex path
        text = "".join(rng.choices(latin * 20 + other, k=length))
        assert comparable(text) == _comparable_by_definition(text), repr(text)


def test_comparable_keys_a_quoted_sentence() -> None:
    text = "\u201cWe won\u2019t back down\u201d \u2014 Caf\u00e9 workers\u2019 strike, day 3."
    assert comparable(text) == "we won t back down cafe workers strike day 3"


def test_word_count_counts_ideographs_only_where_the_text_has_them() -> None:
    for code in range(0x2F00, 0x10000):
        text = f"two words {chr(code)}{chr(code)} \u2014 and more"
        assert word_count(text) == _word_count_by_definition(text), hex(code)
    assert word_count("Caf\u00e9 \u201cworkers\u201d " * 500) == 1000


def test_clean_drops_invisible_characters_and_joins_whitespace() -> None:
    assert clean("Ge\u00adschlechts\u200beintrag \u00a0 neu\n") == "Geschlechtseintrag neu"
    assert clean("caf\u00e9\u2003bar") == "caf\u00e9 bar"
