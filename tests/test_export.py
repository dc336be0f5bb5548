"""`archiver export`: one table per collection, one record per article, read back by pandas and
DuckDB as researchers will."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pandas as pd
import pyarrow.parquet as pq
import pytest

from archiver.errors import WarcPointerError
from archiver.export.collection import export_collection
from archiver.records import SCHEMA_VERSION, record_schema
from tests.conftest import CrawlRun, run_archiver
from tests.export_data import record, write_captures, write_jsonl


def _expected_columns(schema: dict[str, Any]) -> list[str]:
    """Objects flattened one level into `object_field`, everything else a column of its own."""
    columns = []
    for name, node in schema["properties"].items():
        if "object" in node.get("type", []) and node.get("properties"):
            columns += [f"{name}_{sub}" for sub in node["properties"]]
        else:
            columns.append(name)
    return columns


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def test_parquet_export_reads_back_in_pandas_one_row_per_article_with_list_columns(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "demo.parquet"
    summary = export_collection(demo_crawl.output, out, "parquet")

    frame = pd.read_parquet(out)
    records = _by_id(demo_crawl.records())
    assert summary.records == len(frame) == len(records)
    assert list(frame.columns) == _expected_columns(record_schema())
    assert frame["id"].is_unique and set(frame["id"]) == set(records)
    for row in frame.itertuples():
        expected = records[row.id]
        assert list(row.authors) == expected["authors"]
        assert row.headline == expected["headline"]
        assert row.warc_offset == expected["warc"]["offset"]
        assert row.extractor_version == expected["extractor"]["version"]
    assert str(frame["warc_offset"].dtype) == "int64"


def test_parquet_export_carries_the_schema_version_and_the_schema(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "demo.parquet"
    export_collection(demo_crawl.output, out, "parquet")

    metadata = pq.read_schema(out).metadata
    assert metadata[b"archiver.schema_version"].decode() == SCHEMA_VERSION
    assert json.loads(metadata[b"archiver.schema"]) == record_schema()
    from_duckdb = dict(
        duckdb.sql(
            f"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{out}')"
        ).fetchall()
    )
    assert from_duckdb["archiver.schema_version"] == SCHEMA_VERSION


def test_duckdb_queries_the_parquet_export_lists_and_all(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "demo.parquet"
    export_collection(demo_crawl.output, out, "parquet")
    records = demo_crawl.records()

    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall() == [(len(records),)]
    author_rows = duckdb.sql(
        f"SELECT unnest(authors) AS author, count(*) FROM '{out}' GROUP BY author"
    ).fetchall()
    expected: dict[str, int] = {}
    for r in records:
        for name in r["authors"]:
            expected[name] = expected.get(name, 0) + 1
    assert dict(author_rows) == expected
    types = {name: kind for name, kind, *_ in duckdb.sql(f"DESCRIBE '{out}'").fetchall()}
    assert (types["authors"], types["warc_offset"], types["date"]) == (
        "VARCHAR[]",
        "BIGINT",
        "VARCHAR",
    )


def test_csv_export_joins_lists_with_semicolons_and_reads_back_in_pandas_and_duckdb(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "demo.csv"
    export_collection(demo_crawl.output, out, "csv")
    records = _by_id(demo_crawl.records())

    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == _expected_columns(record_schema())
    assert len(frame) == len(records)
    for row in frame.itertuples():
        assert row.authors == "; ".join(records[row.id]["authors"])
        assert row.body == records[row.id]["body"]  # blank lines kept inside one cell
    several = next(r for r in records.values() if len(r["authors"]) > 1)
    from_duckdb = duckdb.sql(
        f"SELECT string_split(authors, '; ') FROM read_csv('{out}') WHERE id = '{several['id']}'"
    ).fetchall()
    assert from_duckdb == [(several["authors"],)]


def test_jsonl_export_holds_schema_valid_records_one_per_id(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    out = tmp_path / "demo.jsonl"
    export_collection(demo_crawl.output, out)  # the format from the suffix

    exported = pd.read_json(out, lines=True, dtype=False)
    assert exported["id"].is_unique and len(exported) == len(demo_crawl.records())
    for line in out.read_text(encoding="utf-8").splitlines():
        jsonschema.validate(json.loads(line), record_schema())


def test_export_orders_by_publication_then_date_undated_and_unnamed_last(tmp_path: Path) -> None:
    collection = tmp_path / "c"
    write_jsonl(
        collection / "articles.jsonl",
        [
            record("https://ms.example/undated", date=None),
            record("https://ms.example/b", date="2024-03-02T09:00:00+01:00"),
            record("https://nobody.example/x", publication=None, date="2001-01-01"),
            record("https://sw.example/late", publication="Socialist Worker", date="2006-03-04"),
            record("https://ms.example/a", date="2024-03-02"),
            record("https://ms.example/c", date="2024-03-02T08:30:00+00:00"),
            record("https://sw.example/early", publication="Socialist Worker", date="2006-02-25"),
            record("https://ms.example/first", date="2023-12-31T23:59:00-05:00"),
            record("https://ms.example/new-year", date="2024-01-01"),
        ],
    )
    out = tmp_path / "ordered.parquet"
    export_collection(collection, out)

    urls = pd.read_parquet(out)["url"].tolist()
    assert urls == [
        "https://ms.example/first",  # 31 December as printed, though 1 January 04:59 in UTC
        "https://ms.example/new-year",
        "https://ms.example/a",  # the day alone: before the times of that day
        "https://ms.example/b",  # 08:00 UTC
        "https://ms.example/c",  # 08:30 UTC
        "https://ms.example/undated",
        "https://sw.example/early",
        "https://sw.example/late",
        "https://nobody.example/x",
    ]


def test_newest_capture_wins_even_over_a_newer_extractor(tmp_path: Path) -> None:
    collection = tmp_path / "c"
    url = "https://ms.example/changed"
    old, new = write_captures(
        collection / "warc" / "two.warc.gz",
        [(url, "2024-03-01T10:00:00Z"), (url, "2024-05-01T10:00:00Z")],
    )
    write_jsonl(
        collection / "articles.jsonl",
        [
            record(url, headline="Later capture", warc=new),
            record(
                url,
                headline="Earlier capture, re-extracted by a newer archiver",
                warc=old,
                extractor={"name": "archiver", "version": "0.10.0", "profile": None},
                extracted_at="2024-09-01T00:00:00+00:00",
            ),
        ],
    )
    out = tmp_path / "out.jsonl"
    summary = export_collection(collection, out)

    (only,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert only["headline"] == "Later capture"
    assert (summary.records, summary.lines_read) == (1, 2)


@pytest.mark.parametrize("newer_first", [True, False])
def test_for_the_same_capture_the_newest_extractor_version_wins_compared_as_versions(
    tmp_path: Path, newer_first: bool
) -> None:
    collection = tmp_path / "c"
    url = "https://ms.example/same-capture"
    older = record(
        url,
        headline="by 0.9.0",
        extractor={"name": "archiver", "version": "0.9.0", "profile": None},
        extracted_at="2025-01-01T00:00:00+00:00",  # extracted later: not what decides
    )
    newer = record(
        url,
        headline="by 0.10.0",
        extractor={"name": "archiver", "version": "0.10.0", "profile": None},
        extracted_at="2024-01-01T00:00:00+00:00",
    )
    first, second = (newer, older) if newer_first else (older, newer)
    write_jsonl(collection / "a.jsonl", [first])
    write_jsonl(collection / "b.jsonl", [second])
    out = tmp_path / "out.parquet"
    export_collection(collection, out)

    assert pd.read_parquet(out)["headline"].tolist() == ["by 0.10.0"]


def test_a_stale_warc_pointer_is_an_error_when_captures_must_be_compared(tmp_path: Path) -> None:
    collection = tmp_path / "c"
    url = "https://ms.example/stale"
    first, second = write_captures(
        collection / "warc" / "w.warc.gz",
        [(url, "2024-03-01T10:00:00Z"), (url, "2024-04-01T10:00:00Z")],
    )
    stale = {**second, "offset": first["offset"]}  # the WARC was rewritten under the record
    write_jsonl(collection / "articles.jsonl", [record(url, warc=first), record(url, warc=stale)])

    with pytest.raises(WarcPointerError, match=r"record <urn:uuid:.*>, not <urn:uuid:.*> as cited"):
        export_collection(collection, tmp_path / "out.csv")
    done = run_archiver("export", str(collection), "--output", str(tmp_path / "out.csv"))
    assert done.returncode == 1
    assert done.stderr.startswith("archiver: error: ") and "Traceback" not in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_export_command_takes_the_format_from_the_suffix_or_asks_for_it(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    done = run_archiver("export", str(demo_crawl.output), "--output", str(tmp_path / "t.csv"))
    assert done.returncode == 0, done.stderr
    assert f"Exported {len(demo_crawl.records())} articles" in done.stdout
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").startswith("id,url,")

    forced = tmp_path / "table.data"
    done = run_archiver(
        "export", str(demo_crawl.output), "--format", "parquet", "--output", str(forced)
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(forced)) == len(demo_crawl.records())

    done = run_archiver("export", str(demo_crawl.output), "--output", str(tmp_path / "t.xlsx"))
    assert done.returncode == 2 and "give --format" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_refuses_to_write_over_the_collections_own_records(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    target = demo_crawl.output / "articles.jsonl"
    before = target.read_bytes()
    done = run_archiver("export", str(demo_crawl.output), "--output", str(target))
    assert done.returncode == 2 and "holds the collection's records" in done.stderr
    assert target.read_bytes() == before


def test_a_folder_without_records_is_an_error_not_an_empty_table(tmp_path: Path) -> None:
    done = run_archiver("export", str(tmp_path), "--output", str(tmp_path / "out.parquet"))
    assert done.returncode == 2 and "no article records" in done.stderr
    assert not (tmp_path / "out.parquet").exists()


def test_fields_added_to_the_schema_become_typed_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = json.loads(json.dumps(record_schema()))
    schema["$defs"] = {
        "image": {
            "type": "object",
            "properties": {
                "url": {"type": "string"},
                "caption": {"type": ["string", "null"]},
            },
        }
    }
    schema["properties"].update(
        {
            "tags": {"type": "array", "items": {"type": "string"}},
            "images": {"type": "array", "items": {"$ref": "#/$defs/image"}},
            "word_count": {"type": "integer"},
            "access": {"enum": ["free", "paywalled", None]},
            "source": {
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "properties": {"publication": {"type": "string"}, "pages": {}},
                    },
                ]
            },
        }
    )
    monkeypatch.setattr("archiver.export.collection.record_schema", lambda: schema)
    collection = tmp_path / "c"
    write_jsonl(
        collection / "articles.jsonl",
        [
            record(
                "https://ms.example/new",
                tags=["Strikes", "NHS"],
                images=[{"url": "https://ms.example/a.jpg", "caption": "Pickets"}],
                word_count=812,
                access="free",
                source={"publication": "Labour Monthly", "pages": [15, 20]},
            ),
            record("https://ms.example/old"),  # made before the fields existed
        ],
    )
    parquet, csv = tmp_path / "new.parquet", tmp_path / "new.csv"
    export_collection(collection, parquet)
    export_collection(collection, csv)

    types = {f.name: str(f.type) for f in pq.read_schema(parquet)}
    assert types["tags"] == "list<element: string>"
    assert types["images"] == "list<element: struct<url: string, caption: string>>"
    assert types["word_count"] == "int64"
    assert types["access"] == "string"
    assert types["source_publication"] == "string"
    assert types["source_pages"] == "string"  # left open by the schema: JSON text
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in pd.read_parquet(parquet).to_dict("records")}
    new, old = rows["new"], rows["old"]
    assert list(new["tags"]) == ["Strikes", "NHS"]
    assert new["images"][0]["caption"] == "Pickets"
    assert (new["word_count"], new["source_pages"]) == (812, "[15, 20]")
    # Fields a record predates are null (not looked for), not empty (looked for, none found).
    assert old["tags"] is None and pd.isna(old["source_publication"])
    cells = {r["url"].rsplit("/", 1)[-1]: r for r in pd.read_csv(csv, dtype=str).to_dict("records")}
    assert cells["new"]["tags"] == "Strikes; NHS"
    assert json.loads(cells["new"]["images"]) == [
        {"url": "https://ms.example/a.jpg", "caption": "Pickets"}
    ]
    assert cells["new"]["word_count"] == "812" and pd.isna(cells["old"]["word_count"])


def test_pointers_of_a_moved_collection_resolve_by_the_warc_file_name(tmp_path: Path) -> None:
    collection = tmp_path / "moved"
    url = "https://ms.example/moved"
    old, new = write_captures(
        collection / "warc" / "w.warc.gz",
        [(url, "2024-03-01T10:00:00Z"), (url, "2024-05-01T10:00:00Z")],
    )
    elsewhere = {**new, "filename": "/mnt/old-disk/sw/warc/w.warc.gz"}  # as `extract` wrote it
    write_jsonl(
        collection / "articles.jsonl",
        [record(url, headline="new", warc=elsewhere), record(url, headline="old", warc=old)],
    )
    export_collection(collection, tmp_path / "out.parquet")
    assert pd.read_parquet(tmp_path / "out.parquet")["headline"].tolist() == ["new"]

    gone = {**new, "filename": "warc/gone.warc.gz", "record_id": "<urn:uuid:another-capture>"}
    write_jsonl(collection / "more.jsonl", [record(url, headline="lost", warc=gone)])
    with pytest.raises(WarcPointerError, match=r"warc/gone\.warc\.gz: no file of that name"):
        export_collection(collection, tmp_path / "out.parquet")
