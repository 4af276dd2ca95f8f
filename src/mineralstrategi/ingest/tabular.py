"""Table layouts shared by CSV and XLSX files: rows of cells in, records and faults out.

Three layouts, told apart by their header:

- Open SDG (`opensdg-csv`): `Year`, any disaggregation columns (`GeoCode`, `Sex`, `Units` …),
  `Value`. A row without a geography is the national figure. `Series` and `Units` name what is
  measured, observation attributes (`Unit multiplier`, `COMMENT_OBS` …) describe a value, every
  other column is a disaggregation whose empty cell is its total (as Open SDG reads it).
- Long (`csv`): `geo`, `period`, `value`, optional `status` and `level`, any other columns as
  dimensions (a column named like `indicator` or `kpi` is the measure).
- Commodity prices (`prices-csv`): `month` and one column per series named
  `<commodity>_<currency>_per_<unit>`, e.g. `copper_usd_per_mt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from mineralstrategi.ingest.dimensions import Role, role_by_name
from mineralstrategi.ingest.faults import Fault, gettext_noop
from mineralstrategi.ingest.records import (
    NATION_CODE,
    FileRejected,
    Observation,
    ParseStream,
    PricePoint,
    PriceSeries,
)
from mineralstrategi.ingest.values import (
    geography_from_code,
    normalise_period,
    parse_number,
    status_flags,
)

Row = tuple[int, Sequence[object]]  # (row number as a spreadsheet shows it, cells)

OPEN_SDG_GEO_COLUMNS = ("geocode", "geo_code", "geography", "region", "county", "municipality")
OPEN_SDG_STATUS_COLUMNS = ("observation status", "status", "obs_status")
LONG_REQUIRED = ("geo", "period", "value")
PRICE_COLUMN = re.compile(
    r"(?P<commodity>[a-z0-9_]+?)_(?P<currency>[a-z]{3})_per_(?P<unit>[a-z0-9_]+)"
)
UNIT_NAMES = {"mt": "mt", "dmtu": "dmtu", "troy_oz": "troy oz", "kg": "kg", "bbl": "bbl"}


def header_names(cells: Sequence[object]) -> list[str]:
    names = ["" if cell is None else str(cell).strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    return names


def classify_header(names: Sequence[str]) -> str | None:
    """The layout a header row belongs to, or None."""
    lowered = [name.lower() for name in names]
    if all(column in lowered for column in LONG_REQUIRED):
        return "csv"
    if "year" in lowered and "value" in lowered:
        return "opensdg-csv"
    if len(lowered) >= 2 and lowered[0] == "month":
        return "prices-csv"
    return None


def expected_header_text() -> str:
    return (
        "expected an Open SDG header (Year, …, Value), a long header (geo, period, value) "
        "or a price header (month, copper_usd_per_mt, …)"
    )


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _find(lowered: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _check_duplicate_columns(names: Sequence[str], header_row: int) -> None:
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise FileRejected(
                Fault(
                    gettext_noop("the column %(name)s appears twice in the header"), name=repr(name)
                ),
                row=header_row,
            )
        seen.add(name.lower())


def _fitted(cells: Sequence[object], width: int, row: int, stream: ParseStream) -> list | None:
    """The row's cells padded to the header's width; None (and a fault) when it is too wide."""
    cells = list(cells)
    while len(cells) > width and (cells[-1] is None or _cell_text(cells[-1]) == ""):
        cells.pop()
    if len(cells) > width:
        stream.error(
            row,
            None,
            Fault(
                gettext_noop("the row has %(cells)s cells but the header has %(width)s"),
                cells=len(cells),
                width=width,
            ),
        )
        return None
    return cells + [None] * (width - len(cells))


def _is_blank(cells: Sequence[object]) -> bool:
    return all(_cell_text(cell) == "" for cell in cells)


@dataclass
class _ObservationColumns:
    names: list[str]
    value: int
    period: int
    geo: int | None
    status: int | None
    level: int | None
    dimensions: list[int]
    nation_when_no_geo: bool
    geo_names: set[int]


def _observation_columns(names: list[str], layout: str, header_row: int) -> _ObservationColumns:
    lowered = [name.lower() for name in names]
    if layout == "csv":
        geo, period = lowered.index("geo"), lowered.index("period")
        status, level = _find(lowered, ["status"]), _find(lowered, ["level"])
        geo_names: set[int] = set()
    elif layout == "opensdg-csv":
        period = lowered.index("year")
        geo = _find(lowered, OPEN_SDG_GEO_COLUMNS)
        status, level = _find(lowered, OPEN_SDG_STATUS_COLUMNS), None
        # Names of the place beside its code ("Geography" beside "GeoCode") say nothing more.
        geo_names = {index for index, name in enumerate(lowered) if name in OPEN_SDG_GEO_COLUMNS}
    else:
        raise FileRejected(f"{layout!r} is not a layout of observations", row=header_row)
    value = lowered.index("value")
    used = {value, period, geo, status, level} | geo_names
    for index, name in enumerate(names):
        if not name and index not in used:
            raise FileRejected(
                Fault(
                    gettext_noop("column %(number)s of the header has no name"), number=index + 1
                ),
                row=header_row,
            )
    dimensions = [index for index in range(len(names)) if index not in used]
    return _ObservationColumns(
        names, value, period, geo, status, level, dimensions, layout == "opensdg-csv", geo_names
    )


def observations_from_rows(
    header: Row, rows: Iterable[Row], layout: str, stream: ParseStream
) -> Iterator[Observation]:
    """Observations from the rows of an Open SDG or long table; every bad cell is a fault."""
    header_row, header_cells = header
    names = header_names(header_cells)
    _check_duplicate_columns(names, header_row)
    columns = _observation_columns(names, layout, header_row)
    stream.meta.update(layout=layout, columns=names)
    _declare_columns(columns, stream)
    for row_number, cells in rows:
        fitted = _fitted(cells, len(names), row_number, stream)
        if fitted is None or _is_blank(fitted):
            continue
        observation = _observation(fitted, columns, row_number, stream)
        if observation is not None:
            yield observation


def _declare_columns(columns: _ObservationColumns, stream: ParseStream) -> None:
    names = columns.names
    stream.dimensions.declare(
        names[columns.period], Role.PERIOD, reason=f"column {names[columns.period]!r}"
    )
    if columns.geo is not None:
        stream.dimensions.declare(
            names[columns.geo], Role.PLACE, reason=f"column {names[columns.geo]!r}"
        )
    for index in columns.dimensions:
        named = role_by_name(names[index])
        reason = f"column {names[index]!r}" if named else "empty cells are the total"
        stream.dimensions.declare(names[index], named or Role.DISAGGREGATION, reason=reason)


def _observation(
    cells: list, columns: _ObservationColumns, row: int, stream: ParseStream
) -> Observation | None:
    names = columns.names
    faults_before = stream.error_count
    value = _read(stream, row, names[columns.value], parse_number, cells[columns.value])
    period = _read(stream, row, names[columns.period], normalise_period, cells[columns.period])
    level = _cell_text(cells[columns.level]) if columns.level is not None else ""
    geo = _cell_text(cells[columns.geo]) if columns.geo is not None else ""
    geography = None
    if geo:
        geography = _read(stream, row, names[columns.geo], geography_from_code, geo, level or None)
    elif named := [index for index in columns.geo_names if _cell_text(cells[index])]:
        stream.error(
            row,
            names[columns.geo],
            Fault(
                gettext_noop("the row names a place (%(place)s) but gives no code for it"),
                place=repr(_cell_text(cells[named[0]])),
            ),
        )
    elif columns.nation_when_no_geo:
        geography = (NATION_CODE, "nation")  # Open SDG: the row without a place is the nation
    else:
        stream.error(row, names[columns.geo], Fault(gettext_noop("the geography code is empty")))
    status = _cell_text(cells[columns.status]) if columns.status is not None else ""
    flags = None
    if status:
        flags = _read(stream, row, names[columns.status], status_flags, status, True)
    if stream.error_count > faults_before:
        return None
    provisional, estimated = flags or (False, False)
    measure, breakdown = stream.dimensions.split(
        {names[index]: _cell_text(cells[index]) for index in columns.dimensions}
    )
    return Observation(
        geography_code=geography[0],
        geography_level=geography[1],
        period=period,
        value=value,
        provisional=provisional,
        estimated=estimated,
        status=status,
        dimensions=breakdown,
        measure=measure,
    )


def _read(stream: ParseStream, row: int, field: str, reader, *arguments):
    """`reader(*arguments)`, or None with a fault for this row and field."""
    try:
        return reader(*arguments)
    except ValueError as fault:
        stream.error(row, field, fault)
        return None


def prices_from_rows(header: Row, rows: Iterable[Row], stream: ParseStream) -> Iterator[PricePoint]:
    """Price points from a `month, <commodity>_<currency>_per_<unit>, …` table."""
    header_row, header_cells = header
    names = header_names(header_cells)
    _check_duplicate_columns(names, header_row)
    series = [_price_series(name, header_row) for name in names[1:]]
    stream.meta.update(layout="prices-csv", series=[s.code for s in series])
    for row_number, cells in rows:
        fitted = _fitted(cells, len(names), row_number, stream)
        if fitted is None or _is_blank(fitted):
            continue
        try:
            month = _month(fitted[0])
        except ValueError as fault:
            stream.error(row_number, names[0], fault)
            continue
        for one_series, cell in zip(series, fitted[1:], strict=True):
            try:
                value = parse_number(cell)
            except ValueError as fault:
                stream.error(row_number, one_series.column, fault)
                continue
            yield PricePoint(one_series, month, value)


def _price_series(name: str, header_row: int) -> PriceSeries:
    match = PRICE_COLUMN.fullmatch(name.strip().lower())
    if not match:
        raise FileRejected(
            f"the column {name!r} is not a price series (expected a name like "
            "copper_usd_per_mt: commodity, currency, 'per', unit)",
            row=header_row,
            field=name,
        )
    unit = match.group("unit")
    return PriceSeries(
        code=match.group("commodity"),
        unit=UNIT_NAMES.get(unit, unit),
        currency=match.group("currency").upper(),
        column=name,
    )


def _month(cell: object) -> str:
    period = normalise_period(cell)
    if len(period) != 7 or "Q" in period:
        raise Fault(
            gettext_noop("%(value)s is not a month (expected 2024-11 or 2024M11)"),
            value=repr(_cell_text(cell)),
        )
    return period
