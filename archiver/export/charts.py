"""Inline SVG charts for the report: bars per month, ranked bars, issue coverage strips.

Plain SVG text, no script and no chart library: the report must open from a disk, a mail or an
archive without network, and read the same in twenty years. Every bar is a `rect.bar` carrying
its key and value (`data-key`, `data-value`) and a tooltip (`<title>`), so the numbers can be read
off the page by people and checked by tests. All text from the collection is escaped: headlines
and names come from crawled pages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

WIDTH = 860
_AXIS = 40
_LABEL_SPACING = 64
_ROW = 22
_LABEL_WIDTH = 250
_MAX_LABEL_CHARS = 38


def month_bars(
    months: Sequence[str], counts: Mapping[str, int], *, top: int, name: str, label: str
) -> str:
    """Articles per month on a shared time axis (`months`) and scale (`top`), one bar per month
    with articles; months without any stay empty, so gaps in the collection show."""
    height, plot_top, plot_bottom = 150, 12, 122
    slot = (WIDTH - _AXIS) / max(len(months), 1)
    scale = (plot_bottom - plot_top) / max(top, 1)
    parts = [_open(name, label, WIDTH, height)]
    parts.append(_line(_AXIS, plot_bottom, WIDTH, plot_bottom))
    parts.append(_text(_AXIS - 6, plot_top + 4, str(top), anchor="end"))
    parts.append(_text(_AXIS - 6, plot_bottom, "0", anchor="end"))
    for index, month in enumerate(months):
        count = counts.get(month, 0)
        if count:
            bar_height = count * scale
            parts.append(
                _bar(
                    _AXIS + index * slot + slot * 0.1,
                    plot_bottom - bar_height,
                    max(slot * 0.8, 1.0),
                    bar_height,
                    key=month,
                    value=count,
                    tooltip=f"{month}: {count} article{'s' if count != 1 else ''}",
                )
            )
    step = max(1, math.ceil(_LABEL_SPACING / slot))
    for index in range(0, len(months), step):
        x = _AXIS + index * slot + slot / 2
        parts.append(_text(x, plot_bottom + 18, months[index], anchor="middle"))
    parts.append("</svg>")
    return "".join(parts)


def ranked_bars(items: Sequence[tuple[str, int, str]], *, name: str, label: str) -> str:
    """Horizontal bars, largest first as given: (label, value, tooltip) per bar."""
    height = _ROW * len(items) + 8
    top = max((value for _, value, _ in items), default=1)
    scale = (WIDTH - _LABEL_WIDTH - 60) / max(top, 1)
    parts = [_open(name, label, WIDTH, height)]
    for row, (text, value, tooltip) in enumerate(items):
        y = 4 + row * _ROW
        shown = text if len(text) <= _MAX_LABEL_CHARS else text[: _MAX_LABEL_CHARS - 1] + "\u2026"
        parts.append(_text(_LABEL_WIDTH - 8, y + 15, shown, anchor="end"))
        parts.append(
            _bar(
                _LABEL_WIDTH,
                y + 3,
                max(value * scale, 1.0),
                _ROW - 6,
                key=text,
                value=value,
                tooltip=tooltip,
            )
        )
        parts.append(_text(_LABEL_WIDTH + value * scale + 6, y + 15, str(value), anchor="start"))
    parts.append("</svg>")
    return "".join(parts)


def coverage_strip(
    first: int, last: int, runs: Sequence[tuple[int, int]], *, name: str, label: str
) -> str:
    """Issues first..last as a strip: a filled stretch per run of covered issues, gaps empty."""
    height, strip_top, strip_height = 44, 4, 18
    span = max(last - first + 1, 1)
    unit = (WIDTH - 2 * _AXIS) / span
    parts = [_open(name, label, WIDTH, height)]
    parts.append(
        f'<rect class="strip" x="{_AXIS}" y="{strip_top}" width="{WIDTH - 2 * _AXIS}" '
        f'height="{strip_height}"/>'
    )
    for start, end in runs:
        issues = f"issue {start}" if start == end else f"issues {start}\u2013{end}"
        parts.append(
            _bar(
                _AXIS + (start - first) * unit,
                strip_top,
                max((end - start + 1) * unit, 2.0),
                strip_height,
                key=f"{start}-{end}",
                value=end - start + 1,
                tooltip=f"{issues}: covered",
            )
        )
    parts.append(_text(_AXIS, strip_top + strip_height + 16, str(first), anchor="start"))
    parts.append(_text(WIDTH - _AXIS, strip_top + strip_height + 16, str(last), anchor="end"))
    parts.append("</svg>")
    return "".join(parts)


def _open(name: str, label: str, width: int, height: int) -> str:
    return (
        f'<svg class="chart" data-chart="{escape(name)}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{escape(label)}</title>'
    )


def _bar(
    x: float, y: float, width: float, height: float, *, key: str, value: int, tooltip: str
) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'data-key="{escape(key)}" data-value="{value}"><title>{escape(tooltip)}</title></rect>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line class="axis" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>'


def _text(x: float, y: float, text: str, *, anchor: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
