"""A crawl never contacts an inward address its start URLs are not in, whatever the DNS says.

Everything here runs on 127.0.0.0/8: host names are mapped to loopback addresses through
ARCHIVER_HOSTS, and one loopback address is declared inward through ARCHIVER_INWARD_NETWORKS.
"""

from __future__ import annotations

import json
from pathlib import Path

from archiver.demo.server import DemoServer
from tests.conftest import crawl


def _site(tmp_path: Path, name: str, body: str) -> Path:
    site = tmp_path / name
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (site / "index.html").write_text(f"<html><body><h1>{name}</h1>{body}</body></html>")
    return site


def _hosts(inner_port: int) -> list[str]:
    hosts = {"paper.test": "127.0.0.1", "www.paper.test": "127.0.0.3"}
    return ["-s", f"ARCHIVER_HOSTS={json.dumps(hosts)}"]


def test_an_in_scope_name_resolving_to_an_inward_address_is_never_contacted(
    tmp_path: Path,
) -> None:
    inner = DemoServer(host="127.0.0.3", site=_site(tmp_path, "intranet", "<p>secret</p>")).start()
    try:
        # www.paper.test is the same site as paper.test for scope, but resolves inward.
        links = f'<a href="http://www.paper.test:{inner.port}/secret/">more</a>'
        with DemoServer(site=_site(tmp_path, "paper", links)) as outer:
            run = crawl(
                outer,
                tmp_path / "out",
                *_hosts(inner.port),
                "-s",
                "ARCHIVER_INWARD_NETWORKS=127.0.0.3/32",
                start=f"http://paper.test:{outer.port}/",
            )
            assert "/" in outer.paths_requested()
        assert inner.requests == []
    finally:
        inner.stop()
    stats = json.loads((tmp_path / "out" / "crawl-stats.json").read_text())[-1]
    assert stats["archiver/address_refused"] >= 1
    assert "inside 127.0.0.3/32 (an inward network)" in run.stderr


def test_an_inward_range_the_start_urls_lie_in_is_crawled(tmp_path: Path) -> None:
    inner = DemoServer(host="127.0.0.3", site=_site(tmp_path, "intranet", "<p>secret</p>")).start()
    try:
        links = f'<a href="http://www.paper.test:{inner.port}/secret/">more</a>'
        with DemoServer(site=_site(tmp_path, "paper", links)) as outer:
            crawl(
                outer,
                tmp_path / "out",
                *_hosts(inner.port),
                start=f"http://paper.test:{outer.port}/",
            )
        # Both addresses are loopback, the start URL's range: the archivist asked for it.
        assert inner.paths_requested()
    finally:
        inner.stop()
