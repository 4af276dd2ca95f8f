"""JSON-stat 2.0 datasets, as Statistics Sweden's PxWeb serves them (`format=json-stat2`).

The file is read twice with ijson so that the values are never held in memory together:
first everything but `value` and `status` (the metadata, checked against the format), then the
values one by one, turned into observations. The geography comes from the dimension with role
`geo` (or one named like `Region`), the period from the one with role `time` (or `Tid`);
every other dimension is kept as a dimension of the observation by its category id.

Values are stored in row-major order: the last dimension in `id` changes fastest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ijson

from mineralstrategi.ingest.json_files import (
    JSON_FAULTS,
    build_value,
    count_items,
    json_fault,
    open_json,
)
from mineralstrategi.ingest.records import NATION_CODE, FileRejected, Observation, ParseStream
from mineralstrategi.ingest.values import (
    geography_from_code,
    normalise_period,
    parse_number,
    status_flags,
)

GEO_NAMES = ("region", "geo", "geography", "kommun", "lan", "län", "county", "municipality")
TIME_NAMES = ("tid", "time", "year", "år", "period")
ROLES = ("time", "geo", "metric")
_NATION = (NATION_CODE, "nation")
CATEGORY_KEYS = ("index", "label", "child", "coordinates", "unit", "note")


@dataclass
class _Dimension:
    id: str
    categories: list[str]  # category ids by position


@dataclass
class _Cube:
    dimensions: list[_Dimension]
    total: int
    value_kind: str  # "array" or "object"
    status_kind: str | None  # None, "scalar", "array" or "object"
    status: object  # the status string or object (arrays are streamed)
    status_count: int
    geo: int | None
    time: int


def read_jsonstat(path: Path, stream: ParseStream) -> Iterator[Observation]:
    try:
        top, value_shape, status_shape = _read_metadata(path)
        cube = _check_dataset(top, value_shape, status_shape, stream)
        if cube is None:
            return
        yield from _observations(path, cube, stream)
    except JSON_FAULTS as fault:
        raise json_fault(fault) from None


def _read_metadata(path: Path) -> tuple[dict, tuple[str, int] | None, tuple[str, int] | None]:
    """The top-level object without `value` (and without `status` when it is an array)."""
    top: dict = {}
    value_shape = status_shape = None
    with open_json(path) as handle:
        events = ijson.parse(handle, use_float=True)
        first = next(events, None)
        if first is None:
            raise FileRejected("the file is empty")
        if first[1] != "start_map":
            raise FileRejected("a JSON-stat dataset must be a JSON object")
        for _prefix, event, key in events:
            if event == "end_map":
                break
            first_event = next(events)[1:]
            if key == "value":
                value_shape = count_items(first_event, events)
            elif key == "status" and first_event[0] == "start_array":
                status_shape = count_items(first_event, events)
            else:
                top[key] = build_value(first_event, events)
        for _event in events:  # anything after the object is a fault ijson reports here
            pass
    return top, value_shape, status_shape


def _check_dataset(
    top: dict, value_shape: tuple[str, int] | None, status_shape, stream: ParseStream
) -> _Cube | None:
    """The dataset's structure if it follows JSON-stat 2.0; every fault reported otherwise."""
    faults_before = stream.error_count

    def fault(field: str | None, message: str) -> None:
        stream.error(None, field, message)

    if "version" not in top and "class" not in top and _looks_like_bundle(top):
        raise FileRejected(
            "this is a JSON-stat 1.x bundle; ask PxWeb for the format json-stat2 instead"
        )
    if top.get("version") != "2.0":
        fault("version", f"version is {top.get('version')!r}; expected '2.0' (JSON-stat 2.0)")
    if top.get("class") != "dataset":
        fault("class", f"class is {top.get('class')!r}; expected 'dataset'")
    stream.meta.update(
        {key: top[key] for key in ("label", "source", "updated") if isinstance(top.get(key), str)}
    )
    ids, sizes = top.get("id"), top.get("size")
    if not _is_list_of(ids, str) or len(set(ids)) != len(ids):
        fault("id", "id must be a list of distinct dimension ids")
        return None
    if not _is_list_of(sizes, int) or any(size < 0 for size in sizes):
        fault("size", "size must be a list of whole numbers, one per dimension")
        return None
    if len(ids) != len(sizes):
        fault("size", f"id lists {len(ids)} dimensions but size has {len(sizes)} numbers")
        return None
    total = math.prod(sizes)
    dimension = top.get("dimension")
    if not isinstance(dimension, dict):
        fault("dimension", "dimension is missing or not an object")
        return None
    for extra in dimension.keys() - set(ids):
        fault(f"dimension.{extra}", f"dimension {extra!r} is not listed in id")
    dimensions = []
    for dimension_id, size in zip(ids, sizes, strict=True):
        if dimension_id not in dimension:
            fault("dimension", f"dimension {dimension_id!r} is listed in id but missing")
            continue
        categories = _check_dimension(dimension_id, dimension[dimension_id], size, fault)
        dimensions.append(_Dimension(dimension_id, categories or []))
    roles = _check_roles(top.get("role"), ids, fault)
    value_kind = _check_values(value_shape, total, fault)
    status_kind, status, status_count = _check_status(top.get("status"), status_shape, total, fault)
    if stream.error_count > faults_before:
        return None
    geo = _role_dimension(roles, "geo", ids, GEO_NAMES)
    time = _role_dimension(roles, "time", ids, TIME_NAMES)
    if time is None:
        fault("role", "no time dimension: give it the role 'time' or the id 'Tid'")
        return None
    stream.meta.update(dimensions=ids, size=sizes, geo=ids[geo] if geo is not None else None)
    stream.meta["time"] = ids[time]
    stream.meta["units"] = _units(dimension, roles)
    return _Cube(dimensions, total, value_kind, status_kind, status, status_count, geo, time)


