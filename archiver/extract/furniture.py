"""Page furniture: what surrounds an article without being part of it.

Recognised two ways, both general to news templates: by element (figures and captions,
navigation, share bars, promo and related boxes, newsletter prompts, ads, comments, footers,
teaser cards for other pages, named so in tag, class or id), and by text for what slips through
anyway (a lone "Share this article", a "Click here to subscribe" line, a photo credit, a line
holding only a date or an issue number).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from archiver.extract.classnames import role_words, vocabulary
from archiver.extract.dates import remove_printed_dates
from archiver.extract.issue import remove_issue_labels
from archiver.extract.text import comparable, element_text, word_count

FURNITURE_TAGS = vocabulary(
    "figure figcaption nav aside footer form button select input iframe dialog menu"
)
FURNITURE_WORDS = vocabulary(
    """
    share shares sharing sharebar sharethis shariff social socials
    subscribe subscription subscriptions newsletter newsletters signup
    related promo promos promotion promoted advert adverts advertisement ad ads anzeige werbung
    sponsor sponsored outbrain taboola recommended recommendations popular trending similar
    caption captions credit credits copyright comment comments disqus rating ratings
    nav navigation navbar menu breadcrumb breadcrumbs sidebar footer
    popup modal cookie cookies consent donate donation toolbar tags box boxout infobox
    rollover tooltip popover hovercard stars sterne bewertung
    """
)
_CAPTION_WORDS = vocabulary("caption captions credit credits copyright")
_BYLINE_WORDS = vocabulary("byline author authors")
_CARD_TAGS = vocabulary("article div li section")
_LIST_TAGS = vocabulary("ul ol")
# Calls to subscribe, donate or support, in the languages of the press archived.
_APPEAL = re.compile(
    r"""\b(?:subscribe\ (?:now|today)|become\ a\ (?:member|subscriber|supporter)
    |support\ (?:our|independent)\ journalism|donate\ (?:now|today)|make\ a\ donation
    |jetzt\ (?:abonnieren|bestellen|unterst\u00fctzen|spenden|testen)|kostenlos\ testen
    |probeabo|abonnieren\ sie|unterst\u00fctzen\ sie|zahl\ ich
    |abonnez-vous|faites\ un\ don|soutenez)""",
    re.IGNORECASE | re.VERBOSE,
)
_APPEAL_CHARS = 1500
_LINK_LIST_ITEMS = 3
_CARD_PARAGRAPHS, _CARD_CHARS, _TITLE_WORDS = 2, 600, 3

# Lines that are furniture whatever element holds them; matched only on short paragraphs.
_FURNITURE_TEXT = re.compile(
    r"""
    \bshare\s+(?:this|on|via)\b | ^share\b | \bsubscri(?:be|ption)\b | \bnewsletter\b
    | \bsign\ up\b | \bclick\ here\b | \bfollow\ us\b | \bhome\ ?screen\b
    | \bdownload\ (?:our|the)\ app\b | \babonnier | \babonnez | \bartikel\ teilen\b | \bpartager\b
    | \((?:pic|picture|photo|foto|image|bild)s?\s*: | ^(?:pic|picture|photo|foto|image|bild)s?\s*:
    | ^(?:tags|topics|keywords|schlagw\u00f6rter|themen|filed\ under)\s*:
    | ^(?:read|see|watch)\ more\b | ^more\ on\b | ^don\W?t\ miss\b
    | ^\(?(?:leggi\ anche|lesen\ sie\ auch|lire\ aussi|lea\ tambi\u00e9n|read\ also)\b
    | ^\u00a9 | \u00a9\s*(?:19|20)\d\d | \bcopyright\s+(?:\u00a9\s*)?[\w.-]+\s+(?:19|20)\d\d
    | \b(?:photos?|pictures?|images?)\s*\u00a9
    | ^you\ (?:may|might)\ also\ (?:like|enjoy) | ^also\ on\ \S+\.\w+ | \bshare\ it\ with\b
    | ^(?:advertisement|anzeige|werbung|publicit\u00e9|article\ information
        |related\ (?:articles|stories)|read\ more|more\ on\ this(?:\ story)?|see\ also
        |also\ read|most\ read|tags|topics)\s*:?$
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SHORT = 200
_PARTICULARS_LINE, _PARTICULARS_OTHER_WORDS = 80, 2
_WORD = re.compile(r"[^\W\d_]+")
_CAPTION_PREFIX = 20


def is_furniture_element(element: HtmlElement) -> bool:
    if is_named_furniture(element):
        return True
    return element.tag in _CARD_TAGS and is_teaser_card(element)


def is_named_furniture(element: HtmlElement) -> bool:
    """Furniture by tag, class or shape, teaser cards aside (see `teaser_cards`)."""
    if element.tag in FURNITURE_TAGS or not role_words(element).isdisjoint(FURNITURE_WORDS):
        return True
    return element.tag in _LIST_TAGS and is_link_list(element)


def teaser_cards(root: HtmlElement) -> list[HtmlElement]:
    """Every teaser card under `root`, found from its heading up: a card is small, so only the
    few elements above each heading are tried, not every element of the page."""
    cards: list[HtmlElement] = []
    tried: set[HtmlElement] = set()
    for heading in root.iter("h1", "h2", "h3", "h4", "h5"):
        element = heading.getparent()
        while element is not None and element is not root and element not in tried:
            tried.add(element)
            if len(element.text_content()) > _CARD_CHARS:
                break
            if element.tag in _CARD_TAGS and is_teaser_card(element):
                cards.append(element)
            element = element.getparent()
    return cards


def is_appeal_box(element: HtmlElement) -> bool:
    """A small box asking the reader to subscribe, donate or sign up, with its button or link:
    templates print them between and after the paragraphs of the text, classed or not."""
    if element.find(".//a") is None and element.find(".//button") is None:
        return False
    text = element.text_content()
    return len(text) <= _APPEAL_CHARS and _APPEAL.search(text) is not None


def is_link_list(element: HtmlElement) -> bool:
    """A list whose every item is one link: a menu, a category list, "more stories"."""
    items = element.findall("li")
    if len(items) < _LINK_LIST_ITEMS:
        return False
    for item in items:
        text = element_text(item)
        links = item.findall(".//a")
        if not text or not links or sum(len(element_text(a)) for a in links) < len(text) * 0.9:
            return False
    return True


def is_teaser_card(element: HtmlElement) -> bool:
    """A small block led by a heading that links elsewhere: a teaser for another page."""
    if not role_words(element).isdisjoint(_BYLINE_WORDS):
        return False  # "By <a>Name</a>" in a heading is a byline, not a teaser
    heading = next(element.iter("h1", "h2", "h3", "h4", "h5"), None)
    if heading is None:
        return False
    link = heading.find(".//a")
    if link is None and heading.getparent().tag == "a":
        link = heading
    if link is None or word_count(element_text(link)) < _TITLE_WORDS:
        return False
    return (
        len(element.findall(".//p")) <= _CARD_PARAGRAPHS
        and len(element_text(element)) <= _CARD_CHARS
    )


def is_furniture_text(text: str) -> bool:
    """Share and subscribe lines, credits, section labels, and date or issue lines."""
    if len(text) > _SHORT:
        return False
    return _FURNITURE_TEXT.search(text) is not None or is_particulars_line(text)


def is_particulars_line(text: str) -> bool:
    """A short line printing a date or an issue number and a few words more at most."""
    if len(text) > _PARTICULARS_LINE:
        return False
    rest = remove_printed_dates(remove_issue_labels(text))
    if rest == text:
        return False
    words = len(_WORD.findall(rest))
    # "It ended on 12 March 2024." is a sentence, "Posted on 12 March 2024" a date line.
    return words == 0 or (words <= _PARTICULARS_OTHER_WORDS and not text.endswith("."))


def caption_keys(tree: HtmlElement) -> set[str]:
    """Comparable texts of every caption and photo credit, however the page marks them up."""
    keys = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "figcaption" or not role_words(element).isdisjoint(_CAPTION_WORDS):
            key = comparable(element_text(element))
            if key:
                keys.add(key)
    return keys


def is_caption(key: str, captions: set[str]) -> bool:
    """Whether a paragraph, by its comparable() key, prints a caption, whole or cut short."""
    if key in captions:
        return True
    if len(key) < _CAPTION_PREFIX:
        return False
    return any(
        c.startswith(key) or key.startswith(c) for c in captions if len(c) >= _CAPTION_PREFIX
    )
