"""Page furniture: what surrounds an article without being part of it.

Recognised two ways, both general to news templates: by element (figures and captions,
navigation, share bars, promo and related boxes, newsletter prompts, ads, comments, footers,
teaser cards for other pages, named so in tag, class or id), and by text for what slips through
anyway (a lone "Share this article", a "Click here to subscribe" line, a photo credit, a line
holding only a date or an issue number).
"""

from __future__ import annotations

import re

from lxml import etree
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
# The attributes classnames.role_words reads, of every element.
_ROLE_NAMES = etree.XPath(
    "descendant-or-self::*/@class | descendant-or-self::*/@id"
    " | descendant-or-self::*/@itemprop | descendant-or-self::*/@role"
)
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
# Two patterns, since a regex of many alternatives tries each at every position of the line:
# what opens a line is tried at its start alone, and the phrases found anywhere only where a
# word starts with one of their first letters, or at "(" and "\u00a9".
_FURNITURE_LINE = re.compile(
    r"""
    share\b | (?:pic|picture|photo|foto|image|bild)s?\s*:
    | (?:tags|topics|keywords|schlagw\u00f6rter|themen|filed\ under)\s*:
    | (?:read|see|watch)\ more\b | more\ on\b | don\W?t\ miss\b
    | \(?(?:leggi\ anche|lesen\ sie\ auch|lire\ aussi|lea\ tambi\u00e9n|read\ also)\b
    | \u00a9 | you\ (?:may|might)\ also\ (?:like|enjoy) | also\ on\ \S+\.\w+
    | (?:advertisement|anzeige|werbung|publicit\u00e9|article\ information
        |related\ (?:articles|stories)|read\ more|more\ on\ this(?:\ story)?|see\ also
        |also\ read|most\ read|tags|topics)\s*:?$
    """,
    re.IGNORECASE | re.VERBOSE,
)
_FURNITURE_PHRASE = re.compile(
    r"""
    \b(?=[acdfhinps])(?:share\s+(?:this|on|via)\b | subscri(?:be|ption)\b | newsletter\b
        | sign\ up\b | click\ here\b | follow\ us\b | home\ ?screen\b
        | download\ (?:our|the)\ app\b | abonnier | abonnez | artikel\ teilen\b | partager\b
        | copyright\s+(?:\u00a9\s*)?[\w.-]+\s+(?:19|20)\d\d
        | (?:photos?|pictures?|images?)\s*\u00a9 | share\ it\ with\b)
    | \((?:pic|picture|photo|foto|image|bild)s?\s*: | \u00a9\s*(?:19|20)\d\d
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SHORT = 200
_PARTICULARS_LINE, _PARTICULARS_OTHER_WORDS = 80, 2
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_CAPTION_PREFIX = 20


def is_furniture_element(element: HtmlElement) -> bool:
    if is_named_furniture(element):
        return True
    return element.tag in _CARD_TAGS and is_teaser_card(element)


def is_named_furniture(element: HtmlElement) -> bool:
    """Furniture by tag, class or shape, teaser cards aside (see `teaser_cards`)."""
    tag = element.tag
    if tag in FURNITURE_TAGS or not role_words(element).isdisjoint(FURNITURE_WORDS):
        return True
    return tag in _LIST_TAGS and is_link_list(element)


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
    if next(element.iterdescendants("a", "button"), None) is None:
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
    return (
        _FURNITURE_LINE.match(text) is not None
        or _FURNITURE_PHRASE.search(text) is not None
        or is_particulars_line(text)
    )


def is_particulars_line(text: str) -> bool:
    """A short line printing a date or an issue number and a few words more at most."""
    # Dates and issue numbers all print a digit; their patterns, slow to try at every position
    # of a line, are left the lines that have one.
    if len(text) > _PARTICULARS_LINE or _DIGIT.search(text) is None:
        return False
    rest = remove_printed_dates(remove_issue_labels(text))
    if rest == text:
        return False
    words = len(_WORD.findall(rest))
    # "It ended on 12 March 2024." is a sentence, "Posted on 12 March 2024" a date line.
    return words == 0 or (words <= _PARTICULARS_OTHER_WORDS and not text.endswith("."))


def caption_keys(tree: HtmlElement) -> set[str]:
    """Comparable texts of every caption and photo credit, however the page marks them up."""
    # An element named for a caption has a role name holding a caption word (in some case):
    # the names are read in C, and only their few elements asked for their role words.
    named = []
    for name in _ROLE_NAMES(tree):
        lowered = name.lower()
        if "caption" in lowered or "credit" in lowered or "copyright" in lowered:
            named.append(name.getparent())
    keys = set()
    for element in [*tree.iter("figcaption"), *named]:
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
