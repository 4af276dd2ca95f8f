"""Helpers for the ingest tests: the data folder and a faithful copy of the World Bank workbook."""

import csv
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parent / "data"
METALS_CSV = DATA / "CMO-Historical-Data-Monthly_metals.csv"

#: The metal columns of the Pink Sheet's "Monthly Prices" sheet, in the workbook's order, with
#: the unit row's text and the column of the tidy CSV that holds the same series.
PINK_SHEET_METALS = [
    ("Aluminum", "($/mt)", "aluminum_usd_per_mt"),
    ("Iron ore, cfr spot", "($/dmtu)", "iron_ore_usd_per_dmtu"),
    ("Copper", "($/mt)", "copper_usd_per_mt"),
    ("Lead", "($/mt)", "lead_usd_per_mt"),
    ("Tin", "($/mt)", "tin_usd_per_mt"),
    ("Nickel", "($/mt)", "nickel_usd_per_mt"),
    ("Zinc", "($/mt)", "zinc_usd_per_mt"),
    ("Gold", "($/troy oz)", "gold_usd_per_troy_oz"),
    ("Platinum", "($/troy oz)", "platinum_usd_per_troy_oz"),
    ("Silver", "($/troy oz)", "silver_usd_per_troy_oz"),
]
TITLE_ROWS = [
    "World Bank Commodity Price Data (The Pink Sheet)",
    "Monthly prices in nominal US dollars, 1960 to present",
    "(monthly series are available only in nominal US dollar terms)",
    "Updated on December 03, 2024",
]
FIRST_MONTH_ROW = len(TITLE_ROWS) + 3  # titles, commodity names, units, then 1960M01


def metal_rows() -> list[dict]:
    with METALS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_pink_sheet(path: Path, edits: dict | None = None, months: int | None = None) -> Path:
    """The "Monthly Prices" sheet as the World Bank publishes it, with the real metal prices.

    `edits` maps (sheet row, commodity name) to a replacement cell, e.g. "…" or "n/a".
    """
    edits = edits or {}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Monthly Prices"
    for title in TITLE_ROWS:
        sheet.append([title])
    sheet.append([None] + [name for name, _unit, _column in PINK_SHEET_METALS])
    sheet.append([None] + [unit for _name, unit, _column in PINK_SHEET_METALS])
    for offset, row in enumerate(metal_rows()[:months]):
        row_number = FIRST_MONTH_ROW + offset
        period = row["month"].replace("-", "M")
        cells = [period]
        for name, _unit, column in PINK_SHEET_METALS:
            cells.append(edits.get((row_number, name), float(row[column])))
        sheet.append(cells)
    indices = workbook.create_sheet("Monthly Indices")
    indices.append(["World Bank Commodity Price Data (The Pink Sheet)"])
    workbook.save(path)
    return path
