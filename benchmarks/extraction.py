"""Extraction quality and speed, archiver beside plain trafilatura, over saved pages. Run by hand:

    .venv/bin/python benchmarks/extraction.py [--passes N] [--write-heldout]

Sets (read from ../shared beside the repository, never copied in; a missing set is skipped):
- `aeb`: the article-extraction-benchmark's 181 pages, body only, scored the way its
  `evaluate.py` scores: tokens are `\\w+` runs, a page's text is the multiset of its 4-token
  shingles, true/false positives and negatives are normalised per page, precision is averaged
  over the pages that predict something and recall over the pages that expect something, and
  F1 is the harmonic mean of the two averages. Shown for the tuning split, the held-out third
  (`benchmarks/heldout-ids.txt`, chosen by a seeded shuffle before any tuning) and all pages.
- `left-press` and `fixtures`: every page of every profile's test data (tests/profile_data.py):
  the real pages of The Nation, taz and junge Welt in ../shared, and the project's own pages.
  Headline, authors, standfirst and tags must match exactly (whitespace aside), date to the day
  and to the second, body scored as above.

trafilatura runs as a user would run it: `bare_extraction(html, url=url, with_metadata=True)`,
default settings. Both extractors get the page's bytes and run one after the other on one core;
pages per second count extraction only, over the fastest of a few passes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from archiver.extract import extract_article  # noqa: E402
from archiver.extract.text import clean  # noqa: E402
from archiver.page import Page  # noqa: E402
from archiver.profile import profile_for_url  # noqa: E402
from tests.profile_data import SHARED, profile_pages  # noqa: E402

AEB = SHARED / "bench" / "article-extraction-benchmark"
HELDOUT = ROOT / "benchmarks" / "heldout-ids.txt"
HELDOUT_SEED = 3
# The benchmark pages are old captures; a capture date after all of them keeps every date.
AEB_CAPTURED = datetime(2024, 1, 1, tzinfo=UTC)
_TOKEN = re.compile(r"\w+")
_SHINGLE = 4


@dataclass(frozen=True)
class Case:
    set: str
    id: str
    page: Page
    expected: dict[str, Any]


Fields = dict[str, Any]
Extractor = Callable[[Page], Fields]


def archiver_fields(page: Page) -> Fields:
    extraction = extract_article(page, profile_for_url(page.url))
    if extraction is None:
        return {}
    return {
        "headline": extraction.headline,
        "authors": list(extraction.authors),
        "date": extraction.date,
        "standfirst": extraction.standfirst,
        "body": extraction.body,
        "issue": extraction.issue,
        "tags": list(extraction.tags),
    }


def trafilatura_fields(page: Page) -> Fields:
    document = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True)
    if document is None:
        return {}
    return {
        "headline": document.title,
        "authors": [a.strip() for a in (document.author or "").split(";") if a.strip()],
        "date": document.date,
        "standfirst": document.description,
        "body": document.text or "",
        "tags": [t.strip() for tag in document.tags or [] for t in tag.split(",") if t.strip()],
    }


EXTRACTORS: dict[str, Extractor] = {"archiver": archiver_fields, "trafilatura": trafilatura_fields}


# Scoring ------------------------------------------------------------------------------------


def body_scores(pairs: Iterable[tuple[str, str | None]]) -> dict[str, float]:
    """Precision, recall and F1 over pages of (expected, predicted) bodies."""
    counts = [_tp_fp_fn(expected, predicted or "") for expected, predicted in pairs]
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _tp_fp_fn(expected: str, predicted: str) -> tuple[float, float, float]:
    true, pred = _shingles(expected), _shingles(predicted)
    tp = float(sum((true & pred).values()))
    fp = float(sum(pred.values())) - tp
    fn = float(sum(true.values())) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(
        shingle
        for i in range(max(1, len(tokens) - _SHINGLE + 1))
        if (shingle := tuple(tokens[i : i + _SHINGLE]))
    )


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def same_date(expected: str | None, found: str | None, *, to_the_second: bool) -> bool:
    if not expected or not found:
        return expected == found
    want, got = datetime.fromisoformat(expected), datetime.fromisoformat(found)
    if not to_the_second:
        return want.date() == got.date()
    if (want.tzinfo is None) != (got.tzinfo is None):
        return False
    return want == got


def _same_text(expected: str | None, found: str | None) -> bool:
    return clean(expected or "") == clean(found or "")


def _same_names(expected: list[str], found: list[str] | None) -> bool:
    return [clean(n) for n in expected] == [clean(n) for n in found or []]


# Sets -----------------------------------------------------------------------------------------


def aeb_cases() -> list[Case]:
    if not AEB.exists():
        return []
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    cases = []
    for key in sorted(truth):
        body = gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes())
        page = Page(truth[key]["url"], body, "text/html; charset=utf-8", AEB_CAPTURED)
        cases.append(Case("aeb", key, page, {"body": truth[key]["articleBody"]}))
    return cases


def profile_cases() -> list[Case]:
    cases = []
    for item in profile_pages():
        if item.available:
            in_shared = SHARED in item.file.parents
            cases.append(
                Case(
                    "left-press" if in_shared else "fixtures", item.name, item.page(), item.expected
                )
            )
    return cases


def heldout_ids() -> set[str]:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def write_heldout(cases: list[Case]) -> None:
    """The held-out third: chosen once, before any tuning, by a seeded shuffle of sorted ids."""
    ids = sorted(c.id for c in cases)
    random.Random(HELDOUT_SEED).shuffle(ids)
    held = sorted(ids[: len(ids) // 3])
    header = (
        "# Held-out third of ../shared/bench/article-extraction-benchmark: never tuned on.\n"
        f"# Chosen once, before any tuning: sorted ids, random.Random({HELDOUT_SEED}).shuffle,"
        " first len // 3\n"
        "# (`benchmarks/extraction.py --write-heldout` rewrites this same list).\n"
    )
    HELDOUT.write_text(header + "\n".join(held) + "\n", encoding="utf-8")


# Running and reporting ------------------------------------------------------------------------


@dataclass
class Run:
    fields: dict[str, dict[str, Fields]]
    """Extractor name -> case id -> fields."""
    seconds: dict[str, float]
    """Extractor name -> seconds of its fastest pass over all pages."""


def run(cases: list[Case], passes: int) -> Run:
    """`passes` passes over the pages, both extractors interleaved page by page so that both
    see the same machine load; the fastest pass of each counts (the others saw other work)."""
    fields: dict[str, dict[str, Fields]] = {name: {} for name in EXTRACTORS}
    best = dict.fromkeys(EXTRACTORS, float("inf"))
    for _ in range(passes):
        spent = dict.fromkeys(EXTRACTORS, 0.0)
        for case in cases:
            for name, extractor in EXTRACTORS.items():
                start = time.perf_counter()
                fields[name][case.id] = extractor(case.page)
                spent[name] += time.perf_counter() - start
        best = {name: min(best[name], spent[name]) for name in EXTRACTORS}
    return Run(fields, best)


def _row(label: str, values: dict[str, str]) -> str:
    return f"  {label:<30}" + "".join(f"{values.get(n, '-'):>14}" for n in EXTRACTORS)


def report_aeb(cases: list[Case], result: Run) -> list[str]:
    held = heldout_ids()
    splits = {
        "tuning": [c for c in cases if c.id not in held],
        "held-out": [c for c in cases if c.id in held],
        "all": cases,
    }
    lines = [f"article-extraction-benchmark ({len(cases)} pages), body", _row("", _names())]
    for split, members in splits.items():
        label = f"{split} ({len(members)})"
        scores = {name: _body_scores(members, result, name) for name in EXTRACTORS}
        for metric in ("precision", "recall", "f1"):
            values = {n: f"{scores[n][metric]:.3f}" for n in EXTRACTORS}
            lines.append(_row(f"{label} {metric}", values))
        missing = {n: str(sum(not result.fields[n][c.id] for c in members)) for n in EXTRACTORS}
        lines.append(_row(f"{label} no article", missing))
    return lines


def _body_scores(cases: list[Case], result: Run, name: str) -> dict[str, float]:
    return body_scores((c.expected["body"], result.fields[name][c.id].get("body")) for c in cases)


_CHECKS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "headline": ("headline", _same_text),
    "authors": ("authors", _same_names),
    "date (day)": ("date", lambda e, f: same_date(e, f, to_the_second=False)),
    "date (to the second)": ("date", lambda e, f: same_date(e, f, to_the_second=True)),
    "standfirst": ("standfirst", _same_text),
    "tags": ("tags", _same_names),
    "issue": ("issue", lambda e, f: e == f),
}


def report_fields(title: str, cases: list[Case], result: Run) -> list[str]:
    lines = [f"{title} ({len(cases)} pages)", _row("", _names())]
    for label, (key, check) in _CHECKS.items():
        having = [c for c in cases if key in c.expected]
        if not having:
            continue
        values = {}
        for name in EXTRACTORS:
            found = [result.fields[name][c.id] for c in having]
            if any(key in f for f in found):  # trafilatura has no issue field
                right = sum(
                    check(c.expected[key], f.get(key)) for c, f in zip(having, found, strict=True)
                )
                values[name] = f"{right}/{len(having)}"
        lines.append(_row(label, values))
    with_body = [c for c in cases if c.expected.get("body")]
    scores = {name: _body_scores(with_body, result, name) for name in EXTRACTORS}
    for metric in ("precision", "recall", "f1"):
        lines.append(_row(f"body {metric}", {n: f"{scores[n][metric]:.3f}" for n in EXTRACTORS}))
    return lines


def _names() -> dict[str, str]:
    return {n: n for n in EXTRACTORS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--passes", type=int, default=3, help="passes; the fastest one is timed")
    parser.add_argument("--write-heldout", action="store_true", help="rewrite heldout-ids.txt")
    args = parser.parse_args(argv)
    aeb = aeb_cases()
    if args.write_heldout:
        write_heldout(aeb)
        return 0
    profiles = profile_cases()
    cases = aeb + profiles
    if not cases:
        print("no benchmark pages found: ../shared is missing", file=sys.stderr)
        return 1
    for case in cases[:3]:  # warm up imports and caches before timing
        for extractor in EXTRACTORS.values():
            extractor(case.page)
    result = run(cases, args.passes)
    lines: list[str] = []
    if aeb:
        lines += [*report_aeb(aeb, result), ""]
    for title in ("left-press", "fixtures"):
        members = [c for c in profiles if c.set == title]
        if members:
            lines += [*report_fields(title, members, result), ""]
    speed = {n: len(cases) / result.seconds[n] for n in EXTRACTORS}
    lines.append(f"speed over {len(cases)} pages, fastest of {args.passes} passes, one core")
    lines.append(_row("pages per second", {n: f"{speed[n]:.1f}" for n in EXTRACTORS}))
    lines.append(_row("ms per page", {n: f"{1000 / speed[n]:.1f}" for n in EXTRACTORS}))
    lines.append(
        _row(
            "speed ratio (archiver / traf.)",
            {"archiver": f"{speed['archiver'] / speed['trafilatura']:.2f}"},
        )
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
