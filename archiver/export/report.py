"""`archiver report`: one self-contained HTML page saying what a collection holds.

For a researcher deciding whether to trust a collection before loading it: articles per month
per publication, how often each field was found, which print issues are covered and which are
missing, what failed while crawling, and who wrote most. One file with its styles and inline SVG
charts and nothing else: no script, no font, no image to fetch, and a Content-Security-Policy that
forbids fetching any, so it opens offline, from a mail or from an archive, as it looked when made.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from archiver import __version__
from archiver.export.charts import coverage_strip, month_bars, ranked_bars
from archiver.export.overview import TOP_AUTHORS, Overview, collection_overview
from archiver.records import SCHEMA_VERSION

# Nothing may be fetched: only the page's own styles, and the empty data: icon that stops the
# browser asking for /favicon.ico.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_MAX_GAPS_LISTED = 40
ALL_PUBLICATIONS = "All publications"
_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #222; margin: 2em auto; max-width: 900px;
       padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: 600; } dd { margin: 0; }
.note { color: #555; font-size: 0.92em; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #333; }
rect.bar { fill: #b3261e; } rect.strip { fill: #eee; } line.axis { stroke: #888; }
table { border-collapse: collapse; font-size: 0.9em; display: block; overflow-x: auto; }
th, td { padding: 0.25em 0.5em; border: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.c0 { background: #fbe3e1; } td.c1 { background: #fdf0d5; } td.c2 { background: #eef6dd; }
td.c3 { background: #d9f0d3; }
code { font-size: 0.9em; }
"""


@dataclass(frozen=True, slots=True)
class ReportSummary:
    path: Path
    records: int
    publications: int


def write_report(collection: Path, output: Path) -> ReportSummary:
    """Writes the report on a collection folder to `output` (renamed into place when whole)."""
    overview = collection_overview(collection)
    page = report_html(overview, datetime.now(UTC))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return ReportSummary(output, overview.records, len(overview.publications))


def report_html(overview: Overview, made: datetime) -> str:
    name = overview.collection.resolve().name or str(overview.collection)
    sections = [
        _summary(overview),
        _months(overview),
        _completeness(overview),
        _issues(overview),
        _errors(overview),
        _authors(overview),
    ]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="archiver {escape(__version__)}">
