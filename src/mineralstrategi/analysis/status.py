"""Progress status of an indicator towards its target, by the Open SDG progress methodology.

The method (Statistics Canada, adopted by Open SDG; inspired by Eurostat's) compares the observed
compound annual growth rate since a base year with the rate needed to reach the target on time:

    CAGR_obs = (y_now / y_base) ** (1 / (t_now - t_base)) - 1
    CAGR_req = (y_target / y_base) ** (1 / (t_target - t_base)) - 1
    R        = d * CAGR_obs / |CAGR_req|          (d = +1 if up is good, -1 if down is good)

and reads R against fixed thresholds. The categories carry Open SDG's own names: "Target achieved"
(the latest value already meets the target in the desired direction), "On track" (R >= 95 %),
"Progress made but acceleration needed" (60 % <= R < 95 %), "Limited progress" (0 <= R < 60 %),
"Deterioration" (R < 0), and "Unable to assess" when the data do not allow a verdict (here: a
result with ``ok=False`` and the reason). Without a quantitative target the direction-signed
observed CAGR itself is compared with 1.5 % and 0.5 % a year.

Base year: 2015 unless one is given, and when 2015 has no value the first year after it that has
one, as Open SDG does ("the base year is assumed to be 2015 ... Should there be no available data
for 2015, the first available year following 2015 will be used").

Sources, as read: Open SDG, "Progress Measurement Methodology for the Sustainable Development Goals"
(open-sdg/open-sdg, docs/progress-methodology.md, commit 26d2e38: the category table, the base and
target years, "Unable to assess"), and its reference implementation (open-sdg/sdg-build,
sdg/ProgressMeasure.py, commit 139fede: ``growth_calculation``, ``methodology_1``/``methodology_2``,
``self.base_year = config.get('base_year', 2015)`` then ``years[years > self.base_year].min()`` when
the base year has no value, thresholds ``{'high': 0.95, 'med': 0.6, 'low': 0}`` with a target and
``{'high': 0.015, 'med': 0.005, 'low': 0}`` without; its codes are ``target_achieved``,
``substantial_progress``, ``moderate_progress``, ``limited_progress``, ``deterioration`` and
``not_available``, ours ``achieved``, ``on_track``, ``acceleration_needed``, ``limited_progress``,
``deterioration``). The UN Statistics Division's SDG Progress Chart technical note uses the same
ratio idea.

Where we go beyond the reference (each says so in the result's notes):

- Base as an average: ``Base(year, average_years=n)`` takes the mean of the first n observations from
  the base year, placed at the mean of their years, so one boom or bust year does not decide. Every
  sentence names it as the average of those years ("the 2015–2017 average, 1,234"), never as the
  value of one year.
- Zero or negative values (base, latest or target): a CAGR is undefined, so the same ratio is formed
  from linear growth per year instead ((y_now - y_base) / (t_now - t_base) against the linear rate
  needed), and the result says so. The reference implementation instead replaces a zero base or
  target by 0.001 and cannot assess a base and a latest value of opposite signs.
- Keeping a level (target value equal to the base value): the required rate is zero and the ratio
  undefined; the target is then achieved when the latest value is on the right side of the level,
  and otherwise the indicator has moved the wrong way: deterioration.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from mineralstrategi.analysis._series import SeriesLike, annual_series
from mineralstrategi.analysis.wording import is_percentage_unit, number, significant, year_span

OPEN_SDG_BASE_YEAR = 2015
ON_TRACK_RATIO = 0.95
ACCELERATION_RATIO = 0.60
NO_TARGET_ON_TRACK_RATE = 0.015
NO_TARGET_ACCELERATION_RATE = 0.005


class Direction(StrEnum):
    """Which way the indicator should move: up (increase) or down (reduce)."""

    INCREASE = "increase"
    DECREASE = "decrease"

    @property
    def sign(self) -> int:
        return 1 if self is Direction.INCREASE else -1


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"

    @property
    def label_en(self) -> str:
        return _LABELS[self][0]

    @property
    def label_sv(self) -> str:
        return _LABELS[self][1]


# Open SDG's category names (docs/progress-methodology.md), as they read inside a sentence.
_LABELS = {
    Status.ACHIEVED: ("target achieved", "målet är nått"),
    Status.ON_TRACK: ("on track", "i fas"),
    Status.ACCELERATION_NEEDED: (
        "progress made but acceleration needed",
        "framsteg, men takten behöver öka",
    ),
    Status.LIMITED_PROGRESS: ("limited progress", "begränsade framsteg"),
    Status.DETERIORATION: ("deterioration", "försämring"),
}


class GrowthMethod(StrEnum):
    CAGR = "cagr"
    LINEAR = "linear"


@dataclass(frozen=True)
class Target:
    """The value the indicator should reach by ``year``.

    Give ``value`` for an absolute level, or ``change_from_base`` for a relative one (``-0.3`` for
    "reduce by 30 % from the base", ``0.0`` for "keep the base level").
    """

    year: int
    value: float | None = None
    change_from_base: float | None = None

    @classmethod
    def keep_base_level(cls, year: int) -> Target:
        return cls(year=year, change_from_base=0.0)

    def resolved_value(self, base_value: float) -> float | None:
        if self.value is not None:
            return float(self.value)
        if self.change_from_base is not None:
            return base_value * (1.0 + self.change_from_base)
        return None


@dataclass(frozen=True)
class Base:
    """Where progress is measured from: a base year, optionally averaged over its first years.

    ``Base()`` is Open SDG's default, ``Base(2015)``: the 2015 value, or, when 2015 has none, the
    first year after 2015 with data.
    ``Base(2015, average_years=3)`` averages the first three observations from 2015 on.
    ``Base(None, average_years=3)`` averages the first three observations of the series.
    """

    year: int | None = OPEN_SDG_BASE_YEAR
    average_years: int = 1


@dataclass(frozen=True)
class ProgressStatus:
    """The verdict, its numbers, and a plain explanation; or ``ok=False`` and why not."""

    ok: bool
    reason: str = ""
    status: Status | None = None
    method: GrowthMethod | None = None
    base_year: float | None = None
    base_value: float | None = None
    base_years: tuple[int, ...] = ()
    latest_year: int | None = None
    latest_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    observed_rate: float | None = None
    required_rate: float | None = None
    ratio: float | None = None
    explanation_en: str = ""
    explanation_sv: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def refused(cls, reason: str, notes: tuple[str, ...] = ()) -> ProgressStatus:
        return cls(ok=False, reason=reason, notes=notes)


def status_from_ratio(ratio: float) -> Status:
    """The Open SDG category for a ratio of observed to required growth (target not yet met)."""
    if ratio >= ON_TRACK_RATIO:
        return Status.ON_TRACK
    if ratio >= ACCELERATION_RATIO:
        return Status.ACCELERATION_NEEDED
    if ratio >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def status_from_rate(signed_rate: float) -> Status:
    """The Open SDG category without a quantitative target, from the direction-signed CAGR."""
    if signed_rate >= NO_TARGET_ON_TRACK_RATE:
        return Status.ON_TRACK
    if signed_rate >= NO_TARGET_ACCELERATION_RATE:
        return Status.ACCELERATION_NEEDED
    if signed_rate >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def progress_status(
    series: SeriesLike,
    direction: Direction | str,
    target: Target | None = None,
    base: Base | int | None = None,
    name: str = "indicator",
    name_sv: str | None = None,
    unit: str = "",
) -> ProgressStatus:
    """Judge the progress of an annual ``series`` (year -> value) towards ``target``. ``name``
    names the series in the reasons and the English explanation, ``name_sv`` (default ``name``)
    in the Swedish one. ``unit`` words the explanation: for an indicator in per cent the growth
    rate is said to be of its level (a CAGR is a per cent of the level, not percentage points) and
    linear growth is in percentage points; otherwise linear growth is in the unit.

    Never raises on data: any input it cannot judge gives ``ok=False`` with the reason.
    """
    try:
        direction = Direction(direction)
    except ValueError:
        return ProgressStatus.refused(
            f"direction must be 'increase' or 'decrease', not {direction!r}"
        )
    if isinstance(base, int):
        base = Base(year=base)
    base = base or Base()
    if base.average_years < 1:
        return ProgressStatus.refused("the base must average at least one year")

    checked = annual_series(series, name)
    if not checked.ok:
        return ProgressStatus.refused(checked.reason)
    values = checked.series
    notes = list(checked.notes)

    from_base = values if base.year is None else values[values.index >= base.year]
    if from_base.empty:
        return ProgressStatus.refused(
            f"{name}: no observation in or after the base year {base.year}", tuple(notes)
        )
    if base.year is not None and from_base.index[0] != base.year:
        notes.append(
            f"{name}: no value for the base year {base.year}; {from_base.index[0]} was used instead"
        )
    base_slice = from_base.iloc[: base.average_years]
    if len(base_slice) < base.average_years:
        return ProgressStatus.refused(
            f"{name}: the base needs {base.average_years} observations, there are {len(base_slice)}",
            tuple(notes),
        )
    base_year = float(np.mean(base_slice.index.to_numpy(dtype=float)))
    base_value = float(base_slice.mean())
    if base.average_years > 1:
        notes.append(
            f"base: mean of {base.average_years} observations "
            f"({base_slice.index[0]}–{base_slice.index[-1]}), placed at {base_year:g}"
        )
    latest_year = int(values.index[-1])
    latest_value = float(values.iloc[-1])
    if latest_year <= base_year or latest_year <= base_slice.index[-1]:
        return ProgressStatus.refused(
            f"{name}: too few observations after the base: need one after "
            f"{base_slice.index[-1]}, the latest is {latest_year}",
            tuple(notes),
        )

    target_value = None
    if target is not None:
        target_value = target.resolved_value(base_value)
        if target_value is None or not np.isfinite(target_value):
            return ProgressStatus.refused(
                "the target has neither a value nor a change from the base"
            )
        if target.year <= base_year:
            return ProgressStatus.refused(
                f"the target year {target.year} is not after the base year {base_year:g}"
            )
        if latest_year > target.year:
            notes.append(f"the target year {target.year} has passed; judged on the latest value")

    base_years = tuple(int(y) for y in base_slice.index)
    facts = _Facts(
        name, direction, base_year, base_value, base_years, latest_year, latest_value, target,
        name if name_sv is None else name_sv, unit,
    )  # fmt: skip
    if target is None:
        return _without_target(facts, notes)
    return _with_target(facts, float(target_value), notes)


@dataclass(frozen=True)
class _Facts:
    name: str
    direction: Direction
    base_year: float
    base_value: float
    base_years: tuple[int, ...]
    latest_year: int
    latest_value: float
    target: Target | None
    name_sv: str
    unit: str = ""


def _rate(method: GrowthMethod, start: float, end: float, years: float) -> float:
    """Growth per year; inf or nan (never an exception) when the numbers overflow."""
    with np.errstate(all="ignore"):
        if method is GrowthMethod.CAGR:
            return float(np.power(np.float64(end) / np.float64(start), 1.0 / years) - 1.0)
        return float((np.float64(end) - np.float64(start)) / years)


def _overflow(*numbers: float | None) -> bool:
    return any(n is not None and not np.isfinite(n) for n in numbers)


_OVERFLOW_REASON = "the values are too far apart for a growth rate to be computed in floating point"


def _with_target(f: _Facts, target_value: float, notes: list[str]) -> ProgressStatus:
    method = GrowthMethod.CAGR
    if min(f.base_value, f.latest_value, target_value) <= 0:
        method = GrowthMethod.LINEAR
        notes.append(
            "a compound annual growth rate is undefined for zero or negative values; "
            "linear growth per year was compared instead"
        )
    observed = _rate(method, f.base_value, f.latest_value, f.latest_year - f.base_year)
    required = _rate(method, f.base_value, target_value, f.target.year - f.base_year)
    sign = f.direction.sign
    achieved = sign * (f.latest_value - target_value) >= 0
    with np.errstate(all="ignore"):
        ratio = None if required == 0 else float(sign * observed / abs(required))
    if _overflow(observed, required, ratio):
        return ProgressStatus.refused(f"{f.name}: {_OVERFLOW_REASON}", tuple(notes))
    if achieved:
        status = Status.ACHIEVED
    elif ratio is None:
        status = Status.DETERIORATION  # keeping a level, and the value has left it the wrong way
        notes.append("the target is to keep the base level; the value has moved the wrong way")
    else:
        status = status_from_ratio(ratio)
    result = ProgressStatus(
        ok=True,
        status=status,
        method=method,
        base_year=f.base_year,
        base_value=f.base_value,
        base_years=f.base_years,
        latest_year=f.latest_year,
        latest_value=f.latest_value,
        target_year=f.target.year,
        target_value=target_value,
        observed_rate=observed,
        required_rate=required,
        ratio=ratio,
        notes=tuple(notes),
    )
    return _explained(result, f)


def _without_target(f: _Facts, notes: list[str]) -> ProgressStatus:
    if min(f.base_value, f.latest_value) <= 0:
        return ProgressStatus.refused(
            f"{f.name}: without a target the status rests on a compound annual growth rate, "
            "which is undefined for zero or negative values; give a target to compare linear growth",
            tuple(notes),
        )
    observed = _rate(GrowthMethod.CAGR, f.base_value, f.latest_value, f.latest_year - f.base_year)
    if _overflow(observed):
        return ProgressStatus.refused(f"{f.name}: {_OVERFLOW_REASON}", tuple(notes))
    notes.append("no quantitative target: the growth rate was compared with 1.5 % and 0.5 % a year")
    result = ProgressStatus(
        ok=True,
        status=status_from_rate(f.direction.sign * observed),
        method=GrowthMethod.CAGR,
        base_year=f.base_year,
        base_value=f.base_value,
        base_years=f.base_years,
        latest_year=f.latest_year,
        latest_value=f.latest_value,
        observed_rate=observed,
        notes=tuple(notes),
    )
    return _explained(result, f)


def base_text(status: ProgressStatus, lang: str, suffix: str = "") -> str:
    """The base as a reader should see it: '1,234 in 2015', or for an averaged base 'the 2015–2017
    average, 1,234' ('snittet 2015–2017, 1 234'), never one year's value. ``suffix`` follows the
    number (' %' for a percentage)."""
    value = significant(status.base_value, lang, 4) + suffix
    years = status.base_years or (round(status.base_year),)
    if len(years) > 1:
        span = year_span(years)
        return f"snittet {span}, {value}" if lang == "sv" else f"the {span} average, {value}"
    return f"{value} år {years[0]}" if lang == "sv" else f"{value} in {years[0]}"


def from_base(status: ProgressStatus, lang: str, suffix: str = "") -> str:
    """The base inside a sentence ('went from … to'): an averaged base set off by commas."""
    text = base_text(status, lang, suffix)
    return text + "," if len(status.base_years) > 1 else text


def _explained(r: ProgressStatus, f: _Facts) -> ProgressStatus:
    in_percent = is_percentage_unit(f.unit)
    suffix = " %" if in_percent else ""
    if r.method is GrowthMethod.CAGR:
        per_en, per_sv = (" of its level", " av nivån") if in_percent else ("", "")
        obs_en = f"{number(r.observed_rate * 100, 'en', 1, signed=True)} %{per_en} a year"
        obs_sv = f"{number(r.observed_rate * 100, 'sv', 1, signed=True)} %{per_sv} per år"
    else:
        obs_en = (
            f"{significant(r.observed_rate, 'en', signed=True)} {_linear_unit(f.unit, 'en')} a year"
        )
        obs_sv = (
            f"{significant(r.observed_rate, 'sv', signed=True)} {_linear_unit(f.unit, 'sv')} per år"
        )
    latest_en, latest_sv = (significant(r.latest_value, lang, 4) + suffix for lang in ("en", "sv"))
    base_en, base_sv = (from_base(r, lang, suffix) for lang in ("en", "sv"))
    en = f"{f.name} went from {base_en} to {latest_en} in {r.latest_year}, {obs_en}"
    sv = f"{f.name_sv} gick från {base_sv} till {latest_sv} år {r.latest_year}, {obs_sv}"
    if r.target_year is not None:
        target_en, target_sv = (
            significant(r.target_value, lang, 4) + suffix for lang in ("en", "sv")
        )
        if r.status is Status.ACHIEVED:
            en += f"; the target of {target_en} by {r.target_year} is already met"
            sv += f"; målet {target_sv} till {r.target_year} är redan nått"
        elif r.ratio is None:
            en += f"; the target is to keep {target_en}, and the value has moved away from it"
            sv += f"; målet är att behålla {target_sv}, men värdet har rört sig åt fel håll"
        else:
            if r.method is GrowthMethod.CAGR:
                req_en = f"{number(r.required_rate * 100, 'en', 1, signed=True)} %{per_en} a year"
                req_sv = f"{number(r.required_rate * 100, 'sv', 1, signed=True)} %{per_sv} per år"
            else:
                req_en = f"{significant(r.required_rate, 'en', signed=True)} {_linear_unit(f.unit, 'en')} a year"
                req_sv = f"{significant(r.required_rate, 'sv', signed=True)} {_linear_unit(f.unit, 'sv')} per år"
            en += (
                f"; reaching {target_en} by {r.target_year} needs {req_en}, "
                f"so the pace is {number(r.ratio * 100, 'en')} % of what is needed"
            )
            sv += (
                f"; för att nå {target_sv} till {r.target_year} krävs {req_sv}, "
                f"så takten är {number(r.ratio * 100, 'sv')} % av den som behövs"
            )
    en += f": {r.status.label_en}."
    sv += f": {r.status.label_sv}."
    if r.method is GrowthMethod.LINEAR:
        en += " (Linear growth compared: a growth rate is undefined for zero or negative values.)"
        sv += " (Linjär förändring jämförd: tillväxttakt går inte att beräkna för noll eller negativa värden.)"
    return replace(r, explanation_en=en, explanation_sv=sv)


def _linear_unit(unit: str, lang: str) -> str:
    """What linear growth a year is counted in: percentage points for an indicator in per cent,
    else the indicator's unit, else 'units'."""
    if is_percentage_unit(unit):
        return "procentenheter" if lang == "sv" else "percentage points"
    return unit or ("enheter" if lang == "sv" else "units")
