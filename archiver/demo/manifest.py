"""Per-path behaviour of the demo server, read from the site's `_server.toml`.

The demo site must look like a real, slightly awkward web server to the crawler, so some paths are
served differently from the plain default. The manifest is one TOML table per URL path (as
requested, without the query; a directory is named with its trailing slash, e.g. "/news/"):

    ["/features/revolution-is-in-the-air/"]
    chunks = 5                        # send with Transfer-Encoding: chunked, in this many chunks
    ["/international/bolivia-gas-nationalisation/"]
    content_type = "text/html"        # Content-Type sent exactly so (here: no charset)
    encoding = "windows-1252"         # how a template page is encoded on the wire
    ["/about/"]
    reason = "Solidarity Forever"     # reason phrase on the status line
    headers = { "x-editorial-line" = "independent" }  # extra headers, name case kept

Keys:
- `chunks` (int >= 2): body sent chunked in that many pieces (to HTTP/1.1 clients only).
- `content_type` (str): the Content-Type header, replacing the default chosen by file suffix.
- `encoding` (str): codec for template files (.html, .xml, .txt), which are UTF-8 on disk; the
  page itself should say so in its <meta charset>. Default "utf-8".
- `reason` (str): status-line reason phrase instead of the standard one.
- `headers` (table of str): extra headers, sent after the standard ones, in the case written.

The file is never served (no path starting with "_" is), so it may say anything about the site.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archiver.errors import UsageError

MANIFEST_NAME = "_server.toml"


@dataclass(frozen=True, slots=True)
class PathRule:
    """How one path is served; the defaults are what every path not in the manifest gets."""

    chunks: int = 0
    """0 means a Content-Length body; otherwise the number of chunks."""
    content_type: str | None = None
    encoding: str = "utf-8"
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = field(default=())


DEFAULT_RULE = PathRule()


def load_manifest(site: Path) -> dict[str, PathRule]:
    """The rules of the site's manifest by path; an empty dict when the site has none."""
    path = site / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from exc
    rules = {}
    for url_path, table in data.items():
        if not url_path.startswith("/") or not isinstance(table, dict):
            raise UsageError(f"{path}: {url_path!r} must be a table named for a path from '/'")
        rules[url_path] = _rule(path, url_path, table)
    return rules


def _rule(path: Path, url_path: str, table: Mapping[str, Any]) -> PathRule:
    # Strict on purpose: a misspelt key would silently serve the default and hide a test case.
    where = f"{path} [{url_path!r}]"
    unknown = set(table) - {"chunks", "content_type", "encoding", "reason", "headers"}
    if unknown:
        raise UsageError(f"{where}: unknown keys {sorted(unknown)}")
    chunks = table.get("chunks", 0)
    if not isinstance(chunks, int) or isinstance(chunks, bool) or chunks == 1 or chunks < 0:
        raise UsageError(f"{where}: chunks must be an integer >= 2")
    encoding = table.get("encoding", "utf-8")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError) as exc:
        raise UsageError(f"{where}: unknown encoding {encoding!r}") from exc
    headers = table.get("headers", {})
    if not isinstance(headers, dict):
        raise UsageError(f"{where}: headers must be a table")
    strings = [table.get("content_type", ""), table.get("reason", ""), *headers, *headers.values()]
    if not all(isinstance(s, str) for s in strings):
        raise UsageError(f"{where}: content_type, reason and headers must be strings")
    return PathRule(
        chunks=chunks,
        content_type=table.get("content_type"),
        encoding=encoding,
        reason=table.get("reason"),
        headers=tuple(headers.items()),
    )
