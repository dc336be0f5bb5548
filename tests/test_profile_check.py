"""`archiver check-profile NAME PATH...`: a profile run over saved pages, fields counted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.cli import main
from archiver.profile_check import check_profile
from tests.test_extract_blocked import CHALLENGE

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = "http://www.socialistworker.co.uk/article.php?article_id=8244"


def _warc(path: Path, pages: list[tuple[str, bytes]]) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    for url, body in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2006-02-25T18:00:00Z"},
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def saved_pages(tmp_path: Path) -> Path:
    article = (FIXTURES / "socialist_worker_article.html").read_bytes()
    return _warc(
        tmp_path / "sw.warc.gz",
        [
            (ARTICLE, article),
            ("http://www.socialistworker.co.uk/tag/venezuela/", article),
            ("http://www.socialistworker.co.uk/news/cut-off", CHALLENGE.encode()),
            ("https://example.org/elsewhere", article),
        ],
    )


def test_fields_found_are_counted_per_article(saved_pages: Path) -> None:
    check = check_profile("socialist-worker", [str(saved_pages)])
    assert (check.files, check.pages, check.other_sites, check.articles) == (1, 3, 1, 1)
    assert check.not_articles == {"not-article": 1, "bot-challenge": 1}
    assert check.found["date"] == check.found["issue"] == check.found["authors"] == 1
    assert check.found["section"] == 0


def test_command_prints_the_counts(saved_pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-profile", "socialist-worker", str(saved_pages)]) == 0
    out = capsys.readouterr().out
    assert "articles          1" in out
    assert "bot-challenge     1" in out
    assert "issue               1  100%" in out


def test_unknown_profile_is_a_usage_error(
    saved_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-profile", "no-such-paper", str(saved_pages)]) == 2
    assert "unknown profile" in capsys.readouterr().err
