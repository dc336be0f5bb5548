"""Citation lines of reprints: where the article first appeared, as `source`."""

from __future__ import annotations

import pytest

from archiver.extract.source import Source, source_of_line
from tests.article_page import BODY, BYLINE, extract


@pytest.mark.parametrize(
    ("line", "source"),
    [
        (
            "From International Socialism, No.43, April/May 1970, pp.15-20",
            Source("International Socialism", "43", "April/May 1970", "15-20"),
        ),
        (
            "Source: Labour Monthly, Vol. 2, No. 3, March 1921, p. 12",
            Source("Labour Monthly", "3", "March 1921", "12"),
        ),
        (
            "First published in Socialist Review, Issue 123, 12 May 1989",
            Source("Socialist Review", "123", "12 May 1989", None),
        ),
        (
            "Aus: Ausgabe vom 26.04.2024, Seite 1 / Titel",
            Source("junge Welt", None, "2024-04-26", "1"),
        ),
        (
            "Erschienen in der Ausgabe vom 18.05.2026, Seite 9, Schwerpunkt",
            Source("junge Welt", None, "2026-05-18", "9"),
        ),
    ],
)
def test_citation_line_parts(line: str, source: Source) -> None:
    assert source_of_line(line, "junge Welt") == source


@pytest.mark.parametrize(
    "line",
    [
        "From our correspondent in Caracas",
        "Source: Reuters",
        "From 1917 to 1921 the",
        "From Monday, workers at 12 depots will strike, the union said on 3 March 2024.",
    ],
)
def test_lines_that_cite_nothing_are_no_source(line: str) -> None:
    assert source_of_line(line, None) is None


def test_source_line_after_the_text_is_read_and_left_out_of_the_body() -> None:
    line = "<p>From International Socialism, No.43, April/May 1970, pp.15-20</p>"
    extraction = extract(header=BYLINE, body=BODY + line)
    assert extraction is not None
    assert extraction.source == Source("International Socialism", "43", "April/May 1970", "15-20")
    assert "International Socialism" not in extraction.body


def test_own_edition_line_names_the_print_section() -> None:
    footer = '<div class="issue">Aus: Ausgabe vom 26.04.2024, Seite 1 / Titel</div>'
    extraction = extract(footer=footer)
    assert extraction is not None
    assert extraction.section == "Titel"
    assert extraction.source == Source("The Daily Example", None, "2024-04-26", "1")
