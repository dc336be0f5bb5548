"""The demo server and its site: what a crawl test may rely on, checked with plain HTTP clients."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import re
import socket
import struct
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from archiver.demo.conditional import entity_tag
from archiver.demo.manifest import PathRule, load_manifest, rule_for
from archiver.demo.server import DemoServer
from archiver.demo.site import FAULT_SITE_DIR, SITE_DIR, TEMPLATE_SUFFIXES, render, site_path
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


@pytest.fixture
def fault_server() -> Iterator[DemoServer]:
    with DemoServer(site=FAULT_SITE_DIR) as demo:
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


# Conditional requests: validators on files, 304 for an unchanged one.


def test_files_are_sent_with_an_etag_and_their_last_modified_time(server: DemoServer) -> None:
    reply = fetch(server, "/news/")
    assert re.fullmatch(r'"[0-9a-f]{32}"', reply.headers["ETag"])
    mtime = (SITE_DIR / "news" / "index.html").stat().st_mtime
    assert reply.headers["Last-Modified"] == formatdate(int(mtime), usegmt=True)


def test_etag_names_the_body_as_served(server: DemoServer) -> None:
    plain = fetch(server, "/news/")
    zipped = fetch(server, "/news/", headers={"Accept-Encoding": "gzip"})
    assert plain.headers["ETag"] == entity_tag(plain.body)
    assert zipped.headers["ETag"] == entity_tag(zipped.body) != plain.headers["ETag"]
    assert fetch(server, "/news/").headers["ETag"] == plain.headers["ETag"]


def test_if_none_match_of_the_current_etag_is_answered_304_without_a_body(
    server: DemoServer,
) -> None:
    ask = {"Accept-Encoding": "gzip"}
    page = fetch(server, "/features/", headers=ask)
    reply = fetch(server, "/features/", headers={**ask, "If-None-Match": page.headers["ETag"]})
    assert (reply.status, reply.body) == (304, b"")
    assert reply.headers["ETag"] == page.headers["ETag"]
    assert reply.headers["Last-Modified"] == page.headers["Last-Modified"]
    assert reply.headers["Vary"] == "Accept-Encoding"
    assert "Content-Length" not in reply.headers and "Content-Encoding" not in reply.headers
    served = server.requests[-1]
    assert served.status == 304
    assert served.sent.startswith(b"HTTP/1.1 304 Not Modified\r\n")
    assert served.sent.endswith(b"\r\n\r\n") and served.sent.count(b"\r\n\r\n") == 1


@pytest.mark.parametrize(
    "if_none_match", ['"0123"', "W/{etag}", '"0123", {etag}', "*", '{etag}, W/"0123"']
)
def test_if_none_match_compares_every_tag_weakly(server: DemoServer, if_none_match: str) -> None:
    etag = fetch(server, "/about/").headers["ETag"]
    reply = fetch(server, "/about/", headers={"If-None-Match": if_none_match.format(etag=etag)})
    assert reply.status == (200 if if_none_match == '"0123"' else 304)


def test_etag_of_one_encoding_does_not_match_the_other(server: DemoServer) -> None:
    plain_etag = fetch(server, "/news/").headers["ETag"]
    ask = {"Accept-Encoding": "gzip", "If-None-Match": plain_etag}
    assert fetch(server, "/news/", headers=ask).status == 200


def test_if_modified_since_the_last_modification_is_answered_304(server: DemoServer) -> None:
    modified = fetch(server, "/robots.txt").headers["Last-Modified"]
    assert fetch(server, "/robots.txt", headers={"If-Modified-Since": modified}).status == 304
    earlier = formatdate(parsedate_to_datetime(modified).timestamp() - 1, usegmt=True)
    assert fetch(server, "/robots.txt", headers={"If-Modified-Since": earlier}).status == 200
    unreadable = {"If-Modified-Since": "last Tuesday"}
    assert fetch(server, "/robots.txt", headers=unreadable).status == 200


def test_if_none_match_decides_over_if_modified_since(server: DemoServer) -> None:
    page = fetch(server, "/news/")
    ask = {"If-None-Match": '"0123"', "If-Modified-Since": page.headers["Last-Modified"]}
    assert fetch(server, "/news/", headers=ask).status == 200


def test_conditional_head_is_answered_304(server: DemoServer) -> None:
    etag = fetch(server, "/news/").headers["ETag"]
    assert fetch(server, "/news/", "HEAD", headers={"If-None-Match": etag}).status == 304


def test_304_keeps_the_connection_open_and_its_reason_phrase_standard(server: DemoServer) -> None:
    etag = fetch(server, "/about/").headers["ETag"]
    host = f"127.0.0.1:{server.port}"
    received = raw_exchange(
        server,
        (
            f"GET /about/ HTTP/1.1\r\nHost: {host}\r\nIf-None-Match: {etag}\r\n\r\n"
            f"GET /about/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ).encode(),
    )
    not_modified, page = server.requests[-2:]
    assert received == not_modified.sent + page.sent
    assert not_modified.sent.startswith(b"HTTP/1.1 304 Not Modified\r\n")
    assert page.sent.startswith(b"HTTP/1.1 200 Solidarity Forever\r\n")


def test_changed_file_is_sent_again_with_a_new_etag(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<p>First edition</p>", encoding="utf-8")
    with DemoServer(site=tmp_path) as demo:
        first = fetch(demo, "/")
        page.write_text("<p>Second edition</p>", encoding="utf-8")
        mtime = page.stat().st_mtime + 60
        os.utime(page, (mtime, mtime))
        ask = {"If-None-Match": first.headers["ETag"]}
        second = fetch(demo, "/", headers=ask)
        since = fetch(demo, "/", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert (second.status, second.body) == (200, b"<p>Second edition</p>")
    assert second.headers["ETag"] != first.headers["ETag"]
    assert since.status == 200


def test_error_pages_redirects_and_generated_pages_carry_no_validators(
    fault_server: DemoServer,
) -> None:
    for path in ("/news/no-such-article/", "/news/withdrawn-article/", "/go/glasgow-march/"):
        assert "ETag" not in fetch(fault_server, path).headers, path
    for path in ("/calendar/2006/03/", "/search?q=strike"):
        reply = fetch(fault_server, path, headers={"If-Modified-Since": formatdate(usegmt=True)})
        assert reply.status == 200 and "ETag" not in reply.headers, path


# Faults: the manifest keys that make the server fail on purpose.


def site_with(folder: Path, manifest: str, pages: Iterable[str] = ("/",)) -> Path:
    """A site in `folder`: a small HTML page at each path, and the manifest."""
    for path in pages:
        file = folder.joinpath(*path.strip("/").split("/"), "index.html")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"<!DOCTYPE html>\n<p>The page at {path}</p>\n" * 20, encoding="utf-8")
    (folder / "_server.toml").write_text(manifest, encoding="utf-8")
    return folder


def raw_until_closed(server: DemoServer, path: str) -> tuple[bytes, bool]:
    """What the server sent for one request on a fresh connection, and whether it was reset."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    received = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            return received, True
    return received, False


