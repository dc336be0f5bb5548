"""What archiving costs over a bare crawl: archiver beside a bare Scrapy CrawlSpider. By hand:

    .venv/bin/python benchmarks/crawl.py [--pages N] [--concurrency C] [--scaling] [--keep DIR]
                                         [--py-spy FILE] [--server-check] [-s NAME=VALUE]...

Generates a site of N article pages (sitegen.py; default 5,000, 20-80 KB each, with section
fronts, pagination and an issue archive), serves it from memory on 127.0.0.1 (siteserver.py)
and crawls it twice, each crawl a subprocess with politeness off and the same concurrency:

- `bare`: a CrawlSpider that only follows links (bare_spider.py), Scrapy's own cost;
- `archiver`: `archiver crawl`, the raw capture into WARC, extraction in worker processes and
  the records file; its time runs until the process exits, after the last record is written.

For each it prints pages per second (HTML pages fetched, robots.txt left out, over the wall time
from start to exit), wall and CPU seconds (all descendants), peak RSS of the process tree
(sampled every 50 ms), and archiver's ratios to bare. `--scaling` does it at 1,000, 5,000 and
20,000 pages and shows how time and memory grow. Before crawling, a load test fetches every page
of the site from the server alone (and `--server-check` the stdlib's threaded server beside it),
to show that the server is far faster than either crawl. `--py-spy FILE` records archiver's
crawl under py-spy (sampling profiler; collapsed stacks of every process and thread to FILE).
`-s NAME=VALUE` sets a setting for archiver's crawl alone, to try a change against the same
baseline (`-s ARCHIVER_EXTRACT_WORKERS=1`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))

from measure import Cost, run_measured  # noqa: E402
from sitegen import Site, cached_site  # noqa: E402
from siteserver import load_test, site_paths  # noqa: E402

VENV_BIN = Path(sys.executable).parent
SCALING_SIZES = (1_000, 5_000, 20_000)
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CrawlRun:
    crawler: str
    articles: int
    cost: Cost
    pages: int
    """HTML pages fetched (responses less the robots.txt fetch)."""
    records: int
    engine_seconds: float
    """Scrapy's own elapsed time, engine start to close: start-up and shutdown left out."""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.cost.wall if self.cost.wall else 0.0


