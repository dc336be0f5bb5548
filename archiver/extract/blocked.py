"""Pages that stand in front of an article: bot challenges and login walls, served with 200.

A crawl meets them ("Just a moment...", "Checking your browser", "Log in to continue") and a WARC
keeps them like any page. They are never articles, and the crawl and `archiver extract` count them
apart, so an archivist sees that a site blocked the crawler rather than that it has no articles.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from archiver.extract.text import clean, word_count

CHALLENGE, LOGIN_WALL = "bot-challenge", "login-wall"
_CHALLENGE_TITLE = re.compile(
    r"""^(?:just\ a\ moment|attention\ required|checking\ your\ browser|one\ moment,?\ please
    |please\ wait|verifying\ you\ are\ (?:a\ )?human|are\ you\ a\ robot|are\ you\ human
    |access\ denied|pardon\ our\ interruption|security\ check|bot\ verification|ddos-guard
    |robot\ or\ human|captcha|einen\ moment|un\ instant)""",
    re.IGNORECASE | re.VERBOSE,
)
_CHALLENGE_MARK = re.compile(
    r"cf-browser-verification|cf_chl_|cf-challenge|challenge-form|g-recaptcha|h-captcha"
    r"|px-captcha|_incapsula_resource|captcha-delivery|ddos-guard",
    re.IGNORECASE,
)
# Plain substring tests (case-sensitive) narrow the page to the few names that could mark a
# challenge, the full pattern then decides. The names are read in C (an XPath predicate per
# element costs more than the attributes); the named elements only where one may mark it.
_VALUES = tuple(etree.XPath(f"//@{name}", smart_strings=False) for name in ("id", "class", "src"))
_NAMED = etree.XPath("//*[@id or @class or @src]")
_LOGIN_TITLE = re.compile(
    r"\b(?:log\ ?in|sign\ ?in|anmelden|einloggen|connexion|se\ connecter|iniciar\ sesi\u00f3n"
    r"|subscribe\ to\ (?:continue|read)|members?\ only)\b",
    re.IGNORECASE,
)
_MAX_CHALLENGE_WORDS, _MAX_LOGIN_WORDS, _MAX_CHALLENGE_ELEMENTS = 150, 250, 400
_ELEMENTS = etree.XPath("count(//*)")


def blocked_reason(tree: HtmlElement) -> str | None:
    """ "bot-challenge" or "login-wall" for a page standing in front of the content, else None.

    Read before scripts are dropped: challenge pages name their scripts and forms."""
    title = clean(tree.findtext(".//title") or "")
    small = _ELEMENTS(tree) <= _MAX_CHALLENGE_ELEMENTS  # challenge pages are small
    challenged = _CHALLENGE_TITLE.match(title) or (small and _has_challenge_mark(tree))
    if challenged and _visible_words(tree) <= _MAX_CHALLENGE_WORDS:
        return CHALLENGE
    password = tree.find(".//input[@type='password']")
    asks_login = password is not None and _LOGIN_TITLE.search(f"{title} {_first_heading(tree)}")
    if asks_login and _visible_words(tree) <= _MAX_LOGIN_WORDS:
        return LOGIN_WALL
    return None


def _has_challenge_mark(tree: HtmlElement) -> bool:
    # Most pages name nothing as a challenge might: all ids, classes and sources at once say so.
    if not _may_mark(*("\n".join(values(tree)) for values in _VALUES)):
        return False
    for element in _NAMED(tree):
        values = (element.get("id") or "", element.get("class") or "", element.get("src") or "")
        if _may_mark(*values) and any(v and _CHALLENGE_MARK.search(v) for v in values):
            return True
    return False


def _may_mark(identifier: str, names: str, source: str) -> bool:
    return (
        "captcha" in identifier
        or "cf" in identifier
        or "challenge" in identifier
        or "ddos" in identifier
        or "captcha" in names
        or "cf" in names
        or "challenge" in names
        or "captcha" in source
        or "ncapsula" in source
    )


def _first_heading(tree: HtmlElement) -> str:
    heading = next(tree.iter("h1", "h2"), None)
    return clean(heading.text_content()) if heading is not None else ""


def _visible_words(tree: HtmlElement) -> int:
    body = tree.find("body")
    if body is None:
        return 0
    parts = [
        text
        for element in body.iter()
        if isinstance(element.tag, str) and element.tag not in ("script", "style", "noscript")
        for text in (element.text,)
        if text
    ]
    parts += [e.tail for e in body.iter() if isinstance(e.tag, str) and e.tail]
    return word_count(" ".join(parts))
