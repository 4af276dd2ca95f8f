"""The query parameters of the follow-up's pages (see mineralstrategi.query)."""

from mineralstrategi.query import DecimalCommaField, QueryForm, year_field

MIN_YEAR, MAX_YEAR = 1990, 2100
PRICE_CHANGE_DEFAULT = -30.0  # per cent
MIN_PRICE_CHANGE, MAX_PRICE_CHANGE = -95.0, 300.0


class YearQuery(QueryForm):
    """The year followed up (the latest with data by default); also the report's posted form."""

    year = year_field(MIN_YEAR, MAX_YEAR)


class DashboardQuery(YearQuery):
    """… and the scenario's change of the metal price next year, in per cent (-30 by default)."""

    price_change = DecimalCommaField(min_value=MIN_PRICE_CHANGE, max_value=MAX_PRICE_CHANGE)
