"""Access: "paywalled" or "free" where the page says so, None where it does not."""

from __future__ import annotations

import pytest

from tests.article_page import BODY, extract


@pytest.mark.parametrize(
    ("head", "access"),
    [
        ('<script type="application/ld+json">{"@type":"NewsArticle",'
         '"isAccessibleForFree":false}</script>', "paywalled"),
        ('<script type="application/ld+json">{"@type":"NewsArticle",'
         '"isAccessibleForFree":"True"}</script>', "free"),
        ('<meta property="article:content_tier" content="locked">', "paywalled"),
        ('<meta property="article:content_tier" content="free">', "free"),
        ("", None),
    ],
)  # fmt: skip
def test_access_as_the_page_declares_it(head: str, access: str | None) -> None:
    extraction = extract(head=head)
    assert extraction is not None
    assert extraction.access == access


def test_paywall_box_marks_a_paywalled_page_and_its_teaser_is_kept_alone() -> None:
    first = BODY.split("</p>")[0] + "</p>"
    body = (
        first + '<div class="article-paywall"><p>Subscribe now to read the rest of this story'
        ' and every story of the paper.</p><a href="/subscribe">Subscribe</a></div>'
    )
    extraction = extract(body=body + BODY.split("</p>", 1)[1])
    assert extraction is not None
    assert extraction.access == "paywalled"
    assert "Subscribe now" not in extraction.body
