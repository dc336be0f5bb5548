"""extract_article: one captured page in, one Extraction out (or None for a non-article).

The one entry point of extraction, shared by the live crawl and `archiver extract` over WARCs.
The page is decoded and parsed once, and that one tree serves every rule; trafilatura runs once,
on it. Metadata is read first, the text next, and the printed particulars (standfirst, byline,
date, issue) last, from the zones around that text.
"""

from __future__ import annotations

from archiver.extract.access import page_access
from archiver.extract.authors import names_from_metadata
from archiver.extract.blocked import blocked_reason
from archiver.extract.body import extract_paragraphs, tidy
from archiver.extract.byline import Byline, find_biography, find_byline
from archiver.extract.canonical import canonical_url
from archiver.extract.dates import publication_date, selected_date
from archiver.extract.extraction import Extraction
from archiver.extract.furniture import caption_keys, is_caption
from archiver.extract.headline import Headline, find_headline
from archiver.extract.images import article_images
from archiver.extract.issue import issue_number, print_issue
from archiver.extract.language import page_language
from archiver.extract.layout import Block, Layout
from archiver.extract.metadata import read_metadata
from archiver.extract.page_type import Evidence, is_article
from archiver.extract.parse import parse_page, remove_code
from archiver.extract.publication import site_names
from archiver.extract.repair import repair_text
from archiver.extract.selectors import Selected, select
from archiver.extract.source import edition_section, find_source
from archiver.extract.standfirst import find_standfirst
from archiver.extract.text import comparable, word_count
from archiver.extract.topics import page_section, page_tags
from archiver.extract.zones import Zones, find_zones
from archiver.page import Page
from archiver.profile import Profile

_CITATION_ENDS = 3


def extract_article(page: Page, profile: Profile | None = None) -> Extraction | None:
    """The article on the page, or None when the page is not an article or holds no text."""
    says_article = profile.says_article(page.url) if profile is not None else None
    if says_article is False:
        return None
    tree = parse_page(page.body, page.content_type)
    if tree is None or blocked_reason(tree) is not None:
        return None
    metadata = read_metadata(tree)
    selected = select(tree, profile.selectors_for(page.captured_at)) if profile else Selected()
    remove_code(tree)
    layout = Layout(tree)
    names = site_names(tree, metadata, page.url, profile)
    headline = find_headline(tree, layout, metadata, names, page.url)
    if selected.headline is not None:
        headline = Headline(selected.headline, layout.locate(selected.headline))
    if headline is None:
        return None
    captions = caption_keys(tree)
    keep = [headline.block.element] if headline.block is not None else []
    raw = extract_paragraphs(tree, layout, keep, page.url, selected.removed)
    paragraphs = _below(headline, layout, tidy(raw, layout, captions, _texts_of(headline)))
    if not paragraphs:
        return None
    zones = find_zones(layout, headline, paragraphs)
    standfirst = _standfirst(zones, captions, selected)
    if standfirst is not None:
        kept = _without(paragraphs, layout, standfirst)
        if not kept:
            return None
        if len(kept) < len(paragraphs):  # the text held it too: the zones follow the text
            paragraphs, zones = kept, find_zones(layout, headline, kept)
    metadata_names = names_from_metadata(metadata)
    byline = find_byline(zones.byline_candidates(_block(zones, standfirst)), metadata_names)
    if byline is not None:
        paragraphs = _without(paragraphs, layout, byline.text)
        if not paragraphs:
            return None
    if selected.authors and (byline is None or byline.names != selected.authors):
        byline = Byline(selected.byline or ", ".join(selected.authors), selected.authors)
    authors = byline.names if byline is not None else tuple(metadata_names)
    biography = find_biography(zones.after_text(), authors)
    if biography is not None and layout.key(biography) not in map(layout.key, paragraphs):
        paragraphs.append(biography)
    language = page_language(metadata)
    date = publication_date(
        metadata,
        zones.time_elements(tree, layout),
        zones.around,
        page.url,
        page.captured_at,
        language,
    )
    if selected.date is not None:
        date = selected_date(selected.date, page.captured_at, language) or date
    evidence = Evidence(
        page.url, headline.text, paragraphs, layout, dated=date is not None, signed=bool(authors)
    )
    if not is_article(metadata, evidence, says_article):
        return None
    issue = print_issue(metadata, zones.around, date, language)
    issue_text = issue_number(selected.issue) if selected.issue is not None else None
    publication = names[0] if names else None
    citation_lines = _citation_lines(zones, paragraphs)
    cited = find_source(citation_lines, publication)
    if cited is not None and len(paragraphs) > 1:
        paragraphs = [p for p in paragraphs if p != cited[1]]
    paragraphs = [repair_text(p) for p in paragraphs]
    body = "\n\n".join(paragraphs)
    return Extraction(
        canonical_url=canonical_url(page.url, metadata),
        publication=publication,
        headline=repair_text(headline.text),
        standfirst=repair_text(standfirst) if standfirst is not None else None,
        byline=repair_text(byline.text) if byline is not None else None,
        authors=tuple(repair_text(a) for a in authors),
        date=date,
        issue=issue_text or issue.issue,
        volume=issue.volume,
        body=body,
        language=language,
        section=selected.section
        or page_section(metadata, headline.text)
        or edition_section(citation_lines),
        tags=selected.tags or page_tags(metadata),
        images=article_images(
            layout, _span(layout, zones, headline, paragraphs), metadata, page.url
        ),
        word_count=word_count(body),
        access=page_access(metadata, zones.root),
        source=cited[0] if cited is not None else None,
    )


