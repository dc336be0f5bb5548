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

A table named with a trailing `*` applies to every path that starts with what precedes it
(`["/calendar/*"]`: /calendar/2006/03/ and the rest); a path's own table wins over it, and a
longer prefix over a shorter one.

Keys for how a page is served:
- `chunks` (int >= 2): body sent chunked in that many pieces (to HTTP/1.1 clients only).
- `content_type` (str): the Content-Type header, replacing the default chosen by file suffix.
- `encoding` (str): codec for template files (.html, .xml, .txt), which are UTF-8 on disk; the
  page itself should say so in its <meta charset>, unless it is there to make a crawler guess.
  Default "utf-8".
- `reason` (str): status-line reason phrase instead of the standard one.
- `headers` (table of str): extra headers, sent after the standard ones, in the case written.
- `gzip` (bool): false sends the page uncompressed even to a client that accepts gzip, as
  servers that do not compress big or dynamic pages do. Default true.
- `pad_to` (int): the page is padded to this many bytes with a generated JSON <script> before
  </body>, the same bytes every time: a big page without a big file in git.
- `generate` ("calendar" or "search"): the page is made by `archiver.demo.traps`, not read from
  a file; each links to ever more such pages, a crawler trap.

Keys for faults (`archiver.demo.faults`), what a crawl must survive:
- `status` (int, 300-599): requests are answered with this status and a short HTML page,
  whatever file is there: 404, 410, 500 ...; a 3xx needs `location`.
- `location` (str): the Location of a 3xx `status`, a template like the pages (`{{origin}}`);
  a path without the origin is sent as written, a relative reference as some servers send.
- `delay` (float > 0): seconds to wait before answering (longer than a crawl's timeout makes it
  time out before a byte arrives).
- `stall` (float > 0): seconds to wait after the headers and half of the body, before the rest
  (a body that arrives past the timeout).
- `reset` ("after-request" or "mid-headers"): the connection is reset (TCP RST) right after the
  request is read, or after half of the response's header block was sent.
- `truncate` (float between 0 and 1): the Content-Length of the whole body is sent but only this
  fraction of the body, then the connection is closed.
- `times` (int >= 1): the faults above hit only the first N requests of the path; later ones are
  served normally (a 500 twice, then the page). Counted per path by each server, from its start
  or its last `clear()`. Without it, every request is hit.

A server that is stopping does not wait out a `delay` or `stall`.
The file is never served (no path starting with "_" is), so it may say anything about the site.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archiver.errors import UsageError

MANIFEST_NAME = "_server.toml"
GENERATORS = frozenset({"calendar", "search"})
RESETS = frozenset({"after-request", "mid-headers"})
_KEYS = frozenset(
    {
        "chunks",
        "content_type",
        "encoding",
        "reason",
        "headers",
        "gzip",
        "pad_to",
        "generate",
        "status",
        "location",
        "delay",
        "stall",
        "reset",
        "truncate",
        "times",
    }
)


@dataclass(frozen=True, slots=True)
class PathRule:
    """How one path is served; the defaults are what every path not in the manifest gets."""

    chunks: int = 0
    """0 means a Content-Length body; otherwise the number of chunks."""
    content_type: str | None = None
    encoding: str = "utf-8"
    reason: str | None = None
    headers: tuple[tuple[str, str], ...] = field(default=())
    gzip: bool = True
    pad_to: int = 0
    generate: str | None = None
    status: int = 0
    """0 means the status of the file (200, or 404 when there is none)."""
    location: str | None = None
    delay: float = 0.0
    stall: float = 0.0
    reset: str | None = None
    truncate: float = 0.0
    """0 means the whole body is sent."""
    times: int = 0
    """0 means the faults hit every request."""

    def without_faults(self) -> PathRule:
        """The rule once its `times` are used up: the path served as if it had no faults."""
        return replace(
            self, status=0, location=None, delay=0.0, stall=0.0, reset=None, truncate=0.0
        )


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


