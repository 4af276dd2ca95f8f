"""JSON-stat 2.0 datasets and collections, as Statistics Sweden's PxWeb serves them
(`format=json-stat2`, API v1 and PxWebApi 2) and as the standard allows them.

A dataset is read twice with ijson so that its values are never held in memory together: first
everything but `value` and `status` (the metadata, checked against the format), then the values one
by one, turned into observations. A collection (`class: collection`) is read whole and each dataset
it embeds in `link.item` is read in turn; the records of each then name their dataset in their
measure, so that two datasets never write over each other.

The standard makes `role` optional, so each dimension's part is found in turn by its role, by its id
or label (`Tid`, `år`, `year`, `time`, `period`; `Region`, `Kommun` …) and, for time and place, by its
categories (all periods, or all Swedish geography codes); the file's meta says which was taken and
why. The dimension with role `metric` (or named like SCB's `ContentsCode`) is the measure; every other
dimension is a disaggregation whose total (PxWeb's `eliminationValueCode`, or a category such as
`1+2`, `tot`, `TotSa`, `totalt`) is left out of the records (see `dimensions`).

Values are stored in row-major order: the last dimension in `id` changes fastest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mineralstrategi.ingest.dimensions import Role, breakdown_from_key, breakdown_key, role_by_name
from mineralstrategi.ingest.json_files import (
    JSON_FAULTS,
    build_value,
    count_items,
    json_events,
    json_fault,
    json_items,
    json_kvitems,
    open_json,
)
from mineralstrategi.ingest.records import NATION_CODE, FileRejected, Observation, ParseStream
from mineralstrategi.ingest.values import (
    geography_from_code,
    normalise_period,
    parse_number,
    status_flags,
)

#: The most values a dataset may declare (the product of its sizes): more than a file within the
#: upload limit (200 MB) can hold ("0," each), and a number the import's progress can count. A
#: larger declaration is refused before anything is sized by it.
MAX_DECLARED_VALUES = 100_000_000

GEO_NAMES = ("region", "geo", "geography", "kommun", "lan", "län", "county", "municipality")
TIME_NAMES = ("tid", "time", "year", "år", "period", "månad", "month", "kvartal", "quarter")
ROLES = ("time", "geo", "metric")
_NATION = (NATION_CODE, "nation")
CATEGORY_KEYS = ("index", "label", "child", "coordinates", "unit", "note")


@dataclass
class _Dimension:
    id: str
    categories: list[str]  # category ids by position
    label: str = ""
    labels: dict[str, str] | None = None  # category id -> label
    total: str | None = None  # PxWeb's eliminationValueCode
    role: Role | None = None


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
    dataset: str | None = None  # the dataset's name inside a collection of several
    where: str = ""  # the dataset's place inside a collection ("link.item[2]."), for faults


def read_jsonstat(path: Path, stream: ParseStream) -> Iterator[Observation]:
    try:
        top, value_shape, status_shape = _read_metadata(path)
        if "version" not in top and "class" not in top and _looks_like_bundle(top):
            top = _bundle_as_collection(top, stream)
        if top.get("class") == "collection":
            yield from _collection(top, stream)
            return
        cube = _check_dataset(top, value_shape, status_shape, stream)
        if cube is None:
            return
        with open_json(path) as values_handle, open_json(path) as status_handle:
            statuses = _streamed_statuses(cube, status_handle)
            cells = _streamed_cells(cube, values_handle, statuses, stream)
            yield from _observations(cube, cells, stream)
    except JSON_FAULTS as fault:
        raise json_fault(fault) from None


def _bundle_as_collection(top: dict, stream: ParseStream) -> dict:
    """A JSON-stat 1.x bundle ({"dataset": {...}}, as SCB's website saves "JSON-stat file") as a
    2.0 collection: each dataset's id, size and role move out of its dimension object."""
    items = []
    for name, dataset in top.items():
        if not isinstance(dataset, dict) or not isinstance(dataset.get("dimension"), dict):
            continue
        dimension = dict(dataset["dimension"])
        converted = {
            **{key: value for key, value in dataset.items() if key != "dimension"},
            "version": "2.0",
            "class": "dataset",
            "id": dimension.pop("id", None),
            "size": dimension.pop("size", None),
            "dimension": dimension,
        }
        if "role" in dimension:
            converted["role"] = dimension.pop("role")
        converted.setdefault("label", name)
        items.append(converted)
    stream.meta["jsonstat"] = "1.x bundle, read as JSON-stat 2.0"
    return {"version": "2.0", "class": "collection", "link": {"item": items}}


def _collection(top: dict, stream: ParseStream) -> Iterator[Observation]:
    """The observations of every dataset a collection embeds, each named in its measure."""
    items = top.get("link", {}).get("item") if isinstance(top.get("link"), dict) else None
    if not isinstance(items, list):
        raise FileRejected("a JSON-stat collection must list its datasets in link.item")
    embedded = [
        (index, item)
        for index, item in enumerate(items)
        if isinstance(item, dict) and "dimension" in item
    ]
    if not embedded:
        raise FileRejected(
            f"the collection embeds no dataset: its {len(items)} items only link to datasets "
            "elsewhere; download a dataset and import that"
        )
    stream.meta["collection"] = {"label": top.get("label"), "datasets": len(embedded)}
    for index, item in embedded:
        where = f"link.item[{index}]"
        metadata = {key: value for key, value in item.items() if key not in ("value", "status")}
        if "version" not in metadata and "version" in top:
            metadata["version"] = top[
                "version"
            ]  # an embedded dataset may leave it to the collection
        cube = _check_dataset(
            metadata, _shape(item.get("value")), _shape(item.get("status"), arrays_only=True),
            stream, where=where,
        )  # fmt: skip
        if cube is None:
            continue
        cube.dataset = str(item.get("label") or index) if len(embedded) > 1 else None
        cube.where = f"{where}."
        yield from _observations(cube, _cells_in_memory(cube, item, stream, where), stream)


def _shape(value: object, arrays_only: bool = False) -> tuple[str, int] | None:
    if isinstance(value, list):
        return "array", len(value)
    if arrays_only or value is None:
        return None
    return ("object", len(value)) if isinstance(value, dict) else ("scalar", 1)


def _read_metadata(path: Path) -> tuple[dict, tuple[str, int] | None, tuple[str, int] | None]:
    """The top-level object without `value` (and without `status` when it is an array)."""
    top: dict = {}
    value_shape = status_shape = None
    with open_json(path) as handle:
        events = json_events(handle)
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
    top: dict,
    value_shape: tuple[str, int] | None,
    status_shape,
    stream: ParseStream,
    *,
    where: str = "",
) -> _Cube | None:
    """The dataset's structure if it follows JSON-stat 2.0; every fault reported otherwise.

    `where` names the dataset inside a collection ("link.item[2]") in every fault."""
    faults_before = stream.error_count
    prefix = f"{where}." if where else ""

    def fault(field: str | None, message: str) -> None:
        stream.error(None, f"{prefix}{field}" if field else where or None, message)

    if top.get("version") != "2.0":
        fault("version", f"version is {top.get('version')!r}; expected '2.0' (JSON-stat 2.0)")
    if top.get("class") != "dataset":
        fault("class", f"class is {top.get('class')!r}; expected 'dataset'")
    for key in ("label", "source", "updated"):
        if isinstance(top.get(key), str):
            stream.meta.setdefault(key, top[key])
    if table := _table_id(top.get("extension")):
        stream.meta.setdefault("table", table)
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
    total = declared_values(sizes)
    if total is None:
        fault(
            "size",
            f"the sizes multiply to more than {MAX_DECLARED_VALUES:,} values, the most a dataset "
            "may declare",
        )
        return None
    dimension = top.get("dimension")
    if not isinstance(dimension, dict):
        fault("dimension", "dimension is missing or not an object")
        return None
    if extra := sorted(dimension.keys() - set(ids)):
        # Statistics Greenland's PxWeb answers so: an eliminated ContentsCode left in dimension.
        stream.meta["ignored"] = f"dimensions not listed in id: {', '.join(extra)}"
    dimensions = []
    for dimension_id, size in zip(ids, sizes, strict=True):
        if dimension_id not in dimension:
            fault("dimension", f"dimension {dimension_id!r} is listed in id but missing")
            continue
        body = dimension[dimension_id]
        categories = _check_dimension(dimension_id, body, size, fault)
        dimensions.append(_described(dimension_id, body, categories or []))
    roles = _check_roles(top.get("role"), ids, fault)
    value_kind = _check_values(value_shape, total, fault)
    status_kind, status, status_count = _check_status(top.get("status"), status_shape, total, fault)
    if stream.error_count > faults_before:
        return None
    time = _find_dimension(dimensions, roles, "time", TIME_NAMES, _all_periods, set())
    if time is None:
        fault(
            "role",
            "no time dimension: none has the role 'time', an id or label like Tid, år, year, time "
            "or period, or categories that are all periods",
        )
        return None
    geo = _find_dimension(dimensions, roles, "geo", GEO_NAMES, _all_places, {time[0]})
    cube = _Cube(
        dimensions, total, value_kind, status_kind, status, status_count,
        geo[0] if geo else None, time[0],
    )  # fmt: skip
    _declare(cube, roles, stream, time, geo)
    stream.meta.setdefault("units", {}).update(_units(dimension, roles))
    return cube


