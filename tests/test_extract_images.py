"""Images: URL, caption and credit of the article's figures; captions stay out of the body."""

from __future__ import annotations

from archiver.extract.images import Image
from tests.article_page import BODY, BYLINE, extract

FIGURE = (
    '<figure><img src="/img/depot.jpg" alt=""><figcaption>Pickets at the depot gate'
    ' <span class="credit">Tom Reid</span></figcaption></figure>'
)


def test_figure_gives_url_caption_and_credit() -> None:
    extraction = extract(header=BYLINE + FIGURE)
    assert extraction is not None
    assert extraction.images == (
        Image("https://example.org/img/depot.jpg", "Pickets at the depot gate", "Tom Reid"),
    )
    assert "Pickets at the depot gate" not in extraction.body


def test_credit_printed_at_the_end_of_the_caption() -> None:
    figure = (
        '<figure><img src="/a.jpg"><figcaption>Pickets (Foto: Tom Reid/dpa)</figcaption></figure>'
    )
    extraction = extract(header=BYLINE + figure)
    assert extraction is not None
    assert extraction.images == (Image("https://example.org/a.jpg", "Pickets", "Tom Reid/dpa"),)


def test_counting_pixels_and_teasers_of_other_articles_are_no_images() -> None:
    pixel = (
        '<figure><img src="/count/x.gif" width="1" height="1"><figcaption>x</figcaption></figure>'
    )
    teaser = (
        '<div class="teaser"><figure><img src="/img/other.jpg"><figcaption>Other</figcaption>'
        '</figure><h3><a href="/news/other">Another story about the strike</a></h3></div>'
    )
    extraction = extract(header=BYLINE + FIGURE + pixel, footer=teaser)
    assert extraction is not None
    assert [i.url for i in extraction.images] == ["https://example.org/img/depot.jpg"]


def test_lead_image_from_metadata_when_the_page_prints_none() -> None:
    extraction = extract(head='<meta property="og:image" content="https://cdn.example.org/l.jpg">')
    assert extraction is not None
    assert extraction.images == (Image("https://cdn.example.org/l.jpg", None, None),)


def test_word_count_counts_the_body() -> None:
    extraction = extract(body=BODY)
    assert extraction is not None
    assert extraction.word_count == len(extraction.body.split())
