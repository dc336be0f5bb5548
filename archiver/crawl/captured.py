"""The item a spider hands to the pipelines: a page as fetched, and where its bytes are archived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from archiver.page import Page
from archiver.warc.writer import WarcPointer

WARC_META_KEY = "archiver_warc"
"""request.meta key under which the archive middleware leaves the response's WarcCapture."""


@dataclass(frozen=True, slots=True)
class WarcCapture:
    """Where a response's payload is archived, and when its request was sent."""

    pointer: WarcPointer
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class CapturedPage:
    page: Page
    warc: WarcPointer