def declared_values(sizes: list[int], limit: int = MAX_DECLARED_VALUES) -> int | None:
    """The number of values the sizes declare (their product), or None when it is over the
    limit: multiplied one size at a time and stopped there, so that no huge number is made."""
    total = 1
    for size in sizes:
        total *= size
        if total > limit:
            return None
    return total


def _table_id(extension: object) -> str:
    """PxWeb's table id ("TAB6471"), from the extension PxWeb adds to each dataset."""
    px = extension.get("px") if isinstance(extension, dict) else None
    if not isinstance(px, dict):
        return ""
    return str(px.get("tableid") or px.get("matrix") or "")


def _described(dimension_id: str, body: dict, categories: list[str]) -> _Dimension:
    category = body.get("category", {})
    labels = category.get("label") if isinstance(category.get("label"), dict) else {}
    extension = body.get("extension") if isinstance(body.get("extension"), dict) else {}
    total = extension.get("eliminationValueCode")
    return _Dimension(
        dimension_id,
        categories,
        label=body.get("label") if isinstance(body.get("label"), str) else "",
        labels={code: str(labels.get(code, code)) for code in categories},
        total=total if total in categories else None,
    )


def _find_dimension(
    dimensions: list[_Dimension], roles: dict, role: str, names: tuple[str, ...], test, taken
) -> tuple[int, str] | None:
    """(position, why) of the dimension with the role: by its role, then by its id or label,
    then by its categories (each one a period, or each one a place)."""
    positions = {d.id: i for i, d in enumerate(dimensions)}
    if roles.get(role):
        return positions[roles[role][0]], f"role {role!r}"
    for index, dimension in enumerate(dimensions):
        if index in taken:
            continue
        if dimension.id.casefold() in names:
            return index, f"id {dimension.id!r}"
        if dimension.label.casefold() in names:
            return index, f"label {dimension.label!r}"
    for index, dimension in enumerate(dimensions):
        if index not in taken and dimension.categories and test(dimension.categories):
            return index, "its categories"
    return None


