"""The chart images of the Word exports: PNGs Pillow can read, sized for print, drawn from the
data, with a font that has the Nordic letters."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFont

from server.documents.charts import (
    FONTS,
    SCALE,
    Chart,
    Radar,
    bar_chart_png,
    radar_chart_png,
)

THEMES = {
    "2. Selvstændighed og relationer": 4.5,
    "4. Sundhed og trivsel": 3.5,
    "5. Organisation og ledelse": 2.0,
    "7. Fysiske rammer": 1.0,
}


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # fails on a broken file
    assert image.format == "PNG"
    return image


def test_a_bar_chart_is_a_png_at_twice_its_width_growing_with_its_bars():
    two = decoded(bar_chart_png(Chart("Könsfördelning", {"Kvinna": 3, "Man": 1}), "Antal"))
    four = decoded(
        bar_chart_png(Chart("Avslut", {"Enligt plan": 3, "Avbruten": 1, "a": 2, "b": 0}), "Antal")
    )
    assert two.width == four.width == 560 * SCALE
    assert 100 * SCALE < two.height < four.height < 400 * SCALE


def test_a_bar_chart_differs_when_its_counts_differ():
    chart = Chart("Insatser", {"Samtalsstöd": 3, "Föräldrastöd": 1})
    again = Chart("Insatser", {"Samtalsstöd": 3, "Föräldrastöd": 1})
    other = Chart("Insatser", {"Samtalsstöd": 1, "Föräldrastöd": 3})
    assert bar_chart_png(chart, "Antal") == bar_chart_png(again, "Antal")
    assert bar_chart_png(chart, "Antal") != bar_chart_png(other, "Antal")


def test_empty_and_zero_counts_still_draw():
    assert decoded(bar_chart_png(Chart("Inga", {}), "Antal")).width == 560 * SCALE
    assert decoded(bar_chart_png(Chart("Noll", {"a": 0}), "Antal")).width == 560 * SCALE


def test_a_radar_is_a_png_at_twice_its_width_and_differs_when_its_values_differ():
    radar = Radar("Vurdering pr. tema", THEMES, "Gennemsnit (1-5)")
    image = decoded(radar_chart_png(radar))
    assert image.width == 600 * SCALE and 400 * SCALE < image.height < 700 * SCALE
    lower = Radar("Vurdering pr. tema", {**THEMES, "4. Sundhed og trivsel": 1.5})
    assert radar_chart_png(radar) != radar_chart_png(lower)


def test_radar_values_off_the_scale_stay_on_the_chart():
    image = decoded(radar_chart_png(Radar("R", {"a": 9, "b": -1, "c": 3})))
    assert image.width == 600 * SCALE


@pytest.mark.parametrize("name", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_the_shipped_fonts_draw_the_nordic_letters(name):
    """Pillow's bundled font draws æøå as the same empty box as a glyph it lacks: ours must not."""
    font = ImageFont.truetype(str(FONTS / name), 24)
    missing = bytes(font.getmask("\u4e00"))  # a CJK character, not in the cut
    for letter in "æøåÆØÅäöÄÖé–…":
        assert bytes(font.getmask(letter)) != missing, letter
