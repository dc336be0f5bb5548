"""Replay in pywb: every archived article comes back from a crawl's WARCs as it was captured.

pywb runs from its own venv as a subprocess on 127.0.0.1 (`tests/pywb_server.py` says why), over a
collection made by pywb's own `wb-manager` from the demo crawl's WARC files.

What pywb 2.10 sends back in identity mode (`/COLL/TIMESTAMPid_/URL`), found by reading its
answers to our gzip-encoded and chunked captures:

- Chunked framing is never replayed as archived. pywb removes the archived framing (the original
  header comes back as `X-Archive-Orig-Transfer-Encoding`) and frames the body afresh, in chunks of
  its own sizes, so the strongest equality for a chunked capture is on the body without framing.
- Content-Encoding follows the client. To a client that accepts gzip, pywb sends the archived
  gzip bytes untouched, with `Content-Encoding: gzip`; for a capture that was not chunked that is
  the archived payload byte for byte, whose SHA-1 is the record's WARC-Payload-Digest. To a client
  that does not, it sends the decoded payload (warcio's `content_stream()`), and the header only
  as `X-Archive-Orig-Content-Encoding`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from tests.conftest import CrawlRun
from tests.pywb_server import PywbServer, PywbUnavailable, ensure_venv, make_collection

COLLECTION = "demo"

# The first test to ask for pywb may have to build its venv (pip, about 20 s with a warm cache,
# minutes on a slow mirror) inside its own time budget; `.ci/run` builds it before pytest.
pytestmark = pytest.mark.timeout(600)


@dataclass(frozen=True)
class Capture:
    """A response record as archived: the raw payload and the payload decoded."""

    url: str
    date: datetime
    status: int
    chunked: bool
    content_encoding: str | None
    raw: bytes
    """The HTTP body exactly as the server sent it (chunk framing, gzip and all)."""
    decoded: bytes
    """warcio's content_stream(): de-chunked and decompressed."""

    @property
    def timestamp(self) -> str:
        return self.date.strftime("%Y%m%d%H%M%S")

    @property
    def unframed(self) -> bytes:
        """The body without chunk framing, still gzip-encoded: the bytes the server chunked."""
        if not self.chunked:
            return self.raw
        return ChunkedDataReader(io.BytesIO(self.raw)).read()


@dataclass(frozen=True)
class Replayed:
    status: int
    headers: Message
    body: bytes
    """With pywb's own chunk framing removed (http.client does that), nothing else."""


@pytest.fixture(scope="session")
def pywb_venv() -> Path:
    try:
        return ensure_venv()
    except PywbUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def pywb(
    pywb_venv: Path, demo_crawl: CrawlRun, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PywbServer]:
    root = tmp_path_factory.mktemp("pywb")
    try:
        make_collection(
            pywb_venv, root, COLLECTION, sorted((demo_crawl.output / "warc").glob("*.warc.gz"))
        )
        server = PywbServer.start(pywb_venv, root, COLLECTION)
    except PywbUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    with server:
        yield server


