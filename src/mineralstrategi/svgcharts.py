"""Small server-side SVG charts (line and bar): the one chart stack of the platform, for pages
(which then need no JavaScript) and for PDFs (WeasyPrint draws SVG). Pure Python: no Django.
Every text is escaped; colours are presentation attributes (no inline style, which the Content
Security Policy forbids).

Each chart returns an SVG string with ``role="img"``, a ``<title>`` and, when given, a
``<desc>``; the page shows the same figures in a table beside it. Axis numbers are written in the
page's language (``lang``, by ``analysis.wording``): on a Swedish page "0,5", "−1" and "1 000",
never "0.5". The chart is as tall as its legend and its method-break labels need, so that no
label is cut at its edge; the widths of texts are estimated generously for that (DejaVu Sans, the
widest of the fonts named).

``line_chart`` draws one ``<path class="series">`` per line (a gap where a value is None, a dot
for a value alone between gaps), dashed vertical lines at method breaks with their labels above
the plot, and a legend below it. ``screen_charts`` gives a chart twice, wide and narrow; the
style sheet shows the one that fits the screen.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from mineralstrategi.analysis.wording import number

PALETTE = ("#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
SHADE = "#e3e3e3"
BREAK_COLOUR = "#a50f15"
BREAK_DASH = "5 4"
TEXT_COLOUR = "#333"
LEGEND_SWATCH = 22  # the width of a legend entry's line sample, and the gap to its text
LEGEND_GAP = 14  # between two entries of a legend row
MARGIN = 8
WIDE, NARROW = (640, 10), (360, 12)  # (width, font size) of the two charts for screens

# Advance widths in em, a little over DejaVu Sans' own, so that an estimate is never short.
_NARROW_CHARS = frozenset("ijlI.,:;'!|() ")
_MEDIUM_CHARS = frozenset("frt-–−/")
_WIDE_CHARS = frozenset("mwMW%@")


def text_width(text: str, font_size: float) -> float:
    """An estimate of the width of ``text`` in the charts' font, never less than it draws."""
    em = 0.0
    for char in text:
        if char in _NARROW_CHARS:
            em += 0.34
        elif char in _MEDIUM_CHARS:
            em += 0.44
        elif char in _WIDE_CHARS:
            em += 1.0
        elif char.isupper():
            em += 0.78
        else:
            em += 0.66
    return em * font_size


