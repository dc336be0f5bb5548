"""Bot challenges and login walls are counted apart, in a crawl and in `archiver extract`, so an
archivist sees that a site blocked the crawler rather than that it has no articles."""

from __future__ import annotations

import json
from pathlib import Path

from archiver.demo.server import DemoServer
from tests.conftest import crawl, run_archiver

CHALLENGE = """<html><head><title>Just a moment...</title></head><body>
<div id="challenge-form"><p>Checking your browser before accessing the site.</p></div>
</body></html>"""


def test_a_bot_challenge_is_counted_in_crawl_stats_and_by_extract(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (site / "index.html").write_text(CHALLENGE)
    with DemoServer(site=site) as server:
        run = crawl(server, tmp_path / "out")
    assert run.returncode != 0  # nothing but the challenge: no article
    stats = json.loads((tmp_path / "out" / "crawl-stats.json").read_text())[-1]
    assert stats["archiver/pages/blocked/bot-challenge"] == 1
    assert "the server sent a bot-challenge" in run.stderr

    done = run_archiver("extract", str(tmp_path / "out" / "warc"), "-o", str(tmp_path / "r.jsonl"))
    assert "1 bot-challenge pages." in done.stdout
