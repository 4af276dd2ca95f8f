"""What each dimension of a statistics file is, and which of its categories is the total.

A statistics file crosses a place and a period with other dimensions. Each has one of five roles:

- **place** and **period**: every parser reads these into the record itself;
- **measure**: what is counted, the file's "content" (SCB's ``ContentsCode``, Kolada's ``kpi``,
  Open SDG's ``Series`` and ``Units``). A file may hold several; an indicator takes one;
- **disaggregation**: a breakdown of the measure (sex, age group, energy source …), shown on the
  pages as a choice of series;
- **attribute**: a property of the values that is not a breakdown (Open SDG's unit multiplier).

Each format says "the total" in its own way: SCB ``1+2``, ``tot``, ``tot16+``, ``TotSa``,
``totalt`` (and PxWeb names it in the dimension's ``eliminationValueCode``), Kolada ``T``, SDMX
``_T``, Open SDG an empty cell. A record keeps its disaggregations without their totals, so the
headline series of every source is the one with no disaggregation at all: ``{}``.

A record's disaggregations and measure are stored as one canonical text each (``breakdown_key``):
compact JSON with sorted keys, "" for none, so that they can be a database key and be read back.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PLACE = "place"
    PERIOD = "period"
    MEASURE = "measure"
    DISAGGREGATION = "disaggregation"
    ATTRIBUTE = "attribute"


#: Dimension ids and labels (compared case-insensitively) that name what is measured.
MEASURE_NAMES = frozenset(
    {"contentscode", "contents", "tabellinnehåll", "kpi", "series", "variable", "units",
     "unit measure", "unit of measure", "unit_measure", "indicator", "measure"}
)  # fmt: skip
#: Columns that describe values without breaking them down (Open SDG's observation attributes).
ATTRIBUTE_NAMES = frozenset(
    {"unit multiplier", "unit_mult", "comment_obs", "comment", "nature", "reporting type",
     "reporting_type", "source"}
)  # fmt: skip

#: Category codes that mean "all of them" (compared case-insensitively).
TOTAL_CODES = frozenset({"t", "_t", "_z", "1+2", "all", "alla", "samtliga", "total", "totalt"})
#: SCB's totals: tot, totalt, TotSa, tot16+, tot15-74 …
_SCB_TOTAL = re.compile(r"tot(al|alt|sa)?(\d+(\+|-\d+))?", re.IGNORECASE)
TOTAL_LABEL_STARTS = ("totalt", "total", "samtliga", "alla ", "all ", "both sexes", "båda könen")

#: How many combinations of categories a file's dimensions keep split at once (a bound on memory).
SPLITS_KEPT = 100_000
#: Longest canonical text of a record's disaggregations (the database column's width).
MAX_KEY_LENGTH = 500


def is_total(code: str, label: str = "") -> bool:
    """Whether a category is its dimension's total, by its code or its label."""
    folded = code.strip().casefold()
    if folded in TOTAL_CODES or _SCB_TOTAL.fullmatch(folded):
        return True
    return label.strip().casefold().startswith(TOTAL_LABEL_STARTS)


def breakdown_key(categories: Mapping[str, str]) -> str:
    """The canonical text of a set of (dimension, category) pairs: "" for none."""
    if not categories:
        return ""
    return _canonical(tuple(sorted(categories.items())))


@functools.lru_cache(maxsize=10_000)
def _canonical(pairs: tuple[tuple[str, str], ...]) -> str:
    return json.dumps(dict(pairs), ensure_ascii=False, separators=(",", ":"))


def breakdown_from_key(key: str) -> dict[str, str]:
    """The (dimension, category) pairs of a canonical text (the inverse of ``breakdown_key``)."""
    return json.loads(key) if key else {}


def headline_key(keys: Iterable[str], order: Mapping[str, list[str]] | None = None) -> str:
    """The series shown first: the headline ("") if there is one, else the one with the fewest
    disaggregations whose categories come first in their dimensions' `order` (id -> codes)."""
    keys = list(keys)
    if "" in keys or not keys:
        return ""
    order = order or {}

    def rank(key: str) -> tuple:
        categories = breakdown_from_key(key)
        positions = []
        for dimension, code in sorted(categories.items()):
            codes = order.get(dimension, [])
            positions.append(codes.index(code) if code in codes else len(codes))
        return len(categories), positions, key

    return min(keys, key=rank)


