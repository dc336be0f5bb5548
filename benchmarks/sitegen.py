"""A generated news site for the speed benchmarks: N article pages of 20-80 KB, deterministic.

The pages copy the markup of the bundled demo site (archiver/demo/site), which is what archiver's
extraction expects of a small left-press paper: a masthead and section menu, an `<article>` with
section, headline, standfirst, issue link, figure, body paragraphs with subheadings, an info box,
share links, related articles and a footer. Around that sits the weight real news pages carry and
a crawler must still download, archive and parse: a long menu, inline script state, "most read"
and "more from the section" lists. The body text is about two fifths of a page's bytes.

Sections have fronts paginated 20 teasers a page, and a weekly issue archive lists every issue,
each issue page its articles: every article can be reached by links alone, as on a real paper,
and a crawler finds the same pages whichever order it goes in. Pages link to their origin through
`{{origin}}`, filled in by the server (siteserver.py) once it knows its port.

The same seed and N give the same bytes; a generated site is kept under the system's temporary
folder and reused by later runs.
"""

from __future__ import annotations

import html
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SECTIONS = ("news", "features", "international", "culture", "theory")
SECTION_NAMES = {
    "news": "News",
    "features": "Features",
    "international": "International",
    "culture": "Culture",
    "theory": "Theory",
}
TEASERS_PER_PAGE = 20
ISSUES_PER_PAGE = 100
ARTICLES_PER_ISSUE = 40
FIRST_ISSUE = 1900
FIRST_ISSUE_DATE = date(2004, 3, 6)
MIN_BYTES = 20_000
MAX_BYTES = 80_000
BODY_SHARE = 0.4
OFFSITE = "https://elsewhere.example"
_DONE = ".complete"
# Bump when the pages change, so that sites generated before are not reused.
VERSION = 1


def _vocabulary(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PAPER = "Workers\u2019 Chronicle"
_DASH = "\u2013"

_WORDS = _vocabulary(
    """
workers union strike council pensions wages bosses government ministers cuts austerity housing
rents tenants landlords hospital nurses teachers students schools rail drivers dockers miners
factory occupation picket ballot vote struggle movement campaign protest march demonstration
rally solidarity organise resistance victory defeat anger democracy power capital profit market
privatisation public services benefits poverty inequality racism police war occupation empire
oil gas climate emissions refugees borders migrants rights freedom press history revolution
reform party left labour socialist communist trade unions members branch shop stewards rank file
leaders officials negotiations offer pay rise inflation prices energy bills food banks families
children community estate town city region country europe america africa asia britain france
germany italy spain greece ireland venezuela bolivia brazil argentina chile mexico india china
the the the the of of of and and and to to to in in a a a is was were are that this which who
for with on at by from against over under after before during while because although since year
week month day morning evening weeks months years decades generation thousands millions new old
first last next many more most every other same great small long short hard real whole said
argued warned demanded promised refused won lost built broke joined left took gave made fight
fought stand stood call called hold held walk walked meet met face faced claim claimed
"""
)
_CAPITALISED = _vocabulary(
    """
Bolivia Caracas Turin Paris London Glasgow Liverpool Birmingham Manchester Leeds Belfast Cardiff
Athens Madrid Berlin Rome Lisbon Santiago Delhi Lagos Johannesburg Tory Labour Unite Unison GMB
RMT CWU UCU NEU Westminster Downing Parliament Commons Treasury Gramsci Luxemburg Trotsky Marx
"""
)
_FIRST_NAMES = _vocabulary(
    """
Chris Ruth Sarah Tomas Amina Joseph Judith Yuri Hannah Kevin Maria Sadia Alex Dave Charlie Esme
Nadia Owen Priya Sam
"""
)
_LAST_NAMES = _vocabulary(
    """
Bambery Okafor Bennett Clarke Harman Choonara Orr Callinicos Kimber Ferguson Rosen Murray Sewell
Walker Hussain Kane Lewis Morgan Shah Thompson
"""
)
_MENU_TOPICS = _vocabulary(
    """
Strikes Pensions Housing NHS Education Racism Climate Palestine Ukraine Elections Ireland
Scotland Wales Europe Americas Africa Asia History Books Film Music Theatre Art Science
Economics Philosophy Marxism Obituaries Letters Podcasts Video Events Pamphlets Archive
Subscribe Donate Shop
"""
)


@dataclass(frozen=True, slots=True)
class Article:
    number: int
    section: str
    slug: str
    headline: str
    standfirst: str
    author: str
    issue: int
    published: date

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Site:
    root: Path
    articles: int
    pages: int
    """Every HTML page (articles, fronts, issue pages, home, about): what a full crawl fetches."""
    bytes: int


def _sentence(rng: random.Random, words: int) -> str:
    chosen = rng.choices(_WORDS, k=words)
    for i in rng.sample(range(words), k=min(words, 2)):
        chosen[i] = rng.choice(_CAPITALISED)
    text = " ".join(chosen)
    if words > 12 and rng.random() < 0.4:
        cut = rng.randrange(4, words - 4)
        head, tail = " ".join(chosen[:cut]), " ".join(chosen[cut:])
        text = f"{head}, {tail}"
    text = text[0].upper() + text[1:] + "."
    return f"“{text}”" if rng.random() < 0.08 else text


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 28)) for _ in range(rng.randint(2, 5)))


