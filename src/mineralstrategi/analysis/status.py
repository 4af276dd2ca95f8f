"""Progress status of an indicator towards its target, by the Open SDG progress methodology.

The method (Statistics Canada, adopted by Open SDG; inspired by Eurostat's) compares the observed
compound annual growth rate since a base year with the rate needed to reach the target on time:

    CAGR_obs = (y_now / y_base) ** (1 / (t_now - t_base)) - 1
    CAGR_req = (y_target / y_base) ** (1 / (t_target - t_base)) - 1
    R        = d * CAGR_obs / |CAGR_req|          (d = +1 if up is good, -1 if down is good)

and reads R against fixed thresholds: target achieved (the latest value already meets the target in
the desired direction), on track (R >= 95 %), progress made but acceleration needed (60 % <= R < 95 %),
limited progress (0 <= R < 60 %), deterioration (R < 0). Without a quantitative target the
direction-signed observed CAGR itself is compared with 1.5 % and 0.5 % a year.

Sources: Open SDG, "Progress Measurement Methodology for the Sustainable Development Goals"
(open-sdg/open-sdg, docs/progress-methodology.md) and its reference implementation
(open-sdg/sdg-build, sdg/ProgressMeasure.py: ``growth_calculation``, ``methodology_2``, thresholds
``{'high': 0.95, 'med': 0.6, 'low': 0}`` with a target and ``{'high': 0.015, 'med': 0.005, 'low': 0}``
without). The UN Statistics Division's SDG Progress Chart technical note uses the same ratio idea.

Where we go beyond the reference (each says so in the result's notes):

- Base as an average: ``Base(year, average_years=n)`` takes the mean of the first n observations from
  the base year, placed at the mean of their years, so one boom or bust year does not decide.
- Zero or negative values (base, latest or target): a CAGR is undefined, so the same ratio is formed
  from linear growth per year instead ((y_now - y_base) / (t_now - t_base) against the linear rate
  needed), and the result says so. The reference implementation refuses a zero base instead.
- Keeping a level (target value equal to the base value): the required rate is zero and the ratio
  undefined; the target is then achieved when the latest value is on the right side of the level,
  and otherwise the indicator has moved the wrong way: deterioration.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from mineralstrategi.analysis._series import SeriesLike, annual_series

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

    ``Base(2015)`` uses the 2015 value (or, as Open SDG does, the first year after 2015 with data).
    ``Base(2015, average_years=3)`` averages the first three observations from 2015 on.
    ``Base(None, average_years=3)`` averages the first three observations of the series.
    """

    year: int | None = None
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
) -> ProgressStatus:
    """Judge the progress of an annual ``series`` (year -> value) towards ``target``.

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

    facts = _Facts(name, direction, base_year, base_value, latest_year, latest_value, target)
    if target is None:
        result = _without_target(facts, notes)
    else:
        result = _with_target(facts, float(target_value), notes)
    return (
        replace(result, base_years=tuple(int(y) for y in base_slice.index)) if result.ok else result
    )


@dataclass(frozen=True)
class _Facts:
    name: str
    direction: Direction
    base_year: float
    base_value: float
    latest_year: int
    latest_value: float
    target: Target | None


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
        latest_year=f.latest_year,
        latest_value=f.latest_value,
        observed_rate=observed,
        notes=tuple(notes),
    )
    return _explained(result, f)


def _explained(r: ProgressStatus, f: _Facts) -> ProgressStatus:
    base = f"{r.base_year:g}"
    if r.method is GrowthMethod.CAGR:
        obs_en = f"{r.observed_rate * 100:+.1f} % a year"
        obs_sv = f"{_sv_number(r.observed_rate * 100, signed=True)} % per år"
    else:
        obs_en = f"{r.observed_rate:+.3g} units a year"
        obs_sv = f"{_sv_number(r.observed_rate, signed=True, digits=3)} enheter per år"
    en = (
        f"{f.name} went from {r.base_value:.4g} ({base}) to {r.latest_value:.4g} "
        f"({r.latest_year}), {obs_en}"
    )
    sv = (
        f"{f.name} gick från {_sv_number(r.base_value, digits=4)} ({base}) till "
        f"{_sv_number(r.latest_value, digits=4)} ({r.latest_year}), {obs_sv}"
    )
    if r.target_year is not None:
        if r.status is Status.ACHIEVED:
            en += f"; the target of {r.target_value:.4g} by {r.target_year} is already met"
            sv += (
                f"; målet {_sv_number(r.target_value, digits=4)} till {r.target_year} är redan nått"
            )
        elif r.ratio is None:
            en += f"; the target is to keep {r.target_value:.4g}, and the value has moved away from it"
            sv += f"; målet är att behålla {_sv_number(r.target_value, digits=4)}, men värdet har rört sig åt fel håll"
        else:
            if r.method is GrowthMethod.CAGR:
                req_en = f"{r.required_rate * 100:+.1f} % a year"
                req_sv = f"{_sv_number(r.required_rate * 100, signed=True)} % per år"
            else:
                req_en = f"{r.required_rate:+.3g} units a year"
                req_sv = f"{_sv_number(r.required_rate, signed=True, digits=3)} enheter per år"
            en += (
                f"; reaching {r.target_value:.4g} by {r.target_year} needs {req_en}, "
                f"so the pace is {r.ratio * 100:.0f} % of what is needed"
            )
            sv += (
                f"; för att nå {_sv_number(r.target_value, digits=4)} till {r.target_year} krävs "
                f"{req_sv}, så takten är {_sv_number(r.ratio * 100, digits=0)} % av den som behövs"
            )
    en += f": {r.status.label_en}."
    sv += f": {r.status.label_sv}."
    if r.method is GrowthMethod.LINEAR:
        en += " (Linear growth compared: a growth rate is undefined for zero or negative values.)"
        sv += " (Linjär förändring jämförd: tillväxttakt går inte att beräkna för noll eller negativa värden.)"
    return replace(r, explanation_en=en, explanation_sv=sv)


def _sv_number(value: float, signed: bool = False, digits: int = 1) -> str:
    """A number written the Swedish way: decimal comma, minus sign, thin grouping left out."""
    if digits == 0 or (digits > 1 and abs(value) >= 10 ** (digits - 1)):
        text = f"{value:{'+' if signed else ''}.0f}"
    elif digits > 1:
        text = f"{value:{'+' if signed else ''}.{digits}g}"
    else:
        text = f"{value:{'+' if signed else ''}.{digits}f}"
    return text.replace(".", ",").replace("-", "−")
