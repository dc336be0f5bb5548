"""`archiver extract` over a WARC beside a single-process loop of plain trafilatura. By hand:

    .venv/bin/python benchmarks/extract.py [--pages N] [--collection DIR] [--workers-list 0,1]

Makes a WARC of the generated benchmark site (sitegen.py, N articles, default 5,000 as in
crawl.py) by an archiver crawl of it, or takes the collection `benchmarks/crawl.py --keep` left,
and then, over the same pages:

- `trafilatura`: one process, `trafilatura.bare_extraction(body, url=url, with_metadata=True)`
  over every HTML payload, as a user's own loop would run it; the payloads are read out of the
  WARC beforehand (archiver's reader, so both get the very same bytes) and not timed;
- `archiver extract --workers K` for each K (0: one worker per core), a subprocess timed from
  start to exit: start-up, reading and decompressing the WARC and writing the records included.

Prints pages per second, CPU seconds (descendants included; and of archiver's own process, which
cuts the files into ranges and writes the records its workers send back), peak RSS of the process
tree, and archiver's speed as a ratio to trafilatura's; checks that every worker count wrote the
same records (the `extracted_at` stamp aside), in the same order.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(BENCHMARKS.parent))

import psutil  # noqa: E402
import trafilatura  # noqa: E402
from crawl import VENV_BIN, SiteServer, crawl_archiver  # noqa: E402
from measure import run_measured  # noqa: E402
from sitegen import cached_site  # noqa: E402

from archiver.crawl.captured import CapturedPage  # noqa: E402
from archiver.warc.reader import expand_paths, read_pages  # noqa: E402

MB = 1024 * 1024


def payloads(warcs: Path) -> list[tuple[str, bytes]]:
    """(URL, body) of every HTML page in the WARCs, as `archiver extract` reads them."""
    files, _ = expand_paths([str(warcs)])
    return [
        (item.page.url, item.page.body)
        for path in files
        for item in read_pages(path)
        if isinstance(item, CapturedPage)
    ]


def trafilatura_loop(pages: list[tuple[str, bytes]]) -> tuple[float, float, int]:
    """Wall and CPU seconds of plain trafilatura over the pages, and how many gave a result."""
    trafilatura.bare_extraction(pages[0][1], url=pages[0][0], with_metadata=True)  # imports
    found = 0
    cpu = time.process_time()
    started = time.perf_counter()
    for url, body in pages:
        found += trafilatura.bare_extraction(body, url=url, with_metadata=True) is not None
    return time.perf_counter() - started, time.process_time() - cpu, found


def _without_stamp(path: Path) -> list[dict[str, object]]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("extracted_at", None)
        records.append(record)
    return records


def make_collection(articles: int, seed: int, work: Path) -> Path:
    site = cached_site(articles, seed)
    print(f"crawling the site of {articles:,} articles with archiver to make the WARC ...")
    with SiteServer(site.root) as server:
        run = crawl_archiver(site, server.url, 16, work)
    print(f"  {run.pages:,} pages, {run.records:,} records in {run.cost.wall:.0f} s")
    return work / "collection"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5_000, help="articles in the site")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--collection", type=Path, help="a collection crawl.py --keep left")
    parser.add_argument(
        "--workers-list", default="0,1", help="archiver extract --workers values (0: per core)"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="archiver-bench-extract-"))
    try:
        collection = args.collection or make_collection(args.pages, args.seed, work)
        warcs = collection / "warc"
        size = sum(p.stat().st_size for p in warcs.glob("*.warc.gz"))
        pages = payloads(warcs)
        print(f"WARC: {size / MB:,.0f} MB in {warcs}, {len(pages):,} HTML pages")
        print(f"machine: {psutil.cpu_count()} cores; load average {psutil.getloadavg()}")

        wall, cpu, found = trafilatura_loop(pages)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        base = len(pages) / wall
        rows = [("trafilatura loop, 1 process", wall, cpu, "-", base, found, f"{rss / 1024:.0f}*")]

        outputs = {}
        for workers in (int(w) for w in args.workers_list.split(",")):
            output = work / f"records-{workers}.jsonl"
            command = [str(VENV_BIN / "archiver"), "extract", str(warcs), "--output", str(output)]
            cost = run_measured(
                [*command, "--workers", str(workers)], log=work / f"extract-{workers}.log"
            )
            if cost.returncode != 0:
                raise RuntimeError(f"archiver extract failed: {work / f'extract-{workers}.log'}")
            outputs[workers] = output
            count = sum(1 for _ in output.open("rb"))
            label = f"archiver extract --workers {workers}" + (" (per core)" if not workers else "")
            rows.append(
                (
                    label,
                    cost.wall,
                    cost.cpu,
                    f"{cost.main_cpu:.1f}",
                    len(pages) / cost.wall,
                    count,
                    f"{cost.peak_rss / MB:.0f}",
                )
            )

        print(
            "\n| what | wall s | CPU s | of which own process | pages/s | ratio to trafilatura"
            " | results | peak RSS MB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for label, wall, cpu, own, rate, results, rss_text in rows:
            print(
                f"| {label} | {wall:.1f} | {cpu:.1f} | {own} | {rate:.1f} | {rate / base:.2f}x"
                f" | {results:,} | {rss_text} |"
            )
        print("(* the benchmark's own process, payloads of every page held in memory)")
        if len(outputs) > 1:
            first, *rest = outputs.values()
            same = all(_without_stamp(first) == _without_stamp(other) for other in rest)
            print(f"records identical for every worker count (extracted_at aside): {same}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
