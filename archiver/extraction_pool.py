"""Extraction in worker processes: off the crawl's reactor, on every core, with a time limit.

Extracting a page costs tens of milliseconds of CPU; done on the Twisted reactor thread it
would stall downloads, and one process uses one core. A crawl hands pages to this pool instead
(and the finding of each page's links); `archiver extract` hands it ranges of WARC files, which
the workers read too (`archiver.warc.ranges`). A page that
keeps a worker busy past the time limit (hostile or pathological HTML; lxml cannot be
interrupted from another thread) gets its worker killed and replaced, and yields no record: the
crawl goes on. pebble manages the processes.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError, TimeoutError, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, Union

from pebble import ProcessExpired, ProcessPool

from archiver.export.jsonl import RecordLine
from archiver.page import Page
from archiver.records import Record
from archiver.warc.reader import Revisit, Skipped, WarcProblem
from archiver.warc.writer import WarcPointer

if TYPE_CHECKING:
    from archiver.crawl.links import PageLinks
    from archiver.extract import IssueArchive

logger = logging.getLogger(__name__)
T = TypeVar("T")
_WATCH_INTERVAL = 1.0
_WORKER_START = 2.0
"""Seconds a started worker takes, at most, to read what it needs of the pool's locks."""
# Workers are started fresh (not forked): the crawl process runs threads and a reactor that a
# fork would copy in an undefined state.
_CONTEXT = multiprocessing.get_context("spawn")
Outcome = Union[Record, "IssueArchive", str]
"""What a worker sends back for a page: see `extraction_tasks.extract_or_explain`."""


def run_task(module: str, name: str, *args: object) -> object:
    """Runs a task in a worker, named by its module: the process giving out work never imports
    the modules that do the work (`extraction_tasks`; `archiver.crawl.links`, Scrapy's, which
    only a crawl's workers need)."""
    return getattr(importlib.import_module(module), name)(*args)


def _task(name: str, module: str = "archiver.extraction_tasks") -> Callable[..., Any]:
    return functools.partial(run_task, module, name)


def _failure(future: Future[T]) -> str | None:
    """Why a finished future has no result ("timeout", ...), or None when it has one."""
    try:
        future.result()
    except TimeoutError:
        return "timeout"
    except ProcessExpired as exc:
        return f"worker died ({exc})"
    except Exception as exc:  # a bug on one page must cost that page, not the crawl
        return error_reason(exc)
    return None


def error_reason(exc: Exception) -> str:
    return f"error ({type(exc).__name__}: {exc})"


@dataclass(frozen=True, slots=True)
class Extracted:
    """A page's outcome: its record; or, without one, why: `skipped` (the page is no article,
    or a bot challenge or login wall) or `failure` (extraction failed or ran out of time).
    An issue-archive page gives the issue it lists instead (`skipped` "issue-archive")."""

    record: Record | None
    skipped: str | None = None
    failure: str | None = None
    listing: IssueArchive | None = None

    @classmethod
    def of(cls, result: Outcome) -> Extracted:
        if isinstance(result, str):
            return cls(None, skipped=result)
        if isinstance(result, Record):
            return cls(result)
        return cls(None, skipped="issue-archive", listing=result)


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """A page of a WARC range and what extraction made of it; its record also as the line to
    write, unless it has none."""

    url: str
    extracted: Extracted
    line: RecordLine | None = None


RangeItem = PageOutcome | Revisit | Skipped | WarcProblem


