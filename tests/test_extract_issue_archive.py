"""Issue-archive pages: the print issue and date they state, and the articles they list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from archiver.extract.issue_archive import IssueArchive, read_issue_archive
from archiver.page import Page
from archiver.profile import load_profile

FIXTURES = Path(__file__).parent / "fixtures"
URL = "https://socialistworker.co.uk/issue/996"


def _page(url: str = URL) -> Page:
    body = (FIXTURES / "socialist_worker_issue.html").read_bytes()
    return Page(url, body, "text/html", datetime(2019, 1, 20, tzinfo=UTC))


def test_issue_archive_states_print_issue_and_date_not_its_url_number() -> None:
    archive = read_issue_archive(_page(), load_profile("socialist-worker"))
    assert archive == IssueArchive(
        URL,
        "2637",
        "2019-01-15",
        (
            "https://socialistworker.co.uk/news/tories-in-chaos-as-mays-deal-goes-down",
            "https://socialistworker.co.uk/features/the-yellow-vests-and-the-left",
            "https://socialistworker.co.uk/reviews/a-film-about-class/",
        ),
    )
    assert archive.issue_page() == {"url": URL, "issue": "2637", "date": "2019-01-15"}


def test_a_page_the_profile_does_not_call_an_issue_archive_is_none() -> None:
    profile = load_profile("socialist-worker")
    assert read_issue_archive(_page("https://socialistworker.co.uk/news/x"), profile) is None
