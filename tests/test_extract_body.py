"""The article text: plain paragraphs, one blank line apart, without the page's furniture."""

from __future__ import annotations

from tests.article_page import extract

PARAGRAPHS = [
    "Workers at the bus garage walked out on Monday morning after managers announced that"
    " the night shift would be cut without any consultation.",
    "The strikers gathered at the gates before dawn, and by seven o\u2019clock more than two"
    " hundred drivers had joined the picket line.",
    "Union officials said the dispute could spread to three other depots in the city if the"
    " company refused to reopen talks this week.",
    "Passengers at the nearby stop were mostly sympathetic, saying the night buses were the"
    " only way they could get home from work.",
]
STANDFIRST = "Night shift cuts spark walkout at the city\u2019s biggest bus garage"


def _body(body: str, header: str = "", footer: str = "") -> str:
    extraction = extract(
        header=f'<p class="standfirst">{STANDFIRST}</p><p class="byline">By Anna Kowalski</p>'
        + header,
        body=body,
        footer=footer,
        headline="Bus workers strike",
        title="Bus workers strike",
    )
    assert extraction is not None
    return extraction.body


def _p(*indexes: int) -> str:
    return "".join(f"<p>{PARAGRAPHS[i]}</p>" for i in indexes)


def test_paragraphs_are_one_blank_line_apart() -> None:
    assert _body(_p(0, 1, 2, 3)) == "\n\n".join(PARAGRAPHS)


def test_subheadings_are_paragraphs_of_their_own() -> None:
    body = _body(_p(0, 1) + "<h2>What the union wants</h2>" + _p(2, 3))
    assert body.split("\n\n")[2] == "What the union wants"


def test_line_breaks_inside_a_paragraph_become_spaces_and_double_breaks_part_them() -> None:
    body = _body(f"<p>{PARAGRAPHS[0]}<br><br>{PARAGRAPHS[1]}<br>and more.</p>" + _p(2, 3))
    assert body.split("\n\n")[:2] == [PARAGRAPHS[0], PARAGRAPHS[1] + " and more."]


def test_figure_captions_are_left_out_even_when_printed_twice() -> None:
    caption = "Pickets at the garage gates on Monday (Pic: Jess Hurd)"
    figure = (
        f'<figure><img src="/p.jpg" alt=""><figcaption>{caption}</figcaption></figure>'
        f'<div class="photo-overlay"><p>{caption}</p></div>'
    )
    body = _body(_p(0) + figure + _p(1, 2, 3))
    assert body == "\n\n".join(PARAGRAPHS)


def test_share_subscribe_and_promo_furniture_is_left_out() -> None:
    furniture = (
        '<div class="share-bar"><a href="#">Share on Facebook</a></div>'
        '<div class="promo-box"><h4>Our new pamphlet</h4><p>Get it for \u00a31 from our shop,'
        " with postage free on all orders this month.</p></div>"
        '<p class="newsletter-signup"><a href="/n">Click here to subscribe to our newsletter</a>'
        "</p><p>Share this article</p>"
        '<div class="related"><h3>Related articles</h3><ul><li><a href="/a">Tube strike'
        " called off</a></li></ul></div>"
    )
    assert _body(_p(0, 1) + furniture + _p(2, 3)) == "\n\n".join(PARAGRAPHS)


def test_repeated_paragraphs_and_the_repeated_standfirst_are_left_out() -> None:
    body = _body(f"<p>{STANDFIRST}</p>" + _p(0, 1, 1, 2, 3, 3))
    assert body == "\n\n".join(PARAGRAPHS)


def test_teasers_for_other_articles_inside_the_article_are_left_out() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/news/{n}">Another strike story number {n} today</a>'
        f"</h3><p>Drivers at depot {n} are balloting too.</p></div>"
        for n in range(3)
    )
    assert _body(_p(0, 1, 2, 3), footer=teasers) == "\n\n".join(PARAGRAPHS)


def test_author_biography_after_the_text_is_its_last_paragraph() -> None:
    bio = "Anna Kowalski is a bus driver and a member of the union branch committee"
    body = _body(_p(0, 1, 2, 3), footer=f'<p class="author-bio"><em>{bio}</em></p>')
    assert body == "\n\n".join([*PARAGRAPHS, bio])


def test_tags_and_article_information_lines_are_left_out() -> None:
    info = (
        '<table class="articleinfo"><tr><td>Published:</td><td>Sat 4 Mar 2006</td></tr>'
        '<tr><td>Issue No. 1990</td></tr><tr><td>Tags:</td><td><a href="/tag/x">Bolivia</a>'
        "</td></tr></table>"
    )
    assert _body(_p(0, 1, 2, 3) + info) == "\n\n".join(PARAGRAPHS)


def test_photo_credit_under_the_headline_is_no_standfirst() -> None:
    credit = "The village banner on the march back to work in March 1985"
    extraction = extract(
        headline="Pit village remembers",
        title="Pit village remembers",
        header=f'<div class="byline">By Ruth Okafor</div><div class="pic"><img src="/p.png">'
        f'<span class="pic-credit">{credit}</span></div><div class="caption">{credit}</div>',
        body=_p(0, 1, 2, 3),
        url="https://example.org/a",
    )
    assert extraction is not None
    assert extraction.standfirst is None
    assert credit not in extraction.body
