"""`archiver report`: the facts it draws, computed right, and a page that stands alone.

How the page looks in a browser is tested in test_report_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from archiver.export.overview import (
    IssueCoverage,
    collection_overview,
    completeness_fields,
    crawl_errors,
    issue_coverage,
    top_authors,
)
from archiver.export.report import CONTENT_SECURITY_POLICY, write_report
from archiver.records import record_schema
from tests.conftest import CrawlRun, run_archiver
from tests.export_data import record, write_jsonl


def test_issue_gaps_are_the_missing_stretches_between_covered_issues() -> None:
    records = [record(f"https://ms.example/{n}", issue=str(n)) for n in (5, 1, 2, 3, 9, 7, 2)]
    (coverage,) = issue_coverage(records)
    assert coverage.numbers == (1, 2, 3, 5, 7, 9)
    assert coverage.articles == 7
    assert coverage.runs == [(1, 3), (5, 5), (7, 7), (9, 9)]
    assert coverage.gaps == [(4, 4), (6, 6), (8, 8)]


def test_issues_are_covered_per_volume_or_per_year_and_labels_are_kept_apart(
    tmp_path: Path,
) -> None:
    write_jsonl(
        tmp_path / "articles.jsonl",
        [
            record("https://jw.example/a", publication="junge Welt", issue="3/2024"),
            record("https://jw.example/b", publication="junge Welt", issue="5/2024"),
            record("https://jw.example/c", publication="junge Welt", issue="1/2025"),
            record("https://mr.example/a", publication="Monthly Review", issue="3", volume="12"),
            record("https://mr.example/b", publication="Monthly Review", issue="3", volume="13"),
            record("https://mr.example/c", publication="Monthly Review", issue="Spring 2006"),
        ],
    )
    overview = collection_overview(tmp_path)
    assert [(c.publication, c.series, c.numbers) for c in overview.issues] == [
        ("junge Welt", "2024", (3, 5)),
        ("junge Welt", "2025", (1,)),
        ("Monthly Review", "12", (3,)),
        ("Monthly Review", "13", (3,)),
    ]
    assert overview.other_issues == {"Monthly Review": ["Spring 2006"]}


def test_completeness_counts_every_schema_field_found_per_publication(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "articles.jsonl",
        [
            record("https://ms.example/a", issue="7", authors=[]),
            record("https://ms.example/b", date=None, standfirst="A summary of it all."),
            record("https://sw.example/a", publication="Socialist Worker", language=None),
        ],
    )
    overview = collection_overview(tmp_path)

    fields = completeness_fields(record_schema())
    assert overview.completeness_fields == fields
    # Every field looked for on the page, none of those archiver sets itself.
    assert {"headline", "authors", "date", "issue", "body"} <= set(fields)
    assert not {"id", "url", "warc", "extractor", "extracted_at"} & set(fields)
    morning_star = overview.found["Morning Star"]
    assert (morning_star["headline"], morning_star["body"]) == (2, 2)
    assert (morning_star["authors"], morning_star["date"], morning_star["issue"]) == (1, 1, 1)
    assert (morning_star["standfirst"], morning_star["volume"]) == (1, 0)
    assert overview.found["Socialist Worker"]["language"] == 0
    assert overview.articles == {"Morning Star": 2, "Socialist Worker": 1}


def test_crawl_errors_are_counted_by_kind_over_runs_and_deliberate_drops_are_not_errors() -> None:
    runs = [
        {
            "downloader/response_status_count/200": 40,
            "downloader/response_status_count/301": 2,
            "downloader/response_status_count/404": 3,
            "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 9,
            "downloader/exception_type_count/twisted.internet.error.TimeoutError": 1,
            "archiver/warc/truncated/length": 1,
        },
        {
            "downloader/response_status_count/404": 1,
            "downloader/response_status_count/503": 2,
            "spider_exceptions/KeyError": 1,
            "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
        },
    ]
    assert crawl_errors(runs) == [
        ("HTTP 404", 4),
        ("TimeoutError", 3),
        ("HTTP 503", 2),
        ("spider error: KeyError", 1),
        ("truncated (length)", 1),
    ]


def test_top_authors_are_the_twenty_most_frequent_each_article_counted_once() -> None:
    records = [
        record(f"https://ms.example/{n}", authors=[f"Writer {n:02d}"] * 2 + ["Ann Example"])
        for n in range(25)
    ]
    records.append(
        record("https://sw.example/x", publication="Socialist Worker", authors=["Writer 07"])
    )
    top = top_authors(records)
    assert len(top) == 20
    assert (top[0].name, top[0].articles) == ("Ann Example", 25)
    assert (top[1].name, top[1].articles, top[1].publications) == (
        "Writer 07",
        2,
        ("Morning Star", "Socialist Worker"),
    )
    assert [a.name for a in top[2:]] == [f"Writer {n:02d}" for n in range(19) if n != 7]


def test_report_counts_the_newest_record_of_each_article_once(tmp_path: Path) -> None:
    url = "https://ms.example/a"
    write_jsonl(tmp_path / "articles.jsonl", [record(url, authors=["Old Name"])])
    newer = {"name": "archiver", "version": "0.2.0", "profile": None}
    write_jsonl(tmp_path / "again.jsonl", [record(url, authors=["New Name"], extractor=newer)])
    overview = collection_overview(tmp_path)
    assert (overview.records, overview.lines_read) == (1, 2)
    assert [a.name for a in overview.top_authors] == ["New Name"]


def test_report_escapes_text_taken_from_pages(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "articles.jsonl",
        [
            record(
                "https://ms.example/a",
                publication='Star & <script>alert("x")</script>',
                authors=['<img src=x onerror="alert(1)">'],
                issue="<b>1</b>",
            )
        ],
    )
    page = (write_report(tmp_path, tmp_path / "r.html")).path.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>1" not in page
    assert "Star &amp; &lt;script&gt;" in page and "&lt;img src=x onerror=" in page


def test_report_page_fetches_nothing_and_forbids_fetching(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    page = write_report(demo_crawl.output, tmp_path / "r.html").path.read_text(encoding="utf-8")
    references = re.findall(r'\b(?:src|href)="([^"]*)"', page)
    assert references == ["data:,"]  # the empty icon that stops a request for /favicon.ico
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert f'content="{CONTENT_SECURITY_POLICY}"' in page
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_report_command_writes_into_the_collection_unless_told_where(
    demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    collection = tmp_path / "c"
    write_jsonl(collection / "articles.jsonl", demo_crawl.records())
    (collection / "crawl-stats.json").write_text(json.dumps([]), encoding="utf-8")

    done = run_archiver("report", str(collection))
    assert done.returncode == 0, done.stderr
    assert (collection / "report.html").exists()
    assert f"Reported on {len(demo_crawl.records())} articles from 1 publication in" in done.stdout

    done = run_archiver("report", str(collection), "--output", str(tmp_path / "elsewhere.html"))
    assert done.returncode == 0 and (tmp_path / "elsewhere.html").exists()

    done = run_archiver("report", str(tmp_path / "missing"))
    assert done.returncode == 2 and "is not a folder" in done.stderr


def test_issue_coverage_of_one_issue_has_one_run_and_no_gap() -> None:
    coverage = IssueCoverage("Morning Star", None, (42,), 3)
    assert (coverage.runs, coverage.gaps) == ([(42, 42)], [])
