"""Charts as PNG images for the Word exports, drawn with Pillow.

Word cannot show the SVG the PWA and the HTML kvalitetsberättelse draw, so the .docx reports
embed the same drawings as pictures:

    Chart  -> bar_chart_png    horizontal bars with their counts (as ``bar_chart_svg``)
    Radar  -> radar_chart_png  the spindelvæv: a spoke per rated theme, rings at 1-5

Both are drawn at twice their size in print (``SCALE``) and placed with a width in cm by
``add_chart``, so text stays sharp on paper. The words come in with the data: this module
knows no language. Pillow's bundled font has no æ, ø, å, ä or ö, so a cut of DejaVu Sans ships
in fonts/ (see its README).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docx.shared import Cm
from PIL import Image, ImageDraw, ImageFont

SCALE = 2  # pixels per layout unit: drawn at 2x, printed at the width add_chart gives
FONTS = Path(__file__).parent / "fonts"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
GRID = (201, 209, 214)  # the PWA radar's ring colour
BAR = (47, 111, 143)  # the HTML bar colour
AREA = (0, 95, 115)  # the PWA radar's polygon colour
WHITE = (255, 255, 255)


@dataclass
class Chart:
    """A bar chart: a count per label, in the order given."""

    title: str
    counts: dict[str, int]


@dataclass
class Radar:
    """A radar chart: a value on the scale 0..maximum per spoke, clockwise from the top."""

    title: str
    values: dict[str, float]
    scale_label: str = ""
    maximum: int = 5
    value_texts: dict[str, str] = field(default_factory=dict)  # printed by the label if given


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size * SCALE)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """The text, cut with an ellipsis where it would be wider than width."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, lines: int = 3) -> list[str]:
    """Words on lines no wider than width; what does not fit on the last line is cut."""
    out: list[str] = []
    for word in text.split():
        if out and font.getlength(f"{out[-1]} {word}") <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [_fit(line, font, width) for line in out]


def _ticks(top: int) -> list[int]:
    """Round steps (1, 2, 5, 10, 20, ...) from 0 to at least top, at most six of them."""
    step = next(
        s * 10**e for e in range(12) for s in (1, 2, 5) if math.ceil(top / (s * 10**e)) <= 5
    )
    return list(range(0, math.ceil(top / step) * step + 1, step))


def bar_chart_png(chart: Chart, axis_label: str, width: int = 560) -> bytes:
    """Horizontal bars, a count written at the end of each, a scale below them."""
    s = SCALE
    title, text = _font(14, bold=True), _font(12)
    bar, gap, top_margin = 22, 8, 36
    labels = [str(label) for label in chart.counts]
    label_width = min(max((text.getlength(x) / s for x in labels), default=0) + 12, width * 0.42)
    ticks = _ticks(max(chart.counts.values(), default=0) or 1)
    plot_left, plot_width = label_width, width - label_width - 40
    plot_bottom = top_margin + len(labels) * (bar + gap)
    height = plot_bottom + 44

    image = Image.new("RGB", (width * s, height * s), WHITE)
    draw = ImageDraw.Draw(image)
    draw.text((0, 4 * s), _fit(chart.title, title, width * s), font=title, fill=INK)

    def x_of(value: float) -> float:
        return (plot_left + plot_width * value / ticks[-1]) * s

    for tick in ticks:
        draw.line([(x_of(tick), top_margin * s), (x_of(tick), plot_bottom * s)], GRID, s)
        draw.text(
            (x_of(tick), (plot_bottom + 4) * s), str(tick), font=text, fill=MUTED, anchor="mt"
        )
    for index, (label, count) in enumerate(chart.counts.items()):
        y = (top_margin + index * (bar + gap)) * s
        middle = y + bar * s / 2
        shown = _fit(str(label), text, (label_width - 12) * s)
        draw.text(((label_width - 8) * s, middle), shown, font=text, fill=INK, anchor="rm")
        if count:
            draw.rectangle([x_of(0), y, x_of(count), y + bar * s], fill=BAR)
        draw.text((x_of(count) + 6 * s, middle), str(count), font=text, fill=INK, anchor="lm")
    draw.line([(x_of(0), top_margin * s), (x_of(0), plot_bottom * s)], INK, s)
    axis_middle = (plot_left + plot_width / 2) * s
    draw.text((axis_middle, (height - 4) * s), axis_label, font=text, fill=INK, anchor="md")
    return _png(image)


