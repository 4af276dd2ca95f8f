"""The SVG chart helper: escapes text, survives single, equal and missing values."""

import math
from xml.etree import ElementTree

import pytest

from mineralstrategi.svgcharts import Line, bar_chart, line_chart, nice_ticks


@pytest.mark.parametrize(
    "values",
    [[5.0], [100.0, 100.0], [5.0, 5.0000000001], [None, 3.0, None], [0.0, 0.0], [-3.0, 1e12]],
)
def test_a_line_chart_is_well_formed_svg_whatever_the_values(values):
    svg = line_chart([str(i) for i in range(len(values))], [Line("a", values)], title="t")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("role") == "img"
    numbers = [float(v) for el in root.iter() for k, v in el.attrib.items() if k in "xy"]
    assert all(math.isfinite(n) for n in numbers)


def test_text_is_escaped():
    svg = line_chart(["<b>"], [Line("<script>x</script>", [1.0])], title="a & b", unit="<u>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ElementTree.fromstring(svg)


def test_ticks_cover_the_values():
    ticks = nice_ticks(3.2, 97.0)
    assert ticks[0] <= 3.2 and ticks[-1] >= 97.0 and len(ticks) >= 3


def test_bar_chart_with_band():
    svg = bar_chart(["-1", "0", "+1"], [0.1, 0.8, -0.2], band=[0.4, 0.4, 0.4], title="r")
    root = ElementTree.fromstring(svg)
    assert len([el for el in root.iter() if el.tag.endswith("rect")]) == 3


def test_swedish_axis_numbers_have_a_decimal_comma_and_a_minus_sign():
    svg = bar_chart(["-1", "0"], [-0.5, 0.5], title="r", low=-1, high=1, lang="sv")
    ticks = [el.text for el in ElementTree.fromstring(svg).iter() if el.tag.endswith("text")]
    assert "0,5" in ticks and "\u22120,5" in ticks
    assert not any("." in (t or "") for t in ticks)
    english = bar_chart(["-1", "0"], [-0.5, 0.5], title="r", low=-1, high=1)
    assert "-0.5" in [el.text for el in ElementTree.fromstring(english).iter()]


def test_the_shaded_years_start_half_a_period_before_the_first_and_are_named():
    labels = [str(y) for y in range(2015, 2025)]
    svg = line_chart(
        labels, [Line("a", [float(i) for i in range(10)])], title="t",
        shaded_from=8, shade_name="Preliminära år (2023–2024)",
    )  # fmt: skip
    root = ElementTree.fromstring(svg)
    (shade,) = [el for el in root.iter() if el.get("class") == "provisional-shade"]
    step = (640 - 12 - 56) / 9
    assert float(shade.get("x")) == pytest.approx(56 + step * 7.5, abs=0.1)
    assert float(shade.get("x")) + float(shade.get("width")) == pytest.approx(640 - 12, abs=0.1)
    assert "Preliminära år (2023–2024)" in [el.text for el in root.iter()]
    unshaded = line_chart(labels, [Line("a", [1.0] * 10)], title="t")
    assert "provisional-shade" not in unshaded