def _looks_like_bundle(top: dict) -> bool:
    return any(isinstance(item, dict) and "dimension" in item for item in top.values())


def _is_list_of(value: object, kind: type) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, kind) and not isinstance(item, bool) for item in value
    )


def _check_dimension(dimension_id: str, body: object, size: int, fault) -> list[str] | None:
    place = f"dimension.{dimension_id}"
    if not isinstance(body, dict) or not isinstance(body.get("category"), dict):
        fault(place, f"dimension {dimension_id!r} has no category object")
        return None
    category = body["category"]
    place += ".category"
    for key in category.keys() - set(CATEGORY_KEYS):
        fault(f"{place}.{key}", f"{key!r} is not a property of a category")
    categories = _category_ids(category, place, fault)
    if categories is None:
        return None
    if len(categories) != size:
        fault(
            place,
            f"dimension {dimension_id!r} has {len(categories)} categories but size says {size}",
        )
        return None
    known = set(categories)
    for key in ("label", "unit", "child", "coordinates", "note"):
        part = category.get(key)
        if part is None:
            continue
        if not isinstance(part, dict):
            fault(f"{place}.{key}", f"{key} must be an object keyed by category id")
            continue
        unknown = sorted(set(part) - known)
        if unknown:
            fault(f"{place}.{key}", f"unknown categories in {key}: {', '.join(unknown)[:200]}")
    child = category.get("child")
    if isinstance(child, dict):
        _check_children(child, known, f"{place}.child", fault)
    return categories


def _category_ids(category: dict, place: str, fault) -> list[str] | None:
    index = category.get("index")
    if index is None:
        label = category.get("label")
        if isinstance(label, dict) and len(label) == 1:
            return list(label)  # the format lets a single category go without an index
        fault(f"{place}.index", "index is missing (allowed only when label names one category)")
        return None
    if isinstance(index, list):
        if not _is_list_of(index, str) or len(set(index)) != len(index):
            fault(f"{place}.index", "index must list distinct category ids")
            return None
        return index
    if isinstance(index, dict):
        positions = list(index.values())
        if not _is_list_of(positions, int) or sorted(positions) != list(range(len(index))):
            fault(f"{place}.index", f"index positions must be 0 to {len(index) - 1}, each once")
            return None
        return sorted(index, key=index.__getitem__)
    fault(f"{place}.index", "index must be a list or an object")
    return None


def _check_children(child: dict, known: set[str], place: str, fault) -> None:
    for parent, children in child.items():
        if not _is_list_of(children, str):
            fault(f"{place}.{parent}", "children must be a list of category ids")
            return
        unknown = sorted(set(children) - known)
        if unknown:
            fault(f"{place}.{parent}", f"unknown child categories: {', '.join(unknown)[:200]}")
            return
    state: dict[str, int] = {}  # 1 = being visited, 2 = done

    def visit(node: str) -> bool:
        state[node] = 1
        for next_node in child.get(node, []):
            if state.get(next_node) == 1 or (state.get(next_node) is None and visit(next_node)):
                return True
        state[node] = 2
        return False

    for parent in child:
        if state.get(parent) is None and visit(parent):
            fault(place, f"the child hierarchy has a cycle through {parent!r}")
            return


def _check_roles(role: object, ids: list[str], fault) -> dict[str, list[str]]:
    if role is None:
        return {}
    if not isinstance(role, dict):
        fault("role", "role must be an object")
        return {}
    roles = {}
    for name, members in role.items():
        if name not in ROLES:
            fault(f"role.{name}", f"{name!r} is not a role (expected time, geo or metric)")
        elif not _is_list_of(members, str) or not set(members) <= set(ids):
            fault(f"role.{name}", f"role {name!r} must list dimensions that are in id")
        else:
            roles[name] = members
    return roles


def _check_values(shape: tuple[str, int] | None, total: int, fault) -> str:
    if shape is None:
        fault("value", "value is missing")
        return "array"
    kind, count = shape
    if kind == "array" and count != total:
        fault("value", f"value has {count} items but the sizes multiply to {total}")
    elif kind == "object" and count > total:
        fault("value", f"value has {count} entries but the sizes multiply to {total}")
    elif kind == "scalar":
        fault("value", "value must be an array or an object")
    return kind


