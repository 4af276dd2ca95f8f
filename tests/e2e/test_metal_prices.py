"""The server's SVG charts of a metal price and an indicator in a real browser: the method breaks
are drawn where they belong, every label and legend entry is whole and inside the chart, and a
phone gets the narrow drawing with larger type, a wide screen the wide one."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

# The boxes, in CSS pixels, of the shown chart, its plot's grid, its break lines and labels and
# its legend entries.
GEOMETRY = """(figure) => {
  const svg = [...document.querySelectorAll(figure + " svg.svg-chart")]
    .find(s => getComputedStyle(s).display !== "none");
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const all = (selector) => [...svg.querySelectorAll(selector)];
  const fontSize = (el) => parseFloat(el.getAttribute("font-size")) * box(svg).width
    / svg.viewBox.baseVal.width;
  return {
    cls: svg.getAttribute("class"),
    svg: box(svg),
    shown: document.querySelectorAll(figure + " svg.svg-chart").length,
    grid: all("line[stroke='#ddd'], line[stroke='#888']").map(box),
    breaks: all("line.method-break").map(box),
    labels: all("text.method-break-label").map(el => ({text: el.textContent, ...box(el)})),
    legend: all("text.legend-entry").map(el => ({text: el.textContent, ...box(el)})),
    series: all("path.series").length,
    smallest: Math.min(...all("text").map(fontSize)),
  };
}"""


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def apart(a: dict, b: dict) -> bool:
    return (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or (b["bottom"] <= a["top"])
    )


@pytest.mark.parametrize("width, drawing", [(1280, "svg-chart-wide"), (375, "svg-chart-narrow")])
def test_the_iron_ore_chart_draws_its_method_breaks(read_only_demo_site, page, width, drawing):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(read_only_demo_site + "/metallpriser/iron_ore/")
    shown = page.evaluate(GEOMETRY, "figure.price-chart")

    assert drawing in shown["cls"] and shown["shown"] == 2  # the other drawing is hidden
    assert shown["svg"]["right"] <= width  # no sideways scrolling
    assert shown["smallest"] >= 9.5  # readable type on a phone as on a screen
    assert [label["text"] for label in shown["labels"]] == [
        "Metodbrott 2006-01",
        "Metodbrott 2008-12",
    ]
    plot_top = min(line["top"] for line in shown["grid"])
    for line, label in zip(shown["breaks"], shown["labels"], strict=True):
        assert inside(label, shown["svg"]) and label["bottom"] <= plot_top + 1  # above the plot
        assert abs(label["left"] - line["right"]) < 6 or abs(label["right"] - line["left"]) < 6
    assert apart(*shown["labels"])
    first, second = shown["breaks"]
    years = (second["left"] - first["left"]) / (shown["grid"][0]["width"])
    assert 0.03 < years < 0.06  # 2006-01 to 2008-12: three years of some sixty-five
    assert shown["series"] == 1 and [e["text"] for e in shown["legend"]] == ["Järnmalm"]
    assert page.log.page_errors == [] and page.log.console_errors == []
    assert page.evaluate("window.__cspViolations") == []


def test_a_chart_without_breaks_draws_no_break_line(read_only_demo_site, page):
    page.goto(read_only_demo_site + "/metallpriser/copper/")

    shown = page.evaluate(GEOMETRY, "figure.price-chart")
    assert shown["breaks"] == [] and shown["labels"] == [] and shown["series"] == 1


@pytest.mark.parametrize("width, drawing", [(1280, "svg-chart-wide"), (375, "svg-chart-narrow")])
def test_the_indicator_chart_has_a_line_and_a_whole_legend_entry_per_place(
    read_only_demo_site, page, width, drawing
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(read_only_demo_site + "/indikatorer/gruv-sysselsatta/")
    shown = page.evaluate(GEOMETRY, "figure.development-chart")

    assert drawing in shown["cls"] and shown["svg"]["right"] <= width
    assert shown["smallest"] >= 9.5
    names = [entry["text"] for entry in shown["legend"]]
    assert shown["series"] == len(names) >= 2
    for i, entry in enumerate(shown["legend"]):
        assert inside(entry, shown["svg"]), entry["text"]  # whole: not cut at an edge
        assert all(apart(entry, other) for other in shown["legend"][i + 1 :])
    assert page.locator("canvas, script[src*='chart']").count() == 0
    assert page.evaluate("window.__cspViolations") == []
