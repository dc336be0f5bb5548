"""Publication profiles: one small TOML file per paper in `archiver/profiles/`.

A profile tells the crawl where a publication lives (domains, start URLs, feeds, sitemaps, which
URLs are articles, section pages and issue archives) and may give extraction CSS selectors for
fields the generic rules miss. Sites change layout: a profile holds versions, oldest first, each
valid until a date; a page is read with the version in force on its capture date (WARC-Date), and
a version repeats only the selectors that changed, as fundus' parser versions do.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

from archiver.errors import ProfileError


@dataclass(frozen=True, slots=True)
class Selectors:
    """CSS selectors for fields the generic rules miss; None leaves a field to the rules."""

    headline: str | None = None
    standfirst: str | None = None
    authors: str | None = None
    """Elements each printing one author's name (or a byline the name rules then read)."""
    date: str | None = None
    """An element whose `datetime` or `content` attribute, or text, gives the date."""
    issue: str | None = None
    """An element printing the print issue ("Issue: 2578"); its label is dropped."""
    section: str | None = None
    tags: str | None = None
    """Elements each printing one tag."""
    remove: str | None = None
    """Furniture the generic rules keep in the body (promo boxes named only by this site)."""

    def compiled(self, name: str) -> CSSSelector | None:
        value = getattr(self, name)
        return _compile(value) if value else None


@dataclass(frozen=True, slots=True)
class ProfileVersion:
    until: date | None
    """Pages captured before this day are read with this version; None: still in force."""
    selectors: Selectors = field(default_factory=Selectors)


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
    section_urls: tuple[re.Pattern[str], ...] = field(default=())
    """Section front pages: lists of articles, crawled for their links."""
    issue_urls: tuple[re.Pattern[str], ...] = field(default=())
    """Issue-archive pages: one print issue's contents, which give its articles their issue."""
    versions: tuple[ProfileVersion, ...] = field(default=())
    """Layouts, oldest first."""

    def covers(self, url: str) -> bool:
        return self.covers_host(urlsplit(url).hostname or "")

    def covers_host(self, host: str) -> bool:
        host = host.removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def names_page(self, url: str) -> bool:
        """Whether a URL pattern of the profile names this page (article, section, issue)."""
        return _matches((*self.article_urls, *self.section_urls, *self.issue_urls), url)

    def says_article(self, url: str) -> bool | None:
        """True or False where a URL pattern decides the page type, None where it does not."""
        if _matches((*self.skip_urls, *self.section_urls, *self.issue_urls), url):
            return False
        if _matches(self.article_urls, url):
            return True
        return None

    def is_issue_archive(self, url: str) -> bool:
        return _matches(self.issue_urls, url)

    def version_for(self, captured_at: datetime) -> ProfileVersion | None:
        """The layout in force on the capture day: the first version valid until after it."""
        day = captured_at.date()
        for version in self.versions:
            if version.until is None or day < version.until:
                return version
        return self.versions[-1] if self.versions else None

    def selectors_for(self, captured_at: datetime) -> Selectors:
        version = self.version_for(captured_at)
        return version.selectors if version is not None else Selectors()


def _matches(patterns: tuple[re.Pattern[str], ...], url: str) -> bool:
    url = _without_port(url)
    return any(p.search(url) for p in patterns)


def _without_port(url: str) -> str:
    """The URL as profile patterns see it: they are written for the site's public address, and
    a copy of the site served on another port (a mirror, a test server) is the same site."""
    parts = urlsplit(url)
    netloc, colon, port = parts.netloc.rpartition(":")
    if not colon or not port.isdigit():  # no port (or an IPv6 address's last group)
        return url
    return urlunsplit(parts._replace(netloc=netloc))


@cache
def _compile(selector: str) -> CSSSelector:
    return CSSSelector(selector)


def _selector(name: str, value: str) -> None:
    try:
        _compile(value)
    except SelectorError as exc:
        raise ValueError(f"selector {name} = {value!r} is not CSS: {exc}") from exc


def _patterns(data: dict[str, Any], key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in data.get(key, ()))


def _versions(raw: list[dict[str, Any]]) -> tuple[ProfileVersion, ...]:
    """Each version inherits the selectors of the one before it and overrides those it names."""
    known = {f.name for f in fields(Selectors)}
    versions: list[ProfileVersion] = []
    selectors = Selectors()
    for entry in raw:
        given = entry.get("selectors", {})
        unknown = set(given) - known
        if unknown:
            raise KeyError(f"unknown selector {sorted(unknown)[0]!r}")
        for key, value in given.items():
            if value:
                _selector(key, value)  # a broken selector is the profile's mistake: say so now
        # An empty string drops a selector the version before had: that layout is gone.
        selectors = replace(selectors, **{k: v or None for k, v in given.items()})
        until = entry.get("until")
        if until is not None and not isinstance(until, date):
            until = date.fromisoformat(str(until))
        versions.append(ProfileVersion(until, selectors))
    dated = [v.until for v in versions if v.until is not None]
    if dated != sorted(dated) or any(v.until is None for v in versions[:-1]):
        raise ValueError("versions must be listed oldest first, only the last without `until`")
    return tuple(versions)


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
            article_urls=_patterns(data, "article_urls"),
            skip_urls=_patterns(data, "skip_urls"),
            section_urls=_patterns(data, "section_urls"),
            issue_urls=_patterns(data, "issue_urls"),
            versions=_versions(data.get("versions", [])),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as exc:
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
    return _profile_for_host(urlsplit(url).hostname or "")


@lru_cache(maxsize=1024)
def _profile_for_host(host: str) -> Profile | None:
    # Asked for every link the crawl follows and every page it extracts: once per host.
    for name in available_profiles():
        profile = load_profile(name)
        if profile.covers_host(host):
            return profile
    return None
