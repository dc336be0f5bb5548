"""Crawler traps: pages made on request, each linking to more of them, without end.

Real news sites have them: an events calendar whose "next month" never runs out, a search page
whose pagination, sort orders and facets multiply into endless distinct URLs. A crawl must be cut
off by its own defences (depth, page budget), never by the trap ending. A manifest rule
`generate = "calendar"` or `generate = "search"` serves these pages (`archiver.demo.manifest`).

Links are relative, so a calendar works under whatever path prefix the manifest gives it.
"""

from __future__ import annotations

import calendar
import re
from html import escape
from urllib.parse import parse_qs, urlencode

SORTS = ("date", "relevance", "title")
SECTIONS = ("news", "features", "international")


def trap_page(kind: str, url_path: str, query: str) -> str | None:
    """The HTML of a trap page, or None when the URL names none (a 404)."""
    if kind == "calendar":
        return calendar_page(url_path)
    return search_page(query)


def calendar_page(url_path: str) -> str | None:
    """A month of events (".../YYYY/MM/"), linking to the months and years either side."""
    match = re.search(r"/(\d{4,})/(\d{2})/$", url_path)
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    year, month = int(match[1]), int(match[2])
    index = year * 12 + month - 1
    steps = {"Previous year": -12, "Previous month": -1, "Next month": 1, "Next year": 12}
    links = [
        f'<li><a href="../../{(index + step) // 12:04d}/{(index + step) % 12 + 1:02d}/">{label}</a>'
        "</li>"
        for label, step in steps.items()
        if index + step >= 0
    ]
    title = f"Events in {calendar.month_name[month]} {year:04d}"
    return _page(
        title,
        '<p class="calendar__empty">No meetings or demonstrations listed this month.</p>\n'
        f'<ul class="calendar__nav">{"".join(links)}</ul>',
    )


def search_page(query: str) -> str:
    """One page of search results, linking to the next page and to every sort and facet."""
    params = parse_qs(query)
    terms = params.get("q", [""])[0]
    page = int(params["page"][0]) if params.get("page", [""])[0].isdigit() else 1
    sort = params.get("sort", [SORTS[0]])[0]
    sections = sorted(set(params.get("section", [])) & set(SECTIONS))

    def url(page: int = page, sort: str = sort, sections: list[str] = sections) -> str:
        fields = [("q", terms), *(("section", s) for s in sections), ("sort", sort)]
        return escape("/search?" + urlencode([*fields, ("page", str(page))]))

    links = [f'<li><a href="{url(page=page + 1)}">Next page</a></li>']
    if page > 1:
        links.append(f'<li><a href="{url(page=page - 1)}">Previous page</a></li>')
    links += [f'<li><a href="{url(sort=s)}">Sort by {s}</a></li>' for s in SORTS if s != sort]
    for section in SECTIONS:
        toggled = sorted(set(sections) ^ {section})
        label = "Any section" if section in sections else f"Only {section}"
        links.append(f'<li><a href="{url(sections=toggled)}">{label}</a></li>')
    first = (page - 1) * 10 + 1
    return _page(
        f"Search results for &ldquo;{escape(terms)}&rdquo;",
        f'<p class="search__count">Results {first}&ndash;{first + 9}, '
        f"sorted by {escape(sort)}.</p>\n"
        f'<ul class="search__nav">{"".join(links)}</ul>',
    )


def _page(title: str, content: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} | Workers&rsquo; Chronicle</title>\n</head>\n<body>\n"
        '<header class="masthead"><a class="masthead__logo" href="/">Workers&rsquo; Chronicle</a>'
        "</header>\n"
        f'<main id="main">\n<h1>{title}</h1>\n{content}\n</main>\n</body>\n</html>\n'
    )