def rule_for(rules: Mapping[str, PathRule], url_path: str) -> PathRule:
    """The rule of a path: its own table, else the longest "PREFIX*" table it starts with."""
    if url_path in rules:
        return rules[url_path]
    prefixes = [p for p in rules if p.endswith("*") and url_path.startswith(p[:-1])]
    return rules[max(prefixes, key=len)] if prefixes else DEFAULT_RULE


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _rule(path: Path, url_path: str, table: Mapping[str, Any]) -> PathRule:
    # Strict on purpose: a misspelt key would silently serve the default and hide a test case.
    where = f"{path} [{url_path!r}]"
    unknown = set(table) - _KEYS
    if unknown:
        raise UsageError(f"{where}: unknown keys {sorted(unknown)}")
    chunks = table.get("chunks", 0)
    if not _is_int(chunks) or chunks == 1 or chunks < 0:
        raise UsageError(f"{where}: chunks must be an integer >= 2")
    encoding = table.get("encoding", "utf-8")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError) as exc:
        raise UsageError(f"{where}: unknown encoding {encoding!r}") from exc
    headers = table.get("headers", {})
    if not isinstance(headers, dict):
        raise UsageError(f"{where}: headers must be a table")
    strings = [
        *(
            table.get(key, "")
            for key in ("content_type", "reason", "location", "generate", "reset")
        ),
        *headers,
        *headers.values(),
    ]
    if not all(isinstance(s, str) for s in strings):
        raise UsageError(
            f"{where}: content_type, reason, location, generate, reset and headers must be strings"
        )
    _check_faults(where, table)
    return PathRule(
        chunks=chunks,
        content_type=table.get("content_type"),
        encoding=encoding,
        reason=table.get("reason"),
        headers=tuple(headers.items()),
        gzip=table.get("gzip", True),
        pad_to=table.get("pad_to", 0),
        generate=table.get("generate"),
        status=table.get("status", 0),
        location=table.get("location"),
        delay=float(table.get("delay", 0.0)),
        stall=float(table.get("stall", 0.0)),
        reset=table.get("reset"),
        truncate=float(table.get("truncate", 0.0)),
        times=table.get("times", 0),
    )


def _check_faults(where: str, table: Mapping[str, Any]) -> None:
    if not isinstance(table.get("gzip", True), bool):
        raise UsageError(f"{where}: gzip must be true or false")
    if not _is_int(table.get("pad_to", 0)) or table.get("pad_to", 0) < 0:
        raise UsageError(f"{where}: pad_to must be a number of bytes")
    if table.get("generate", "calendar") not in GENERATORS:
        raise UsageError(f"{where}: generate must be one of {sorted(GENERATORS)}")
    status = table.get("status", 300)
    if not _is_int(status) or not 300 <= status <= 599:
        raise UsageError(f"{where}: status must be an HTTP status from 300 to 599")
    if (300 <= table.get("status", 0) <= 399) != ("location" in table):
        raise UsageError(f"{where}: a 3xx status needs a location, and only a 3xx has one")
    for key in ("delay", "stall"):
        if not _is_number(table.get(key, 0)) or table.get(key, 0) < 0:
            raise UsageError(f"{where}: {key} must be a number of seconds")
    if table.get("reset", "after-request") not in RESETS:
        raise UsageError(f"{where}: reset must be one of {sorted(RESETS)}")
    truncate = table.get("truncate", 0.5)
    if not _is_number(truncate) or not 0 < truncate < 1:
        raise UsageError(f"{where}: truncate must be a fraction between 0 and 1")
    if len({"reset", "truncate", "stall"} & set(table)) > 1:
        raise UsageError(f"{where}: only one of reset, truncate and stall can apply")
    times = table.get("times", 1)
    if not _is_int(times) or times < 1:
        raise UsageError(f"{where}: times must be an integer >= 1")
