"""One crawl shared by 1, 2 and 3 workers through Redis, side by side. By hand:

    .venv/bin/python benchmarks/distributed.py [--pages N] [--workers 0,1,2,3] [--concurrency C]
                                               [--delay SECONDS] [--kill-after SECONDS]

Generates a site of N article pages (sitegen.py, default 2,000), serves it from memory on
127.0.0.1 (siteserver.py), starts a Redis server of its own on a free loopback port
(`redis-server`, persistence off) and crawls the site once per worker count: W `archiver crawl
--frontier` processes started together, each into its own folder, politeness off, then
`archiver merge` of their folders. Worker count 0 is the baseline: one `archiver crawl` without
a frontier, the single-machine crawl. For each it prints:

- coverage: the site's HTML pages fetched at least once, by any worker;
- duplicate fetches: fetches of a page beyond the first, across workers (read from the WARCs,
  where every fetch is archived); robots.txt, read once by each worker, is left out;
- pages/s: page fetches of all workers over the wall time, from the first start to the last
  exit (start-up, the end of the crawl and the last records included), and its ratio to the
  first row's (the crawl without a frontier, by default);
- records after the merge, and how the pages were shared among the workers.

All workers run on this machine, so they share its cores with each other (and each with its
own extraction processes) and with the site server: with politeness off, a crawl is bound by
the CPU (extraction) and the figures show what the frontier costs and how the work is shared,
not what three machines would give. `--delay SECONDS` crawls politely instead (that delay
between requests to the host, one request at a time, per worker, as on the open web): then a
crawl is bound by the delay, and the figures show what more workers buy. `--kill-after
SECONDS` kills one worker of each shared crawl of two or more (SIGKILL) that long after the
start, to count what its death costs in pages fetched twice (its requests come back to the
queue after 5 s of silence here).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))

from crawl import SiteServer, politeness_off  # noqa: E402
from sitegen import cached_site  # noqa: E402
from siteserver import site_paths  # noqa: E402

VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True, slots=True)
class SharedRun:
    workers: int
    wall: float
    fetches: Counter[str]
    """Fetches of each HTML page of the site, all workers together."""
    per_worker: list[int]
    records: int

    @property
    def pages(self) -> int:
        return sum(self.fetches.values())

    @property
    def duplicates(self) -> int:
        return self.pages - len(self.fetches)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


class Redis:
    """A redis-server of our own on a free loopback port, for the life of a `with`."""

    def __init__(self, work: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def __enter__(self) -> Redis:
        return self

    def __exit__(self, *_: object) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


def page_fetches(folder: Path, pages: set[str]) -> Counter[str]:
    """Fetches of the site's HTML pages archived in a worker's folder (each fetch is one
    response or revisit record)."""
    found: Counter[str] = Counter()
    for path in sorted((folder / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("response", "revisit"):
                    url = urlsplit(record.rec_headers.get_header("WARC-Target-URI") or "")
                    if url.path in pages:
                        found[url.path] += 1
    return found


def crawl_shared(
    url: str,
    redis: str,
    workers: int,
    settings: Sequence[str],
    pages: set[str],
    work: Path,
    kill_after: float = 0.0,
) -> SharedRun:
    crawl_id = f"bench-{workers}-{uuid.uuid4().hex[:8]}"
    shared = ("--frontier", redis, "--crawl-id", crawl_id) if workers else ()
    folders = [work / f"w{workers}-{i}" for i in range(1, max(workers, 1) + 1)]
    started = time.monotonic()
    processes = []
    for folder in folders:
        command = [
            str(VENV_BIN / "archiver"),
            "crawl",
            url,
            *("--output", str(folder), *shared),
            *settings,
        ]
        log = open(folder.with_suffix(".log"), "w", encoding="utf-8")  # noqa: SIM115
        processes.append(subprocess.Popen(command, stdout=log, stderr=log, cwd=work))
        log.close()
    if kill_after and workers > 1:
        time.sleep(kill_after)
        processes[0].kill()
    for process, folder in zip(processes, folders, strict=True):
        if process.wait() not in (0, -9):
            raise RuntimeError(f"a worker failed; see {folder.with_suffix('.log')}")
    wall = time.monotonic() - started
    merged = work / f"merged-{workers}"
    subprocess.run(
        [str(VENV_BIN / "archiver"), "merge", *map(str, folders), "--output", str(merged)],
        check=True,
        capture_output=True,
    )
    # After the merge, which closed the WARC a killed worker left open.
    per_worker = [page_fetches(folder, pages) for folder in folders]
    with open(merged / "articles.jsonl", "rb") as records:
        count = sum(1 for _ in records)
    return SharedRun(
        workers, wall, sum(per_worker, Counter()), [sum(c.values()) for c in per_worker], count
    )


def print_table(runs: Sequence[SharedRun], site_pages: int, articles: int) -> None:
    base = runs[0].pages_per_second if runs else 0.0
    print(
        "\n| workers | coverage | page fetches | duplicate fetches | wall s | pages/s"
        " | vs first | records | pages per worker |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for run in runs:
        print(
            f"| {run.workers or '1, no frontier'} | {len(run.fetches) / site_pages:.1%}"
            f" ({len(run.fetches):,}/{site_pages:,}) | {run.pages:,} | {run.duplicates}"
            f" | {run.wall:.1f} | {run.pages_per_second:.1f} | {run.pages_per_second / base:.2f}x"
            f" | {run.records:,}/{articles:,} | {', '.join(map(str, run.per_worker))} |"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2_000, help="articles in the site")
    parser.add_argument(
        "--workers", default="0,1,2,3", help="worker counts, comma-separated (0: no frontier)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="requests at once, each")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--delay", type=float, default=0.0, help="crawl politely: seconds between requests"
    )
    parser.add_argument(
        "--kill-after", type=float, default=0.0, help="kill one worker this long after start"
    )
    args = parser.parse_args(argv)
    settings = [*politeness_off(args.concurrency), "-s", "ARCHIVER_FRONTIER_WORKER_TIMEOUT=5"]
    if args.delay:
        polite = {"DOWNLOAD_DELAY": args.delay, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
        settings += [arg for name, value in polite.items() for arg in ("-s", f"{name}={value}")]
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    site = cached_site(args.pages, args.seed)
    pages = {path for path, file in site_paths(site.root) if file.name == "index.html"}
    print(
        f"site: {args.pages:,} articles, {len(pages):,} HTML pages ({site.root});"
        f" concurrency {args.concurrency} per worker, "
        + (f"polite: {args.delay} s delay, 1 at a time" if args.delay else "politeness off"),
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="archiver-bench-distributed-"))
    runs = []
    try:
        with SiteServer(site.root) as server, Redis(work) as redis:
            for workers in (int(n) for n in args.workers.split(",")):
                run = crawl_shared(
                    server.url, redis.url, workers, settings, pages, work, args.kill_after
                )
                print(
                    f"  {workers or 'no frontier, 1'} worker(s): {run.pages:,} page fetches"
                    f" in {run.wall:.1f} s = {run.pages_per_second:.1f} pages/s",
                    flush=True,
                )
                runs.append(run)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(runs, len(pages), args.pages)


if __name__ == "__main__":
    main()
