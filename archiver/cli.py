"""The `archiver` command: argument parsing only, one small function per command.

Every ArchiverError becomes one line on stderr and its exit code; the work is done by functions
the tests call directly (run_crawl, extract_warcs, run_demo).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from archiver import __version__
from archiver.errors import ArchiverError, UsageError


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archiver",
        description="Crawl left-press websites into WARC files and JSON article records.",
    )
    parser.add_argument("--version", action="version", version=f"archiver {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = commands.add_parser("crawl", help="crawl a publication into WARCs and records")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URLs (or use --profile)")
    crawl.add_argument("--output", "-o", type=Path, default=Path("data/crawl"), metavar="DIR")
    crawl.add_argument("--max-pages", type=int, default=0, metavar="N", help="responses at most")
    crawl.add_argument("--max-depth", type=int, default=0, metavar="N", help="link hops at most")
    crawl.add_argument("--profile", metavar="NAME", help="publication profile (see `profiles`)")
    crawl.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted crawl: what DIR archived is read back, not fetched again",
    )
    crawl.add_argument(
        "-s",
        "--set",
        dest="settings",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set any Scrapy setting, as `scrapy crawl -s` does",
    )

    extract = commands.add_parser("extract", help="rebuild article records from WARC files")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="WARC files or folders")
    extract.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.jsonl")

    demo = commands.add_parser("demo", help="serve the bundled demo site and crawl it")
    demo.add_argument("--output", "-o", type=Path, default=Path("data/demo"), metavar="DIR")
    demo.add_argument("--port", type=int, default=8470, help="local port (a free one if taken)")

    commands.add_parser("profiles", help="list the publication profiles")
    return parser


def _crawl(args: argparse.Namespace) -> int:
    from archiver.crawl.runner import run_crawl

    summary = run_crawl(
        args.urls,
        args.output,
        max_pages=args.max_pages,
        max_depth=args.max_depth,
        profile=args.profile,
        overrides=dict(args.settings),
        resume=args.resume,
    )
    if summary.articles_new == 0:
        print(f"Nothing new: {summary.articles_total} articles already in {summary.output}.")
    else:
        print(
            f"Archived {summary.pages_fetched} responses in {len(summary.warc_files)} WARC files; "
            f"{summary.articles_new} new articles ({summary.articles_total} in {summary.output})."
        )
    return 0


def _extract(args: argparse.Namespace) -> int:
    from archiver.rebuild import extract_warcs

    if args.output.suffix != ".jsonl":
        raise UsageError(f"--output must be a .jsonl file, got {args.output}")
    report = extract_warcs(args.paths, args.output)
    for problem in report.problems:
        print(f"archiver: error: {problem}", file=sys.stderr)
    print(
        f"Read {report.files} WARC files: {report.pages} HTML pages, "
        f"{report.records_written} records written to {args.output} "
        f"({report.records_unchanged} already there), {report.not_articles} not articles, "
        f"{report.revisits} revisits."
    )
    if report.problems:
        print(
            f"archiver: {len(report.problems)} problems; records from the readable parts were kept",
            file=sys.stderr,
        )
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    from archiver.demo.run_demo import run_demo

    site, summary = run_demo(args.output, args.port)
    print(f"Demo site served at {site} and crawled into {summary.output}/:")
    if summary.articles_new == 0:
        print("  nothing new since the last demo run")
    print(f"  pages fetched  {summary.pages_fetched} ({summary.pages_per_second:.1f} per second)")
    print(
        f"  articles       {summary.articles_new} new, {summary.articles_total} in the collection"
    )
    print(f"  WARC files     {len(summary.warc_files)} in {summary.output / 'warc'}/")
    print(f"  records        {summary.output / 'articles.jsonl'}")
    print(f"  crawl stats    {summary.output / 'crawl-stats.json'}")
    return 0


def _profiles(args: argparse.Namespace) -> int:
    from archiver.profile import available_profiles, load_profile

    for name in available_profiles():
        profile = load_profile(name)
        print(f"{name}\t{profile.publication}\t{', '.join(profile.domains)}")
    return 0


_COMMANDS = {"crawl": _crawl, "extract": _extract, "demo": _demo, "profiles": _profiles}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ArchiverError as exc:
        print(f"archiver: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("archiver: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
