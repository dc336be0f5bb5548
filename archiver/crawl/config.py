"""A crawl's definition: from a TOML file (`archiver crawl --config FILE`), the command line, or
both, with the command line winning.

The file is what an archivist keeps beside a collection and runs again every week; see
`examples/crawl.toml` for every key, commented. Mistakes in it are reported as one line naming
the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archiver.errors import UsageError

DEFAULT_OUTPUT = Path("data/crawl")

# [politeness] and [warc] keys, and the Scrapy or archiver settings they set.
_POLITENESS = {
    "obey_robots": ("ROBOTSTXT_OBEY", bool),
    "delay": ("DOWNLOAD_DELAY", float),
    "concurrency_per_host": ("CONCURRENT_REQUESTS_PER_DOMAIN", int),
    "concurrency": ("CONCURRENT_REQUESTS", int),
    "autothrottle": ("AUTOTHROTTLE_ENABLED", bool),
    "max_crawl_delay": ("ARCHIVER_MAX_CRAWL_DELAY", float),
    "timeout": ("DOWNLOAD_TIMEOUT", float),
    "retries": ("RETRY_TIMES", int),
    "user_agent": ("USER_AGENT", str),
}
_WARC = {
    "prefix": ("ARCHIVER_WARC_PREFIX", str),
    "max_size": ("ARCHIVER_WARC_MAX_SIZE", int),
    "max_response_size": ("DOWNLOAD_MAXSIZE", int),
    "crawl_name": ("ARCHIVER_CRAWL_NAME", str),
    "revalidate": ("ARCHIVER_REVALIDATE", bool),
}
_TABLES = {"politeness": _POLITENESS, "warc": _WARC}


@dataclass(frozen=True)
class CrawlConfig:
    start_urls: tuple[str, ...] = ()
    output: Path = DEFAULT_OUTPUT
    profile: str | None = None
    max_pages: int = 0
    max_depth: int = 0
    contact: str = ""
    resume: bool = False
    frontier: str = ""
    """redis://HOST:PORT/DB: this process is one worker of a crawl shared through Redis."""
    crawl_id: str = ""
    """The shared crawl to join; empty: derived from the start URLs and the profile."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """Scrapy and archiver settings, as `-s NAME=VALUE` sets them."""

    def overridden(self, **changes: Any) -> CrawlConfig:
        """This config with the command line's values on top (None: not given)."""
        given = {k: v for k, v in changes.items() if v is not None and k != "settings"}
        merged = {**self.settings, **(changes.get("settings") or {})}
        return replace(self, **given, settings=merged)


def _check(path: Path, key: str, value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UsageError(f"{path}: {key} must be {kind.__name__}, not {value!r}")
    return value


_TOP = {
    "start_urls": list,
    "output": str,
    "profile": str,
    "max_pages": int,
    "max_depth": int,
    "contact": str,
    "resume": bool,
    "frontier": str,
    "crawl_id": str,
}


def load_config(path: Path) -> CrawlConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read crawl config {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}") from exc
    values: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TOP:
            values[key] = _check(path, key, value, _TOP[key])
        elif key in _TABLES and isinstance(value, dict):
            for name, item in value.items():
                if name not in _TABLES[key]:
                    known = ", ".join(sorted(_TABLES[key]))
                    raise UsageError(f"{path}: unknown key {key}.{name} (known: {known})")
                setting, kind = _TABLES[key][name]
                settings[setting] = _check(path, f"{key}.{name}", item, kind)
        elif key == "settings" and isinstance(value, dict):
            settings.update(value)
        else:
            known = ", ".join([*_TOP, *_TABLES, "settings"])
            raise UsageError(f"{path}: unknown key {key!r} (known: {known})")
    if not all(isinstance(u, str) for u in values.get("start_urls", [])):
        raise UsageError(f"{path}: start_urls must be a list of URLs")
    return CrawlConfig(
        start_urls=tuple(values.pop("start_urls", ())),
        output=Path(values.pop("output", DEFAULT_OUTPUT)),
        settings=settings,
        **values,
    )
