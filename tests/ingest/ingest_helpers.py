"""Helpers for the ingest tests: the data folders, and workbooks shaped as other editions of the
World Bank's price workbook, written from the real December 2025 file's own rows."""

import csv
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parent / "data"
METALS_CSV = DATA / "CMO-Historical-Data-Monthly_metals.csv"
#: The real workbook as published (see tests/data/CMO-Historical-Data-Monthly-2025-12.README.md).
REAL_WORKBOOK = DATA.parents[1] / "data" / "CMO-Historical-Data-Monthly-2025-12.xlsx"
#: An earlier real edition (see tests/data/CMO-Historical-Data-Monthly-2021-06.README.md).
JUNE_2021_WORKBOOK = REAL_WORKBOOK.with_name("CMO-Historical-Data-Monthly-2021-06.xlsx")

#: Where the real file's rows are (the parser finds them by content; the helper knows them).
TITLE_ROWS, NAMES_ROW, UNITS_ROW, CODES_ROW, FIRST_MONTH_ROW = 4, 5, 6, 7, 8
#: The codes of the metal columns, in the workbook's order.
METAL_CODES = [
    "ALUMINUM", "IRON_ORE", "COPPER", "LEAD", "Tin", "NICKEL", "Zinc", "GOLD", "PLATINUM", "SILVER",
]  # fmt: skip
DESCRIPTION = "Description"


def metal_rows() -> list[dict]:
    with METALS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def real_rows(sheet: str) -> list[list]:
    """Every row of a sheet of the real workbook, as lists of cell values."""
    workbook = openpyxl.load_workbook(REAL_WORKBOOK, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet]
        worksheet.reset_dimensions()
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    while rows and not any(cell is not None for cell in rows[-1]):
        rows.pop()
    return rows


def write_edition(
    path: Path,
    *,
    codes: list[str] | None = None,
    last_month: str | None = None,
    months: int | None = None,
    codes_row: bool = True,
    description: bool = True,
    description_without: tuple[str, ...] = (),
    title_rows: list[str] | None = None,
    edits: dict | None = None,
) -> Path:
    """A workbook shaped as another edition, from the real December 2025 workbook's rows.

    `codes` keeps those series' columns (all when None), in the real order; `last_month`
    ("2024-11") or `months` (a count) ends the months earlier; `codes_row=False` leaves out the
    row of series codes, as older editions do; `description=False` leaves out the Description
    sheet, `description_without` the description rows starting with those words;
    `title_rows` replaces the four title rows; `edits` maps (month "1960-03", code) to a
    replacement cell, e.g. "…" or "n/a".
    """
    rows = real_rows("Monthly Prices")
    header_codes = rows[CODES_ROW - 1]
    kept = [0] + [
        index
        for index, code in enumerate(header_codes)
        if index and code and (codes is None or code in codes)
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Monthly Prices"
    titles = rows[:TITLE_ROWS] if title_rows is None else [[title] for title in title_rows]
    for title in titles:
        sheet.append(title[:1])
    header = [NAMES_ROW, UNITS_ROW] + ([CODES_ROW] if codes_row else [])
    for row_number in header:
        sheet.append([rows[row_number - 1][index] for index in kept])
    edits = edits or {}
    for written, row in enumerate(rows[FIRST_MONTH_ROW - 1 :]):
        month = row[0].replace("M", "-")
        if (last_month and month > last_month) or (months is not None and written >= months):
            break
        sheet.append(
            [row[0]] + [edits.get((month, header_codes[index]), row[index]) for index in kept[1:]]
        )
    if description:
        described = workbook.create_sheet(DESCRIPTION)
        for row in real_rows(DESCRIPTION):
            text = str(row[1] or "") if len(row) > 1 else ""
            if not any(text.startswith(words) for words in description_without):
                described.append(row)
    workbook.create_sheet("Monthly Indices").append(
        ["World Bank Commodity Price Data (The Pink Sheet)"]
    )
    workbook.save(path)
    return path


def write_pink_sheet(path: Path, **options) -> Path:
    """The metal columns of the real workbook up to 2024-11 (the tidy CSV's months)."""
    return write_edition(path, codes=METAL_CODES, last_month="2024-11", **options)
