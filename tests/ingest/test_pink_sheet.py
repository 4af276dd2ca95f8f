"""The World Bank's monthly price workbook ("The Pink Sheet"): the real December 2025 edition as
published, and workbooks shaped as other editions written from its own rows (fewer series, an
earlier last month, no codes row, more title rows, no Description sheet)."""

import openpyxl
import pytest
from ingest_helpers import (
    CODES_ROW,
    FIRST_MONTH_ROW,
    JUNE_2021_WORKBOOK,
    METAL_CODES,
    METALS_CSV,
    REAL_WORKBOOK,
    UNITS_ROW,
    real_rows,
    write_edition,
)

from mineralstrategi.ingest import PriceSeries, check, parse_all
from mineralstrategi.ingest.pink_sheet import WORLD_BANK_SOURCE, parse_unit
from mineralstrategi.ingest.pink_sheet_descriptions import stated_breaks

METAL_KEYS = ["aluminum", "iron_ore", "copper", "lead", "tin", "nickel", "zinc"]
PRECIOUS_KEYS = ["gold", "platinum", "silver"]
GROUPS = {
    "energy", "beverages", "oils_and_meals", "grains", "other_food", "timber",
    "other_raw_materials", "fertilizers", "metals_and_minerals", "precious_metals",
}  # fmt: skip


def series_of(result) -> dict[str, PriceSeries]:
    found: dict[str, PriceSeries] = {}
    for point in result.records:
        found.setdefault(point.commodity, point.series)
    return found


def prices_of(result) -> dict[tuple[str, str], float | None]:
    return {(p.commodity, p.month): p.value for p in result.records}


@pytest.fixture(scope="module")
def real():
    return parse_all(REAL_WORKBOOK)


@pytest.fixture(scope="module")
def real_series(real) -> dict[str, PriceSeries]:
    return series_of(real)


# --- the real December 2025 edition -------------------------------------------------------------


def test_the_real_edition_is_read_whole(real, real_series):
    assert real.ok, real.errors[:5]
    assert real.format == "pinksheet"
    assert real.meta["updated"] == "2025-12-02"
    assert len(real_series) == 71
    assert real.record_count == 71 * 791  # 1960M01 … 2025M11
    prices = prices_of(real)
    assert prices[("copper", "2025-11")] == 10812.03
    assert prices[("iron_ore", "2025-11")] == 102.48
    assert prices[("crude_wti", "1960-01")] is None  # "…"
    assert prices[("barley", "2025-11")] is None  # "..."
    assert "undescribed" not in real.meta


def test_the_series_codes_in_lower_case_are_the_keys(real_series):
    assert set(METAL_KEYS + PRECIOUS_KEYS) <= real_series.keys()
    assert {"crude_petro", "inatgas", "coffee_arabic", "rubber1_mysg"} <= real_series.keys()
    assert real_series["iron_ore"].name == "Iron ore, cfr spot"
    assert real_series["coal_safrica"].name == "Coal, South African"  # "**" dropped
    assert real_series["iron_ore"].column == "BL"


def test_every_unit_of_the_workbook_is_read(real_series):
    units = {(s.currency, s.unit) for s in real_series.values()}
    assert units == {
        ("USD", "bbl"), ("USD", "mt"), ("USD", "mmbtu"), (None, "2010=100"), ("USD", "kg"),
        ("USD", "m³"), ("US cents", "sheet"), ("USD", "dmtu"), ("USD", "troy oz"),
    }  # fmt: skip
    assert real_series["plywood"].unit_label == "US cents/sheet"
    assert real_series["inatgas"].unit_label == "2010=100"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("($/mt)", ("USD", "mt")),
        ("($/troy oz)", ("USD", "troy oz")),
        ("($/cubic meter)", ("USD", "m³")),
        ("(cents/kg)", ("US cents", "kg")),
        ("(¢/kg)", ("US cents", "kg")),
        ("(2010=100)", (None, "2010=100")),
        ("( 2010 = 100 )", (None, "2010=100")),
        ("(€/mt)", ("EUR", "mt")),
    ],
)
def test_units_in_every_form_an_edition_writes(text, expected):
    assert parse_unit(text) == expected


def test_groups_come_from_the_description_sheet(real_series):
    groups: dict[str, list[str]] = {}
    for code, series in real_series.items():
        groups.setdefault(series.group, []).append(code)
    assert set(groups) == GROUPS
    assert groups["metals_and_minerals"] == METAL_KEYS
    assert groups["precious_metals"] == PRECIOUS_KEYS
    assert real_series["copper"].group_name == "Metals and Minerals"
    assert real_series["logs_cmr"].group_name == "Timber"
    # The Description puts tobacco among the raw materials, though its column stands with food.
    assert real_series["tobac_us"].group == "other_raw_materials"