<title>{escape(name)}: what the collection holds</title>
<link rel="icon" href="data:,">
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{escape(name)}</h1>
<p class="note">Collection <code>{escape(str(overview.collection))}</code>, reported on
{made.strftime("%Y-%m-%d %H:%M UTC")} by archiver {escape(__version__)}
(record schema {escape(SCHEMA_VERSION)}).</p>
</header>
{"".join(sections)}
<footer>
<h2>Citing an article</h2>
<p>Each record names the WARC record it was extracted from: cite <code>warc.filename</code> and
<code>warc.record_id</code> (or <code>warc.offset</code>) with the URL and the capture's date, so
a reader can open the very bytes the text came from. The README says how.</p>
</footer>
</body>
</html>
"""


def _summary(overview: Overview) -> str:
    superseded = overview.lines_read - overview.records
    rows = [
        ("Articles", f"{overview.records}"),
        ("Record lines read", f"{overview.lines_read} ({superseded} older versions superseded)"),
        ("Publications", f"{len(overview.publications)}"),
        ("Months covered", _month_span(overview.months)),
        ("WARC files", f"{overview.warc_files}"),
        ("Crawl runs", f"{overview.crawl_runs}"),
    ]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f'<section id="summary"><h2>Summary</h2><dl>{items}</dl></section>\n'


def _months(overview: Overview) -> str:
    top = max((max(c.values()) for c in overview.per_month.values() if c), default=0)
    parts = [
        '<section id="months"><h2>Articles per month</h2>',
        '<p class="note">By publication date; one scale and one time axis for every '
        "publication, so empty months are gaps in the collection (or in the paper).</p>",
    ]
    for publication in overview.publications:
        counts = overview.per_month.get(publication, {})
        undated = overview.undated.get(publication, 0)
        parts.append(f"<h3>{escape(publication)}</h3>")
        if counts:
            parts.append(
                month_bars(
                    overview.months,
                    counts,
                    top=top,
                    name="months",
                    label=f"Articles per month: {publication}",
                )
            )
        if undated:
            parts.append(f'<p class="note">{undated} article(s) without a date.</p>')
    parts.append("</section>\n")
    return "".join(parts)


def _completeness(overview: Overview) -> str:
    """A row per field (the schema grows; publications are few), a column per publication."""
    columns: list[tuple[str, int, dict[str, int]]] = [
        (p, overview.articles.get(p, 0), dict(overview.found.get(p, {})))
        for p in overview.publications
    ]
    if len(columns) > 1:
        every = {
            f: sum(c.get(f, 0) for c in overview.found.values())
            for f in overview.completeness_fields
        }
        columns.append((ALL_PUBLICATIONS, overview.records, every))
    head = "".join(f"<th>{escape(label)} ({total})</th>" for label, total, _ in columns)
    rows = "".join(
        f"<tr><td>{escape(field_name)}</td>"
        + "".join(
            _share_cell(field_name, label, found.get(field_name, 0), total)
            for label, total, found in columns
        )
        + "</tr>"
        for field_name in overview.completeness_fields
    )
    return (
        '<section id="completeness"><h2>Field completeness</h2>'
        '<p class="note">Share of articles in which each field was found (not null, not empty), '
        "for every field of the record looked for on the page. A low share may be the paper's "
        "(no issue numbers online) or the extractor's.</p>"
        f"<table><thead><tr><th>Field</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
        "</section>\n"
    )


def _share_cell(field_name: str, publication: str, found: int, total: int) -> str:
    share = found / total if total else 0.0
    bucket = 0 if found == 0 else 1 if share < 0.5 else 2 if share < 0.9 else 3
    return (
        f'<td class="c{bucket}" data-field="{escape(field_name)}" '
        f'data-publication="{escape(publication)}" data-found="{found}" data-total="{total}" '
        f'title="{found} of {total}">{round(share * 100)}%</td>'
    )


def _issues(overview: Overview) -> str:
    parts = [
        '<section id="issues"><h2>Print issues covered</h2>',
        '<p class="note">Issue numbers found on articles, per publication (and volume, or '
        "year where issues are numbered per year); gaps are issues with no article in the "
        "collection.</p>",
    ]
    if not overview.issues:
        parts.append("<p>No article names a numbered print issue.</p>")
    for coverage in overview.issues:
        series = f", volume/year {coverage.series}" if coverage.series else ""
        first, last = coverage.numbers[0], coverage.numbers[-1]
        gaps = coverage.gaps
        missing = sum(b - a + 1 for a, b in gaps)
        listed = ", ".join(_span(a, b) for a, b in gaps[:_MAX_GAPS_LISTED])
        if len(gaps) > _MAX_GAPS_LISTED:
            listed += f" and {len(gaps) - _MAX_GAPS_LISTED} more gaps"
        parts.append(
            f"<h3>{escape(coverage.publication)}{escape(series)}</h3>"
            f"<p>{len(coverage.numbers)} issues from {first} to {last} "
            f"({coverage.articles} articles). "
            + (f"Missing: {missing} issues: {escape(listed)}." if gaps else "No gaps.")
            + "</p>"
        )
        parts.append(
            coverage_strip(
                first,
                last,
                coverage.runs,
                name="issues",
                label=f"Issues covered: {coverage.publication}{series}",
            )
        )
    for publication, labels in overview.other_issues.items():
        shown = ", ".join(labels[:_MAX_GAPS_LISTED])
        parts.append(
            f'<p class="note">{escape(publication)}: issue labels that are not numbers: '
            f"{escape(shown)}{' ...' if len(labels) > _MAX_GAPS_LISTED else ''}</p>"
        )
    parts.append("</section>\n")
    return "".join(parts)


def _errors(overview: Overview) -> str:
    parts = ['<section id="errors"><h2>Crawl errors</h2>']
    if overview.crawl_runs == 0:
        parts.append("<p>No crawl-stats.json here: these records were not crawled into it.</p>")
    elif not overview.crawl_errors:
        parts.append(f"<p>No failed requests in {overview.crawl_runs} crawl run(s).</p>")
    else:
        parts.append(
            f'<p class="note">Failed requests by kind, over {overview.crawl_runs} crawl run(s): '
            "HTTP errors (4xx, 5xx), network failures, truncated responses. Every one is "
            "archived as far as it came.</p>"
        )
        items = [(kind, n, f"{kind}: {n}") for kind, n in overview.crawl_errors]
        parts.append(ranked_bars(items, name="errors", label="Crawl errors by kind"))
    if overview.robots_forbidden:
        parts.append(
            f'<p class="note">Not errors: {overview.robots_forbidden} request(s) not sent '
            "because robots.txt disallows them.</p>"
        )
    parts.append("</section>\n")
    return "".join(parts)


def _authors(overview: Overview) -> str:
    parts = [
        '<section id="authors"><h2>Most frequent authors</h2>',
        f'<p class="note">The {TOP_AUTHORS} names found most often in bylines and metadata '
        "(an article counts once per author), ties in name order.</p>",
    ]
    if not overview.top_authors:
        parts.append("<p>No article names an author.</p>")
    else:
        items = [
            (a.name, a.articles, f"{a.name}: {a.articles} articles in {', '.join(a.publications)}")
            for a in overview.top_authors
        ]
        parts.append(ranked_bars(items, name="authors", label="Most frequent authors"))
    parts.append("</section>\n")
    return "".join(parts)


def _month_span(months: list[str]) -> str:
    return f"{months[0]} to {months[-1]} ({len(months)} months)" if months else "no dated article"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}\u2013{last}"