def test_prefix_table_applies_below_it_and_a_path_own_table_wins(tmp_path: Path) -> None:
    manifest = (
        '["/calendar/*"]\ngenerate = "calendar"\n'
        '["/calendar/2006/*"]\nreason = "Archive"\n'
        '["/calendar/2006/03/"]\nreason = "This month"\n'
    )
    rules = load_manifest(site_with(tmp_path, manifest, pages=()))
    assert rule_for(rules, "/calendar/1999/01/").generate == "calendar"
    assert rule_for(rules, "/calendar/2006/04/").reason == "Archive"
    assert rule_for(rules, "/calendar/2006/03/").reason == "This month"
    assert rule_for(rules, "/calendar") == rule_for(rules, "/news/") == PathRule()


@pytest.mark.parametrize(
    "table",
    [
        "status = 301",
        'status = 404\nlocation = "/"',
        "status = 200",
        'reset = "after-request"\ntruncate = 0.5',
        "truncate = 1.5",
        'reset = "sometimes"',
        'generate = "maze"',
        "times = 0",
        'delay = "slow"',
        'gzip = "no"',
        "pad_to = -1",
    ],
)
def test_manifest_refuses_fault_keys_that_make_no_sense(tmp_path: Path, table: str) -> None:
    site_with(tmp_path, f'["/"]\n{table}\n')
    with pytest.raises(UsageError):
        load_manifest(tmp_path)


