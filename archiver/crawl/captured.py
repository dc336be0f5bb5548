"""The item a spider hands to the pipelines: a page as fetched, and where its bytes are archived."""

from __future__ import annotations

from dataclasses import dataclass

from archiver.page import Page
from archiver.warc.writer import WarcPointer

WARC_META_KEY = "archiver_warc"
"""request.meta key under which the archive middleware leaves the response's WarcCapture."""


@dataclass(frozen=True, slots=True)
class CapturedPage:
    page: Page
    warc: WarcPointer