def test_each_series_gets_its_own_description(real_series):
    starts = {
        "aluminum": "Aluminum (LME) London Metal Exchange",
        "crude_petro": "Crude oil, average spot price",
        "crude_brent": "Crude oil, UK Brent",
        "crude_wti": "Crude oil, US, West Texas Intermediate",
        "tea_avg": "Tea, average three auctions",
        "tea_colombo": "Tea (Colombo auctions)",
        "grnut": "Peanut (Groundnut), U.S.",
        "grnut_oil": "Peanut (Groundnut) oil",
        "plmkrnl_oil": "Palmkernel oil",
        "wheat_us_srw": "Wheat (U.S.), no. 2, soft red winter",
        "wheat_us_hrw": "Wheat (U.S.), no. 2 hard red winter",
        "rubber_tsr20": "Rubber (Asia), TSR 20",
        "rice_a1": "Rice (Thailand), 100% broken",
        "logs_mys": "Logs (Southeast Asia)",
    }
    for code, start in starts.items():
        assert real_series[code].description.startswith(start), code
    texts = [s.description for s in real_series.values()]
    assert len(set(texts)) == len(texts)  # no description given to two series
    assert "Platts Metals Week" in real_series["aluminum"].original_sources
    assert {s.source for s in real_series.values()} == {WORLD_BANK_SOURCE}


def test_iron_ore_keeps_both_of_its_descriptions(real_series):
    history, spot = real_series["iron_ore"].description.splitlines()
    assert history.startswith("Iron ore, spot in US dollar/dry ton and contract")
    assert spot.startswith("Iron ore (any origin) fines, spot price")


def test_method_breaks_are_read_from_the_descriptions(real_series):
    breaks = {code: [b.month for b in s.breaks] for code, s in real_series.items()}
    assert breaks["iron_ore"] == ["2006-01", "2008-12"]
    assert breaks["aluminum"] == breaks["nickel"] == ["2005-01"]
    assert breaks["zinc"] == ["1990-04"]
    assert breaks["gold"] == breaks["platinum"] == ["2025-06"]
    assert breaks["silver"] == ["1962-01", "1976-07"]
    assert breaks["copper"] == breaks["lead"] == breaks["tin"] == []
    assert breaks["crude_dubai"] == ["1985-01"]  # "1960-84" starts with the data: no break
    first, second = real_series["iron_ore"].breaks
    assert first.text == "during 2006 to 2008 (November) spot, 63.5%Fe."
    assert second.text.startswith("For years 2008 (December) to present, spot")


IRON_ORE_HISTORY = (
    "Iron ore, spot in US dollar/dry ton and contract in US cents/dmtu. For years 2008 (December) "
    "to present, spot, (any origin) fines, 62% Fe, c.f.r. China; during 2006 to 2008 (November) "
    "spot, 63.5%Fe.  Earlier data refer to annual contract prices (Brazil for Europe,) VALE "
    "Carajas mines sinter feed, f.o.b. Ponta da Madeira during years 1987-2009; Itabira mines "
    "f.o.b. Tubarão for years 1960-86.  Unit dmtu denotes dry metric ton unit , i.e. 1% Fe-unit. "
)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Iron ore (any origin) fines, spot price, c.f.r. China, 62% Fe beginning December 2008; previously 63.5%", ["2008-12"]),
        (IRON_ORE_HISTORY, ["2006-01", "2008-12"]),
        ("Gold, spot average of daily rates, from June 2025; previously (UK), 99.5% fine", ["2025-06"]),
        ("Zinc (LME), high grade, settlement price beginning April 1990; previously special high grade", ["1990-04"]),
        ("Silver (UK), 99.9% refined, London afternoon fixing; prior to July 1976 Handy & Harman.  Grade prior to 1962 unrefined silver.", ["1962-01", "1976-07"]),
        ("Aluminum (LME), minimum 99.7% purity, settlement price beginning 2005; previously cash price", ["2005-01"]),
        ("Natural Gas (Europe), from April 2015, Netherlands TTF; April 2010 to March 2015, average import border price; during June 2000 - March 2010 prices excludes UK.", ["2000-06", "2010-04", "2015-04"]),
        ("Crude oil, Dubai Fateh 32` API for years 1985-present; 1960-84 refer to Saudi Arabian Light, 34` API.", ["1960-01", "1985-01"]),
        ("Wheat (U.S.), no. 2 hard red winter Gulf export price; June 2020 backwards, no. 1, hard red winter", ["2020-07"]),
        ("Barley (U.S.) feed, spot, delivered Minneapolis from May 2012 onwards; during 1980 - 2012 April Canadian, feed", ["1980-01", "2012-05"]),
        ("Copper (LME), grade A, minimum 99.9935% purity, cathodes and wire bar shapes, settlement price", []),
    ],
)  # fmt: skip
def test_the_break_statements_of_the_descriptions(text, months):
    assert [b.month for b in stated_breaks(text)] == months