def test_status_is_answered_whatever_file_is_there(tmp_path: Path) -> None:
    with DemoServer(site=site_with(tmp_path, '["/gone/"]\nstatus = 410\n', ["/gone/"])) as demo:
        reply = fetch(demo, "/gone/")
    assert reply.status == 410
    assert b"<h1>410 Gone</h1>" in reply.body


def test_fault_with_times_ends_after_that_many_requests_and_clear_starts_again(
    tmp_path: Path,
) -> None:
    site = site_with(tmp_path, '["/"]\nstatus = 503\ntimes = 2\n')
    with DemoServer(site=site) as demo:
        first = [fetch(demo, "/").status for _ in range(3)]
        demo.clear()
        again = fetch(demo, "/").status
        logged = [r.status for r in demo.requests]
    assert first == [503, 503, 200]
    assert again == 503 and logged == [503]


def test_redirect_chain_sends_locations_filled_or_as_written(fault_server: DemoServer) -> None:
    hops = [fetch(fault_server, path) for path in ("/go/glasgow-march/", "/go/glasgow-march-2/")]
    last = fetch(fault_server, "/go/glasgow-march-3/")
    loop = fetch(fault_server, "/loop/two/")
    assert [(r.status, r.headers["Location"]) for r in hops] == [
        (301, f"{fault_server.origin}/go/glasgow-march-2/"),
        (302, "/go/glasgow-march-3/"),
    ]
    assert last.headers["Location"] == f"{fault_server.origin}/features/where-the-redirects-end/"
    assert (loop.status, loop.headers["Location"]) == (302, f"{fault_server.origin}/loop/one/")


def test_delayed_page_is_answered_after_the_delay(tmp_path: Path) -> None:
    with DemoServer(site=site_with(tmp_path, '["/"]\ndelay = 0.3\n')) as demo:
        started = time.monotonic()
        reply = fetch(demo, "/")
        waited = time.monotonic() - started
    assert reply.status == 200 and waited >= 0.3


def test_stopping_the_server_does_not_wait_for_a_delayed_answer(tmp_path: Path) -> None:
    demo = DemoServer(site=site_with(tmp_path, '["/"]\ndelay = 30\n')).start()
    client = threading.Thread(target=raw_until_closed, args=(demo, "/"), daemon=True)
    client.start()
    time.sleep(0.2)
    started = time.monotonic()
    demo.stop()
    client.join(timeout=5)
    assert time.monotonic() - started < 2
    assert not client.is_alive()


def test_reset_after_the_request_sends_nothing(tmp_path: Path) -> None:
    site = site_with(tmp_path, '["/"]\nreset = "after-request"\n')
    with DemoServer(site=site) as demo:
        received, reset = raw_until_closed(demo, "/")
        (served,) = demo.requests
    assert (received, reset) == (b"", True)
    assert (served.status, served.sent) == (0, b"")


def test_reset_mid_headers_sends_half_the_header_block(tmp_path: Path) -> None:
    site = site_with(tmp_path, '["/"]\nreset = "mid-headers"\n')
    with DemoServer(site=site) as demo:
        received, reset = raw_until_closed(demo, "/")
        (served,) = demo.requests
    assert reset
    assert received == served.sent
    assert received.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\n\r\n" not in received
    assert served.status == 200


def test_truncated_body_promises_more_than_it_sends_then_closes(tmp_path: Path) -> None:
    with DemoServer(site=site_with(tmp_path, '["/"]\ntruncate = 0.25\n')) as demo:
        received, reset = raw_until_closed(demo, "/")
        (served,) = demo.requests
    assert not reset and received == served.sent
    _, headers, body = split_response(received)
    assert len(body) == int(headers["Content-Length"]) // 4
    assert "Connection" not in headers


def test_stalled_body_arrives_whole_after_the_stall(tmp_path: Path) -> None:
    with DemoServer(site=site_with(tmp_path, '["/"]\nstall = 0.5\ntimes = 1\n')) as demo:
        started = time.monotonic()
        stalled = fetch(demo, "/")
        waited = time.monotonic() - started
        again = fetch(demo, "/")
    assert waited >= 0.5
    assert len(stalled.body) == int(stalled.headers["Content-Length"])
    assert stalled.body == again.body