def wrap(text: str, room: float, font_size: float) -> list[str]:
    """``text`` in lines no wider than ``room`` (at the spaces; a word longer than that whole)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", font_size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Line:
    name: str
    values: list[float | None]  # one per label; None leaves a gap
    dashed: bool = False
    colour: int | None = None  # index into PALETTE; by default the line's own position
    language: str = ""  # of the name, when it is not the page's (a source's English name)


@dataclass(frozen=True)
class Break:
    """A dashed vertical line at the label ``period`` (e.g. "2006-01"), named by ``label``."""

    period: str
    label: str


def _decimals(ticks: list[float]) -> int:
    """The fewest decimals that write every tick exactly (2.5 needs one, 1000 none)."""
    for decimals in range(7):
        if all(abs(round(t, decimals) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            return decimals
    return 6


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    scale = max(1.0, abs(low), abs(high))
    if high - low <= 1e-6 * scale:  # one value, or values equal but for rounding
        middle = (low + high) / 2
        low, high = middle - 0.01 * scale, middle + 0.01 * scale
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}|Q\d))?$")  # "2024", "2024-03", "2024-Q1"


def _opens_a_year(part: str | None) -> bool:
    """Whether a period whose part after the year is `part` opens that year: a year itself,
    January or the first quarter."""
    return part is None or part == "Q1" or (part.isdigit() and int(part) == 1)


def x_ticks(labels: Sequence[str], room: float, font_size: float) -> list[tuple[int, str]]:
    """The labels to write under the x axis, as (index, text), as many as fit in ``room``.
    Periods (years, months, quarters) are marked at the start of a year by the year alone, every
    1, 2, 5, 10… years; other labels every so many."""
    if not labels:
        return []
    found = [_PERIOD.match(str(label)) for label in labels]
    if all(found):
        years = [int(m.group(1)) for m in found]  # type: ignore[union-attr]
        year = text_width("0000", font_size)  # the first and last may reach into the margins
        fits = max(2, int((room + year) // (year + 12)))
        starts = [
            (i, year)
            for i, year in enumerate(years)
            if (i == 0 and _opens_a_year(found[0].group(2)))  # type: ignore[union-attr]
            or (i > 0 and year != years[i - 1])
        ] or [(0, years[0])]
        span = starts[-1][1] - starts[0][1]
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 1000) if span // s + 1 <= fits)
        chosen = [(i, str(year)) for i, year in starts if year % step == 0]
        return chosen or [(starts[0][0], str(starts[0][1]))]
    widest = max(text_width(str(label), font_size) for label in labels)
    fits = max(2, int(room // (widest + 10)))
    every = max(1, math.ceil(len(labels) / fits))
    return [(i, str(label)) for i, label in enumerate(labels) if i % every == 0]


class _Frame:
    """The plot area and its axes: y ticks at the left, x labels below, the unit above."""

    def __init__(self, *, width, labels, low, high, top, plot_height, font_size, lang, slots=0):
        self.lang, self.font = lang, font_size
        self.width, self.labels, self.slots = width, labels, slots
        self.ticks = nice_ticks(low, high)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        if self.high <= self.low:
            self.high = self.low + 1.0
        decimals = _decimals(self.ticks)
        self.tick_texts = [number(t, lang, decimals) for t in self.ticks]
        widest = max(text_width(text, font_size) for text in self.tick_texts)
        self.left = max(56.0, widest + 10)
        self.right = 12.0
        self.top, self.plot_height = top, plot_height

    @property
    def bottom(self) -> float:
        return self.top + self.plot_height

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    def x(self, index: float) -> float:
        if self.slots:  # bars: the middle of slot ``index``
            return self.left + self.plot_width * (index + 0.5) / self.slots
        span = max(1, len(self.labels) - 1)
        return self.left + self.plot_width * index / span

    def y(self, value: float) -> float:
        return self.top + self.plot_height * (self.high - value) / (self.high - self.low)

    def grid(self) -> list[str]:
        parts = []
        for tick, text in zip(self.ticks, self.tick_texts, strict=True):
            y = self.y(tick)
            colour = "#888" if tick == 0 else "#ddd"
            parts.append(
                f'<line x1="{self.left:.1f}" x2="{self.width - self.right:.1f}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="{colour}" stroke-width="1"/>'
                f'<text x="{self.left - 4:.1f}" y="{y + self.font * 0.35:.1f}" text-anchor="end" '
                f'font-size="{self.font}" fill="{TEXT_COLOUR}">{escape(text)}</text>'
            )
        return parts

    def x_labels(self, ticks: list[tuple[int, str]]) -> list[str]:
        parts = []
        y = self.bottom + self.font + 4
        for index, text in ticks:
            x, half = self.x(index), text_width(text, self.font) / 2
            anchor = "middle"
            if x + half > self.width - 2:
                x, anchor = self.width - 2, "end"
            elif x - half < 2:
                x, anchor = 2, "start"
            parts.append(
                f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{self.font}" '
                f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
            )
        return parts

    @property
    def axis_height(self) -> float:
        """Below the plot: the x labels."""
        return self.font + 10


def _legend(entries: list[tuple], width: float, top: float, font_size: float):
    """One entry per (name, colour, dash[, language]), in rows that fit the width, a long name
    wrapped at its spaces; the dash "area" draws a filled swatch. Returns (parts, bottom)."""
    line_height = font_size * 1.35
    room = width - 2 * MARGIN - LEGEND_SWATCH
    parts: list[str] = []
    x, y, row_height = MARGIN, top, line_height
    for name, colour, dash, *language in entries:
        lines = wrap(name, room, font_size)
        entry_width = LEGEND_SWATCH + max(text_width(line, font_size) for line in lines)
        if x > MARGIN and x + entry_width > width - MARGIN:
            x, y, row_height = MARGIN, y + row_height, line_height
        middle = y + line_height / 2
        if dash == "area":
            parts.append(
                f'<rect x="{x:.1f}" y="{middle - font_size / 2:.1f}" width="18" '
                f'height="{font_size:.1f}" fill="{colour}" stroke="#999" stroke-width="0.5"/>'
            )
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="{middle:.1f}" y2="{middle:.1f}" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        spans = "".join(
            f'<tspan x="{x + LEGEND_SWATCH:.1f}" dy="{0 if i == 0 else line_height:.1f}">'
            f"{escape(line)}{' ' if i < len(lines) - 1 else ''}</tspan>"
            for i, line in enumerate(lines)
        )
        lang = f' lang="{escape(language[0])}"' if language and language[0] else ""
        parts.append(
            f'<text class="legend-entry" x="{x + LEGEND_SWATCH:.1f}" '
            f'y="{middle + font_size * 0.35:.1f}" font-size="{font_size}" fill="#111"{lang}>'
            f"{spans}</text>"
        )
        x += entry_width + LEGEND_GAP
        row_height = max(row_height, line_height * len(lines))
    return parts, (y + row_height if entries else top)


def _break_rows(
    frame: _Frame, placed: list[tuple[float, str]]
) -> list[tuple[float, str, int, str]]:
    """The break labels in rows above the plot: (x, label, row, anchor), no label over another
    nor crossed by another break's line (each line runs from its label's row down)."""
    rows: list[tuple[float, str, int, str, float, float]] = []
    middle = frame.left + frame.plot_width / 2
    # From the edges inwards: a label that reads towards the middle is placed after the breaks
    # between it and its edge, so that it can go below their labels, clear of their lines.
    left = sorted(p for p in placed if p[0] < middle)
    right = sorted((p for p in placed if p[0] >= middle), reverse=True)
    for x, label in [*left, *right]:
        width = text_width(label, frame.font)
        anchors = ("start", "end") if x < middle else ("end", "start")
        choice = None
        for row in range(len(placed) + 1):
            for anchor in anchors:
                low, high = (x + 3, x + 3 + width) if anchor == "start" else (x - 3 - width, x - 3)
                if low < 1 or high > frame.width - 1:
                    continue
                if all(_clear(row, low, high, x, other) for other in rows):
                    choice = (x, label, row, anchor, low, high)
                    break
            if choice:
                break
        last = max((other[2] for other in rows), default=-1)
        rows.append(choice or (x, label, last + 1, anchors[0], x, x + width))
    rows.sort()
    return [(x, label, row, anchor) for x, label, row, anchor, _low, _high in rows]


def _clear(row: int, low: float, high: float, x: float, other: tuple) -> bool:
    other_x, _label, other_row, _anchor, other_low, other_high = other
    if other_row == row:
        return high + 6 < other_low or low > other_high + 6
    if other_row < row:  # the other's line runs down through this row
        return not low - 2 <= other_x <= high + 2
    return not other_low - 2 <= x <= other_high + 2  # this line runs down through the other's


def _svg(
    width: float, height: float, title: str, body: list[str], description="", css="", title_lang=""
) -> str:
    desc = f"<desc>{escape(description)}</desc>" if description else ""
    lang = f' lang="{escape(title_lang)}"' if title_lang else ""
    classes = f"svg-chart {css}".strip()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" class="{escape(classes)}" '
        f'font-family="DejaVu Sans, Liberation Sans, sans-serif">'
        f"<title{lang}>{escape(title)}</title>{desc}{''.join(body)}</svg>"
    )


def _series_path(frame: _Frame, line: Line, colour: str, dash: str) -> list[str]:
    segments: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(line.values):
        if value is None or not math.isfinite(value):
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((frame.x(i), frame.y(value)))
    drawn = [s for s in segments if len(s) > 1]
    parts = []
    if drawn:
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in segment) for segment in drawn)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        width = 1.5 if len(line.values) > 200 else 2
        parts.append(
            f'<path class="series" d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'stroke-linejoin="round"{dash_attr}><title>{escape(line.name)}</title></path>'
        )
    for segment in segments:
        if len(segment) == 1:
            x, y = segment[0]
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
    return parts


def line_chart(
    labels: list[str],
    lines: list[Line],
    *,
    title: str,
    unit: str = "",
    width=640,
    height=260,
    lang: str = "en",
    shaded_from: int | None = None,
    shade_name: str = "",
    breaks: Sequence[Break] = (),
    description: str = "",
    title_language: str = "",
    font_size: float = 10,
    css_class: str = "",
) -> str:
    """Lines over shared labels (periods); gaps where a value is None. ``shaded_from`` shades
    the plot from that label to the end (e.g. the provisional years), named ``shade_name``.
    ``breaks`` draws a dashed vertical line, labelled above the plot, at each of their periods
    that is among the labels. ``title_language``: the title's, when not the page's. ``height``
    is that of the plot with its axes; the unit, the break labels and the legend add theirs.
    The n-th line takes the n-th colour of the palette, then, past its end, the colours again
    with the next dash pattern; lines given the same ``colour`` (a place's observed and
    adjusted values) share it."""
    values = [v for line in lines for v in line.values if v is not None and math.isfinite(v)]
    if not values or not labels:
        empty = ['<text x="8" y="24" font-size="12">–</text>']
        return _svg(width, 40, title, empty, description, css_class, title_language)
    line_height = font_size * 1.35
    unit_height = line_height if unit else 0
    at = {str(label): i for i, label in enumerate(labels)}
    frame = _Frame(
        width=width, labels=labels, low=min(values), high=max(values), top=0,
        plot_height=height - 2 * MARGIN - 4 * font_size, font_size=font_size, lang=lang,
    )  # fmt: skip
    placed = _break_rows(
        frame, [(frame.x(at[b.period]), b.label) for b in breaks if b.period in at]
    )
    break_rows = max((row for *_rest, row, _anchor in placed), default=-1) + 1
    # room above the plot for the unit, the break labels and half the top tick's label
    frame.top = MARGIN + unit_height + break_rows * line_height + font_size * 0.7
    body: list[str] = []
    legend: list[tuple] = []
    if shaded_from is not None and 0 <= shaded_from < len(labels):
        start = max(frame.left, frame.x(shaded_from - 0.5)) if shaded_from else frame.left
        body.append(
            f'<rect class="provisional-shade" x="{start:.1f}" y="{frame.top:.1f}" '
            f'width="{frame.width - frame.right - start:.1f}" height="{frame.plot_height:.1f}" '
            f'fill="{SHADE}"><title>{escape(shade_name)}</title></rect>'
        )
        legend.append((shade_name, SHADE, "area"))
    body += frame.grid()
    body += frame.x_labels(x_ticks(labels, frame.plot_width, font_size))
    if unit:
        body.append(
            f'<text x="{MARGIN}" y="{MARGIN + font_size:.1f}" font-size="{font_size}" '
            f'fill="{TEXT_COLOUR}">{escape(unit)}</text>'
        )
    band_top = MARGIN + unit_height
    for x, label, row, anchor in placed:
        row_top = band_top + row * line_height
        text_x = x + 3 if anchor == "start" else x - 3
        body.append(
            f'<line class="method-break" x1="{x:.1f}" x2="{x:.1f}" y1="{row_top + 1:.1f}" '
            f'y2="{frame.bottom:.1f}" stroke="{BREAK_COLOUR}" stroke-width="1.5" '
            f'stroke-dasharray="{BREAK_DASH}"/>'
            f'<text class="method-break-label" x="{text_x:.1f}" '
            f'y="{row_top + font_size:.1f}" text-anchor="{anchor}" font-size="{font_size}" '
            f'fill="{BREAK_COLOUR}">{escape(label)}</text>'
        )
    for index, line in enumerate(lines):
        position = index if line.colour is None else line.colour
        colour = PALETTE[position % len(PALETTE)]
        if line.dashed:
            dash = DASHES[1]
        else:
            dash = DASHES[(index // len(PALETTE)) % len(DASHES)] if line.colour is None else ""
        body += _series_path(frame, line, colour, dash)
        legend.append((line.name, colour, dash, line.language))
    legend_parts, bottom = _legend(legend, width, frame.bottom + frame.axis_height + 2, font_size)
    body += legend_parts
    return _svg(width, bottom + MARGIN, title, body, description, css_class, title_language)


def screen_charts(draw, *args, **options) -> str:
    """The chart ``draw`` (``line_chart`` or ``bar_chart``) twice: wide, for a screen wider than
    a phone's and for print, and narrow, with larger type on fewer x labels, for a phone; the
    style sheet shows one of them (``svg-chart-wide``, ``svg-chart-narrow``). A PDF takes the
    chart alone."""
    (wide, wide_font), (narrow, narrow_font) = WIDE, NARROW
    height = options.pop("height", 260)
    return draw(
        *args, **options, width=wide, height=height, font_size=wide_font,
        css_class="svg-chart-wide",
    ) + draw(
        *args, **options, width=narrow, height=round(height * 0.9), font_size=narrow_font,
        css_class="svg-chart-narrow",
    )  # fmt: skip


def bar_chart(
    labels: list[str],
    values: list[float],
    *,
    title: str,
    band: list[float] | None = None,
    band_name: str = "",
    value_name: str = "",
    low: float | None = None,
    high: float | None = None,
    width=640,
    height=220,
    lang: str = "en",
    font_size: float = 10,
    css_class: str = "",
) -> str:
    """Vertical bars from zero, with an optional symmetric band (±band[i]) drawn as dashes."""
    if not values:
        return _svg(width, 40, title, ['<text x="8" y="24" font-size="12">–</text>'], css=css_class)
    extent = [*values, *(band or []), *(-b for b in band or [])]
    frame = _Frame(
        width=width,
        labels=labels,
        low=min(extent) if low is None else low,
        high=max(extent) if high is None else high,
        top=MARGIN + 4,
        plot_height=height - 2 * MARGIN - 4 * font_size,
        font_size=font_size,
        lang=lang,
        slots=len(labels),
    )
    body = frame.grid()
    slot = frame.plot_width / len(labels)
    for index, value in enumerate(values):
        x = frame.left + slot * index + slot * 0.2
        top, bottom = sorted((frame.y(value), frame.y(0)))
        body.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{max(0.5, bottom - top):.1f}" fill="{PALETTE[0]}"/>'
        )
        if band:
            for sign in (1, -1):
                y = frame.y(sign * band[index])
                body.append(
                    f'<line x1="{x - slot * 0.1:.1f}" x2="{x + slot * 0.7:.1f}" y1="{y:.1f}" '
                    f'y2="{y:.1f}" stroke="{PALETTE[1]}" stroke-width="2" '
                    f'stroke-dasharray="{DASHES[1]}"/>'
                )
    body += frame.x_labels(list(enumerate(labels)))
    legend = [(value_name, PALETTE[0], "")] if value_name else []
    if band:
        legend.append((band_name, PALETTE[1], DASHES[1]))
    legend_parts, bottom = _legend(legend, width, frame.bottom + frame.axis_height + 2, font_size)
    body += legend_parts
    return _svg(width, bottom + MARGIN, title, body, css=css_class)
