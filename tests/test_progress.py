"""Progress: a live line on a terminal, periodic log lines otherwise."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from archiver.demo.server import DemoServer
from tests.conftest import TESTS, crawl

SLOW = ["-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]


def test_without_a_terminal_progress_goes_to_the_log(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    run = crawl(demo_server, tmp_path, *SLOW, "-s", "ARCHIVER_PROGRESS_INTERVAL=0.5")
    lines = [line for line in run.stderr.splitlines() if "Progress: pages " in line]
    assert len(lines) >= 2
    assert " | articles " in lines[-1] and " | queued " in lines[-1] and "pages/s" in lines[-1]
    assert "\r" not in run.stderr


def test_on_a_terminal_one_line_is_redrawn(demo_server: DemoServer, tmp_path: Path) -> None:
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver.cli",
            "crawl",
            f"{demo_server.origin}/",
            "--output",
            str(tmp_path),
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            *SLOW,
        ],
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        cwd=TESTS.parent,
    )
    os.close(secondary)
    output = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(main)
    redraws = output.count(b"\r\x1b[2Kpages ")
    assert process.returncode == 0
    assert redraws >= 2, output[-2000:]
