"""The test data of publication profiles, in fundus' manner: saved pages and what each must give.

Each profile has a manifest, `tests/fixtures/profiles/<profile>.toml`, listing its pages. A page is
a file (HTML, gzipped or not) with the URL it was fetched from and when, and its expected fields:
inline, or from an expected-output file in fundus' format (`<Publisher>.json`, keyed by parser
version) for the real pages kept in ../shared (`body_version` takes the body from another version
where fundus' own parser missed part of the text the page prints). Paths are relative to the
repository root, so third-party pages stay in ../shared and are never copied in. The generic
profile test and the extraction benchmark both read this one format.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver.extract.text import clean
from archiver.page import Page

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "tests" / "fixtures" / "profiles"
SHARED = ROOT.parent / "shared"


@dataclass(frozen=True)
class ProfilePage:
    profile: str
    file: Path
    url: str
    captured_at: datetime
    expected: dict[str, Any] = field(default_factory=dict)
    """headline, authors, date, body (paragraphs joined by one blank line), standfirst, and any
    record field the manifest pins (issue, section, tags, access...)."""

    @property
    def name(self) -> str:
        return f"{self.profile}/{self.file.name}"

    @property
    def available(self) -> bool:
        return self.file.exists()

    def page(self) -> Page:
        body = self.file.read_bytes()
        if self.file.suffix == ".gz":
            body = gzip.decompress(body)
        return Page(self.url, body, "text/html", self.captured_at)


def profile_pages() -> Iterator[ProfilePage]:
    """Every page of every profile's manifest, in manifest order."""
    for manifest in sorted(MANIFESTS.glob("*.toml")):
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        for entry in data.get("page", []):
            yield _page(manifest.stem, entry)


def _page(profile: str, entry: dict[str, Any]) -> ProfilePage:
    expected: dict[str, Any] = {}
    if "fundus" in entry:
        path = (ROOT / entry["fundus"]).resolve()
        expected.update(_from_fundus(path, entry["version"]))
        if "body_version" in entry:
            expected["body"] = _from_fundus(path, entry["body_version"]).get("body")
    inline = dict(entry.get("expected", {}))
    if "body_file" in inline:
        inline["body"] = (ROOT / inline.pop("body_file")).read_text(encoding="utf-8").strip()
    expected.update(inline)
    captured = datetime.fromisoformat(entry["captured_at"])
    if captured.tzinfo is None:
        captured = captured.replace(tzinfo=UTC)
    return ProfilePage(profile, (ROOT / entry["file"]).resolve(), entry["url"], captured, expected)


def _from_fundus(path: Path, version: str) -> dict[str, Any]:
    """fundus' expected output for one page, under archiver's field names."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))[version]
    body = data["body"]
    # As a reader sees them: fundus keeps the page's soft hyphens and zero-width spaces.
    paragraphs = [
        clean(text)
        for section in body["sections"]
        for text in (*section["headline"], *section["paragraphs"])
    ]
    expected: dict[str, Any] = {
        "headline": clean(data["title"]),
        "authors": data["authors"],
        "date": data["publishing_date"],
        "body": "\n\n".join(paragraphs),
        "standfirst": clean(" ".join(body["summary"])) or None,
    }
    if "topics" in data:
        expected["tags"] = data["topics"]
    return expected
