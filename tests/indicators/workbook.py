"""Shared by the tests of the World Bank's workbook: the file, its figures, and how the price
list reads."""

from tests.ingest.ingest_helpers import JUNE_2021_WORKBOOK, REAL_WORKBOOK, write_edition

__all__ = ["JUNE_2021_WORKBOOK", "REAL_WORKBOOK", "write_edition"]

WORKBOOK_SOURCE = "World Bank, Commodity Price Data (The Pink Sheet), CC BY 4.0"
MONTHS = 791  # 1960-01 … 2025-11
SERIES = 71
PRICES_IN_WORKBOOK = SERIES * MONTHS


def sections(page) -> dict[str, list[list[str]]]:
    """Each group heading of the price list with its rows: the series' name (its link), its
    method-break note, unit, period and source."""
    return {
        section.h2.text: [
            [
                row.select_one("td a").text,
                row.select_one("td .badge").text if row.select_one("td .badge") else "",
                *(td.text for td in row.select("td")[1:]),
            ]
            for row in section.select("tbody tr")
        ]
        for section in page.select("section.commodity-group")
    }
