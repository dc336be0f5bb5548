"""A second crawl into the same folder: unchanged pages cost a 304, new and changed ones are
fetched, and only their records are appended."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import DemoServer
from archiver.demo.site import SITE_DIR
from tests.conftest import crawl

NEW = "/news/bus-drivers-ballot-for-action/"
CHANGED = "/features/housing-council-homes/"
OLD_SLUG = "tube-maintenance-walkout"


def _add_article(site: Path) -> None:
    source = (site / "news" / OLD_SLUG / "index.html").read_text(encoding="utf-8")
    page = source.replace(OLD_SLUG, "bus-drivers-ballot-for-action").replace(
        "Tube maintenance workers walk out over safety cuts",
        "Bus drivers ballot for action over split shifts",
    )
    (site / "news" / "bus-drivers-ballot-for-action").mkdir()
    (site / "news" / "bus-drivers-ballot-for-action" / "index.html").write_text(page, "utf-8")
    listing = site / "news" / "index.html"
    text = listing.read_text(encoding="utf-8")
    link = f'<p><a href="{NEW}">Bus drivers ballot for action over split shifts</a></p>'
    listing.write_text(text.replace("</main>", link + "</main>", 1), encoding="utf-8")
    assert NEW in listing.read_text(encoding="utf-8")


def _change_article(site: Path) -> str:
    path = site / CHANGED.strip("/") / "index.html"
    text = path.read_text(encoding="utf-8")
    marker = "<p>"
    start = text.index(marker, text.index("<h1"))
    changed = text[:start] + "<p>Update: tenants won their ballot this week.</p>" + text[start:]
    path.write_text(changed, encoding="utf-8")
    return "Update: tenants won their ballot this week."


def test_an_incremental_run_revalidates_and_appends_only_new_and_changed_articles(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE_DIR, site)
    out = tmp_path / "out"
    with DemoServer(site=site) as server:
        first = crawl(server, out)
        assert first.returncode == 0, first.stderr[-2000:]
        before = len(first.records())
        _add_article(site)
        added_text = _change_article(site)
        second = crawl(server, out)
    assert second.returncode == 0, second.stderr[-2000:]

    statuses = Counter(s.status for s in second.served)
    by_path = {urlsplit(s.path).path: s.status for s in second.served}
    unchanged_pages = [p for p, status in by_path.items() if status == 304]
    assert len(unchanged_pages) >= 15, statuses
    assert by_path[NEW] == 200 and by_path[CHANGED] == 200 and by_path["/news/"] == 200

    records = second.records()
    assert len(records) == before + 2
    appended = records[before:]
    assert {urlsplit(r["url"]).path for r in appended} == {NEW, CHANGED}
    changed = next(r for r in appended if r["url"].endswith(CHANGED))
    assert added_text in changed["body"]
    assert "2 new articles" in second.stdout

    # The archive holds the 304s as they came, and the conditional requests that asked for them.
    second_requests = []
    for path in sorted((out / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "request":
                    second_requests.append(record.http_headers)
    assert any(h.get_header("If-None-Match") for h in second_requests)


def test_revalidation_can_be_turned_off(demo_server: DemoServer, tmp_path: Path) -> None:
    assert crawl(demo_server, tmp_path).returncode == 0
    again = crawl(demo_server, tmp_path, "-s", "ARCHIVER_REVALIDATE=False")
    assert again.returncode == 0
    assert all(s.status != 304 for s in again.served)
