"""How the demo server misbehaves on purpose: faults that end, resets, cut-off responses.

A crawl that runs for days meets servers that fail for a while, drop connections and stop
sending halfway through a body. The manifest keys `times`, `reset`, `truncate` and `stall`
(`archiver.demo.manifest`) ask for these; this module holds what they need beyond building a
response: a count of requests per path, and the cuts and the reset applied on the wire.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections import Counter

_HEAD_END = b"\r\n\r\n"


class PathCounter:
    """How many times each path was requested, so that a fault can stop after N times."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, path: str) -> int:
        """Counts one more request of the path; returns how many there have been, this one too."""
        with self._lock:
            self._counts[path] += 1
            return self._counts[path]

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


def mid_headers(raw: bytes) -> bytes:
    """The first half of a response's header block: a status line and some headers, no end."""
    return raw[: raw.index(_HEAD_END) // 2]


def truncated(raw: bytes, fraction: float) -> bytes:
    """The response with only `fraction` of its body; its Content-Length still names the whole."""
    body_at = raw.index(_HEAD_END) + len(_HEAD_END)
    return raw[: body_at + int((len(raw) - body_at) * fraction)]


def reset(connection: socket.socket) -> None:
    """Closes the connection with a TCP RST, as a crashed server or a middlebox does.

    A zero linger time makes close() drop the connection instead of ending it with FIN, so the
    client sees "connection reset", not an orderly end of the stream.
    """
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()
