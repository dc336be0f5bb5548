"""extract_article: one captured page in, one Extraction out (or None for a non-article).

The one entry point of extraction, shared by the live crawl and `archiver extract` over WARCs.
The page is decoded and parsed once, and that one tree serves every rule; trafilatura runs once,
on it. Metadata is read first, the text next, and the printed particulars (standfirst, byline,
date, issue) last, from the zones around that text.
"""

from __future__ import annotations

from archiver.extract.authors import names_from_metadata
from archiver.extract.body import extract_paragraphs, tidy
from archiver.extract.byline import find_biography, find_byline
from archiver.extract.canonical import canonical_url
from archiver.extract.dates import publication_date
from archiver.extract.decode import decode_html
from archiver.extract.extraction import Extraction
from archiver.extract.furniture import caption_keys, is_caption
from archiver.extract.headline import Headline, find_headline
from archiver.extract.issue import print_issue
from archiver.extract.language import page_language
from archiver.extract.layout import Layout
from archiver.extract.metadata import read_metadata
from archiver.extract.page_type import Evidence, is_article
from archiver.extract.parse import parse_html, remove_code
from archiver.extract.publication import site_names
from archiver.extract.standfirst import find_standfirst
from archiver.extract.text import comparable
from archiver.extract.zones import find_zones
from archiver.page import Page
from archiver.profile import Profile


def extract_article(page: Page, profile: Profile | None = None) -> Extraction | None:
    """The article on the page, or None when the page is not an article or holds no text."""
    says_article = profile.says_article(page.url) if profile is not None else None
    if says_article is False:
        return None
    text = decode_html(page.body, page.content_type)
    tree = parse_html(text) if text is not None else None
    if tree is None:
        return None
    metadata = read_metadata(tree)
    remove_code(tree)
    layout = Layout(tree)
    names = site_names(tree, metadata, page.url, profile)
    headline = find_headline(tree, layout, metadata, names, page.url)
    if headline is None:
        return None
    captions = caption_keys(tree)
    keep = [headline.block.element] if headline.block is not None else []
    raw = extract_paragraphs(tree, layout, keep, page.url)
    paragraphs = _below(headline, layout, tidy(raw, captions, _texts_of(headline)))
    if not paragraphs:
        return None
    zones = find_zones(layout, headline, paragraphs)
    candidates = [b for b in zones.standfirst_candidates() if not is_caption(b.text, captions)]
    standfirst = find_standfirst(zones.after_headline, candidates, zones.text)
    if standfirst is not None:
        paragraphs = tidy(paragraphs, captions, {comparable(standfirst.text)})
        if not paragraphs:
            return None
        zones = find_zones(layout, headline, paragraphs)
    metadata_names = names_from_metadata(metadata)
    byline = find_byline(zones.byline_candidates(standfirst), metadata_names)
    if byline is not None:
        paragraphs = tidy(paragraphs, captions, {comparable(byline.text)})
        if not paragraphs:
            return None
    authors = byline.names if byline is not None else tuple(metadata_names)
    biography = find_biography(zones.after_text(), authors)
    if biography is not None and comparable(biography) not in map(comparable, paragraphs):
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
    evidence = Evidence(page.url, paragraphs, layout, dated=date is not None, signed=bool(authors))
    if not is_article(metadata, evidence, says_article):
        return None
    issue = print_issue(metadata, zones.around)
    return Extraction(
        canonical_url=canonical_url(page.url, metadata),
        publication=names[0] if names else None,
        headline=headline.text,
        standfirst=standfirst.text if standfirst is not None else None,
        byline=byline.text if byline is not None else None,
        authors=authors,
        date=date,
        issue=issue.issue,
        volume=issue.volume,
        body="\n\n".join(paragraphs),
        language=language,
    )


def _texts_of(headline: Headline) -> set[str]:
    """The headline as chosen and as printed: trafilatura keeps it as the text's first line."""
    texts = {comparable(headline.text)}
    if headline.block is not None:
        texts.add(comparable(headline.block.text))
    return texts


def _below(headline: Headline, layout: Layout, paragraphs: list[str]) -> list[str]:
    """Paragraphs printed after the headline: what comes before it is not the article's text."""
    if headline.block is None:
        return paragraphs
    start = headline.block.position
    return [p for p in paragraphs if layout.locate(p, start) or not layout.locate(p)]
