"""The article's images: URL, caption and photo credit, the captions kept out of the body.

Figures printed from the headline to the end of the text (an <img> in a <figure>, with its
<figcaption>, or an image beside an element classed as its caption), furniture aside, in page
order; the lead image the metadata names (JSON-LD image,
og:image) when the article prints none. A credit is the caption's part classed credit or
copyright, or its trailing "Photo: ...", "(Foto: ...)", "© ..." phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml.html import HtmlElement

from archiver.extract.classnames import role_words, says, vocabulary
from archiver.extract.furniture import is_furniture_element
from archiver.extract.layout import Layout
from archiver.extract.metadata import Metadata, jsonld_text
from archiver.extract.text import clean, element_text

_CREDIT_WORDS = vocabulary("credit credits copyright photographer source byline")
_CAPTION_WORDS = vocabulary("caption captions figcaption legend bildunterschrift")
_CREDIT_TEXT = re.compile(
    r"""\s*(?:\(\s*)?(?:(?:photos?|pictures?|pics?|images?|fotos?|bild|credit|illustration)\s*:
    |\u00a9)\s*(?P<credit>[^()]+?)\s*\)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_TRACKER = re.compile(r"/count/|pixel|tracking|vgwort|beacon|spacer", re.IGNORECASE)
_IMAGE_WORDS = vocabulary("image images img photo photos picture figure media gallery")
_AUTHOR_WORDS = vocabulary("author authors byline avatar profile")
# libxml2 nests an <img> inside the <source> elements before it: figures sit a few levels up.
_AUTHOR_LEVELS, _PIXEL, _FIGURE_LEVELS, _FIGURE_CHARS = 4, 10, 7, 600
_SOURCES = ("src", "data-src", "data-lazy-src", "data-original")
_MAX_IMAGES = 30


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    caption: str | None
    credit: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "caption": self.caption, "credit": self.credit}


def article_images(
    layout: Layout, span: tuple[float, float], metadata: Metadata, page_url: str
) -> tuple[Image, ...]:
    """`span`: the document positions from the headline to the end of the text; figures there
    that are not page furniture (menus, teasers, author boxes) are the article's."""
    images: list[Image] = []
    seen: set[str] = set()
    holders: set[HtmlElement] = set()
    start, stop = span
    for img in layout.elements("img", start, stop):
        url = _image_url(img, page_url)
        if url is None or url in seen or _is_pixel(img, url) or _in_author_box(img):
            continue
        holder = _figure_of(img)
        if holder is None or holder in holders or _in_furniture(holder):
            continue
        seen.add(url)
        holders.add(holder)
        images.append(_described(url, holder))
        if len(images) >= _MAX_IMAGES:
            break
    if not images:
        lead = _declared_image(metadata, page_url)
        if lead is not None:
            images.append(Image(lead, None, None))
    return tuple(images)


def _is_pixel(img: HtmlElement, url: str) -> bool:
    """Counting pixels and spacers: a few pixels wide, or named for what they count."""
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= _PIXEL:
            return True
    return _TRACKER.search(url) is not None


def _in_author_box(img: HtmlElement) -> bool:
    return says(img, _AUTHOR_WORDS, levels=_AUTHOR_LEVELS)


def _in_furniture(element: HtmlElement) -> bool:
    """Whether the figure sits in furniture; an <aside> named for images is a figure's frame."""
    current: HtmlElement | None = element
    while current is not None and current.tag != "body":
        if (
            current.tag not in ("figure", "figcaption")
            and role_words(current).isdisjoint(_IMAGE_WORDS)
            and is_furniture_element(current)
        ):
            return True
        current = current.getparent()
    return False


def _figure_of(img: HtmlElement) -> HtmlElement | None:
    """The figure holding the image, or a small wrapper that also holds its caption."""
    current = img.getparent()
    for _ in range(_FIGURE_LEVELS):
        if current is None:
            return None
        if current.tag == "figure":
            return current
        if _caption_in(current) is not None:
            # A wrapper of a few lines: a larger one holds other figures' captions.
            return current if len(current.text_content()) <= _FIGURE_CHARS else None
        current = current.getparent()
    return None


def _caption_in(element: HtmlElement) -> HtmlElement | None:
    """The caption among the element's children and grandchildren (a figure's caption sits
    close to its image: looking deeper would take another figure's)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if _is_caption(child):
            return child
        for grandchild in child:
            if isinstance(grandchild.tag, str) and _is_caption(grandchild):
                return grandchild
    return None


def _is_caption(element: HtmlElement) -> bool:
    return element.tag == "figcaption" or not role_words(element).isdisjoint(_CAPTION_WORDS)


def _described(url: str, figure: HtmlElement) -> Image:
    caption_element = _caption_in(figure)
    credit_element = next(
        (
            e
            for e in figure.iter()
            if e is not figure
            and isinstance(e.tag, str)
            and not role_words(e).isdisjoint(_CREDIT_WORDS)
        ),
        None,
    )
    credit = clean(element_text(credit_element)) if credit_element is not None else ""
    caption = ""
    if caption_element is not None:
        caption = element_text(caption_element, skip=lambda e: e is credit_element)
    if not credit and caption:
        match = _CREDIT_TEXT.search(caption)
        if match and match.start() > 0:
            credit, caption = match.group("credit"), caption[: match.start()]
    # Old templates cut captions short mid-credit: "(Pic: Jess Hurd/".
    credit = clean(credit).rstrip(" |/")
    if credit.startswith("(") and credit.endswith(")"):
        credit = credit[1:-1].strip()
    return Image(url, clean(caption).rstrip(" |/") or None, credit or None)


def _image_url(img: HtmlElement, page_url: str) -> str | None:
    for attribute in _SOURCES:
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return _joined(page_url, value)
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    if srcset:
        return _joined(page_url, srcset.split(",")[0].split()[0])
    return None


def _joined(page_url: str, reference: str) -> str | None:
    """The image's absolute URL, or None where either URL is too broken to join (urllib
    refuses a host like "[broken")."""
    try:
        return urljoin(page_url, reference)
    except ValueError:
        return None


def _declared_image(metadata: Metadata, page_url: str) -> str | None:
    article = metadata.article_node()
    value = None
    if article is not None:
        image = article.get("image")
        value = image.get("url") if isinstance(image, dict) else jsonld_text(image)
    value = value or metadata.first("og:image", "twitter:image")
    return urljoin(page_url, value) if isinstance(value, str) and value.strip() else None
