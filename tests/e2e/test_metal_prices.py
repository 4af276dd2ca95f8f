"""The metal-price chart in a real browser: the method breaks are drawn on it."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

# The pixels of the break colour (charts.js BREAK_COLOUR, #a50f15: red 165, green 15, blue 21) in
# a column of the chart's plot area at a period's x position.
RED_PIXELS_AT = """(period) => {
  const canvas = document.querySelector("canvas.line-chart");
  const chart = Chart.getChart(canvas);
  const index = chart.data.labels.indexOf(period);
  const ratio = chart.currentDevicePixelRatio;
  const x = Math.round(chart.scales.x.getPixelForValue(index) * ratio);
  const top = Math.round(chart.chartArea.top * ratio);
  const height = Math.round(chart.chartArea.height * ratio);
  const pixels = canvas.getContext("2d").getImageData(x - 1, top, 3, height).data;
  let red = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (Math.abs(pixels[i] - 165) < 40 && pixels[i + 1] < 80 && pixels[i + 2] < 80) red += 1;
  }
  return red;
}"""


def test_the_iron_ore_chart_draws_its_method_breaks(read_only_demo_site, page):
    page.goto(read_only_demo_site + "/metallpriser/iron_ore/")
    page.wait_for_function("Chart.getChart(document.querySelector('canvas.line-chart'))")

    assert page.evaluate(RED_PIXELS_AT, "2006-01") > 50
    assert page.evaluate(RED_PIXELS_AT, "2008-12") > 50
    assert page.evaluate(RED_PIXELS_AT, "1990-01") == 0  # no break there: no line
    assert page.log.page_errors == []  # the plugin threw nothing
    assert page.evaluate("window.__cspViolations") == []


def test_a_chart_without_breaks_draws_no_break_line(read_only_demo_site, page):
    page.goto(read_only_demo_site + "/metallpriser/copper/")
    page.wait_for_function("Chart.getChart(document.querySelector('canvas.line-chart'))")

    assert page.evaluate(RED_PIXELS_AT, "2006-01") == 0
