"""The name of the publication, and every name the site goes by (to strip from titles).

Order of trust: the JSON-LD publisher of the article, og:site_name, the profile, then the
masthead printed at the top of the page (the home link in a logo, masthead, site-title or page
header block: its text or its logo's alt text), which is what a reader of an old page sees.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from archiver.extract.classnames import role_words, says, vocabulary
from archiver.extract.metadata import Metadata, jsonld_text, node_types
from archiver.extract.text import clean, element_text, word_count
from archiver.profile import Profile

_MASTHEAD_WORDS = vocabulary("masthead logo brand branding sitename blogname")
_HOME_PATHS = ("", "index.html", "index.htm", "index.php")
_NAVIGATION_WORDS = vocabulary("nav navigation navbar menu")
_HOME_WORDS = {"home", "home page", "homepage", "startseite", "accueil", "inicio", "start"}
_MASTHEAD_PAIRS = ({"site", "title"}, {"site", "name"}, {"blog", "title"})
_MAX_NAME_WORDS = 6


def site_names(
    tree: HtmlElement, metadata: Metadata, page_url: str, profile: Profile | None
) -> list[str]:
    """Names of the site, most trusted first, without repeats."""
    candidates = [jsonld_text(node.get("publisher")) for node in metadata.nodes_with("publisher")]
    candidates.append(metadata.first("og:site_name"))
    candidates.append(profile.publication if profile else None)
    candidates.append(_masthead(tree, page_url))
    candidates += [
        jsonld_text(n.get("name")) for n in metadata.jsonld if "WebSite" in node_types(n)
    ]
    names: list[str] = []
    for candidate in candidates:
        if candidate and candidate not in names:
            names.append(candidate)
    return names


def _masthead(tree: HtmlElement, page_url: str) -> str | None:
    """The name on the home link of the site's logo or page header, or a logo block's text."""
    body = tree.find("body")
    if body is None:
        return None
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("article", "main"):
            continue
        words = role_words(element)
        if not words.isdisjoint(_MASTHEAD_WORDS) or any(p <= words for p in _MASTHEAD_PAIRS):
            name = _home_link_name(element, page_url) or _short(element_text(element))
        elif element.tag == "header" or "header" in words:
            name = _home_link_name(element, page_url)
        else:
            continue
        if name:
            return name
    return None


def _home_link_name(element: HtmlElement, page_url: str) -> str | None:
    links = [element] if element.tag == "a" else element.iter("a")
    for link in links:
        if says(link, _NAVIGATION_WORDS, levels=2) or any(
            a.tag == "nav" for a in link.iterancestors()
        ):
            continue  # "Home" in the menu names no site
        try:
            path = urlsplit(urljoin(page_url, link.get("href") or "")).path
        except ValueError:
            continue
        if path.strip("/") not in _HOME_PATHS:
            continue
        texts = [element_text(link)] + [
            i.get("alt") or i.get("title") or "" for i in link.iter("img")
        ]
        name = next(filter(None, map(_short, texts)), None)
        if name:
            return name
    return None


def _short(text: str) -> str | None:
    text = clean(text)
    if not text or word_count(text) > _MAX_NAME_WORDS or text.casefold() in _HOME_WORDS:
        return None
    return text
