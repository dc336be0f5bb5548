"""Text repair: mojibake undone, lost spaces restored, clean text untouched."""

from __future__ import annotations

import pytest

from archiver.extract.repair import repair_text
from tests.article_page import BYLINE, extract


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("The workerâ€™s union said no", "The worker\u2019s union said no"),
        ("CafÃ© owners in MÃ¼nchen", "Café owners in München"),
        ("Housing worker says?Sam Lorde", "Housing worker says Sam Lorde"),
    ],
)
def test_broken_text_is_repaired(broken: str, repaired: str) -> None:
    assert repair_text(broken) == repaired


@pytest.mark.parametrize(
    "clean",
    [
        "Grüße aus Köln \u2014 \u201cquoted\u201d naïve",
        "Why? Because.",
        "See https://example.org/index.php?Id=3",
        "Â is a letter too",
    ],
)
def test_clean_text_is_left_alone(clean: str) -> None:
    assert repair_text(clean) == clean


def test_mojibake_in_the_page_is_repaired_in_every_field() -> None:
    body = "".join(
        f"<p>The workerâ€™s council at depot {n} met on Monday and voted to strike over the"
        " cuts to the night shift, the union said.</p>"
        for n in range(4)
    )
    extraction = extract(header=BYLINE, body=body, headline="Workersâ€™ power")
    assert extraction is not None
    assert extraction.headline == "Workers\u2019 power"
    assert "\u00e2" not in extraction.body and "worker\u2019s council" in extraction.body