def _all_periods(categories: list[str]) -> bool:
    return all(_reads(normalise_period, category) for category in categories)


def _all_places(categories: list[str]) -> bool:
    return all(_reads(geography_from_code, category) for category in categories)


def _reads(reader, text: str) -> bool:
    try:
        reader(text)
    except ValueError:
        return False
    return True


def _declare(cube: _Cube, roles: dict, stream: ParseStream, time, geo) -> None:
    """Declare each dimension's part (place, period, measure, disaggregation) to the stream."""
    metric = set(roles.get("metric", []))
    for index, dimension in enumerate(cube.dimensions):
        if index == cube.time:
            role, why = Role.PERIOD, time[1]
        elif index == cube.geo:
            role, why = Role.PLACE, geo[1]
        elif dimension.id in metric:
            role, why = Role.MEASURE, "role 'metric'"
        elif named := role_by_name(dimension.id, dimension.label):
            role, why = named, f"id {dimension.id!r}"
        else:
            role, why = Role.DISAGGREGATION, ""
        if dimension.total is not None and role is Role.DISAGGREGATION:
            why = f"total {dimension.total!r} from eliminationValueCode"
        declared = stream.dimensions.declare(
            dimension.id, role, label=dimension.label, categories=dimension.labels,
            total=dimension.total, reason=why,
        )  # fmt: skip
        dimension.role = declared.role
    if geo is None:
        stream.meta.setdefault("geo", None)
    else:
        stream.meta.setdefault("geo", cube.dimensions[cube.geo].id)
    stream.meta.setdefault("time", cube.dimensions[cube.time].id)


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
    if kind == "array" and count == 0 and total:
        fault(
            "value",
            "the dataset has no values: this is PxWeb's metadata answer; ask for the data "
            "(PxWebApi 2: …/tables/<id>/data, API v1: a POST with the query)",
        )
        return kind
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


