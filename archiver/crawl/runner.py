"""Runs one crawl in this process and reports what it left in the output folder.

The CLI, `archiver demo` and anyone scripting archiver call `run_crawl`; it checks what a user can
get wrong before Scrapy starts (so mistakes give one clear line, not a traceback) and refuses to
call an empty output a success.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archiver.crawl import collection_lock
from archiver.crawl.config import CrawlConfig
from archiver.crawl.frontier.addon import check_frontier
from archiver.errors import CrawlFailedError, EmptyCrawlError, UsageError
from archiver.export.jsonl import collection_records
from archiver.profile import load_profile
from spiders.publication import PublicationSpider


@dataclass(frozen=True, slots=True)
class CrawlSummary:
    output: Path
    pages_fetched: int
    articles_new: int
    articles_total: int
    warc_files: list[Path]
    elapsed_seconds: float
    stats: dict[str, Any]

    @property
    def pages_per_second(self) -> float:
        return self.pages_fetched / self.elapsed_seconds if self.elapsed_seconds else 0.0


def _check_urls(urls: Sequence[str]) -> None:
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) URL: {url!r} (write it as https://host/path)")


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(
            f"cannot write to output folder {folder}: {exc.strerror or exc}; "
            "choose another --output or fix its permissions"
        ) from exc


def crawl_settings(config: CrawlConfig) -> Settings:
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.setdict(dict(config.settings), priority="cmdline")
    settings.set("ARCHIVER_OUTPUT", str(config.output), priority="cmdline")
    settings.set("ARCHIVER_PROFILE", config.profile or "", priority="cmdline")
    if config.resume:
        settings.set("ARCHIVER_RESUME", True, priority="cmdline")
    if config.contact:
        settings.set("ARCHIVER_CONTACT", config.contact, priority="cmdline")
    if config.max_pages:
        settings.set("ARCHIVER_MAX_PAGES", config.max_pages, priority="cmdline")
    if config.max_depth:
        settings.set("DEPTH_LIMIT", config.max_depth, priority="cmdline")
    if config.frontier:
        settings.set("ARCHIVER_FRONTIER", config.frontier, priority="cmdline")
    if config.crawl_id:
        settings.set("ARCHIVER_CRAWL_ID", config.crawl_id, priority="cmdline")
    return settings


def _why_empty(stats: Mapping[str, Any], output: Path) -> str:
    fetched = int(stats.get("archiver/warc/responses", 0))
    forbidden = int(stats.get("robotstxt/forbidden", 0))
    errors = {
        k.rsplit(".", 1)[-1]: v
        for k, v in stats.items()
        if k.startswith("downloader/exception_type_count/") and not k.endswith("IgnoreRequest")
    }
    pages = int(stats.get("response_received_count", 0)) - int(
        stats.get("robotstxt/response_count", 0)
    )
    if errors and pages <= 0:
        kinds = ", ".join(f"{kind} x{count}" for kind, count in errors.items())
        reason = f"the start URL could not be fetched ({kinds}); check the URL and the network"
    elif forbidden and pages <= 0:
        reason = f"robots.txt disallowed all {forbidden} requests"
    else:
        not_article = int(stats.get("archiver/pages/not_article", 0))
        reason = (
            f"{fetched} responses archived, {not_article} HTML pages, none recognised as an "
            "article; start from a section or article page, or raise --max-pages/--max-depth"
        )
    return f"no article in {output}: {reason}"


def run_crawl(config: CrawlConfig) -> CrawlSummary:
    urls, output, profile = list(config.start_urls), config.output, config.profile
    known = load_profile(profile) if profile else None
    if known and not urls and not known.start_urls:
        raise UsageError(f"profile {profile!r} has no start URLs; give them on the command line")
    if not profile and not urls:
        raise UsageError("give at least one start URL, or --profile NAME")
    _check_urls(urls)
    _check_writable(output)
    if config.max_pages < 0 or config.max_depth < 0:
        raise UsageError("--max-pages and --max-depth must be 0 (no limit) or more")
    if config.frontier:
        check_frontier(config.frontier)
    elif config.crawl_id:
        raise UsageError("--crawl-id names a shared crawl: give --frontier too")

    collection_lock.acquire(output)
    try:
        before = sum(1 for _ in collection_records(output))
        settings = crawl_settings(config)
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(PublicationSpider)
        failures: list[BaseException] = []
        started = process.crawl(crawler, start_urls=list(urls), profile=profile)
        started.addErrback(lambda failure: failures.append(failure.value))
        process.start()
        if failures:
            # The crawl never ran (a component failed to load): not the site's fault.
            raise CrawlFailedError(f"the crawl could not run: {failures[0]!r}")
    finally:
        collection_lock.release(output)

    assert crawler.stats is not None
    stats = dict(crawler.stats.get_stats())
    total = sum(1 for _ in collection_records(output))
    elapsed = stats.get("elapsed_time_seconds") or 0.0
    summary = CrawlSummary(
        output=output,
        pages_fetched=int(stats.get("archiver/warc/responses", 0)),
        articles_new=total - before,
        articles_total=total,
        warc_files=sorted((output / "warc").glob("*.warc.gz")),
        elapsed_seconds=float(elapsed),
        stats=stats,
    )
    # A worker of a shared crawl may find nothing left for it: the others took the pages.
    if total == 0 and not config.frontier:
        raise EmptyCrawlError(_why_empty(stats, output))
    return summary
