"""Small server-side SVG charts (line and bar), for pages that must work without JavaScript and for
PDFs (WeasyPrint draws SVG). Pure Python: no Django. Every text is escaped; colours are
presentation attributes (no inline style, which the Content Security Policy forbids).

Each chart returns an SVG string with ``role="img"`` and a ``<title>``; the page shows the same
figures in a table beside it. Axis numbers are written in the page's language (``lang``): on a
Swedish page "0,5" and "−1", never "0.5".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

PALETTE = ("#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
SHADE = "#e3e3e3"


@dataclass(frozen=True)
class Line:
    name: str
    values: list[float | None]  # one per label; None leaves a gap
    dashed: bool = False


def _number(value: float, lang: str = "en") -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        text = f"{value:,.0f}".replace(",", "\u2009")
    elif magnitude >= 10:
        text = f"{value:.0f}"
    elif magnitude >= 1:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "\u2212") if lang == "sv" else text


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


class _Frame:
    def __init__(
        self, width, height, labels, low, high, left=56, right=12, top=12, bottom=46, lang="en"
    ):
        self.lang = lang
        self.width, self.height = width, height
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.labels = labels
        self.ticks = nice_ticks(low, high)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        if self.high <= self.low:
            self.high = self.low + 1.0

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, index: float) -> float:
        span = max(1, len(self.labels) - 1)
        return self.left + self.plot_width * index / span

    def y(self, value: float) -> float:
        return self.top + self.plot_height * (self.high - value) / (self.high - self.low)

    def axes(self, unit: str) -> list[str]:
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            colour = "#888" if tick == 0 else "#ddd"
            parts.append(
                f'<line x1="{self.left}" x2="{self.width - self.right}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="{colour}" stroke-width="1"/>'
                f'<text x="{self.left - 4}" y="{y + 3:.1f}" text-anchor="end" '
                f'font-size="10" fill="#333">{escape(_number(tick, self.lang))}</text>'
            )
        every = max(1, math.ceil(len(self.labels) / 12))
        for index, label in enumerate(self.labels):
            if index % every and index != len(self.labels) - 1:
                continue
            parts.append(
                f'<text x="{self.x(index):.1f}" y="{self.height - self.bottom + 14}" '
                f'text-anchor="middle" font-size="10" fill="#333">{escape(str(label))}</text>'
            )
        if unit:
            parts.append(
                f'<text x="4" y="{self.top + 2}" font-size="10" fill="#333" '
                f'dominant-baseline="hanging" transform="rotate(0)">{escape(unit)}</text>'
            )
        return parts


def _legend(names: list[tuple[str, str, str]], width: int, y: float) -> list[str]:
    """One entry per (name, colour, dash); the dash "area" draws a filled swatch."""
    parts, x = [], 8.0
    for name, colour, dash in names:
        if dash == "area":
            swatch = (
                f'<rect x="{x:.0f}" y="{y - 5:.0f}" width="18" height="10" fill="{colour}" '
                'stroke="#999" stroke-width="0.5"/>'
            )
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            swatch = (
                f'<line x1="{x:.0f}" x2="{x + 18:.0f}" y1="{y:.0f}" y2="{y:.0f}" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        parts.append(
            f'{swatch}<text x="{x + 22:.0f}" y="{y + 3:.0f}" font-size="10" fill="#111">'
            f"{escape(name)}</text>"
        )
        x += 30 + 6 * len(name)
        if x > width - 60:
            x, y = 8.0, y + 13
    return parts


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="svg-chart" '
        f'font-family="DejaVu Sans, Liberation Sans, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


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
) -> str:
    """Lines over shared labels (periods); gaps where a value is None. ``shaded_from`` shades
    the plot from that label to the end (e.g. the provisional years), named ``shade_name``."""
    values = [v for line in lines for v in line.values if v is not None and math.isfinite(v)]
    if not values or not labels:
        return _svg(width, 40, title, ['<text x="8" y="24" font-size="12">–</text>'])
    frame = _Frame(width, height, labels, min(values), max(values), lang=lang)
    legend = []
    body = []
    if shaded_from is not None and 0 <= shaded_from < len(labels):
        start = max(frame.left, frame.x(shaded_from - 0.5)) if shaded_from else frame.left
        body.append(
            f'<rect class="provisional-shade" x="{start:.1f}" y="{frame.top}" '
            f'width="{frame.width - frame.right - start:.1f}" height="{frame.plot_height:.1f}" '
            f'fill="{SHADE}"><title>{escape(shade_name)}</title></rect>'
        )
        legend.append((shade_name, SHADE, "area"))
    body += frame.axes(unit)
    for index, line in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[1] if line.dashed else ""
        segments, current = [], []
        for i, value in enumerate(line.values):
            if value is None or not math.isfinite(value):
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(f"{frame.x(i):.1f},{frame.y(value):.1f}")
        if current:
            segments.append(current)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for segment in segments:
            if len(segment) == 1:
                x, y = segment[0].split(",")
                body.append(f'<circle cx="{x}" cy="{y}" r="2" fill="{colour}"/>')
            else:
                body.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        legend.append((line.name, colour, dash))
    body += _legend(legend, width, height - 20)
    return _svg(width, height, title, body)


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
) -> str:
    """Vertical bars from zero, with an optional symmetric band (±band[i]) drawn as dashes."""
    if not values:
        return _svg(width, 40, title, ['<text x="8" y="24" font-size="12">–</text>'])
    extent = [*values, *(band or []), *(-b for b in band or [])]
    frame = _Frame(
        width,
        height,
        [*labels, ""],
        min(extent) if low is None else low,
        max(extent) if high is None else high,
        lang=lang,
    )
    body = frame.axes("")[: len(frame.ticks)]  # horizontal grid only; labels drawn per bar
    slot = frame.plot_width / len(labels)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = frame.left + slot * index + slot * 0.2
        top, bottom = sorted((frame.y(value), frame.y(0)))
        body.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{max(0.5, bottom - top):.1f}" fill="{PALETTE[0]}"/>'
            f'<text x="{x + slot * 0.3:.1f}" y="{height - frame.bottom + 14}" '
            f'text-anchor="middle" font-size="10" fill="#333">{escape(str(label))}</text>'
        )
        if band:
            for sign in (1, -1):
                y = frame.y(sign * band[index])
                body.append(
                    f'<line x1="{x - slot * 0.1:.1f}" x2="{x + slot * 0.7:.1f}" y1="{y:.1f}" '
                    f'y2="{y:.1f}" stroke="{PALETTE[1]}" stroke-width="2" '
                    f'stroke-dasharray="{DASHES[1]}"/>'
                )
    legend = [(value_name, PALETTE[0], "")] if value_name else []
    if band:
        legend.append((band_name, PALETTE[1], DASHES[1]))
    body += _legend(legend, width, height - 20)
    return _svg(width, height, title, body)
