"""Records get the `issue_page` {url, issue, date} of the issue-archive page that lists them.

The site is in Socialist Worker's shape (its profile's /issue/N archive pages, "Issue: 2637",
"Dated: 15 Jan 2019") and served on 127.0.0.1 under the paper's own host name (ARCHIVER_HOSTS),
so the profile is picked by domain in the crawl and in `archiver extract` alike.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.demo.server import DemoServer
from archiver.export.jsonl import RecordWriter, read_records
from archiver.export.latest import latest_records
from archiver.extract import IssueArchive
from archiver.extraction_tasks import extract_or_explain
from archiver.issue_pages import IssuePages
from archiver.page import Page
from archiver.page_records import record_from_page
from archiver.records import Record, record_id
from archiver.warc.writer import WarcPointer
from tests.article_page import page
from tests.conftest import crawl, run_archiver

HOST = "socialistworker.co.uk"
HOSTS = ["-s", f"ARCHIVER_HOSTS={json.dumps({HOST: '127.0.0.1'})}"]


def _issue_html(issue: str, dated: str, *links: str) -> str:
    items = "".join(f'<li><a href="{link}">An article</a></li>' for link in links)
    return (
        f"<html><head><title>Issue {issue} | Socialist Worker</title></head><body>"
        f"<h1>Issue: {issue}</h1><p>Dated: {dated}</p><ul>{items}</ul></body></html>"
    )


def _write(site: Path, path: str, html: str) -> None:
    folder = site / path.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    """Front page -> an article, and the archive of issue 2637 -> another article; the first
    article links the archive of issue 2638 that lists it, so the crawl reads that issue page
    after the article."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    _write(site, "/", '<html><body><a href="/news/early-bird/">1</a> <a href="/issue/996/">2</a>')
    early = page(headline="Bus workers strike", footer='<a href="/issue/997/">This week</a>')
    _write(site, "/news/early-bird/", early.body.decode())
    listed = page(headline="Nurses vote to walk out")
    _write(site, "/features/listed-only/", listed.body.decode())
    _write(site, "/issue/996/", _issue_html("2637", "15 Jan 2019", "/features/listed-only/"))
    _write(site, "/issue/997/", _issue_html("2638", "22 Jan 2019", "/news/early-bird/"))
    return site


def _expected(origin: str) -> dict[str, dict[str, str]]:
    return {
        f"{origin}/news/early-bird/": {
            "url": f"{origin}/issue/997/",
            "issue": "2638",
            "date": "2019-01-22",
        },
        f"{origin}/features/listed-only/": {
            "url": f"{origin}/issue/996/",
            "issue": "2637",
            "date": "2019-01-15",
        },
    }


