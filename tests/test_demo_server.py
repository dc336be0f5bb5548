"""The demo server and its site: what a crawl test may rely on, checked with plain HTTP clients."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from archiver.demo.manifest import load_manifest
from archiver.demo.server import DemoServer
from archiver.demo.site import SITE_DIR, TEMPLATE_SUFFIXES, render, site_path
from archiver.errors import UsageError

EXPECTED = json.loads((Path(__file__).parent / "data" / "demo_expected.json").read_text("utf-8"))
ARTICLES: dict[str, dict] = EXPECTED["articles"]


@dataclass(frozen=True)
class Reply:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer() as demo:
        yield demo


def fetch(
    server: DemoServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return Reply(resp.status, resp.reason, resp.headers, resp.read())
    finally:
        conn.close()


def raw_exchange(server: DemoServer, request: bytes) -> bytes:
    """Everything the server wrote on one connection, read until it closed it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def split_response(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status_line, headers, body


def unchunk(body: bytes) -> list[bytes]:
    chunks = []
    while True:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            assert rest == b"\r\n"
            return chunks
        chunks.append(rest[:size])
        assert rest[size : size + 2] == b"\r\n"
        body = rest[size + 2 :]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def html_pages() -> list[str]:
    """Every HTML page of the site by its URL path, found in the folder, not by crawling."""
    return sorted(
        site_path(f)
        for f in SITE_DIR.rglob("*.html")
        if not any(p.startswith("_") for p in f.relative_to(SITE_DIR).parts)
    )


def page_text(server: DemoServer, path: str) -> str:
    reply = fetch(server, path)
    assert reply.status == 200, path
    charset = ARTICLES.get(path, {}).get("charset", "utf-8")
    return reply.body.decode(charset)


def on_site_links(server: DemoServer) -> dict[str, list[str]]:
    """On-site links (absolute URLs) of every HTML page, by page path."""
    found = {}
    for path in html_pages():
        base = server.origin + path
        urls = [urljoin(base, link) for link in links_of(page_text(server, path))]
        found[path] = [u for u in urls if u.startswith(server.origin + "/")]
    return found


def test_text_files_are_templates_filled_with_the_servers_own_origins(server: DemoServer) -> None:
    reply = fetch(server, "/robots.txt", headers={"Host": "news.example:81"})
    assert f"Sitemap: {server.origin}/sitemap.xml" in reply.body.decode()
    for file in SITE_DIR.rglob("*"):
        if file.suffix in TEMPLATE_SUFFIXES and not file.name.startswith("_"):
            body = fetch(server, site_path(file)).body
            assert b"{{" not in body, file
    home = fetch(server, "/").body.decode()
    assert f'href="{server.origin}/tag/bolivia/"' in home
    assert f'href="{server.offsite_origin}/elsewhere/stop-the-war/"' in home


def test_origins_are_two_loopback_names_for_one_port(server: DemoServer) -> None:
    assert server.origin == f"http://127.0.0.1:{server.port}"
    assert server.offsite_origin == f"http://localhost:{server.port}"


def test_robots_txt_disallows_private_and_names_the_sitemap(server: DemoServer) -> None:
    reply = fetch(server, "/robots.txt")
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = reply.body.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Disallow: /private/"]
    assert f"Sitemap: {server.origin}/sitemap.xml" in lines


def test_html_is_gzipped_when_the_client_accepts_it(server: DemoServer) -> None:
    reply = fetch(server, "/news/", headers={"Accept-Encoding": "gzip, deflate"})
    assert reply.headers["Content-Encoding"] == "gzip"
    assert reply.headers["Vary"] == "Accept-Encoding"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    page = render(SITE_DIR / "news" / "index.html", server.origin, server.offsite_origin)
    assert gzip.decompress(reply.body) == page


def test_same_page_gzips_to_the_same_bytes_every_time(server: DemoServer) -> None:
    ask = {"Accept-Encoding": "gzip"}
    assert fetch(server, "/about/", headers=ask).body == fetch(server, "/about/", headers=ask).body


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br", "gzip;q=0, *"])
def test_html_is_sent_uncompressed_unless_gzip_is_accepted(
    server: DemoServer, accept: str | None
) -> None:
    reply = fetch(server, "/news/", headers={"Accept-Encoding": accept} if accept else {})
    assert "Content-Encoding" not in reply.headers
    assert reply.body.startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize("accept", ["gzip", "deflate, gzip;q=0.5", "*", "*;q=0, gzip", "x-gzip"])
def test_gzip_is_chosen_by_the_accept_encoding_weights(server: DemoServer, accept: str) -> None:
    reply = fetch(server, "/news/", headers={"Accept-Encoding": accept})
    assert reply.headers["Content-Encoding"] == "gzip"


def test_non_html_is_never_gzipped(server: DemoServer) -> None:
    reply = fetch(server, "/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in reply.headers


def test_chunked_path_is_sent_in_several_chunks(server: DemoServer) -> None:
    path = "/features/revolution-is-in-the-air/"
    raw = raw_exchange(
        server, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    )
    status_line, headers, body = split_response(raw)
    assert status_line == "HTTP/1.1 200 OK"
    assert headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in headers
    chunks = unchunk(body)
    assert len(chunks) == load_manifest(SITE_DIR)[path].chunks == 5
    page = render(SITE_DIR / path.strip("/") / "index.html", server.origin, server.offsite_origin)
    assert b"".join(chunks) == page


def test_chunked_and_gzipped_home_page_decodes_to_the_page(server: DemoServer) -> None:
    reply = fetch(server, "/", headers={"Accept-Encoding": "gzip"})
    assert reply.headers["Transfer-Encoding"] == "chunked"
    assert reply.headers["Content-Encoding"] == "gzip"
    page = render(SITE_DIR / "index.html", server.origin, server.offsite_origin)
    assert gzip.decompress(reply.body) == page


def test_http_1_0_client_gets_a_content_length_instead_of_chunks(server: DemoServer) -> None:
    raw = raw_exchange(server, b"GET / HTTP/1.0\r\n\r\n")
    _, headers, body = split_response(raw)
    assert "Transfer-Encoding" not in headers
    assert int(headers["Content-Length"]) == len(body)


def test_sent_bytes_are_exactly_what_a_raw_client_received(server: DemoServer) -> None:
    host = f"127.0.0.1:{server.port}"
    requests = (
        f"GET / HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n"
        f"GET /about/ HTTP/1.1\r\nHost: {host}\r\n\r\n"
        f"GET /no/such/page/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    received = raw_exchange(server, requests.encode())
    served = server.requests
    assert [r.path for r in served] == ["/", "/about/", "/no/such/page/"]
    assert b"".join(r.sent for r in served) == received


def test_keep_alive_answers_several_requests_on_one_connection(server: DemoServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", "/news/")
        conn.getresponse().read()
        sock = conn.sock
        for path in ("/", "/feed.xml", "/static/img/logo.png"):
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
        assert conn.sock is sock
    finally:
        conn.close()


def test_header_names_and_reason_phrase_are_sent_as_written(server: DemoServer) -> None:
    fetch(server, "/about/")
    head = server.requests[-1].sent.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    assert head[0] == "HTTP/1.1 200 Solidarity Forever"
    assert "content-language: en" in head
    assert "x-editorial-line: independent" in head
    assert "X-Served-By: archiver-demo" in head


def test_windows_1252_page_names_no_charset_in_its_header(server: DemoServer) -> None:
    path = "/international/bolivia-gas-nationalisation/"
    assert ARTICLES[path]["charset"] == "windows-1252"
    reply = fetch(server, path)
    assert reply.headers["Content-Type"] == "text/html"
    assert b'<meta charset="windows-1252">' in reply.body
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    assert "Álvaro García Linera" in reply.body.decode("windows-1252")


def test_missing_path_is_404_with_an_html_page(server: DemoServer) -> None:
    reply = fetch(server, "/news/no-such-article/")
    assert reply.status == 404
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>404 Not Found</h1>" in reply.body


@pytest.mark.parametrize(
    "path", ["/_server.toml", "/%5Fserver.toml", "/static/../_server.toml", "/../pyproject.toml"]
)
def test_manifest_and_paths_outside_the_site_are_not_served(server: DemoServer, path: str) -> None:
    assert fetch(server, path).status == 404


def test_directory_without_slash_redirects_to_its_slash_form(server: DemoServer) -> None:
    reply = fetch(server, "/about?ref=x")
    assert reply.status == 301
    assert reply.headers["Location"] == f"{server.origin}/about/?ref=x"


def test_head_sends_the_headers_of_get_without_a_body(server: DemoServer) -> None:
    reply = fetch(server, "/news/", method="HEAD")
    assert reply.status == 200
    assert reply.body == b""
    assert int(reply.headers["Content-Length"]) == len(fetch(server, "/news/").body)


def test_unsupported_method_is_answered_and_logged(server: DemoServer) -> None:
    reply = fetch(server, "/", method="POST")
    assert reply.status == 501
    assert server.requests[-1].status == 501
    assert server.requests[-1].sent.startswith(b"HTTP/1.1 501 ")


def test_request_log_records_method_path_host_and_status(server: DemoServer) -> None:
    fetch(server, "/news/?utm_source=x")
    fetch(server, "/missing", method="HEAD", headers={"Host": f"localhost:{server.port}"})
    first, second = server.requests
    assert (first.method, first.path, first.status) == ("GET", "/news/?utm_source=x", 200)
    assert first.host == f"127.0.0.1:{server.port}"
    assert (second.method, second.path, second.status) == ("HEAD", "/missing", 404)
    assert second.host == f"localhost:{server.port}"
    assert server.paths_requested() == ["/news/?utm_source=x", "/missing"]


def test_clear_forgets_the_requests_so_far(server: DemoServer) -> None:
    fetch(server, "/")
    server.clear()
    assert server.requests == []
    fetch(server, "/about/")
    assert server.paths_requested() == ["/about/"]


def test_server_refuses_a_host_that_is_not_loopback() -> None:
    with pytest.raises(ValueError):
        DemoServer(host="0.0.0.0")


def test_manifest_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_server.toml").write_text('["/"]\nchunk = 3\n', encoding="utf-8")
    with pytest.raises(UsageError, match="unknown keys"):
        load_manifest(tmp_path)


def test_a_custom_site_folder_can_be_served(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>{{origin}}</p>", encoding="utf-8")
    with DemoServer(site=tmp_path) as demo:
        assert fetch(demo, "/").body == f"<p>{demo.origin}</p>".encode()


def test_expected_file_names_every_html_page_of_the_site() -> None:
    named = set(ARTICLES) | set(EXPECTED["non_articles"]) | set(EXPECTED["disallowed"])
    assert set(html_pages()) == named
    assert len(ARTICLES) == 12


def test_every_path_in_the_expected_file_is_served(server: DemoServer) -> None:
    for path in [*ARTICLES, *EXPECTED["non_articles"], *EXPECTED["resources"]]:
        assert fetch(server, path).status == 200, path
    for path in EXPECTED["disallowed"]:
        # Robots.txt keeps polite crawlers out; the server itself serves the page.
        assert fetch(server, path).status == 200, path
    for path in EXPECTED["broken"]:
        assert fetch(server, path).status == 404, path
    for path, target in EXPECTED["redirects"].items():
        reply = fetch(server, path)
        assert (reply.status, reply.headers["Location"]) == (301, server.origin + target)


def test_every_on_site_link_resolves_except_the_known_broken_one(server: DemoServer) -> None:
    links = {u for urls in on_site_links(server).values() for u in urls}
    paths = {urlsplit(u).path for u in links}
    assert set(EXPECTED["broken"]) <= paths
    assert set(EXPECTED["redirects"]) <= paths
    for url in sorted(links):
        split = urlsplit(url)
        target = split.path + (f"?{split.query}" if split.query else "")
        status = fetch(server, target).status
        if split.path in EXPECTED["broken"]:
            assert status == 404, url
        elif split.path in EXPECTED["redirects"]:
            assert status == 301, url
        else:
            assert status == 200, url


def test_tracking_links_point_at_articles_also_linked_plainly(server: DemoServer) -> None:
    pages = on_site_links(server).values()
    linked = {u.removeprefix(server.origin) for urls in pages for u in urls}
    assert EXPECTED["tracking_links"]
    for href in EXPECTED["tracking_links"]:
        written = href.replace("{{origin}}", "")
        assert written in linked, href
        path = urlsplit(written).path
        assert path in ARTICLES, href
        assert path in linked, href


def test_sitemap_only_and_feed_only_articles_are_linked_from_no_html_page(
    server: DemoServer,
) -> None:
    hidden = set(EXPECTED["sitemap_only"]) | set(EXPECTED["feed_only"])
    for page, urls in on_site_links(server).items():
        linked = {urlsplit(u).path for u in urls}
        assert not (linked & hidden) - {page}, page
    sitemap = fetch(server, "/sitemap.xml").body.decode()
    feed = fetch(server, "/feed.xml").body.decode()
    for path in EXPECTED["sitemap_only"]:
        assert f"<loc>{server.origin}{path}</loc>" in sitemap
        assert path not in feed
    for path in EXPECTED["feed_only"]:
        assert f"<link>{server.origin}{path}</link>" in feed
        assert path not in sitemap


def test_home_page_announces_the_feed(server: DemoServer) -> None:
    home = fetch(server, "/").body.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in home
    assert 'href="/feed.xml"' in home


def test_every_article_is_in_the_sitemap_or_the_feed(server: DemoServer) -> None:
    sitemap = fetch(server, "/sitemap.xml").body.decode()
    feed = fetch(server, "/feed.xml").body.decode()
    listed = set(re.findall(r"<(?:loc|link)>([^<]+)</", sitemap + feed))
    for path in ARTICLES:
        assert server.origin + path in listed, path


def test_offsite_links_all_go_to_the_offsite_origin(server: DemoServer) -> None:
    offsite = set()
    for path in html_pages():
        if path in EXPECTED["disallowed"]:
            continue
        for link in links_of(page_text(server, path)):
            if link.startswith(server.offsite_origin):
                offsite.add(link.removeprefix(server.offsite_origin))
            else:
                assert urljoin(server.origin + path, link).split(":")[0] in (
                    "http",
                    "mailto",
                    "javascript",
                ), link
    assert offsite == set(EXPECTED["offsite"])


def test_article_pages_show_their_expected_text(server: DemoServer) -> None:
    for path, truth in ARTICLES.items():
        text = unescape(re.sub(r"<[^>]+>", "", page_text(server, path)))
        for field in ("headline", "first_paragraph", "last_paragraph"):
            assert truth[field] in text, (path, field)
        if truth["standfirst"]:
            assert truth["standfirst"] in text, path
        assert truth["byline"] in text, path
        assert text.count(truth["caption"]) == 2, path
        if truth["issue"]:
            assert f"Issue No. {truth['issue']}" in text, path


def test_article_metadata_is_as_declared(server: DemoServer) -> None:
    kinds = set()
    for path, truth in ARTICLES.items():
        html = page_text(server, path)
        has_jsonld = "application/ld+json" in html
        has_og = 'property="og:type" content="article"' in html
        has_time = "<time " in html
        kind = truth["metadata"]
        kinds.add(kind)
        assert has_jsonld == (kind == "json-ld"), path
        assert has_og == (kind == "opengraph"), path
        assert has_time == (kind == "time-element"), path
        if has_jsonld:
            data = re.search(r'ld\+json">(.*?)</script>', html, re.S)
            assert data is not None
            assert truth["date"] in data.group(1)
    assert kinds == {"json-ld", "opengraph", "time-element", "none"}


def test_site_is_small() -> None:
    assert sum(f.stat().st_size for f in SITE_DIR.rglob("*") if f.is_file()) < 300_000
