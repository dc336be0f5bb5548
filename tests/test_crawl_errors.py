"""A crawl that cannot work says why in one line and exits non-zero: never an empty success."""

from __future__ import annotations

import socket
from pathlib import Path

from archiver.demo.server import DemoServer
from tests.conftest import crawl, run_archiver

ABOUT_PAGE = """<!doctype html><html lang="en"><head><title>About us</title></head><body>
<h1>About us</h1><p>We are a small co-operative of volunteers.</p>
<p><a href="/contact/">Contact</a> <a href="/">Home</a></p></body></html>"""


def _site(tmp_path: Path, robots: str) -> Path:
    site = tmp_path / "site"
    (site / "contact").mkdir(parents=True)
    (site / "robots.txt").write_text(robots)
    (site / "index.html").write_text(ABOUT_PAGE)
    (site / "contact" / "index.html").write_text(ABOUT_PAGE.replace("About us", "Contact"))
    return site


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_clear_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("archiver: error:")]
    assert len(errors) == 1, stderr[-2000:]
    assert "Traceback" not in stderr
    return errors[0]


def test_unreachable_start_url_fails_with_a_reason(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    done = run_archiver("crawl", url, "--output", str(tmp_path / "out"), "-s", "RETRY_TIMES=0")
    assert done.returncode != 0
    line = _one_clear_line(done.stderr)
    assert "no article" in line and "could not be fetched" in line


def test_everything_disallowed_by_robots_fails_with_a_reason(tmp_path: Path) -> None:
    with DemoServer(site=_site(tmp_path, "User-agent: *\nDisallow: /\n")) as server:
        run = crawl(server, tmp_path / "out")
        requested = {s.path for s in run.served}
    assert run.returncode != 0
    assert "robots.txt disallowed" in _one_clear_line(run.stderr)
    assert requested == {"/robots.txt"}


def test_a_site_without_articles_fails_with_a_reason(tmp_path: Path) -> None:
    with DemoServer(site=_site(tmp_path, "User-agent: *\nDisallow:\n")) as server:
        run = crawl(server, tmp_path / "out")
    assert run.returncode != 0
    assert "none recognised as an article" in _one_clear_line(run.stderr)
    assert list((tmp_path / "out" / "warc").glob("*.warc.gz")), "what was fetched is archived"


def test_unknown_profile_names_the_known_ones(tmp_path: Path) -> None:
    done = run_archiver("crawl", "--profile", "no-such-paper", "--output", str(tmp_path))
    assert done.returncode == 2
    line = _one_clear_line(done.stderr)
    assert "no-such-paper" in line and "socialist-worker" in line


def test_unwritable_output_folder_is_refused_before_crawling(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = run_archiver("crawl", "http://127.0.0.1:9/", "--output", str(blocker / "out"))
    assert done.returncode == 2
    assert "cannot write to output folder" in _one_clear_line(done.stderr)


def test_a_start_url_that_is_not_http_is_refused(tmp_path: Path) -> None:
    done = run_archiver("crawl", "example.org/news", "--output", str(tmp_path))
    assert done.returncode == 2
    assert "not an http(s) URL" in _one_clear_line(done.stderr)


def test_no_start_url_and_no_profile_is_refused(tmp_path: Path) -> None:
    done = run_archiver("crawl", "--output", str(tmp_path))
    assert done.returncode == 2
    assert "start URL" in _one_clear_line(done.stderr)


def test_profiles_command_lists_the_shipped_profiles() -> None:
    done = run_archiver("profiles")
    assert done.returncode == 0
    assert "socialist-worker\tSocialist Worker\tsocialistworker.co.uk" in done.stdout


def test_a_component_that_fails_to_load_is_reported_as_such(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    run = crawl(demo_server, tmp_path, "-s", 'ITEM_PIPELINES={"no.such.Pipeline": 1}')
    assert run.returncode == 1
    line = _one_clear_line(run.stderr)
    assert "the crawl could not run" in line and "No module named 'no'" in line
