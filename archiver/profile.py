"""Publication profiles: one small TOML file per paper in `archiver/profiles/`.

A profile tells the crawl where a publication lives (domains, start URLs, feeds, sitemaps) and
may add URL patterns on top of the page-type rules that extraction decides from the page itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from archiver.errors import ProfileError


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    publication: str
    domains: tuple[str, ...]
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    article_urls: tuple[re.Pattern[str], ...] = field(default=())
    """URLs matching any of these are articles whatever the page looks like."""
    skip_urls: tuple[re.Pattern[str], ...] = field(default=())
    """URLs matching any of these are never articles (tag pages, author pages, ...)."""

    def covers(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def says_article(self, url: str) -> bool | None:
        """True or False where a URL pattern decides the page type, None where it does not."""
        if any(p.search(url) for p in self.skip_urls):
            return False
        if any(p.search(url) for p in self.article_urls):
            return True
        return None


def _parse(name: str, text: str) -> Profile:
    try:
        data = tomllib.loads(text)
        return Profile(
            name=name,
            publication=data["publication"],
            domains=tuple(d.lower().removeprefix("www.") for d in data["domains"]),
            start_urls=tuple(data.get("start_urls", ())),
            feeds=tuple(data.get("feeds", ())),
            sitemaps=tuple(data.get("sitemaps", ())),
            article_urls=tuple(re.compile(p) for p in data.get("article_urls", ())),
            skip_urls=tuple(re.compile(p) for p in data.get("skip_urls", ())),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, re.error) as exc:
        raise ProfileError(f"profile {name!r} is malformed: {exc}") from exc


@cache
def available_profiles() -> list[str]:
    folder = resources.files("archiver") / "profiles"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@cache
def load_profile(name: str) -> Profile:
    path = resources.files("archiver") / "profiles" / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(available_profiles()) or "none"
        raise ProfileError(f"unknown profile {name!r}; known profiles: {known}")
    return _parse(name, path.read_text(encoding="utf-8"))


def profile_for_url(url: str) -> Profile | None:
    """The profile whose domains cover the URL, so extraction of anyone's WARC picks it too."""
    for name in available_profiles():
        profile = load_profile(name)
        if profile.covers(url):
            return profile
    return None
