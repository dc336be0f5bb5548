"""Person names from a printed byline or from metadata, in printed order.

"writes Chris Bambery", "By A and B", "A, B and C", "Words: A | Photos: B", "Von A",
"By Dave Smith, industrial correspondent", "By Joe Bloggs in Caracas": the name rules keep
people and drop roles, places,
dates, emails, agencies, desks ("Staff") and photo credits. A name is two to six words, each
capitalised or a particle (von, de, van...), none of them a role word; so a lone word after a
comma ("Nairobi", a dateline) is never taken for a person.
"""

from __future__ import annotations

import re

from archiver.extract.classnames import vocabulary
from archiver.extract.metadata import Metadata, jsonld_text, node_types
from archiver.extract.text import clean

# Words before the names: "By", "Kommentar von", "Written by", "BY:", "Words:", "writes".
BYLINE_LEAD = re.compile(
    r"""^(?:
        (?:[^\W\d_][\w\u2019'.-]*\s+){0,3}?(?:by|von|par|door|di|por|av|af|przez):?\s+
      | (?:words|text|texte|author|authors|autor|autorin|autoren|reporting)\s*:\s*
      | (?:writes|reports|argues|explains|asks|analyses|analyzes|examines|investigates
          |looks\ at|considers|assesses)\s+
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT = re.compile(
    r"^(?:photos?|pictures?|pics?|fotos?|bilder?|images?|illustrations?|graphics?|grafik|video"
    r"|credits?)\b\s*:",
    re.IGNORECASE,
)
_SEGMENT = re.compile(r"\s*[|\u2022\u00b7]\s*|\s+/\s+")
_PART = re.compile(r"\s*[,;]\s*|\s+(?:and|und|et|&|y|e|og|och|en|i)\s+|\s+[-\u2013\u2014]\s+")
_NOISE = re.compile(r"\([^)]*\)|\S+@\S+|https?://\S+|\bwww\.\S+")
# A dateline after the name: "By Joe Bloggs in Caracas", "Von Anna Martel aus Nairobi".
_PLACE = re.compile(r"\s+(?:in|at|from|aus|en|\u00e0)\s+\S.*$")
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w\u2019'.-]*$")
_PARTICLES = vocabulary(
    "von van de der den del della di da du des la le ten ter zu y bin ibn al el dos das e"
)
_ROLE_WORDS = vocabulary(
    """
    staff reporter reporters correspondent correspondents editor editors writer writers columnist
    contributor contributors photographer photographers journalist journalists redaktion
    redakteur redakteurin korrespondent korrespondentin autor autorin team desk newsroom agency
    agencies press associated news wire service twitter facebook instagram email share follow
    more read updated published posted today yesterday min minutes uhr opinion analysis comment
    kommentar interview guest special political industrial senior chief online media bureau
    r\u00e9daction r\u00e9dacteur archive archiv pool getty images reuters afp dpa ap epa photo
    photos foto fotos illustration
    """
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_MIN_WORDS, _MAX_WORDS = 2, 6


def names_from_byline(byline: str) -> list[str]:
    """The person names a byline prints, without its lead words, roles and credits."""
    names: list[str] = []
    for segment in _SEGMENT.split(byline):
        segment = clean(_NOISE.sub(" ", segment))
        if not segment or _CREDIT.match(segment):
            continue
        segment = BYLINE_LEAD.sub("", segment, count=1)
        for part in _PART.split(segment):
            name = _PLACE.sub("", clean(part)).strip(".:")
            if is_person_name(name) and name not in names:
                names.append(name)
    return names


def names_from_metadata(metadata: Metadata) -> list[str]:
    """Author names from JSON-LD and <meta>; organisations and profile URLs are skipped."""
    raw: list[str] = []
    node = next(metadata.nodes_with("author"), None)  # the article's own, not those it cites
    if node is not None:
        authors = node["author"]
        for author in authors if isinstance(authors, list) else [authors]:
            typed = isinstance(author, dict) and "@type" in author
            if typed and "Person" not in node_types(author):
                continue  # an Organization is no person
            text = jsonld_text(author)
            if text:
                raw.append(text)
    raw += metadata.all(*_AUTHOR_META)
    names: list[str] = []
    for value in raw:
        if not value.startswith(("http://", "https://", "/")):
            names += [n for n in names_from_byline(value) if n not in names]
    return names


def is_person_name(text: str) -> bool:
    tokens = text.split()
    if not _MIN_WORDS <= len(tokens) <= _MAX_WORDS:
        return False
    if not (tokens[0][0].isupper() and tokens[-1][0].isupper()):
        return False
    for token in tokens:
        if not _NAME_TOKEN.match(token) or token.lower().strip(".\u2019'") in _ROLE_WORDS:
            return False
        if not token[0].isupper() and token not in _PARTICLES:
            return False
    return True
