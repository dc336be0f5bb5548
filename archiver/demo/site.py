"""The bundled demo sites as files: which file a URL path names, and how a template is filled.

Two sites: the demo site proper (SITE_DIR), which `archiver demo` crawls, and the fault site
(FAULT_SITE_DIR), whose manifest makes the server fail in every way a crawl must survive.

Pages link to the demo server itself and to an "off-site" host with absolute URLs, and both depend
on the port the server got, so text files are templates: `{{origin}}` and `{{offsite}}` are
replaced at serving time. The HTTP side (headers, gzip, chunking) lives in `archiver.demo.server`.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

SITE_DIR = Path(__file__).with_name("site")
FAULT_SITE_DIR = Path(__file__).with_name("fault_site")
TEMPLATE_SUFFIXES = frozenset({".html", ".xml", ".txt"})

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


@dataclass(frozen=True, slots=True)
class Found:
    file: Path


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str
    """A path on the same server, e.g. "/news/" for a request of "/news"."""


@dataclass(frozen=True, slots=True)
class NotFound:
    pass


def resolve(site: Path, url_path: str) -> Found | Redirect | NotFound:
    """The file behind a request path (query already removed), as a static web server would."""
    path = unquote(url_path)
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return NotFound()
    parts = [p for p in path.split("/") if p]
    # "_" files are server configuration, "." files are not for the public, ".." escapes the site.
    if any(p.startswith(("_", ".")) for p in parts):
        return NotFound()
    target = site.joinpath(*parts)
    if not target.resolve().is_relative_to(site.resolve()):
        return NotFound()
    if target.is_dir():
        if not path.endswith("/"):
            return Redirect(url_path + "/")
        index = target / "index.html"
        return Found(index) if index.is_file() else NotFound()
    if target.is_file() and not path.endswith("/"):
        return Found(target)
    return NotFound()


def content_type_for(file: Path, encoding: str = "utf-8") -> str:
    """The Content-Type a plain static server would send for the file."""
    default = _CONTENT_TYPES.get(file.suffix, "application/octet-stream")
    return default.replace("charset=utf-8", f"charset={encoding}")


def render(file: Path, origin: str, offsite: str, encoding: str = "utf-8") -> bytes:
    """The bytes of a file as served: templates filled and encoded, anything else as stored."""
    if file.suffix not in TEMPLATE_SUFFIXES:
        return file.read_bytes()
    text = file.read_text(encoding="utf-8")
    return fill(text, origin, offsite).encode(encoding)


def pad(body: bytes, size: int, seed: str) -> bytes:
    """The page grown to `size` bytes by an inline JSON <script> before </body>, as pages that
    carry their app's state do; the same bytes for the same seed, and unchanged if already bigger.

    The filler is random base64, so gzip cannot shrink it: the page is big on the wire too.
    """
    start = b'<script type="application/json" id="page-state">"'
    end = b'"</script>\n'
    room = size - len(body) - len(start) - len(end)
    if room <= 0:
        return body
    filler = base64.b64encode(random.Random(seed).randbytes(room * 3 // 4 + 3))[:room]
    at = body.rfind(b"</body>")
    at = len(body) if at < 0 else at
    return body[:at] + start + filler + end + body[at:]


def fill(text: str, origin: str, offsite: str) -> str:
    return text.replace("{{origin}}", origin).replace("{{offsite}}", offsite)


def site_path(file: Path, site: Path = SITE_DIR) -> str:
    """The URL path that serves a file of the site (an index.html is served as its folder)."""
    rel = PurePosixPath(file.relative_to(site).as_posix())
    if rel.name == "index.html":
        parent = str(rel.parent)
        return "/" if parent == "." else f"/{parent}/"
    return f"/{rel}"