# --- the real June 2021 edition -----------------------------------------------------------------


def test_the_real_june_2021_edition(real_series):
    result = parse_all(JUNE_2021_WORKBOOK)

    assert result.ok, result.errors[:5]
    assert result.meta["updated"] == "2021-06-02"
    assert result.record_count == 71 * 737  # 1960M01 … 2021M05
    series = series_of(result)
    assert series.keys() == real_series.keys()  # the same codes, so the same keys
    names = {code: s.name for code, s in series.items()}
    assert (names["chicken"], names["rubber1_mysg"]) == ("Meat, chicken", "Rubber, SGP/MYS")
    prices = prices_of(result)
    assert prices[("copper", "2021-05")] == 10161.97
    assert prices[("crude_brent", "1960-01")] is None  # ".." here; later editions give 1.63
    # That edition describes neither oil: they take the group of the series beside them.
    assert result.meta["undescribed"] == ["Rapeseed oil", "Sunflower oil"]
    assert series["rapeseed_oil"].group == "oils_and_meals"
    assert series["beef"].description.startswith("Meat, beef (Australia/New Zealand)")
    assert series["rubber1_mysg"].description.startswith("Rubber (Asia), RSS3 grade")
    breaks = {code: [b.month for b in s.breaks] for code, s in series.items()}
    assert breaks["iron_ore"] == ["2006-01", "2008-12"]
    assert breaks["gold"] == []  # the June 2025 change is not in this edition


# --- other editions, written from the real rows -------------------------------------------------


def test_the_workbook_gives_the_same_prices_as_the_tidy_csv(pink_sheet):
    """The tidy CSV was taken from the December 2024 edition; no metal month was revised since."""
    result = parse_all(pink_sheet)
    assert result.ok, result.errors
    assert result.record_count == 779 * 10
    assert prices_of(result) == prices_of(parse_all(METALS_CSV))


def test_an_edition_with_fewer_series_and_an_earlier_last_month(tmp_path):
    path = write_edition(
        tmp_path / "CMO-2024.xlsx", codes=[*METAL_CODES, "CRUDE_BRENT"], last_month="2024-11"
    )
    result = parse_all(path)

    assert result.ok, result.errors
    assert result.record_count == 11 * 779
    series = series_of(result)
    assert list(series) == ["crude_brent", *METAL_KEYS, *PRECIOUS_KEYS]
    assert [b.month for b in series["iron_ore"].breaks] == ["2006-01", "2008-12"]
    assert prices_of(result)[("copper", "2024-11")] == 9075.73


def test_an_edition_without_a_codes_row_keys_its_series_by_name(tmp_path):
    path = write_edition(
        tmp_path / "CMO-old.xlsx", codes=[*METAL_CODES, "CRUDE_BRENT", "iNATGAS"], codes_row=False
    )
    result = parse_all(path)

    assert result.ok, result.errors
    keys = list(series_of(result))
    assert keys == ["crude_oil_brent", "natural_gas_index", *METAL_KEYS, *PRECIOUS_KEYS]


def test_more_title_rows_and_another_update_date(tmp_path):
    titles = [
        "World Bank Commodity Price Data (The Pink Sheet)",
        "monthly prices in nominal US dollars, 1960 to present",
        "(monthly series are available only in nominal US dollars)",
        "Updated on November 04, 2025",
        "Note: some series were revised",
    ]
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=12, title_rows=titles)
    result = parse_all(path)

    assert result.ok, result.errors
    assert result.meta["updated"] == "2025-11-04"
    assert result.record_count == 12 * 10


def test_an_edition_without_a_description_sheet(tmp_path):
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=12, description=False)
    result = parse_all(path)

    assert result.ok, result.errors
    assert result.meta["descriptions"] == "the workbook has no sheet 'Description'"
    iron_ore = series_of(result)["iron_ore"]
    assert (iron_ore.group, iron_ore.description, iron_ore.breaks) == ("", "", ())
    assert iron_ore.described  # still named by the workbook