def blocked_page(page: Page) -> str | None:
    """ "bot-challenge" or "login-wall" when the page stands in front of an article, else None:
    asked of pages that gave no article, so the crawl and `archiver extract` can count them."""
    tree = parse_page(page.body, page.content_type)
    return blocked_reason(tree) if tree is not None else None


def _standfirst(zones: Zones, captions: set[str], selected: Selected) -> str | None:
    if selected.standfirst is not None:
        return selected.standfirst
    candidates = [b for b in zones.standfirst_candidates() if not is_caption(b.key, captions)]
    found = find_standfirst(zones.after_headline, candidates, zones.text)
    return found.text if found is not None else None


def _block(zones: Zones, text: str | None) -> Block | None:
    """The block printing the standfirst, where bylines ending it ("..., writes X") are read."""
    if text is None:
        return None
    key = comparable(text)
    return next((b for b in zones.after_headline if b.key == key), None)


def _span(
    layout: Layout, zones: Zones, headline: Headline, paragraphs: list[str]
) -> tuple[float, float]:
    """From the top of the article (or the headline, or the text) to the end of the text: where
    the article's figures are, the lead photo above the headline included."""
    located = [b for b in layout.align(paragraphs) if b is not None]
    if not located:
        return -1, -1
    if zones.root is not None:
        start = layout.position(zones.root)
    elif headline.block is not None:
        start = headline.block.position
    else:
        start = located[0].position - 1
    return start, located[-1].end + 1


def _citation_lines(zones: Zones, paragraphs: list[str]) -> list[str]:
    """Where a reprint's citation line is printed: around the text, or at either end of it."""
    ends = paragraphs[:_CITATION_ENDS] + paragraphs[-_CITATION_ENDS:]
    return [b.text for b in zones.around] + ends


def _texts_of(headline: Headline) -> set[str]:
    """The headline as chosen and as printed: trafilatura keeps it as the text's first line."""
    texts = {comparable(headline.text)}
    if headline.block is not None:
        texts.add(headline.block.key)
    return texts


def _without(paragraphs: list[str], layout: Layout, text: str) -> list[str]:
    """Tidied paragraphs but those printing `text`: tidy has dropped furniture and repeats
    already, and a second pass would only find the same again."""
    key = layout.key(text)
    return [p for p in paragraphs if layout.key(p) != key]


def _below(headline: Headline, layout: Layout, paragraphs: list[str]) -> list[str]:
    """Paragraphs printed after the headline: what comes before it is not the article's text."""
    if headline.block is None:
        return paragraphs
    start = headline.block.position
    return [p for p in paragraphs if layout.locate(p, start) or not layout.locate(p)]