class SiteServer:
    """The site served by siteserver.py in a process of its own, for the life of a `with`."""

    def __init__(self, root: Path, *, stdlib: bool = False) -> None:
        command = [sys.executable, str(BENCHMARKS / "siteserver.py"), str(root)]
        self._process = subprocess.Popen(
            [*command, "--stdlib"] if stdlib else command, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url:
            raise RuntimeError("the site server did not start")

    def __enter__(self) -> SiteServer:
        return self

    def __exit__(self, *_: object) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


def politeness_off(concurrency: int) -> list[str]:
    settings = {
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "LOG_LEVEL": "INFO",
    }
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def _pages(stats: dict[str, Any]) -> int:
    return int(stats.get("response_received_count", 0)) - int(
        stats.get("robotstxt/response_count", 0)
    )


def crawl_bare(site: Site, url: str, concurrency: int, work: Path) -> CrawlRun:
    stats_file = work / "bare-stats.json"
    command = [
        str(VENV_BIN / "scrapy"),
        "runspider",
        str(BENCHMARKS / "bare_spider.py"),
        "-a",
        f"start_url={url}",
        "-a",
        f"stats={stats_file}",
        *politeness_off(concurrency),
        # What archiver sets too, so the two differ only in what archiving adds.
        *("-s", "ROBOTSTXT_OBEY=True", "-s", "COOKIES_ENABLED=False"),
        *("-s", "TELNETCONSOLE_ENABLED=False"),
    ]
    # Run outside the repository: scrapy.cfg there would load archiver's settings.
    cost = run_measured(command, cwd=work, log=work / "bare.log")
    stats = json.loads(stats_file.read_text())
    return CrawlRun(
        "bare", site.articles, cost, _pages(stats), 0, float(stats["elapsed_time_seconds"])
    )


def crawl_archiver(
    site: Site,
    url: str,
    concurrency: int,
    work: Path,
    py_spy: Path | None = None,
    extra: Sequence[str] = (),
) -> CrawlRun:
    output = work / "collection"
    command = [
        str(VENV_BIN / "archiver"),
        "crawl",
        url,
        "--output",
        str(output),
        *politeness_off(concurrency),
        *(arg for setting in extra for arg in ("-s", setting)),
    ]
    if py_spy:
        spy = [str(VENV_BIN / "py-spy"), "record", "--subprocesses", "--threads", "--idle"]
        command = [*spy, "--format", "raw", "--rate", "100", "-o", str(py_spy), "--", *command]
    cost = run_measured(command, cwd=work, log=work / "archiver.log")
    if cost.returncode != 0:
        raise RuntimeError(f"archiver crawl failed; see {work / 'archiver.log'}")
    stats = json.loads((output / "crawl-stats.json").read_text())[-1]
    with open(output / "articles.jsonl", "rb") as records:
        count = sum(1 for _ in records)
    return CrawlRun(
        "archiver", site.articles, cost, _pages(stats), count, float(stats["elapsed_time_seconds"])
    )


def check_server(site: Site, url: str, stdlib: bool) -> None:
    paths = [path for path, _ in site_paths(site.root) if path.endswith("/")]
    result = load_test(url, paths)
    print(
        f"server alone (asyncio, from memory): {result.requests} pages in {result.seconds:.2f} s"
        f" = {result.per_second:,.0f} pages/s, {result.bytes / result.seconds / MB:,.0f} MB/s,"
        f" {result.errors} errors (16 keep-alive connections)"
    )
    if stdlib:
        with SiteServer(site.root, stdlib=True) as server:
            sample = paths[:2000]
            slow = load_test(server.url, sample)
        print(
            f"stdlib ThreadingHTTPServer, for comparison: {slow.requests} pages in"
            f" {slow.seconds:.2f} s = {slow.per_second:,.0f} pages/s"
        )


def run_size(
    articles: int,
    seed: int,
    concurrency: int,
    keep: Path | None,
    py_spy: Path | None,
    server_check: bool,
    extra: Sequence[str] = (),
) -> list[CrawlRun]:
    site = cached_site(articles, seed)
    print(
        f"\nsite: {articles:,} articles, {site.pages:,} HTML pages, {site.bytes / MB:,.0f} MB"
        f" ({site.root})",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix=f"archiver-bench-crawl-{articles}-"))
    try:
        with SiteServer(site.root) as server:
            check_server(site, server.url, server_check)
            runs = []
            for crawl in ("bare", "archiver"):
                if crawl == "bare":
                    run = crawl_bare(site, server.url, concurrency, work)
                else:
                    run = crawl_archiver(site, server.url, concurrency, work, py_spy, extra)
                print(
                    f"  {run.crawler:<8} {run.pages:,} pages in {run.cost.wall:.1f} s"
                    f" = {run.pages_per_second:.1f} pages/s",
                    flush=True,
                )
                runs.append(run)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            target = keep / f"collection-{articles}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(work / "collection", target)
            print(f"  archiver's collection kept in {target}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return runs


def print_table(runs: Sequence[CrawlRun]) -> None:
    print(
        "\n| articles | crawler | pages | records | wall s | engine s | pages/s | CPU s"
        " | main CPU s | cores | peak RSS MB | main peak RSS MB | others' cores |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        print(
            f"| {run.articles:,} | {run.crawler} | {run.pages:,} | {run.records:,}"
            f" | {run.cost.wall:.1f} | {run.engine_seconds:.1f} | {run.pages_per_second:.1f}"
            f" | {run.cost.cpu:.1f} | {run.cost.main_cpu:.1f} | {run.cost.cores:.2f}"
            f" | {run.cost.peak_rss / MB:.0f} | {run.cost.main_peak_rss / MB:.0f}"
            f" | {run.cost.others / run.cost.wall:.2f} |"
        )
    print(
        "(CPU s, peak RSS: the crawl's whole process tree; main CPU s, main peak RSS: its first"
        " process alone, for archiver the reactor's process without the extraction workers)"
    )
    print(
        "(others' cores: CPU the rest of the machine used meanwhile, the site server included;"
        " well above 0.1 means the figures were taken on a busy machine)"
    )
    print("\n| articles | archiver/bare pages/s | wall | CPU | peak RSS |")
    print("|---:|---:|---:|---:|---:|")
    by_size: dict[int, dict[str, CrawlRun]] = {}
    for run in runs:
        by_size.setdefault(run.articles, {})[run.crawler] = run
    for articles, pair in by_size.items():
        a, b = pair["archiver"], pair["bare"]
        print(
            f"| {articles:,} | {a.pages_per_second / b.pages_per_second:.2f}x"
            f" | {a.cost.wall / b.cost.wall:.2f}x | {a.cost.cpu / b.cost.cpu:.2f}x"
            f" | {a.cost.peak_rss / b.cost.peak_rss:.2f}x |"
        )
    if len(by_size) > 1:
        print_growth(by_size)


def print_growth(by_size: dict[int, dict[str, CrawlRun]]) -> None:
    sizes = sorted(by_size)
    smallest, largest = sizes[0], sizes[-1]
    print(
        f"\nGrowth from {smallest:,} to {largest:,} articles"
        " (peak RSS; MB per 10,000 pages over the HTML pages added):"
    )
    print(
        "| crawler | peak RSS ratio | MB per 10,000 pages | main process: ratio | MB per 10,000"
        " | wall ratio | pages ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for crawler in ("bare", "archiver"):
        low, high = by_size[smallest][crawler], by_size[largest][crawler]
        added = high.pages - low.pages
        per_10k = (high.cost.peak_rss - low.cost.peak_rss) / MB / added * 10_000
        main_low, main_high = low.cost.main_peak_rss, high.cost.main_peak_rss
        main_per_10k = (main_high - main_low) / MB / added * 10_000
        print(
            f"| {crawler} | {high.cost.peak_rss / low.cost.peak_rss:.2f}x | {per_10k:.1f}"
            f" | {main_high / main_low:.2f}x | {main_per_10k:.1f}"
            f" | {high.cost.wall / low.cost.wall:.1f}x | {high.pages / low.pages:.1f}x |"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5_000, help="articles in the site")
    parser.add_argument("--scaling", action="store_true", help="run at 1,000, 5,000 and 20,000")
    parser.add_argument("--concurrency", type=int, default=16, help="requests at once, both")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--keep", type=Path, help="move archiver's collection here")
    parser.add_argument("--py-spy", type=Path, help="profile archiver's crawl into this file")
    parser.add_argument(
        "--server-check", action="store_true", help="load-test the stdlib server too"
    )
    parser.add_argument(
        "--archiver-setting",
        "-s",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for archiver's crawl only (ARCHIVER_EXTRACT_WORKERS=1, ...)",
    )
    args = parser.parse_args(argv)
    sizes = SCALING_SIZES if args.scaling else (args.pages,)
    print(f"concurrency {args.concurrency} (global and per host), politeness off, seed {args.seed}")
    if args.archiver_setting:
        print(f"archiver's crawl also with: {' '.join(args.archiver_setting)}")
    runs = []
    for articles in sizes:
        runs += run_size(
            articles,
            args.seed,
            args.concurrency,
            args.keep,
            args.py_spy,
            args.server_check,
            args.archiver_setting,
        )
    print_table(runs)


if __name__ == "__main__":
    main()