def _units(dimension: dict, roles: dict) -> dict:
    units = {}
    for dimension_id in roles.get("metric", []):
        unit = dimension[dimension_id]["category"].get("unit")
        if isinstance(unit, dict):
            units.update({key: value for key, value in unit.items() if isinstance(value, dict)})
    return units


def _observations(cube: _Cube, cells, stream: ParseStream) -> Iterator[Observation]:
    geographies = _mapped_categories(cube, cube.geo, geography_from_code, stream)
    periods = _mapped_categories(cube, cube.time, normalise_period, stream)
    others = [
        (index, dimension)
        for index, dimension in enumerate(cube.dimensions)
        if index not in (cube.geo, cube.time)
    ]
    sizes = [len(dimension.categories) for dimension in cube.dimensions]
    in_dataset = {"dataset": cube.dataset} if cube.dataset is not None else {}
    split = stream.dimensions.split
    for position, cell, status in cells:
        coordinates = _coordinates(position, sizes)
        geography = geographies[coordinates[cube.geo]] if cube.geo is not None else _NATION
        period = periods[coordinates[cube.time]]
        if geography is None or period is None:
            continue  # its category was reported once already
        try:
            value = parse_number(cell)
        except ValueError as fault:
            stream.error(
                None, f"{cube.where}value[{position}]", f"{fault} ({_where(cube, coordinates)})"
            )
            continue
        measure, breakdown = split({d.id: d.categories[coordinates[i]] for i, d in others})
        if in_dataset:
            measure = breakdown_key({**in_dataset, **breakdown_from_key(measure)})
        provisional, estimated = status_flags(status, strict=False)
        yield Observation(
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
            stream.error(
                None, f"{cube.where}dimension.{dimension.id}", f"category {category!r}: {fault}"
            )
            mapped.append(None)
    return mapped


def _streamed_statuses(cube: _Cube, handle) -> Iterator[str] | None:
    """The status of each value in turn when status is an array (read alongside the values)."""
    if cube.status_kind != "array":
        return None
    items = (item if isinstance(item, str) else "" for item in json_items(handle, "status.item"))
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


def _streamed_cells(
    cube: _Cube, handle, statuses, stream: ParseStream
) -> Iterator[tuple[int, object, str]]:
    if cube.value_kind == "array":
        for position, cell in enumerate(json_items(handle, "value.item")):
            status = next(statuses, "") if statuses is not None else _status_at(cube, position)
            yield position, cell, status
        return
    # Sparse values need random access to a status array: it is read whole (it is rare).
    listed = list(statuses) if statuses is not None else None
    for key, cell in json_kvitems(handle, "value"):
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


def _cells_in_memory(
    cube: _Cube, item: dict, stream: ParseStream, where: str
) -> Iterator[tuple[int, object, str]]:
    """(position, value, status) of a dataset held in memory (one embedded in a collection)."""
    status = item.get("status")
    if isinstance(status, list):
        if len(status) != cube.total:
            cube.status_kind, cube.status = "scalar", status[0] if status else ""
        else:
            cube.status_kind, cube.status = "object", {str(i): s for i, s in enumerate(status)}
    values = item["value"]
    pairs = enumerate(values) if isinstance(values, list) else values.items()
    for key, cell in pairs:
        if isinstance(key, str) and (not key.isdigit() or int(key) >= cube.total):
            stream.error(None, f"{where}.value.{key}"[:80], f"{key[:40]!r} is not a value position")
            continue
        position = int(key)
        found = _status_at(cube, position)
        yield position, cell, found if isinstance(found, str) else ""
