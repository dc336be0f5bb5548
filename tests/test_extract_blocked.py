"""Bot challenges and login walls served with status 200: never articles, and said so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.extract import blocked_page, extract_article
from archiver.page import Page
from tests.article_page import page

CHALLENGE = """<html><head><title>Just a moment...</title></head><body>
<div id="cf-wrapper"><h1>Checking your browser before accessing example.org.</h1>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<form id="challenge-form" action="/news/x?__cf_chl_jschl_tk__=abc" method="POST"></form>
</div></body></html>"""
MARKED = """<html><head><title>example.org</title></head><body>
<div class="cf-browser-verification"><p>Please enable cookies and JavaScript.</p></div>
</body></html>"""
LOGIN = """<html><head><title>Log in | The Daily Example</title></head><body>
<h1>Log in to continue reading</h1><p>This article is for subscribers.</p>
<form action="/login" method="post"><input name="user"><input type="password" name="pw">
<button>Log in</button></form></body></html>"""


def _page(html: str) -> Page:
    return Page("https://example.org/news/x", html.encode(), "text/html", datetime.now(UTC))


@pytest.mark.parametrize(
    ("html", "reason"),
    [(CHALLENGE, "bot-challenge"), (MARKED, "bot-challenge"), (LOGIN, "login-wall")],
)
def test_blocking_page_is_no_article_and_says_why(html: str, reason: str) -> None:
    assert extract_article(_page(html)) is None
    assert blocked_page(_page(html)) == reason


def test_an_article_with_a_login_box_is_not_blocked() -> None:
    login_box = '<form class="login"><input name="u"><input type="password" name="p"></form>'
    article = page(footer=login_box)
    assert extract_article(article) is not None
    assert blocked_page(article) is None