def test_crawl_gives_each_article_the_issue_page_listing_it(paper: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with DemoServer(site=paper) as server:
        origin = f"http://{HOST}:{server.port}"
        run = crawl(server, out, *HOSTS, start=f"{origin}/")
        assert run.returncode == 0, run.stderr[-3000:]
        again = crawl(server, out, *HOSTS, start=f"{origin}/")
        assert again.returncode == 0, again.stderr[-3000:]

    latest = {r["url"]: r for r in latest_records(out).records}
    assert {url: r["issue_page"] for url, r in latest.items()} == _expected(origin)
    # The pages print no issue of their own: the issue page's is the article's print issue.
    assert {r["issue"] for r in latest.values()} == {"2637", "2638"}
    # At most a record without its issue page and one with it; the second crawl adds neither.
    lines = Counter(r["id"] for r in run.records())
    assert set(lines.values()) <= {1, 2}
    assert len(again.records()) == len(run.records())
    stats = json.loads((out / "crawl-stats.json").read_text())
    assert stats[0]["archiver/pages/issue_archive"] == 2
    assert stats[0].get("archiver/records/issue_page_added", 0) == lines.total() - len(lines)


def test_extract_writes_a_record_again_once_its_issue_page_is_read(
    paper: Path, tmp_path: Path
) -> None:
    with DemoServer(site=paper) as server:
        origin = f"http://{HOST}:{server.port}"
        run = crawl(server, tmp_path / "crawl", *HOSTS, start=f"{origin}/")
    assert run.returncode == 0, run.stderr[-3000:]

    rebuilt = tmp_path / "rebuilt"
    done = run_archiver("extract", str(run.output), "--output", str(rebuilt / "articles.jsonl"))
    assert done.returncode == 0, done.stderr
    # WARC order is crawl order: the early article comes before the issue page listing it.
    assert "2 issue-archive pages read (1 records written again" in done.stdout
    lines = list(read_records(rebuilt / "articles.jsonl"))
    early = [r for r in lines if r["url"].endswith("/early-bird/")]
    assert [r["issue_page"] is not None for r in early] == [False, True]
    latest = {r["url"]: r["issue_page"] for r in latest_records(rebuilt).records}
    assert latest == _expected(origin)


ARCHIVE = IssueArchive(
    "https://socialistworker.co.uk/issue/996",
    "2637",
    "2019-01-15",
    ("https://socialistworker.co.uk/news/a-strike",),
)


def _record(url: str, issue: str | None = None) -> Record:
    article = page(url=url, footer=f"<p>Issue No. {issue}</p>" if issue else "")
    record = record_from_page(article, WarcPointer("a.warc.gz", 0, "<urn:uuid:1>", None))
    assert record is not None
    return record


def test_fill_matches_urls_as_ids_do_and_keeps_the_articles_own_issue() -> None:
    issues = IssuePages()
    issues.learn(ARCHIVE)
    listed = _record("http://www.socialistworker.co.uk/news/a-strike", issue="2640")
    filled = issues.fill(listed)
    assert filled.issue_page == ARCHIVE.issue_page()
    assert filled.issue == "2640"  # printed on the article itself: the article's word counts
    unlisted = _record("https://socialistworker.co.uk/news/another-strike")
    assert issues.fill(unlisted) is unlisted


def test_the_first_issue_page_listing_an_article_is_kept() -> None:
    issues = IssuePages()
    issues.learn(ARCHIVE)
    later = IssueArchive("https://socialistworker.co.uk/issue/999", "2640", None, ARCHIVE.articles)
    issues.learn(later)
    assert issues.lookup(ARCHIVE.articles[0], ARCHIVE.articles[0]) == ARCHIVE.issue_page()


def test_amend_writes_each_waiting_record_once_and_leaves_earlier_runs_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "articles.jsonl"
    earlier = RecordWriter(path, ())
    earlier.write(_record(ARCHIVE.articles[0]))  # an earlier run's record, not this run's
    earlier.close()

    writer = RecordWriter(path, read_records(path))
    issues = IssuePages()
    assert issues.amend(writer, writer.start) == 0
    other = _record("https://socialistworker.co.uk/news/other")
    issues.learn(ARCHIVE)
    issues.learn(IssueArchive(ARCHIVE.url, "2637", "2019-01-15", (other.url,)))
    assert writer.write(other)
    assert issues.amend(writer, writer.start) == 1
    assert issues.amend(writer, writer.start) == 0  # the amended record is there already
    writer.close()
    records = list(read_records(path))
    assert [(r["id"], r["issue_page"] is not None) for r in records] == [
        (record_id(ARCHIVE.articles[0]), False),
        (other.id, False),
        (other.id, True),
    ]


def test_an_issue_archive_page_reads_as_its_listing_not_a_record() -> None:
    body = _issue_html("2637", "15 Jan 2019", "/news/a-strike").encode()
    listing = Page(ARCHIVE.url, body, "text/html", datetime(2019, 1, 20, tzinfo=UTC))
    outcome = extract_or_explain(listing, WarcPointer("a.warc.gz", 0, "<urn:uuid:1>", None))
    assert outcome == ARCHIVE