def test_client_hanging_up_in_a_stall_leaves_what_was_sent_in_the_log(tmp_path: Path) -> None:
    with DemoServer(site=site_with(tmp_path, '["/"]\nstall = 1.0\n')) as demo:
        with socket.create_connection(("127.0.0.1", demo.port), timeout=10) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            first_part = sock.recv(65536)
            sock.settimeout(0.3)
            with contextlib.suppress(TimeoutError):
                while chunk := sock.recv(65536):
                    first_part += chunk
            # Hang up with a reset, as a crawler aborting at its timeout may.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        deadline = time.monotonic() + 5
        while demo.requests[0].sent != first_part and time.monotonic() < deadline:
            time.sleep(0.05)
        (served,) = demo.requests
    assert served.sent == first_part
    assert first_part.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\n\r\n" in first_part


def test_padded_page_is_exactly_that_big_uncompressed_and_the_same_each_time(
    tmp_path: Path,
) -> None:
    page = "<html><body><p>Minutes</p></body></html>\n"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    manifest = '["/"]\npad_to = 100_000\ngzip = false\n'
    (tmp_path / "_server.toml").write_text(manifest, encoding="utf-8")
    with DemoServer(site=tmp_path) as demo:
        first = fetch(demo, "/", headers={"Accept-Encoding": "gzip"})
        second = fetch(demo, "/")
    assert len(first.body) == 100_000 and first.body == second.body
    assert "Content-Encoding" not in first.headers
    assert first.body.startswith(b'<html><body><p>Minutes</p><script type="application/json"')
    assert first.body.endswith(b"</script>\n</body></html>\n")


def test_calendar_links_to_the_months_either_side_without_end(fault_server: DemoServer) -> None:
    march = fetch(fault_server, "/calendar/2006/03/")
    far = fetch(fault_server, "/calendar/9999/12/")
    bad = fetch(fault_server, "/calendar/2006/13/")
    base = f"{fault_server.origin}/calendar/"
    linked = {urljoin(base + "2006/03/", link) for link in links_of(march.body.decode())}
    either_side = {f"{base}{month}/" for month in ("2006/02", "2006/04", "2005/03", "2007/03")}
    assert either_side <= linked
    assert 'href="../../10000/01/"' in far.body.decode()
    assert bad.status == 404


def test_search_links_to_the_next_page_every_sort_and_every_facet(fault_server: DemoServer) -> None:
    page = fetch(fault_server, "/search?q=strike&sort=date&page=1000")
    links = [link for link in links_of(page.body.decode()) if link.startswith("/search")]
    queries = [dict(parse_qsl(urlsplit(link).query)) for link in links]
    assert {"q": "strike", "sort": "date", "page": "1001"} in queries
    assert {"q": "strike", "sort": "title", "page": "1000"} in queries
    assert {"q": "strike", "section": "news", "sort": "date", "page": "1000"} in queries


# The fault site.


def test_fault_site_links_every_fault_from_its_home_page(fault_server: DemoServer) -> None:
    home = fetch(fault_server, "/").body.decode()
    linked = {urlsplit(urljoin(fault_server.origin + "/", link)).path for link in links_of(home)}
    entries = {path.removesuffix("*") for path in load_manifest(FAULT_SITE_DIR)}
    chain_entries = {"/go/glasgow-march-2/", "/go/glasgow-march-3/", "/loop/two/"}
    for entry in entries - chain_entries:
        assert any(path.startswith(entry) for path in linked), entry
    assert "/news/no-such-article/" in linked


def test_fault_site_windows_1252_page_names_no_charset_anywhere(fault_server: DemoServer) -> None:
    reply = fetch(fault_server, "/international/cafe-workers-win-recognition/")
    assert reply.headers["Content-Type"] == "text/html"
    assert b"charset" not in reply.body.lower()
    text = reply.body.decode("windows-1252")
    assert "\u2018We\u2019re not going back\u2019" in text and "£6.55" in text and "€1" in text
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")


def test_fault_site_is_small() -> None:
    size = sum(f.stat().st_size for f in FAULT_SITE_DIR.rglob("*") if f.is_file())
    assert size < 100_000
