"""Kolada v2 data, as `api.kolada.se/v2/data/...` answers: `{"count", "values": [...], ...}`.

Each item of `values` is one KPI for one municipality and period, with up to three values, one
per gender: T (total), K (women, kvinnor), M (men). Kolada's "municipality" may be the nation
("0000"), a region ("0025" is Region Norrbotten) or a municipality ("2580"). Each item is read
on its own, so the file is never held in memory whole. A bare list of items is read too.

The KPI is the measure and the gender a disaggregation whose total is T (see `dimensions`): the
headline figure is the total of both genders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mineralstrategi.ingest.dimensions import Role
from mineralstrategi.ingest.faults import Fault, gettext_noop
from mineralstrategi.ingest.json_files import (
    JSON_FAULTS,
    first_byte,
    json_fault,
    json_items,
    json_kvitems,
    open_json,
)
from mineralstrategi.ingest.records import FileRejected, Observation, ParseStream
from mineralstrategi.ingest.values import (
    geography_from_code,
    normalise_period,
    parse_number,
    status_flags,
)

GENDERS = {"T": "totalt", "K": "kvinnor", "M": "män"}  # Kolada's codes with its own labels


def read_kolada(path: Path, stream: ParseStream) -> Iterator[Observation]:
    stream.dimensions.declare("kpi", Role.MEASURE, label="KPI", reason="Kolada's kpi")
    stream.dimensions.declare(
        "gender", Role.DISAGGREGATION, label="kön", categories=GENDERS, total="T",
        reason="Kolada's gender: T is the total",
    )  # fmt: skip
    start = first_byte(path)
    if start not in (b"{", b"["):
        raise FileRejected("the file is not a Kolada JSON answer (it is not a JSON object)")
    prefix, place = ("values.item", "values") if start == b"{" else ("item", "")
    items = 0
    try:
        with open_json(path) as handle:
            for items, item in enumerate(json_items(handle, prefix), start=1):
                yield from _item_observations(item, f"{place}[{items - 1}]", stream)
    except JSON_FAULTS as fault:
        raise json_fault(fault) from None
    if items == 0 and start == b"{":
        _check_values_list(path)
    stream.meta["items"] = items


def _check_values_list(path: Path) -> None:
    """An answer without items must still have a `values` list (else it is not Kolada at all)."""
    with open_json(path) as handle:
        for key, value in json_kvitems(handle, ""):
            if key == "values":
                if not isinstance(value, list):
                    raise FileRejected("values must be a list of Kolada data items")
                return
    raise FileRejected("the object has no 'values' list: it is not a Kolada data answer")


def _item_observations(item: object, place: str, stream: ParseStream) -> Iterator[Observation]:
    if not isinstance(item, dict):
        stream.error(None, place, "a Kolada data item must be an object")
        return
    if "ou" in item and "municipality" not in item:
        stream.error(None, f"{place}.ou", "organisational-unit data (oudata) is not supported")
        return
    faults_before = stream.error_count
    kpi = item.get("kpi")
    if not isinstance(kpi, str) or not kpi.strip():
        stream.error(None, f"{place}.kpi", f"{kpi!r} is not a KPI id (like N00945)")
    geography = _read(stream, f"{place}.municipality", _municipality, item.get("municipality"))
    period = _read(stream, f"{place}.period", _year, item.get("period"))
    values = item.get("values")
    if not isinstance(values, list):
        stream.error(None, f"{place}.values", "values must be a list of {gender, value, status}")
    if stream.error_count > faults_before:
        return
    seen: set[str] = set()
    observations = []
    for index, entry in enumerate(values):
        observation = _entry(entry, f"{place}.values[{index}]", kpi, geography, period, stream)
        if observation is None:
            continue
        gender = observation.dimensions.get("gender", "T")
        if gender in seen:
            stream.error(
                None, f"{place}.values[{index}].gender", f"gender {gender!r} appears twice"
            )
        seen.add(gender)
        observations.append(observation)
    if stream.error_count == faults_before:  # an item is taken whole or not at all
        yield from observations


def _entry(entry, place, kpi, geography, period, stream: ParseStream) -> Observation | None:
    if not isinstance(entry, dict):
        stream.error(None, place, "a value must be an object {gender, value, status}")
        return None
    gender = entry.get("gender")
    if gender not in GENDERS:
        stream.error(None, f"{place}.gender", f"{gender!r} is not a gender (expected T, K or M)")
        return None
    value = _read(stream, f"{place}.value", parse_number, entry.get("value"), default=...)
    status = entry.get("status") or ""
    if not isinstance(status, str):
        stream.error(None, f"{place}.status", f"{status!r} is not a status text")
        return None
    if value is ...:
        return None
    provisional, estimated = status_flags(status, strict=False)
    measure, breakdown = stream.dimensions.split({"kpi": kpi.strip(), "gender": gender})
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


def _read(stream: ParseStream, place: str, reader, cell, default=None):
    try:
        return reader(cell)
    except ValueError as fault:
        stream.error(None, place, fault)
        return default


def _municipality(code: object) -> tuple[str, str]:
    if not isinstance(code, str):
        raise Fault(
            gettext_noop("%(value)s is not a Kolada municipality id (a four-digit text like 2580)"),
            value=repr(code),
        )
    if code.upper().startswith("G"):
        raise Fault(
            gettext_noop("%(value)s is a municipality group; groups are not supported"),
            value=repr(code),
        )
    if len(code) != 4 or not code.isdigit():
        raise Fault(
            gettext_noop("%(value)s is not a Kolada municipality id (like 0000, 0025, 2580)"),
            value=repr(code[:40]),
        )
    return geography_from_code(code)


def _year(period: object) -> str:
    if isinstance(period, float) and period.is_integer():
        period = int(period)
    text = str(period)
    normalised = normalise_period(period) if isinstance(period, int | str) else None
    if normalised is None or len(normalised) != 4:
        raise Fault(gettext_noop("%(value)s is not a year like 2019"), value=repr(text[:40]))
    return normalised
