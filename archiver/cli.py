"""The `archiver` command: argument parsing only, one small function per command.

Every ArchiverError becomes one line on stderr and its exit code; the work is done by functions
the tests call directly (run_crawl, extract_warcs, run_demo, merge_collections, index_collection,
package_collection, validate_warcs, export_collection, write_report).
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
    crawl.add_argument(
        "--config",
        type=Path,
        metavar="FILE.toml",
        help="a crawl definition (see examples/crawl.toml); the other flags override it",
    )
    crawl.add_argument("--output", "-o", type=Path, metavar="DIR", help="default: data/crawl")
    crawl.add_argument("--max-pages", type=int, metavar="N", help="responses at most")
    crawl.add_argument("--max-depth", type=int, metavar="N", help="link hops at most")
    crawl.add_argument("--profile", metavar="NAME", help="publication profile (see `profiles`)")
    crawl.add_argument(
        "--contact",
        metavar="URL-OR-EMAIL",
        help="how site owners reach you; goes into the User-Agent",
    )
    crawl.add_argument(
        "--resume",
        action="store_true",
        default=None,
        help="continue an interrupted crawl: what DIR archived is read back, not fetched again",
    )
    crawl.add_argument(
        "--frontier",
        metavar="redis://HOST:PORT/DB",
        help="join a crawl shared by several workers through this Redis server",
    )
    crawl.add_argument(
        "--crawl-id",
        metavar="NAME",
        help="with --frontier: the shared crawl to join (default: derived from the start URLs)",
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
    extract.add_argument(
        "--workers", type=int, default=0, metavar="N", help="worker processes (0: one per core)"
    )
    extract.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time limit for one page's extraction; past it the page gives no record",
    )

    demo = commands.add_parser("demo", help="serve the bundled demo site and crawl it")
    demo.add_argument("--output", "-o", type=Path, default=Path("data/demo"), metavar="DIR")
    demo.add_argument("--port", type=int, default=8470, help="local port (a free one if taken)")

    commands.add_parser("profiles", help="list the publication profiles")

    check = commands.add_parser(
        "check-profile", help="run a profile over saved pages (WARCs) and count the fields found"
    )
    check.add_argument("name", metavar="NAME", help="publication profile (see `profiles`)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="WARC files or folders")

    merge = commands.add_parser(
        "merge", help="make the output folders of a shared crawl's workers one collection"
    )
    merge.add_argument("sources", nargs="+", type=Path, metavar="DIR", help="workers' folders")
    merge.add_argument("--output", "-o", type=Path, required=True, metavar="DIR")

    index = commands.add_parser("index", help="write DIR/indexes/index.cdxj for replay (pywb)")
    index.add_argument("collection", type=Path, metavar="DIR", help="a crawl's output folder")

    package = commands.add_parser("package", help="pack a crawl's output folder as a WACZ file")
    package.add_argument("collection", type=Path, metavar="DIR", help="a crawl's output folder")
    package.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.wacz")

    validate = commands.add_parser("validate", help="check WARC files' fixity and conformance")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="WARC files or folders")

    export = commands.add_parser("export", help="one table of a collection's records, one per id")
    export.add_argument("collection", type=Path, metavar="DIR", help="a crawl's output folder")
    export.add_argument("--output", "-o", type=Path, required=True, metavar="PATH")
    export.add_argument(
        "--format", choices=("parquet", "csv", "jsonl"), help="default: from --output's suffix"
    )

    report = commands.add_parser("report", help="an HTML page on what a collection holds")
    report.add_argument("collection", type=Path, metavar="DIR", help="a crawl's output folder")
    report.add_argument(
        "--output", "-o", type=Path, metavar="FILE.html", help="default: DIR/report.html"
    )
    return parser


def _crawl(args: argparse.Namespace) -> int:
    from archiver.crawl.config import CrawlConfig, load_config
    from archiver.crawl.runner import run_crawl

    config = load_config(args.config) if args.config else CrawlConfig()
    summary = run_crawl(
        config.overridden(
            start_urls=tuple(args.urls) or None,
            output=args.output,
            profile=args.profile,
            max_pages=args.max_pages,
            max_depth=args.max_depth,
            contact=args.contact,
            resume=args.resume,
            frontier=args.frontier,
            crawl_id=args.crawl_id,
            settings=dict(args.settings),
        )
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
    report = extract_warcs(args.paths, args.output, workers=args.workers, timeout=args.timeout)
    for problem in report.problems:
        print(f"archiver: error: {problem}", file=sys.stderr)
    for failure in report.failures:
        print(f"archiver: warning: {failure}", file=sys.stderr)
    print(
        f"Read {report.files} WARC files: {report.pages} HTML pages, "
        f"{report.records_written} records written to {args.output} "
        f"({report.records_unchanged} already there), {report.not_articles} not articles, "
        f"{report.revisits} revisits, {len(report.failures)} failed extractions."
        + "".join(f" {count} {kind} pages." for kind, count in sorted(report.blocked.items()))
        + (
            f" {report.issue_archives} issue-archive pages read"
            f" ({report.issue_pages_added} records written again with their issue page)."
            if report.issue_archives
            else ""
        )
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


def _check_profile(args: argparse.Namespace) -> int:
    from archiver.profile_check import check_profile

    check = check_profile(args.name, args.paths)
    for problem in check.problems:
        print(f"archiver: error: {problem}", file=sys.stderr)
    print("\n".join(check.lines()))
    return 1 if check.problems else 0


def _merge(args: argparse.Namespace) -> int:
    from archiver.merge import merge_collections

    summary = merge_collections(args.sources, args.output)
    print(
        f"Merged {len(args.sources)} folders into {summary.output}: {summary.warc_files} WARC "
        f"files brought in, {summary.records_written} records written ({summary.duplicates} "
        f"duplicates left out), {summary.index.lines} lines in {summary.index.path}"
    )
    return 0


def _index(args: argparse.Namespace) -> int:
    from archiver.warc.cdxj import index_collection

    summary = index_collection(args.collection)
    print(f"Indexed {summary.warc_files} WARC files: {summary.lines} lines in {summary.path}")
    return 0


def _package(args: argparse.Namespace) -> int:
    from archiver.warc.wacz import package_collection

    summary = package_collection(args.collection, args.output)
    print(
        f"Packed {summary.warc_files} WARC files and {summary.pages} article pages "
        f"into {summary.path}"
    )
    if summary.records_not_in_package:
        print(f"  {summary.records_not_in_package} records cite WARCs outside DIR/warc: not listed")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from archiver.warc.validate import summary, validate_warcs

    checks = validate_warcs(args.paths)
    for check in checks:
        print(check.line())
    print(summary(checks))
    return 0 if all(check.ok for check in checks) else 1


def _export(args: argparse.Namespace) -> int:
    from archiver.export.collection import export_collection

    summary = export_collection(args.collection, args.output, args.format)
    print(
        f"Exported {summary.records} articles to {summary.path} ({summary.format}; "
        f"{summary.lines_read} records read, one kept per article)"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from archiver.export.report import write_report

    summary = write_report(args.collection, args.output or args.collection / "report.html")
    publications = f"{summary.publications} publication{'s' if summary.publications != 1 else ''}"
    print(f"Reported on {summary.records} articles from {publications} in {summary.path}")
    return 0


_COMMANDS = {
    "crawl": _crawl,
    "extract": _extract,
    "demo": _demo,
    "profiles": _profiles,
    "check-profile": _check_profile,
    "merge": _merge,
    "index": _index,
    "package": _package,
    "validate": _validate,
    "export": _export,
    "report": _report,
}


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
