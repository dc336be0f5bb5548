"""Runs a command and measures what it cost: wall time, CPU time and peak memory of its tree.

A crawl is more than one process (archiver's extraction workers, multiprocessing's helpers), so
CPU time is the children's rusage delta, which counts every descendant once it is waited for,
and memory is the resident set summed over the whole process tree, sampled every 50 ms while the
command runs: the figure a machine's owner sees, not one process's.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class Cost:
    wall: float
    cpu: float
    """User and system seconds of the process and all its descendants."""
    peak_rss: int
    """Bytes: the highest sum of resident set sizes over the process tree at one sample."""
    returncode: int
    main_cpu: float = 0.0
    """CPU seconds of the command's own process (for a crawl, the reactor's process), without
    its descendants: the last sample before it exited."""
    main_peak_rss: int = 0
    """Bytes: the highest resident set size of the command's own process alone."""
    others: float = 0.0
    """CPU seconds that the rest of the machine (the site server, anything else running) used
    meanwhile: on a shared machine, what the command had to compete with."""

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def _sample(process: psutil.Process, done: threading.Event, seen: list[float]) -> None:
    """Keeps the peak tree RSS in seen[0], the process's own CPU seconds in seen[1] and its own
    peak RSS in seen[2]."""
    while not done.is_set():
        try:
            seen[0] = max(seen[0], tree_rss(process))
            times = process.cpu_times()
            seen[1] = times.user + times.system
            seen[2] = max(seen[2], process.memory_info().rss)
        except psutil.NoSuchProcess:
            return
        done.wait(SAMPLE_SECONDS)


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Cost:
    """Runs `command` to its end, its output to `log` (or discarded), and says what it cost."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before = _busy_seconds()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    started = time.perf_counter()
    try:
        child = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        done = threading.Event()
        seen = [0.0, 0.0, 0.0]
        sampler = threading.Thread(
            target=_sample, args=(psutil.Process(child.pid), done, seen), daemon=True
        )
        sampler.start()
        returncode = child.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    others = max(0.0, _busy_seconds() - busy_before - cpu)
    return Cost(wall, cpu, int(seen[0]), returncode, seen[1], int(seen[2]), others)