def _check_status(status: object, shape, total: int, fault) -> tuple[str | None, object, int]:
    if shape is not None:
        _kind, count = shape
        if count not in (1, total):
            fault("status", f"status has {count} items but value has {total}")
        return "array", None, count
    if status is None:
        return None, None, 0
    if isinstance(status, str):
        return "scalar", status, 1
    if isinstance(status, dict):
        for key, text in status.items():
            if not key.isdigit() or int(key) >= total:
                fault(f"status.{key}", f"status key {key!r} is not a value position below {total}")
            elif not isinstance(text, str):
                fault(f"status.{key}", "a status must be a string")
        return "object", status, len(status)
    fault("status", "status must be a string, an array or an object")
    return None, None, 0


def _role_dimension(roles: dict, role: str, ids: list[str], names: tuple[str, ...]) -> int | None:
    if roles.get(role):
        return ids.index(roles[role][0])
    for index, dimension_id in enumerate(ids):
        if dimension_id.lower() in names:
            return index
    return None


def _units(dimension: dict, roles: dict) -> dict:
    units = {}
    for dimension_id in roles.get("metric", []):
        unit = dimension[dimension_id]["category"].get("unit")
        if isinstance(unit, dict):
            units.update({key: value for key, value in unit.items() if isinstance(value, dict)})
    return units


def _observations(path: Path, cube: _Cube, stream: ParseStream) -> Iterator[Observation]:
    geographies = _mapped_categories(cube, cube.geo, _geography, stream)
    periods = _mapped_categories(cube, cube.time, normalise_period, stream)
    others = [
        (index, dimension)
        for index, dimension in enumerate(cube.dimensions)
        if index not in (cube.geo, cube.time)
    ]
    sizes = [len(dimension.categories) for dimension in cube.dimensions]
    with open_json(path) as values_handle, open_json(path) as status_handle:
        statuses = _statuses(cube, status_handle)
        for position, cell, status in _cells(cube, values_handle, statuses, stream):
            coordinates = _coordinates(position, sizes)
            geography = geographies[coordinates[cube.geo]] if cube.geo is not None else _NATION
            period = periods[coordinates[cube.time]]
            if geography is None or period is None:
                continue  # its category was reported once already
            try:
                value = parse_number(cell)
            except ValueError as fault:
                stream.error(None, f"value[{position}]", f"{fault} ({_where(cube, coordinates)})")
                continue
            provisional, estimated = status_flags(status, strict=False)
            yield Observation(
                geography_code=geography[0],
                geography_level=geography[1],
                period=period,
                value=value,
                provisional=provisional,
                estimated=estimated,
                status=status,
                dimensions={d.id: d.categories[coordinates[i]] for i, d in others},
            )


def _geography(code: str) -> tuple:
    return geography_from_code(code)


def _mapped_categories(cube: _Cube, index: int | None, mapping, stream: ParseStream) -> list:
    """Each category of a dimension mapped once (a bad category is one fault, not one per cell)."""
    if index is None:
        return []
    dimension = cube.dimensions[index]
    mapped = []
    for category in dimension.categories:
        try:
            mapped.append(mapping(category))
        except ValueError as fault:
            stream.error(None, f"dimension.{dimension.id}", f"category {category!r}: {fault}")
            mapped.append(None)
    return mapped


def _statuses(cube: _Cube, handle) -> Iterator[str] | None:
    """The status of each value in turn when status is an array (read alongside the values)."""
    if cube.status_kind != "array":
        return None
    items = (item if isinstance(item, str) else "" for item in ijson.items(handle, "status.item"))
    if cube.status_count == cube.total:
        return items
    cube.status_kind, cube.status = "scalar", next(items, "")  # one status for every value
    return None


def _status_at(cube: _Cube, position: int) -> str:
    if cube.status_kind == "scalar":
        return cube.status
    if cube.status_kind == "object":
        return cube.status.get(str(position), "")
    return ""


def _cells(cube: _Cube, handle, statuses, stream: ParseStream) -> Iterator[tuple[int, object, str]]:
    if cube.value_kind == "array":
        for position, cell in enumerate(ijson.items(handle, "value.item", use_float=True)):
            status = next(statuses, "") if statuses is not None else _status_at(cube, position)
            yield position, cell, status
        return
    # Sparse values need random access to a status array: it is read whole (it is rare).
    listed = list(statuses) if statuses is not None else None
    for key, cell in ijson.kvitems(handle, "value", use_float=True):
        if not key.isdigit() or int(key) >= cube.total:
            stream.error(
                None,
                f"value.{key}"[:80],
                f"{key[:40]!r} is not a value position below {cube.total}",
            )
            continue
        position = int(key)
        yield position, cell, listed[position] if listed else _status_at(cube, position)


def _coordinates(position: int, sizes: list[int]) -> list[int]:
    coordinates = [0] * len(sizes)
    for axis in range(len(sizes) - 1, -1, -1):
        position, coordinates[axis] = divmod(position, sizes[axis])
    return coordinates


def _where(cube: _Cube, coordinates: list[int]) -> str:
    return ", ".join(
        f"{dimension.id}={dimension.categories[coordinate]}"
        for dimension, coordinate in zip(cube.dimensions, coordinates, strict=True)
    )