def test_a_series_no_description_matches_takes_its_neighbours_group(tmp_path):
    path = write_edition(
        tmp_path / "CMO.xlsx", codes=METAL_CODES, months=12, description_without=("Zinc",)
    )
    result = parse_all(path)

    assert result.ok, result.errors
    assert result.meta["undescribed"] == ["Zinc"]
    zinc = series_of(result)["zinc"]
    assert (zinc.group, zinc.description, zinc.breaks) == ("metals_and_minerals", "", ())


# --- faults -------------------------------------------------------------------------------------


def edit_cell(path, row: int, column: int, value):
    workbook = openpyxl.load_workbook(path)
    workbook["Monthly Prices"].cell(row, column).value = value
    workbook.save(path)


def test_missing_markers_and_a_price_that_is_not_a_number(tmp_path):
    edits = {("1960-03", "COPPER"): "…", ("1960-03", "Zinc"): "..", ("1960-03", "GOLD"): "n/a"}
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=12, edits=edits)
    result = parse_all(path)

    row = FIRST_MONTH_ROW + 2
    assert [str(e) for e in result.errors] == [
        f"CMO.xlsx, row {row}, field 'Gold (I)': 'n/a' is not a number"
    ]
    march = {p.commodity: p.value for p in result.records if p.month == "1960-03"}
    assert march["copper"] is None and march["zinc"] is None
    assert "gold" not in march


def test_a_month_that_is_not_a_month(tmp_path):
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=3)
    edit_cell(path, FIRST_MONTH_ROW + 1, 1, "1960M14")
    assert [str(e) for e in check(path).errors] == [
        f"CMO.xlsx, row {FIRST_MONTH_ROW + 1}, field 'A': '1960M14' is not a month like 1960M01"
    ]


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("(per tonne)", "'(per tonne)' is not a unit like ($/mt), ($/troy oz), (cents/kg) or (2010=100)"),
        ("$/mt", "'$/mt' is not a unit like ($/mt), ($/troy oz), (cents/kg) or (2010=100)"),
        ("($/metric ton of 1000 kilograms)", "'($/metric ton of 1000 kilograms)': the unit is longer than 20 characters"),
        (None, "the column has no unit like ($/mt)"),
    ],
)  # fmt: skip
def test_a_unit_it_cannot_read_is_a_fault_naming_row_column_and_text(tmp_path, unit, message):
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=3)
    edit_cell(path, UNITS_ROW, 3, unit)  # column C: iron ore

    result = check(path)

    assert [str(e) for e in result.errors] == [
        f"CMO.xlsx, row {UNITS_ROW}, field 'Iron ore, cfr spot (C)': {message}"
    ]
    assert result.record_count == 3 * 9  # the other series are still read, for their faults


def test_the_same_series_twice_is_a_fault(tmp_path):
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=3)
    edit_cell(path, CODES_ROW, 4, "IRON_ORE")  # column D: copper

    assert [str(e) for e in check(path).errors] == [
        f"CMO.xlsx, row {CODES_ROW}, field 'D': the series 'iron_ore' is in column C already"
    ]


def test_a_sheet_without_units_or_names_is_refused(tmp_path):
    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=3, codes_row=False)
    workbook = openpyxl.load_workbook(path)
    workbook["Monthly Prices"].delete_rows(UNITS_ROW)
    workbook.save(path)
    assert [str(e) for e in check(path).errors] == [
        "CMO.xlsx: sheet 'Monthly Prices' has no row of units like ($/mt) above the first month"
    ]

    path = write_edition(tmp_path / "CMO.xlsx", codes=METAL_CODES, months=3)
    workbook = openpyxl.load_workbook(path)
    workbook["Monthly Prices"].delete_rows(UNITS_ROW - 1)
    workbook.save(path)
    assert [str(e) for e in check(path).errors] == [
        "CMO.xlsx: sheet 'Monthly Prices' has no row of commodity names above the months"
    ]


def test_the_real_rows_the_helper_writes_from():
    """The helper's row numbers are the real file's: names, units, codes, then months."""
    rows = real_rows("Monthly Prices")
    assert rows[UNITS_ROW - 1][1] == "($/bbl)"
    assert rows[CODES_ROW - 1][1] == "CRUDE_PETRO"
    assert rows[FIRST_MONTH_ROW - 1][0] == "1960M01"