class ExtractionPool:
    def __init__(self, workers: int, timeout: float) -> None:
        self._workers = workers
        self._timeout = timeout
        self._lock = threading.Lock()
        self._pool = self._start()
        self._unfinished: set[Future[Any]] = set()
        """The current pool's futures not yet done: failed by us if the pool breaks."""
        self.restarts = 0
        """How often the pool broke and was replaced."""
        self._killed_at = float("-inf")
        """When a worker was last killed (a page past the time limit, a crash)."""
        self._closed = threading.Event()
        threading.Thread(target=self._watch, name="extraction-pool-watch", daemon=True).start()

    def _start(self) -> ProcessPool:
        return ProcessPool(
            max_workers=self._workers,
            initializer=_task("warm_up"),
            context=_CONTEXT,
        )

    def submit(self, page: Page, warc: WarcPointer) -> Future[Outcome]:
        return self._schedule(_task("extract_or_explain"), page, warc)

    def submit_range(
        self, path: str, start: int, stop: int | None, max_size: int
    ) -> Future[list[RangeItem]]:
        """The pages of a range of a WARC file, read and extracted in a worker. The range has
        the time limit of one page: a few dozen pages take a fraction of it, and a range that
        runs out of it (or kills its worker) is for the caller to take page by page."""
        return self._schedule(_task("extract_range"), path, start, stop, max_size)

    def submit_links(self, page: Page) -> Future[PageLinks]:
        """The page's links, for the crawl to follow: found in a worker, as records are."""
        return self._schedule(_task("page_links", "archiver.crawl.links"), page)

    def _schedule(self, task: Callable[..., Any], *args: object) -> Future[Any]:
        with self._lock:
            if not self._pool.active:
                self._replace()
            future = self._pool.schedule(task, args=args, timeout=self._timeout)
            self._unfinished.add(future)
            future.add_done_callback(self._unfinished.discard)
            future.add_done_callback(self._note_kill)
        return future

    def _watch(self) -> None:
        """Notices a broken pool even when no page is submitted (the crawl's last pages)."""
        while not self._closed.wait(_WATCH_INTERVAL):
            with self._lock:
                if not self._closed.is_set() and not self._pool.active:
                    self._replace()

    def _replace(self) -> None:
        """pebble gives up on the whole pool when a worker dies idle (the kernel's OOM killer,
        an operator's kill) or its channel breaks: pages queued then are never run, and every
        later page would fail too. The pages in flight fail now; a new pool takes the rest."""
        logger.warning("The extraction worker pool broke; starting a new one")
        broken, self._pool = self._pool, self._start()
        self.restarts += 1
        broken.stop()
        broken.join()
        unfinished, self._unfinished = self._unfinished, set()
        for future in list(unfinished):  # a copy: futures still finish (and leave it) meanwhile
            with contextlib.suppress(InvalidStateError):  # it finished meanwhile
                future.set_exception(BrokenProcessPool("the extraction worker pool broke"))

    @staticmethod
    def outcome(future: Future[Outcome]) -> Extracted:
        """The result of a finished future, failures turned into a reason."""
        failure = _failure(future)
        if failure is not None:
            return Extracted(None, failure=failure)
        return Extracted.of(future.result())

    @staticmethod
    def links(future: Future[PageLinks]) -> PageLinks | str:
        """The links of a finished future, or why there are none."""
        return _failure(future) or future.result()

    @staticmethod
    def range_items(future: Future[list[RangeItem]]) -> list[RangeItem] | str:
        """The items of a finished range, or why there are none."""
        return _failure(future) or future.result()

    def close(self) -> None:
        """Lets the pages in flight finish, then stops the workers.

        A worker killed past the time limit is replaced at once; its replacement, if the pool
        went away while it started, would find the pool's locks gone and print a traceback.
        So the workers are stopped only once a replacement has had time to start."""
        self._closed.set()
        while self._pool.active:  # a broken pool finishes nothing: waiting on it would hang
            with self._lock:
                unfinished = list(self._unfinished)
            if not unfinished:
                break
            wait(unfinished, timeout=_WATCH_INTERVAL)
        time.sleep(max(0.0, self._killed_at + _WORKER_START - time.monotonic()))
        self._pool.stop()
        self._pool.join()

    def _note_kill(self, future: Future[Any]) -> None:
        if not future.cancelled() and isinstance(
            future.exception(), TimeoutError | ProcessExpired
        ):
            self._killed_at = time.monotonic()
