"""The README's documentation of the data: a data dictionary row for every field of the record
schema (and none for a field it lacks), and a citation recipe that works on a real record."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from archiver.records import record_schema
from tests.conftest import TESTS, CrawlRun

README = TESTS.parent / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n### {title}\n")
    end = text.find("\n#", start + 1)
    return text[start : end if end > 0 else len(text)]


def _schema_fields() -> set[str]:
    fields = set()
    for name, node in record_schema()["properties"].items():
        nested = node.get("properties") if "object" in node.get("type", []) else None
        fields |= {f"{name}.{sub}" for sub in nested} if nested else {name}
    return fields


def test_data_dictionary_documents_every_field_of_the_record_schema() -> None:
    rows = re.findall(r"^\| `([\w.]+)` \|", _section("Data dictionary"), re.MULTILINE)
    assert len(rows) == len(set(rows)), "a field documented twice"
    assert set(rows) == _schema_fields()
    assert "archiver/schema.json" in _section("Data dictionary")


def test_the_citation_recipe_reads_the_cited_capture(demo_crawl: CrawlRun) -> None:
    assert "warcio extract --headers DIR/warc/FILENAME OFFSET" in _section("Citing a record")
    cited = demo_crawl.records()[0]
    path = Path(demo_crawl.output, cited["warc"]["filename"])
    offset = str(cited["warc"]["offset"])
    done = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "extract", "--headers", str(path), offset],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"WARC-Record-ID: {cited['warc']['record_id']}" in done.stdout
    assert f"WARC-Target-URI: {cited['url']}" in done.stdout
    assert re.search(r"^WARC-Date: \d{4}-\d\d-\d\dT", done.stdout, re.MULTILINE)
