"""Crawl definitions in TOML: what they set, how flags override them, how mistakes are told."""

from __future__ import annotations

import re
from pathlib import Path

from archiver.crawl.config import load_config
from archiver.demo.server import DemoServer
from tests.conftest import TESTS, run_archiver

EXAMPLE = TESTS.parent / "examples" / "crawl.toml"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "crawl.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_loads_and_the_readme_documents_every_key() -> None:
    config = load_config(EXAMPLE)
    assert config.profile == "socialist-worker" and config.contact.startswith("mailto:")
    assert config.settings["DOWNLOAD_DELAY"] == 1.0
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    keys = re.findall(r"^(?:# )?([a-z_]+) = ", EXAMPLE.read_text(encoding="utf-8"), re.M)
    assert len(keys) > 15
    for key in keys:
        assert f"`{key}`" in readme, key


def test_a_crawl_runs_from_a_config_file_and_flags_override_it(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    path = _config(
        tmp_path,
        f'start_urls = ["{demo_server.origin}/"]\noutput = "{tmp_path / "out"}"\nmax_pages = 3\n'
        "[politeness]\ndelay = 0\nautothrottle = false\n",
    )
    demo_server.clear()
    done = run_archiver("crawl", "--config", str(path), "--max-pages", "6")
    pages = [s for s in demo_server.requests if s.path != "/robots.txt"]
    assert len(pages) == 6, done.stderr[-2000:]
    assert (tmp_path / "out" / "warc").is_dir()


def _one_line_error(done) -> str:  # type: ignore[no-untyped-def]
    lines = [line for line in done.stderr.splitlines() if line.startswith("archiver: error:")]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_a_config_that_is_not_toml_is_named_with_its_line(tmp_path: Path) -> None:
    path = _config(tmp_path, 'start_urls = ["http://127.0.0.1/"\noutput = 3\n')
    line = _one_line_error(run_archiver("crawl", "--config", str(path)))
    assert str(path) in line and "line" in line


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    path = _config(tmp_path, "maxpages = 3\n")
    line = _one_line_error(run_archiver("crawl", "--config", str(path)))
    assert "unknown key 'maxpages'" in line


def test_a_value_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    path = _config(tmp_path, '[politeness]\ndelay = "fast"\n')
    assert "politeness.delay must be float" in _one_line_error(
        run_archiver("crawl", "--config", str(path))
    )


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    line = _one_line_error(run_archiver("crawl", "--config", str(tmp_path / "nope.toml")))
    assert "cannot read crawl config" in line
