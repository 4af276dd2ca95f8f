"""The charts of an indicator's page (its series per place over time) and of a commodity's page
(the monthly price, with the source's method breaks): server-side SVG from ``svgcharts``, the
same stack, palette and number format as the analyses' charts and the follow-up report's PDF.
Each is drawn wide and narrow (``screen_charts``); the page shows the figures in tables
beside it.
"""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from mineralstrategi.svgcharts import Break, Line, line_chart, screen_charts

from . import verdict_text


def charted_series(series_list) -> list:
    """The series the development chart draws: the nation's and the counties' (municipalities
    are on the map)."""
    return [s for s in series_list if s.level != "municipality"]


def development_chart(indicator, series_list, *, description: str = "") -> str:
    """One line per place (nation, counties) over the periods as published; '' without any."""
    charted = charted_series(series_list)
    periods = sorted({p.period for s in charted for p in s.points})
    if not periods:
        return ""
    lines = []
    for series in charted:
        by_period = {p.period: p.value for p in series.points}
        lines.append(Line(series.name, [by_period.get(period) for period in periods]))
    title = indicator.name + (f" ({description})" if description else "")
    return mark_safe(  # nosec B308, B703 # svgcharts escapes every text
        screen_charts(
            line_chart,
            periods,
            lines,
            title=title,
            description=gettext(
                "Chart of the indicator over time; the same figures are in the tables below."
            ),
            unit=indicator.unit,
            lang=verdict_text.language(),
        )
    )


def price_chart(commodity, prices, breaks) -> str:
    """The monthly price, a dashed vertical line labelled at each method break (``breaks``: the
    commodity's ``breaks_shown``)."""
    months = [p.month for p in prices]
    if not months:
        return ""
    name = str(commodity.display_name)
    return mark_safe(  # nosec B308, B703 # svgcharts escapes every text
        screen_charts(
            line_chart,
            months,
            [Line(name, [p.value for p in prices], language=commodity.name_language)],
            title=name,
            title_language=commodity.name_language,
            description=gettext(
                "Chart of the monthly price; the same figures are in the table below."
            ),
            unit=commodity.unit_display,
            lang=verdict_text.language(),
            breaks=[
                Break(b.month, gettext("Method break %(month)s") % {"month": b.month})
                for b in breaks
            ],
        )
    )