def role_by_name(*names: str) -> Role | None:
    """The role a dimension's id or label implies (measure or attribute), if any."""
    folded = {name.strip().casefold() for name in names if name}
    if folded & MEASURE_NAMES:
        return Role.MEASURE
    if folded & ATTRIBUTE_NAMES:
        return Role.ATTRIBUTE
    return None


@dataclass
class Dimension:
    """One dimension of a file: its role, its categories in the file's order, and its total."""

    id: str
    role: Role
    label: str = ""
    categories: dict[str, str] = field(default_factory=dict)  # code -> label
    total: str | None = None
    reason: str = ""  # why it has this role ("role 'time'", "id 'Tid'", "column 'GeoCode'")

    def note(self, code: str, label: str | None = None) -> None:
        if code not in self.categories:
            self.categories[code] = label or code

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label or self.id,
            "role": str(self.role),
            "total": self.total,
            "total_label": self.categories.get(self.total, "") if self.total else "",
            "categories": [
                {"id": code, "label": label}
                for code, label in self.categories.items()
                if code != self.total
            ],
            "reason": self.reason,
        }


class Dimensions:
    """The dimensions of one file, declared by its parser, and the split of each record's raw
    categories into its measure and its disaggregations."""

    def __init__(self) -> None:
        self.by_id: dict[str, Dimension] = {}
        self._splits: dict[tuple, tuple[str, dict[str, str]]] = {}

    def declare(
        self,
        dimension_id: str,
        role: Role,
        *,
        label: str = "",
        categories: Mapping[str, str] | None = None,
        total: str | None = None,
        reason: str = "",
    ) -> Dimension:
        """Declare a dimension; its total is the one given, else the first category that reads
        as one (categories seen later are checked as they come, see ``split``). Declared again
        (by the next dataset of a collection), it keeps its part and gains the new categories."""
        known = self.by_id.get(dimension_id)
        if known is not None:
            for code, text in (categories or {}).items():
                known.note(code, text)
            known.total = known.total or total
            return known
        dimension = Dimension(dimension_id, role, label, dict(categories or {}), total, reason)
        if dimension.total is None and role is Role.DISAGGREGATION:
            dimension.total = next(
                (code for code, text in dimension.categories.items() if is_total(code, text)), None
            )
        self.by_id[dimension_id] = dimension
        return dimension

    def of_role(self, role: Role) -> list[Dimension]:
        return [d for d in self.by_id.values() if d.role is role]

    def split(self, raw: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """(measure key, disaggregations) of one record: totals and attributes left out, empty
        categories (Open SDG's way of saying "total") too; every category is noted.

        A file repeats the same few combinations on every place and period, so each is split
        once (the records share the result: nobody changes a record's dimensions)."""
        key = tuple(raw.items())
        found = self._splits.get(key)
        if found is None:
            if len(self._splits) >= SPLITS_KEPT:
                self._splits.clear()
            found = self._splits[key] = self._split(raw)
        return found

    def _split(self, raw: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        measure: dict[str, str] = {}
        breakdown: dict[str, str] = {}
        for dimension_id, code in raw.items():
            dimension = self.by_id[dimension_id]
            if dimension.role is Role.MEASURE and code:
                measure[dimension_id] = code
                dimension.note(code)
            elif dimension.role is Role.DISAGGREGATION and code:
                if code == dimension.total:
                    continue
                if code not in dimension.categories:
                    dimension.note(code)
                    if dimension.total is None and is_total(code):
                        dimension.total = code
                        continue
                breakdown[dimension_id] = code
            elif dimension.role is Role.ATTRIBUTE and code:
                dimension.note(code)
        return breakdown_key(measure), breakdown

    def as_list(self, roles: Iterable[Role] | None = None) -> list[dict]:
        wanted = set(roles) if roles is not None else set(Role)
        return [d.as_dict() for d in self.by_id.values() if d.role in wanted]
