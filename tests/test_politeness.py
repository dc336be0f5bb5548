"""Politeness: robots.txt Crawl-delay, an identifying User-Agent, and the contact in it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from archiver.demo.server import DemoServer
from tests.conftest import crawl

ARTICLE = """<!doctype html><html lang="en"><head><title>{n}</title></head><body>
<h1>Page {n}</h1><p>{links}</p></body></html>"""


def _chain_site(tmp_path: Path, robots: str, pages: int) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text(robots)
    for n in range(pages):
        folder = site if n == 0 else site / f"p{n}"
        folder.mkdir(exist_ok=True)
        link = f'<a href="/p{n + 1}/">next</a>' if n + 1 < pages else ""
        (folder / "index.html").write_text(ARTICLE.format(n=n, links=link))
    return site


def test_robots_crawl_delay_spaces_requests_even_with_autothrottle(tmp_path: Path) -> None:
    site = _chain_site(tmp_path, "User-agent: *\nCrawl-delay: 0.6\nDisallow:\n", pages=5)
    with DemoServer(site=site) as server:
        started = time.monotonic()
        run = crawl(server, tmp_path / "out", "-s", "AUTOTHROTTLE_ENABLED=True",
                    "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0")
        elapsed = time.monotonic() - started
    assert len([s for s in run.served if s.path != "/robots.txt"]) == 5
    # Five pages one after another (each links the next), 0.6 s apart at least.
    assert elapsed >= 4 * 0.6
    stats = json.loads((tmp_path / "out" / "crawl-stats.json").read_text())[-1]
    assert any(k.startswith("archiver/crawl_delay/") for k in stats)


def test_a_huge_crawl_delay_is_capped_and_reported(tmp_path: Path) -> None:
    site = _chain_site(tmp_path, "User-agent: *\nCrawl-delay: 3600\nDisallow:\n", pages=2)
    with DemoServer(site=site) as server:
        run = crawl(server, tmp_path / "out", "-s", "ARCHIVER_MAX_CRAWL_DELAY=0.2")
    assert "Crawl-delay of 3600" in run.stderr
    assert len([s for s in run.served if s.path != "/robots.txt"]) == 2


def _user_agents(output: Path) -> set[str]:
    from warcio.archiveiterator import ArchiveIterator

    agents = set()
    for path in (output / "warc").glob("*.warc.gz"):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "request":
                    agents.add(record.http_headers.get_header("User-Agent"))
    return agents


def test_the_contact_goes_into_the_user_agent(demo_server: DemoServer, tmp_path: Path) -> None:
    run = crawl(demo_server, tmp_path, "--contact", "archivist@example.org", "--max-pages", "2")
    assert _user_agents(tmp_path) == {"archiver/0.1.0 (+archivist@example.org)"}
    assert "No contact set" not in run.stderr


def test_a_crawl_without_contact_warns_and_names_the_project(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    run = crawl(demo_server, tmp_path, "--max-pages", "2")
    assert "No contact set" in run.stderr
    (agent,) = _user_agents(tmp_path)
    assert agent.startswith("archiver/0.1.0 (+https://")


def test_a_user_agent_set_by_the_user_is_kept(demo_server: DemoServer, tmp_path: Path) -> None:
    crawl(demo_server, tmp_path, "--contact", "a@b.org", "-s", "USER_AGENT=MyLibraryBot/2.0",
          "--max-pages", "2")
    assert _user_agents(tmp_path) == {"MyLibraryBot/2.0"}
