"""The printed headline: the article's h1, checked against the titles the metadata gives.

Metadata titles (JSON-LD headline, og:title, <title>) carry site names: "Title | Site",
"Title - Golem.de", "Title - DW - 30.01.2024" (with any dash); those are stripped first. The
visible heading that agrees with a metadata title wins, which also skips hidden duplicates, the
site's logo and the h1 of a log-in box. Where a declared title is the h1 behind its printed
topline ("Topline: Headline"), the fuller title is kept, as the page prints both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from archiver.extract.layout import Block, Layout
from archiver.extract.metadata import Metadata
from archiver.extract.text import clean, comparable, word_count

# Between title and site name: a spaced pipe, dash, bullet, guillemet, slash or double colon.
_SEPARATOR = re.compile(r"(\s+(?:\||-|\u2013|\u2014|::|\u00b7|\u2022|\u00bb|\u00ab|/)\s+)")
_PREFIX_SEPARATOR = re.compile(r"(\s*(?::|\||\u2013|\u2014)\s+)")
_DATE = re.compile(r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_SHORT_SEGMENT_WORDS = 4


@dataclass(frozen=True, slots=True)
class Headline:
    text: str
    block: Block | None
    """The heading block printing it, when the page prints it in a heading."""


def find_headline(
    tree: HtmlElement, layout: Layout, metadata: Metadata, site_names: list[str], page_url: str
) -> Headline | None:
    names = _name_keys(site_names, page_url)
    declared = [strip_site_name(t, names) for t in _declared_titles(metadata)]
    declared = [t for t in declared if t]
    title_element = tree.find(".//title")
    if title_element is not None and strip_site_name(title_element.text_content(), names):
        titles = [*declared, strip_site_name(title_element.text_content(), names)]
    else:
        titles = declared
    keys = [comparable(t) for t in titles]
    visible = [b for b in layout.blocks if b.element.tag in ("h1", "h2") and not b.hidden]
    h1s = [b for b in visible if b.element.tag == "h1" and b.key not in names]
    for heading in h1s + [b for b in visible if b.element.tag == "h2"]:
        if heading.key in keys:
            return Headline(heading.text, heading)
    for heading in h1s:
        key = heading.key
        topline = next((t for t in declared if _is_topline_and(t, heading.text)), None)
        if topline is not None:
            return Headline(topline, heading)
        if any(k.startswith(key) or key.startswith(k) for k in keys if k):
            return Headline(heading.text, heading)  # a title cut short, or a longer SEO title
    if h1s:
        return Headline(h1s[0].text, h1s[0])
    return Headline(titles[0], None) if titles else None


def strip_site_name(title: str, names: set[str]) -> str:
    """The title without the site name, section or date the template appends or prepends.

    `names`: comparable() keys of the site's names and host."""
    parts = _SEPARATOR.split(clean(title))
    while len(parts) > 2 and _is_furniture(parts[-1], names, parts[-2], "".join(parts[:-2])):
        del parts[-2:]
    while len(parts) > 2 and _is_furniture(parts[0], names, parts[1], "".join(parts[2:])):
        del parts[:2]
    title = "".join(parts)
    prefix = _PREFIX_SEPARATOR.split(title, maxsplit=1)
    if len(prefix) == 3 and _is_site(prefix[0], names):
        title = prefix[2]
    return title.strip()


def _declared_titles(metadata: Metadata) -> list[str]:
    article = metadata.article_node()
    titles = [article.get("headline"), article.get("name")] if article is not None else []
    titles += [metadata.first("og:title"), metadata.first("twitter:title")]
    return [t for t in titles if isinstance(t, str) and t.strip()]


def _is_topline_and(title: str, heading: str) -> bool:
    """Whether the title is "Topline: Heading", the form German and French papers print."""
    topline, colon, rest = title.partition(": ")
    return bool(colon and topline and comparable(rest) == comparable(heading))


def _name_keys(site_names: list[str], page_url: str) -> set[str]:
    """Keys under which a title segment is the site's name: its names, host, and host name."""
    keys = {comparable(n) for n in site_names}
    try:
        host = (urlsplit(page_url).hostname or "").removeprefix("www.")
    except ValueError:
        host = ""
    if host:
        keys.add(comparable(host))
        keys.add(comparable(host.rsplit(".", 1)[0]))
    return {k for k in keys if k}


def _is_site(segment: str, names: set[str]) -> bool:
    key = comparable(segment)
    if not key:
        return False
    if key in names or any(key.startswith(n + " ") for n in names):
        return True
    return _DOMAIN.match(segment) is not None


def _is_furniture(segment: str, names: set[str], separator: str, rest: str) -> bool:
    """Whether a title segment is a site name, a date, or a short section label by a pipe."""
    if _is_site(segment, names) or _DATE.match(segment.strip()):
        return True
    words = word_count(segment)
    return separator.strip() == "|" and words <= _SHORT_SEGMENT_WORDS and words < word_count(rest)
