"""The SVG chart helper: escapes text, survives single, equal and missing values."""

import math
from xml.etree import ElementTree

import pytest

from mineralstrategi.svgcharts import (
    PALETTE,
    Break,
    Line,
    bar_chart,
    line_chart,
    nice_ticks,
    screen_charts,
    text_width,
    x_ticks,
)


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


def _texts(root, cls):
    return [el for el in root.iter() if el.get("class") == cls]


def _box(svg):
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    return root, width, height


@pytest.mark.parametrize("width, font_size", [(640, 10), (360, 12)])
def test_every_legend_entry_is_whole_inside_the_chart(width, font_size):
    names = [f"Plats {i} med ett ganska långt namn, konjunkturjusterad" for i in range(9)]
    names += ["Ett namn så långt att det inte ryms på en enda rad i ett smalt diagram alls"]
    lines = [Line(name, [float(i + j) for j in range(20)]) for i, name in enumerate(names)]
    svg = line_chart([str(y) for y in range(2005, 2025)], lines, title="t", width=width,
                     font_size=font_size, shaded_from=18, shade_name="Preliminära år")  # fmt: skip
    root, width, height = _box(svg)

    entries = _texts(root, "legend-entry")
    assert ["".join(e.itertext()) for e in entries] == ["Preliminära år", *names]
    for entry in entries:
        for span in entry:
            x, text = float(span.get("x")), span.text.strip()
            assert x + text_width(text, font_size) <= width, text  # not cut at the right
    baselines = [float(e.get("y")) + font_size * 1.35 * (len(e) - 1) for e in entries]
    assert max(baselines) + font_size * 0.3 <= height  # nor at the bottom
    assert any(len(e) > 1 for e in entries) == (width < 400)  # wrapped at a space if need be


def test_one_path_per_series_with_gaps_as_moves_and_a_lone_value_as_a_dot():
    svg = line_chart(
        ["2019", "2020", "2021", "2022", "2023", "2024"],
        [Line("a", [1.0, 2.0, None, 3.0, 4.0, None]), Line("b", [None, 1.0, None, 2.0, None, 1.0])],
        title="t",
    )  # fmt: skip
    root = ElementTree.fromstring(svg)
    paths = _texts(root, "series")
    assert [p.find("{*}title").text for p in paths] == ["a"]  # b has no two values in a row
    assert paths[0].get("d").count("M") == 2  # two runs, a gap between
    assert len([el for el in root.iter() if el.tag.endswith("circle")]) == 3  # b's lone values


def test_method_breaks_are_dashed_lines_with_labels_that_do_not_overlap():
    months = [f"{y}-{m:02d}" for y in range(1960, 2026) for m in range(1, 13)]
    values = [float(i % 50) for i in range(len(months))]
    breaks = [Break("2006-01", "Metodbrott 2006-01"), Break("2008-12", "Metodbrott 2008-12"),
              Break("2009-06", "Metodbrott 2009-06"), Break("1900-01", "utanför")]  # fmt: skip
    for width, font_size in ((640, 10), (360, 12)):
        svg = line_chart(months, [Line("Järnmalm", values)], title="t", breaks=breaks,
                         width=width, font_size=font_size)  # fmt: skip
        root, width, height = _box(svg)
        lines = _texts(root, "method-break")
        labels = _texts(root, "method-break-label")
        assert [t.text for t in labels] == [b.label for b in breaks[:3]]  # one outside: none
        assert all(line.get("stroke-dasharray") for line in lines) and len(lines) == 3
        spans = []
        for label in labels:
            x, size = float(label.get("x")), text_width(label.text, font_size)
            low, high = (x, x + size) if label.get("text-anchor") == "start" else (x - size, x)
            assert low >= 0 and high <= width
            spans.append((float(label.get("y")), low, high))
        for i, (y, low, high) in enumerate(spans):  # labels of one row do not overlap
            for other_y, other_low, other_high in spans[i + 1 :]:
                assert y != other_y or high < other_low or other_high < low
        plot_top = min(float(el.get("y1")) for el in root.iter()
                       if el.tag.endswith("line") and el.get("stroke") == "#ddd")  # fmt: skip
        assert max(y for y, _, _ in spans) < plot_top  # above the plot, not on the lines


def test_years_months_and_quarters_are_marked_by_year():
    months = [f"{y}-{m:02d}" for y in range(1960, 2026) for m in range(1, 13)]
    assert [text for _, text in x_ticks(months, 570, 10)] == [str(y) for y in range(1960, 2030, 5)]
    assert [text for _, text in x_ticks(months, 290, 12)] == [str(y) for y in range(1960, 2030, 10)]
    quarters = [f"{y}-Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    assert x_ticks(quarters, 570, 10) == [(0, "2022"), (4, "2023"), (8, "2024")]
    assert x_ticks(["2023-07", "2023-08", "2024-01"], 570, 10) == [(2, "2024")]
    years = [str(y) for y in range(2010, 2025)]
    assert len(x_ticks(years, 570, 10)) == 15 and x_ticks(years, 200, 12)[0] == (0, "2010")


def test_screen_charts_are_the_same_chart_wide_and_narrow():
    svg = screen_charts(line_chart, ["2023", "2024"], [Line("a", [1.0, 2.0])], title="t")
    wide, narrow = svg.split("</svg>")[:2]
    assert 'class="svg-chart svg-chart-wide"' in wide and 'viewBox="0 0 640 ' in wide
    assert 'class="svg-chart svg-chart-narrow"' in narrow and 'viewBox="0 0 360 ' in narrow
    bars = screen_charts(bar_chart, ["-1", "0", "+1"], [0.1, 0.5, 0.2], title="r", height=220)
    assert bars.count('class="svg-chart svg-chart-') == 2


def test_a_place_observed_and_adjusted_share_its_colour():
    svg = line_chart(["1", "2"], [Line("a", [1.0, 2.0], colour=0),
                                  Line("a, adjusted", [1.0, 1.5], dashed=True, colour=0),
                                  Line("b", [2.0, 3.0], colour=1)], title="t")  # fmt: skip
    paths = _texts(ElementTree.fromstring(svg), "series")
    assert [p.get("stroke") for p in paths] == [PALETTE[0], PALETTE[0], PALETTE[1]]
    assert [bool(p.get("stroke-dasharray")) for p in paths] == [False, True, False]


def test_thousands_and_decimals_in_the_page_language():
    svg = line_chart(["1", "2"], [Line("a", [0.0, 12500.0])], title="t", lang="sv")
    ticks = [el.text for el in ElementTree.fromstring(svg).iter() if el.tag.endswith("text")]
    assert "10\u00a0000" in ticks and "2\u00a0500" in ticks
    english = line_chart(["1", "2"], [Line("a", [0.0, 1.25])], title="t")
    assert "0.25" in [el.text for el in ElementTree.fromstring(english).iter()]