@pytest.fixture(scope="module")
def captures(demo_crawl: CrawlRun) -> dict[str, Capture]:
    """Every response record of the demo crawl, by target URL (the first capture of each)."""
    found: dict[str, Capture] = {}
    for path in sorted((demo_crawl.output / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            offsets = [iterator.get_record_offset() for r in iterator if r.rec_type == "response"]
        for offset in offsets:
            capture = _capture(path, offset)
            found.setdefault(capture.url, capture)
    return found


def _capture(path: Path, offset: int) -> Capture:
    # Read twice: raw_stream and content_stream() consume the same underlying stream.
    with open(path, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        raw = record.raw_stream.read()
    with open(path, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        decoded = record.content_stream().read()
    headers = record.http_headers
    return Capture(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        date=datetime.fromisoformat(record.rec_headers.get_header("WARC-Date")),
        status=int(headers.get_statuscode()),
        chunked="chunked" in (headers.get_header("Transfer-Encoding") or "").lower(),
        content_encoding=headers.get_header("Content-Encoding"),
        raw=raw,
        decoded=decoded,
    )


def _article_capture(run: CrawlRun, record: dict[str, Any]) -> Capture:
    return _capture(run.output / record["warc"]["filename"], record["warc"]["offset"])


def _replay(
    pywb: PywbServer, capture: Capture, modifier: str = "", accept_encoding: str = "identity"
) -> Replayed:
    connection = http.client.HTTPConnection("127.0.0.1", pywb.port, timeout=10)
    try:
        connection.request(
            "GET",
            f"/{COLLECTION}/{capture.timestamp}{modifier}/{capture.url}",
            headers={"Accept-Encoding": accept_encoding},
        )
        response = connection.getresponse()
        return Replayed(response.status, response.headers, response.read())
    finally:
        connection.close()


def _is_that_capture(replayed: Replayed, capture: Capture) -> bool:
    """pywb picks the closest capture: Memento-Datetime says which one it replayed."""
    memento = replayed.headers.get("Memento-Datetime")
    return memento is not None and parsedate_to_datetime(memento) == capture.date.replace(
        microsecond=0
    )


def _sha1_base32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def test_every_article_replays_in_identity_mode_as_the_bytes_the_server_sent(
    pywb: PywbServer, demo_crawl: CrawlRun
) -> None:
    records = demo_crawl.records()
    assert records
    chunked = 0
    for record in records:
        capture = _article_capture(demo_crawl, record)
        replayed = _replay(pywb, capture, "id_", accept_encoding="gzip")
        assert replayed.status == capture.status == 200, record["url"]
        assert _is_that_capture(replayed, capture), record["url"]
        assert capture.content_encoding == "gzip", record["url"]
        assert replayed.headers.get("Content-Encoding") == "gzip", record["url"]
        # Only the chunk framing differs: pywb frames the body afresh (module docstring).
        assert replayed.body == capture.unframed, record["url"]
        if capture.chunked:
            chunked += 1
        else:
            assert replayed.body == capture.raw, record["url"]
            assert _sha1_base32(replayed.body) == record["warc"]["payload_digest"], record["url"]
    # The demo site chunks one article: the de-chunking path above was taken.
    assert chunked >= 1


def test_every_article_replays_decoded_to_a_client_that_does_not_accept_gzip(
    pywb: PywbServer, demo_crawl: CrawlRun
) -> None:
    for record in demo_crawl.records():
        capture = _article_capture(demo_crawl, record)
        replayed = _replay(pywb, capture, "id_", accept_encoding="identity")
        assert replayed.status == 200, record["url"]
        assert _is_that_capture(replayed, capture), record["url"]
        assert replayed.headers.get("Content-Encoding") is None, record["url"]
        assert replayed.headers.get("X-Archive-Orig-Content-Encoding") == "gzip", record["url"]
        assert replayed.body == capture.decoded, record["url"]


def test_robots_txt_capture_replays_as_archived(
    pywb: PywbServer, demo_crawl: CrawlRun, captures: dict[str, Capture]
) -> None:
    origin = _origin(demo_crawl)
    capture = captures[f"{origin}/robots.txt"]
    replayed = _replay(pywb, capture, "id_")
    assert capture.status == 200
    assert replayed.status == 200
    assert _is_that_capture(replayed, capture)
    assert replayed.body == capture.decoded
    assert b"Disallow:" in replayed.body


def test_a_404_capture_replays_as_a_404_with_the_archived_page(
    pywb: PywbServer,
    demo_crawl: CrawlRun,
    captures: dict[str, Capture],
    demo_expected: dict[str, Any],
) -> None:
    origin = _origin(demo_crawl)
    broken = [captures[f"{origin}{path}"] for path in demo_expected["broken"]]
    assert broken
    for capture in broken:
        replayed = _replay(pywb, capture, "id_")
        assert capture.status == 404
        # pywb answers "not in the archive" with 404 too: the body tells which 404 this is.
        assert replayed.status == 404, capture.url
        assert _is_that_capture(replayed, capture), capture.url
        assert replayed.body == capture.decoded, capture.url


def test_replay_page_of_every_article_is_rewritten_and_shows_its_headline(
    pywb: PywbServer, demo_crawl: CrawlRun, demo_expected: dict[str, Any]
) -> None:
    origin = _origin(demo_crawl)
    for record in demo_crawl.records():
        capture = _article_capture(demo_crawl, record)
        replayed = _replay(pywb, capture)
        assert replayed.status == 200, record["url"]
        # pywb rewrites a page in the page's own encoding (windows-1252 stays windows-1252), so
        # the page decodes strictly with the charset the demo site served it in.
        charset = demo_expected["articles"][urlsplit(record["url"]).path]["charset"]
        page = html.unescape(replayed.body.decode(charset))
        assert record["headline"] in re.sub(r"\s+", " ", page), record["url"]
        # On-site links now lead into the archive, at the capture's time.
        assert f'href="/{COLLECTION}/{capture.timestamp}/{origin}/' in page, record["url"]


def _origin(run: CrawlRun) -> str:
    url = urlsplit(run.records()[0]["url"])
    return f"{url.scheme}://{url.netloc}"