def radar_chart_png(radar: Radar, width: int = 600) -> bytes:
    """The spindelvæv as the PWA draws it: rings at 1..maximum, a spoke per value, the values
    as a filled polygon; here each spoke also carries its label (and value text) in words."""
    s = SCALE
    title, text, small = _font(14, bold=True), _font(11), _font(10)
    radius, label_gap, top_margin = 150, 12, 44 if radar.scale_label else 28
    margin = label_gap + 3 * 16  # room for three lines of label beyond a spoke's end
    height = top_margin + 2 * (radius + margin)
    cx, cy = width / 2, top_margin + radius + margin
    spokes = list(radar.values.items())

    def at(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(spokes)
        share = value / radar.maximum
        return (
            (cx + math.cos(angle) * radius * share) * s,
            (cy + math.sin(angle) * radius * share) * s,
        )

    image = Image.new("RGBA", (width * s, int(height * s)), WHITE + (255,))
    draw = ImageDraw.Draw(image)
    draw.text((0, 4 * s), _fit(radar.title, title, width * s), font=title, fill=INK)
    if radar.scale_label:
        draw.text((0, 24 * s), radar.scale_label, font=small, fill=MUTED)
    for ring in range(1, radar.maximum + 1):
        draw.polygon([at(i, ring) for i in range(len(spokes))], outline=GRID, width=s)
    label_width = (width / 2 - radius - label_gap - 8) * s
    for index, label in enumerate(radar.values):
        draw.line([(cx * s, cy * s), at(index, radar.maximum)], GRID, s)
        _spoke_label(
            draw,
            at(index, radar.maximum + radar.maximum * label_gap / radius),
            (cx * s, cy * s),
            _label_lines(radar, label, text, label_width),
            text,
        )

    # The area is translucent, as in the PWA, so the rings show through it.
    area = Image.new("RGBA", image.size, (0, 0, 0, 0))
    points = [at(i, max(0.0, min(value, radar.maximum))) for i, (_, value) in enumerate(spokes)]
    ImageDraw.Draw(area).polygon(points, fill=AREA + (64,))
    image.alpha_composite(area)
    draw = ImageDraw.Draw(image)
    draw.polygon(points, outline=AREA, width=2 * s)
    for x, y in points:
        draw.ellipse([x - 3 * s, y - 3 * s, x + 3 * s, y + 3 * s], fill=AREA)
    # The ring numbers go on last, haloed, so neither the area nor its edge hides them.
    for ring in range(1, radar.maximum + 1):
        x, y = at(0, ring)
        draw.text(
            (x + 4 * s, y + 2 * s),
            str(ring),
            font=small,
            fill=MUTED,
            anchor="lt",
            stroke_width=2 * s,
            stroke_fill=WHITE,
        )
    return _png(image)


def _label_lines(radar: Radar, label: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines = _wrap(label, font, width, lines=2)
    if label in radar.value_texts:
        lines.append(radar.value_texts[label])
    return lines


def _spoke_label(
    draw: ImageDraw.ImageDraw,
    point: tuple[float, float],
    centre: tuple[float, float],
    lines: list[str],
    font: ImageFont.FreeTypeFont,
) -> None:
    """Lines of text just outside a spoke's end, leaning away from the centre."""
    x, y = point
    dx, dy = x - centre[0], y - centre[1]
    length = math.hypot(dx, dy) or 1
    horizontal = "l" if dx / length > 0.3 else "r" if dx / length < -0.3 else "m"
    line_height = font.size * 1.2
    block = line_height * len(lines)
    top = y - block if dy / length < -0.3 else y if dy / length > 0.3 else y - block / 2
    for number, line in enumerate(lines):
        middle = top + line_height * (number + 0.5)
        draw.text((x, middle), line, font=font, fill=INK, anchor=f"{horizontal}m")


def add_chart(document: Any, png: bytes, width_cm: float, description: str) -> None:
    """The PNG as a picture of the given width in its own paragraph, with the description as
    its alternative text for screen readers (the table next to it holds the figures)."""
    shape = document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    shape._inline.docPr.set("descr", description)
