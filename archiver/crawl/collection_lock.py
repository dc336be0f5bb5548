"""One crawl at a time per output folder.

Two crawls writing into one collection would interleave WARC files and duplicate records, so
a crawl holds an exclusive lock on `DIR/.archiver.lock` for its whole run. The lock is a kernel
file lock (flock): it dies with its process, so a lock file left by a killed crawl is noticed
(its process is gone), taken over, and reported.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from pathlib import Path
from typing import IO

from scrapy import signals
from scrapy.crawler import Crawler

from archiver.errors import UsageError

logger = logging.getLogger(__name__)
LOCK_FILE = ".archiver.lock"

# Locks held by this process, by folder: the CLI takes the lock before Scrapy starts (to fail
# with one clear line) and the extension takes it again for `scrapy crawl`; both share it.
_held: dict[Path, IO[str]] = {}


def acquire(folder: Path) -> None:
    folder = folder.resolve()
    if folder in _held:
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - held for the run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise UsageError(
            f"another crawl ({holder}) is writing to {folder}; wait for it to finish "
            "or choose another --output"
        ) from None
    handle.seek(0)
    previous = handle.read().strip()
    if previous:
        logger.warning(
            "Took over the lock of %s left by a crawl that ended abruptly (%s)", folder, previous
        )
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
    handle.flush()
    _held[folder] = handle


def release(folder: Path) -> None:
    handle = _held.pop(folder.resolve(), None)
    if handle is None:
        return
    handle.seek(0)
    handle.truncate()
    handle.close()


class CollectionLock:
    """The Scrapy extension holding the lock for crawls started with `scrapy crawl`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectionLock:
        folder = Path(crawler.settings["ARCHIVER_OUTPUT"])
        acquire(folder)
        extension = cls(folder)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self) -> None:
        release(self.folder)