def _title(rng: random.Random, words: int) -> str:
    text = " ".join([*rng.choices(_WORDS, k=words - 1), rng.choice(_CAPITALISED)])
    return text[0].upper() + text[1:]


def plan(count: int, seed: int) -> list[Article]:
    """The articles of the site: sections, headlines, authors and issues, newest issue last."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        headline = _title(rng, rng.randint(5, 11))
        slug = "-".join(headline.lower().split()[:7]) + f"-{number}"
        issue = FIRST_ISSUE + number // ARTICLES_PER_ISSUE
        articles.append(
            Article(
                number=number,
                section=rng.choice(SECTIONS),
                slug=slug,
                headline=headline,
                standfirst=_sentence(rng, rng.randint(12, 24)).strip("“”").rstrip("."),
                author=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                issue=issue,
                published=FIRST_ISSUE_DATE + timedelta(weeks=issue - FIRST_ISSUE),
            )
        )
    return articles


def _head(title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)} | {PAPER}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="stylesheet" href="/static/style.css">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{PAPER}" '
        'href="/feed.xml">\n'
        f"{extra}</head>\n<body>\n"
    )


def _masthead(rng: random.Random) -> str:
    sections = "".join(f'      <li><a href="/{s}/">{SECTION_NAMES[s]}</a></li>\n' for s in SECTIONS)
    # A mega menu as real papers have: topic pages of the paper, which the crawl follows only
    # as far as the site's own sections (the topic links point off the site, as a CMS's
    # "partner" links often do).
    topics = "".join(
        f'        <li class="menu__item"><a class="menu__link" '
        f'href="{OFFSITE}/topics/{t.lower()}/?ref=menu">{t}</a></li>\n'
        for t in rng.sample(_MENU_TOPICS, k=len(_MENU_TOPICS))
    )
    return (
        '<header class="masthead" id="top">\n'
        f'  <a class="masthead__logo" href="/">{PAPER}</a>\n'
        '  <p class="masthead__tagline">The weekly paper of the socialist left</p>\n'
        '  <nav class="nav" aria-label="Sections">\n    <ul>\n'
        '      <li><a href="/">Home</a></li>\n'
        f"{sections}"
        '      <li><a href="/issues/">Issue archive</a></li>\n'
        '      <li><a href="/about/">About us</a></li>\n'
        "    </ul>\n"
        '    <div class="menu menu--topics" hidden>\n      <ul class="menu__list">\n'
        f"{topics}      </ul>\n    </div>\n  </nav>\n</header>\n"
    )


_FOOTER = (
    '<footer class="site-footer">\n'
    f'  <p><a href="/about/">About the {PAPER}</a> · '
    '<a href="mailto:letters@workers-chronicle.example">Write to us</a> · '
    '<a href="#top">Back to top</a></p>\n'
    f"  <p>© {PAPER}. Published every Saturday. This is a benchmark site.</p>\n"
    "</footer>\n</body>\n</html>\n"
)


def _state_script(rng: random.Random, size: int) -> str:
    """Inline script state of the kind CMS front ends embed: weight without text."""
    entries = []
    total = 0
    while total < size:
        entry = (
            f'{{"id":"{rng.getrandbits(64):016x}","slot":"{rng.choice(_MENU_TOPICS).lower()}",'
            f'"w":{rng.randint(100, 999)},"h":{rng.randint(100, 999)},'
            f'"track":"{rng.getrandbits(128):032x}"}}'
        )
        entries.append(entry)
        total += len(entry) + 1
    return '<script>window.__CHRONICLE_STATE__ = {"ads":[' + ",".join(entries) + "]};</script>\n"


def _teaser(article: Article) -> str:
    return (
        '  <li class="teaser">\n'
        f'    <h2 class="teaser__headline"><a href="{article.path}">'
        f"{html.escape(article.headline)}</a></h2>\n"
        f'    <p class="teaser__summary">{html.escape(article.standfirst)}.</p>\n'
        f'    <p class="teaser__meta">{article.author} · '
        f'<a href="/issue/{article.issue}/">Issue No. {article.issue}</a></p>\n'
        "  </li>\n"
    )


def _link_list(css: str, title: str, articles: list[Article]) -> str:
    items = "".join(
        f'    <li><a href="{a.path}">{html.escape(a.headline)}</a></li>\n' for a in articles
    )
    return f'<aside class="{css}">\n  <h2>{title}</h2>\n  <ul>\n{items}  </ul>\n</aside>\n'


def article_page(article: Article, articles: list[Article], seed: int) -> str:
    rng = random.Random(seed * 1_000_003 + article.number)
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    name = SECTION_NAMES[article.section]
    headline = html.escape(article.headline)
    day = article.published.isoformat()
    jsonld = (
        '<link rel="canonical" href="{{origin}}' + article.path + '">\n'
        '<script type="application/ld+json">\n'
        '{"@context": "https://schema.org", "@type": "NewsArticle", '
        f'"headline": "{headline}", "datePublished": "{day}T00:00:00+00:00", '
        f'"articleSection": "{name}", '
        '"mainEntityOfPage": "{{origin}}' + article.path + '", '
        f'"description": "{html.escape(article.standfirst)}", '
        f'"author": {{"@type": "Person", "name": "{article.author}"}}, '
        f'"publisher": {{"@type": "Organization", "name": "{PAPER}"}}}}\n'
        "</script>\n"
    )
    paragraphs: list[str] = []
    body_bytes = 0
    while body_bytes < target * BODY_SHARE:
        if paragraphs and rng.random() < 0.07:
            paragraph = f"    <h2>{html.escape(_title(rng, rng.randint(2, 5)))}</h2>"
        else:
            paragraph = f"    <p>{_paragraph(rng)}</p>"
        paragraphs.append(paragraph)
        body_bytes += len(paragraph.encode("utf-8")) + 1
    others = rng.sample(articles, k=min(len(articles), 16))
    page = (
        _head(article.headline, jsonld)
        + _masthead(rng)
        + '<main id="main">\n<article class="article">\n  <header class="article__header">\n'
        f'  <p class="article__section"><a href="/{article.section}/">{name}</a></p>\n'
        f'  <h1 class="article__headline">{headline}</h1>\n'
        f'  <p class="article__standfirst">{html.escape(article.standfirst)}, '
        f"writes {article.author}</p>\n"
        f'  <p class="article__issue"><a href="/issue/{article.issue}/">'
        f"Issue No. {article.issue}</a></p>\n  </header>\n"
        '  <figure class="article__figure">\n'
        '    <img src="/static/img/march.png" alt="On the march" width="320" height="180">\n'
        '    <figcaption class="article__caption">On the march (Pic: Guy Smallman)</figcaption>\n'
        "  </figure>\n"
        '  <div class="article__body">\n' + "\n".join(paragraphs) + "\n  </div>\n"
        '  <footer class="article__info">\n    <h2>Article information</h2>\n    <ul>\n'
        f'      <li class="article__date">{article.published:%a %d %b %Y}, 00:00 GMT</li>\n'
        f"      <li>Issue No. {article.issue}</li>\n    </ul>\n  </footer>\n"
        '  <section class="share">\n    <h2>Share this article</h2>\n    <ul>\n'
        f'      <li><a href="{OFFSITE}/share/facebook?path={article.path}">Facebook</a></li>\n'
        f'      <li><a href="{OFFSITE}/share/twitter?path={article.path}">Twitter</a></li>\n'
        "    </ul>\n  </section>\n</article>\n"
        + _link_list("related", "Related articles", others[:6])
        + _link_list("most-read", "Most read", others[6:16])
        + "</main>\n"
    )
    state = max(0, target - len(page.encode("utf-8")) - len(_FOOTER.encode("utf-8")) - 80)
    return page + _state_script(rng, state) + _FOOTER


def _pagination(base: str, page: int, pages: int) -> str:
    def href(k: int) -> str:
        return base if k == 1 else f"{base}page/{k}/"

    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links = " ".join(
        f"<span>{k}</span>" if k == page else f'<a href="{href(k)}">{k}</a>' for k in shown
    )
    older = f' <a href="{href(page + 1)}" rel="next">Older articles »</a>' if page < pages else ""
    return f'<nav class="pagination">{links}{older}</nav>\n'


def _listing(title: str, intro: str, body: str, rng: random.Random) -> str:
    return (
        _head(title) + _masthead(rng) + '<main id="main" class="listing">\n'
        f'<h1 class="listing__title">{html.escape(title)}</h1>\n'
        f'<p class="listing__intro">{intro}</p>\n{body}</main>\n' + _FOOTER
    )


def _write(root: Path, path: str, text: str) -> int:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path[1:]
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    target.write_bytes(data)
    return len(data)


def _section_fronts(root: Path, articles: list[Article], rng: random.Random) -> tuple[int, int]:
    pages = written = 0
    for section in SECTIONS:
        mine = [a for a in reversed(articles) if a.section == section]
        count = max(1, -(-len(mine) // TEASERS_PER_PAGE))
        base = f"/{section}/"
        for page in range(1, count + 1):
            chunk = mine[(page - 1) * TEASERS_PER_PAGE : page * TEASERS_PER_PAGE]
            body = (
                '<ul class="teasers">\n'
                + "".join(_teaser(a) for a in chunk)
                + "</ul>\n"
                + _pagination(base, page, count)
            )
            path = base if page == 1 else f"{base}page/{page}/"
            page_html = _listing(SECTION_NAMES[section], "From the paper.", body, rng)
            written += _write(root, path, page_html)
            pages += 1
    return pages, written


def _issue_pages(root: Path, articles: list[Article], rng: random.Random) -> tuple[int, int]:
    by_issue: dict[int, list[Article]] = {}
    for article in articles:
        by_issue.setdefault(article.issue, []).append(article)
    pages = written = 0
    for issue, mine in by_issue.items():
        groups = ""
        for section in SECTIONS:
            items = "".join(
                f'  <li><a href="{a.path}">{html.escape(a.headline)}</a> {_DASH} '
                f"{html.escape(a.standfirst)}.</li>\n"
                for a in mine
                if a.section == section
            )
            if items:
                groups += f"<h2>{SECTION_NAMES[section]}</h2>\n<ul>\n{items}</ul>\n"
        dated = mine[0].published
        nav = '<p class="issue__nav"><a href="/issues/">All issues</a></p>\n'
        body = f'<p class="issue__date">Dated: {dated:%d %b %Y}</p>\n{nav}{groups}'
        written += _write(root, f"/issue/{issue}/", _listing(f"Issue {issue}", "", body, rng))
        pages += 1
    issues = sorted(by_issue, reverse=True)
    count = max(1, -(-len(issues) // ISSUES_PER_PAGE))
    for page in range(1, count + 1):
        chunk = issues[(page - 1) * ISSUES_PER_PAGE : page * ISSUES_PER_PAGE]
        items = "".join(
            f'  <li><a href="/issue/{i}/">Issue {i}</a> {_DASH} dated '
            f"{by_issue[i][0].published:%d %b %Y}</li>\n"
            for i in chunk
        )
        body = f'<ul class="issue-list">\n{items}</ul>\n' + _pagination("/issues/", page, count)
        path = "/issues/" if page == 1 else f"/issues/page/{page}/"
        written += _write(root, path, _listing("Issue archive", "Every issue online.", body, rng))
        pages += 1
    return pages, written


def _feed(articles: list[Article]) -> str:
    items = "".join(
        f"<item><title>{html.escape(a.headline)}</title>"
        f"<link>{{{{origin}}}}{a.path}</link></item>\n"
        for a in reversed(articles[-20:])
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{PAPER}</title>\n{items}</channel></rss>\n"
    )


def generate(root: Path, count: int, seed: int) -> Site:
    """Writes the site of `count` articles into `root` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    articles = plan(count, seed)
    written = sum(_write(root, a.path, article_page(a, articles, seed)) for a in articles)
    pages = count
    for part in (_section_fronts, _issue_pages):
        more, size = part(root, articles, rng)
        pages += more
        written += size
    latest = "".join(_teaser(a) for a in reversed(articles[-30:]))
    teasers = f'<ul class="teasers">\n{latest}</ul>\n'
    home = _listing("Home", "The weekly paper of the socialist left.", teasers, rng)
    about = _listing("About us", "Who we are.", "<p>" + _paragraph(rng) + "</p>\n", rng)
    written += _write(root, "/", home) + _write(root, "/about/", about)
    pages += 2
    _write(root, "/robots.txt", "User-agent: *\nDisallow: /private/\n")
    _write(root, "/feed.xml", _feed(articles))
    (root / _DONE).write_text(f"{count} {seed} {pages} {written}\n")
    return Site(root, count, pages, written)


def cached_site(count: int, seed: int) -> Site:
    """The site for (count, seed), generated on first use and kept for later runs."""
    root = Path(tempfile.gettempdir()) / f"archiver-bench-site-v{VERSION}-{count}-{seed}"
    done = root / _DONE
    if done.exists():
        _, _, pages, written = (int(x) for x in done.read_text().split())
        return Site(root, count, pages, written)
    return generate(root, count, seed)
