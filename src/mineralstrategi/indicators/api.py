"""The indicators part of the JSON API."""

from datetime import datetime
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from mineralstrategi.apikit.responses import (
    INVALID_INPUT,
    NEEDS_KEY,
    NOT_FOUND,
    TOO_MANY_WRITES,
    ErrorOut,
    ObjectId,
    Text,
    input_error,
)
from mineralstrategi.indicators.faults import fault_english
from mineralstrategi.ingest import FORMATS
from mineralstrategi.ingest.dimensions import breakdown_from_key, breakdown_key
from mineralstrategi.organisations.api_auth import api_key_or_session
from mineralstrategi.organisations.models import ApiScope, Organisation

from . import cycle, selectors, services, verdict_text
from .files import local_path
from .models import ImportJob
from .progress import import_progress
from .tasks import import_file

router = Router(tags=["indicators"])

FormatLiteral = Literal[tuple(FORMATS)]  # type: ignore[valid-type]


def _not_null(schema: dict) -> None:
    """A multipart form has no null: an optional form field is one that may be left out, so its
    schema says "a string" (not "a string or null"); leaving it out gives None."""
    options = [option for option in schema.pop("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        schema.update(options[0])


PERIOD_PATTERN = r"^\d{4}(-(Q[1-4]|\d{2}))?$"
MONTH_PATTERN = r"^\d{4}-\d{2}$"


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    dimension: str
    desired_direction: str
    frequency: str
    source: str = Field(..., alias="source_organisation")
    exposed_to: str | None = Field(None, alias="exposed_to.code")
    is_example: bool


class CategoryOut(Schema):
    id: str
    label: str


class DisaggregationOut(Schema):
    id: str = Field(..., description="The dimension's id in the source, e.g. Kon or gender")
    label: str
    total_label: str = Field("", description="What the source calls its total; '' if none")
    categories: list[CategoryOut]


class IndicatorDetailOut(IndicatorOut):
    definition: str
    method: str
    source_table: str
    source_updated: datetime | None = None
    owner: str = Field(..., alias="owner.name")
    disaggregations: list[DisaggregationOut]
    headline: dict[str, str] = Field(
        ...,
        description="The series shown first: {} is the total; an indicator whose files have no "
        "total shows the series of its first categories",
    )
    series: int = Field(..., description="How many series (combinations of categories) it has")

    @staticmethod
    def resolve_headline(indicator) -> dict[str, str]:
        return breakdown_from_key(indicator.headline_breakdown)

    @staticmethod
    def resolve_series(indicator) -> int:
        return len(indicator.series_counts)


class ObservationOut(Schema):
    level: str = Field(..., alias="geo_level")
    geo: str = Field(..., alias="geo_code")
    period: str
    value: float | None
    provisional: bool
    estimated: bool
    breakdown: dict[str, str] = Field(
        ...,
        description='Dimension -> category of the source, e.g. {"Kon": "2"}; {} for the total',
    )

    @staticmethod
    def resolve_breakdown(observation) -> dict[str, str]:
        return breakdown_from_key(observation.breakdown)


BREAKDOWN_DESCRIPTION = (
    "dimension=category, e.g. Kon=2; repeat for more (all must match); dimension=_T for the "
    "dimension's total; a single empty value for the total figures ({}) only"
)


class ObservationFilter(Schema):
    geo: list[Text] | None = Field(
        None, description="Place codes, e.g. 25 or 2584; repeat for more"
    )
    level: str | None = Field(None, pattern="^(nation|county|municipality|site)$")
    from_: str | None = Field(None, alias="from", pattern=PERIOD_PATTERN)
    to: str | None = Field(None, pattern=PERIOD_PATTERN)
    breakdown: list[Text] | None = Field(None, description=BREAKDOWN_DESCRIPTION)


SERIES_DESCRIPTION = (
    "The series: dimension=category for each disaggregation not at its total, e.g. Kon=2; "
    "left out, the indicator's headline series"
)


class SeriesQuery(Schema):
    breakdown: list[Text] | None = Field(None, description=SERIES_DESCRIPTION)


def _series_key(indicator, pairs: list[str] | None) -> str:
    """The breakdown key of the series the pairs name (404 when the indicator has none such)."""
    if pairs is None:
        return indicator.headline_breakdown
    chosen = dict(text.partition("=")[::2] for text in pairs if text)
    key = breakdown_key({d: c for d, c in chosen.items() if c != selectors.TOTAL})
    if key not in indicator.series_counts:
        raise Http404(f"The indicator has no series {pairs!r}.")
    return key


class LeftOutYearOut(Schema):
    year: int
    present: int = Field(..., description="Months (or quarters) with a value")
    needed: int = Field(..., description="12 months or 4 quarters")
    frequency: str = Field(..., description="monthly or quarterly")
    text: str = Field(..., description="E.g. 'only 4 of 12 months of 2026'")


class CalendarBasisOut(Schema):
    """What the verdict is given on: one value a calendar year."""

    observed_frequency: str | None = Field(
        ..., description="annual, quarterly or monthly: the periods of the observations"
    )
    basis: str = Field(
        ...,
        description="E.g. 'The verdict is on calendar-year means of monthly values.' "
        "('' for values published by year)",
    )
    years: list[int] = Field(..., description="The calendar years the verdict rests on")
    left_out: list[LeftOutYearOut] = Field(
        ..., description="Incomplete calendar years left out (a mean needs every period)"
    )


class StatusOut(Schema):
    breakdown: dict[str, str]
    level: str
    geo: str
    place: str
    ok: bool
    status: str | None
    label: str
    explanation: str
    observed_rate: float | None
    required_rate: float | None
    ratio: float | None
    target_year: int | None
    target_value: float | None
    calendar: CalendarBasisOut


def _calendar(calendar) -> dict:
    return {
        "observed_frequency": str(calendar.frequency) if calendar.frequency else None,
        "basis": verdict_text.basis_text(calendar),
        "years": list(calendar.annual),
        "left_out": [
            {
                "year": y.year,
                "present": y.present,
                "needed": y.needed,
                "frequency": str(y.frequency),
                "text": verdict_text.incomplete_text(y),
            }
            for y in calendar.incomplete
        ],
    }


class MethodBreakOut(Schema):
    month: str = Field(..., description="The first month measured the new way")
    text: str = Field(..., description="What changed, in the page's language where known")
    source_text: str = Field(..., description="The source's own words (English)")


class CommodityOut(Schema):
    code: str
    name: str = Field(..., description="The name in the request's language where known")
    source_name: str = Field(..., description="The name in the source")
    unit: str
    currency: str | None = Field(..., description="USD, US cents, …; null for an index")
    group: str = Field(..., description="e.g. metals_and_minerals, precious_metals, energy")
    group_name: str
    source: str
    original_sources: str
    description: str = Field(..., description="The source's description (English)")
    break_months: list[str]
    method_breaks: list[MethodBreakOut]

    @staticmethod
    def resolve_name(commodity) -> str:
        return str(commodity.display_name)

    @staticmethod
    def resolve_source_name(commodity) -> str:
        return commodity.name

    @staticmethod
    def resolve_currency(commodity) -> str | None:
        return commodity.currency or None

    @staticmethod
    def resolve_group_name(commodity) -> str:
        return str(commodity.group_display)

    @staticmethod
    def resolve_method_breaks(commodity) -> list[dict]:
        return [
            {"month": b.month, "text": b.text, "source_text": b.source_text}
            for b in commodity.breaks_shown
        ]


class CommodityFilter(Schema):
    group: str | None = Field(
        None,
        pattern=r"^[a-z0-9_]{1,60}$",
        description="A group (e.g. energy), or all; left out: the metals and precious metals",
    )


class PriceOut(Schema):
    period: str = Field(..., alias="month")
    value: float | None


class PriceFilter(Schema):
    from_: str | None = Field(None, alias="from", pattern=MONTH_PATTERN)
    to: str | None = Field(None, pattern=MONTH_PATTERN)


class IndicatorFilter(Schema):
    dimension: str | None = Field(None, pattern="^(economic|environmental|social|innovation)$")


@router.get("/indicators", response={200: list[IndicatorOut], **INVALID_INPUT})
def indicators(request, filters: Query[IndicatorFilter]):
    return selectors.indicator_list(dimension=filters.dimension)


@router.get("/indicators/{code}", response={200: IndicatorDetailOut, **NOT_FOUND, **INVALID_INPUT})
def indicator(request, code: Text):
    return selectors.indicator_get(code)


@router.get(
    "/indicators/{code}/observations",
    response={200: list[ObservationOut], **NOT_FOUND, **INVALID_INPUT},
)
def observations(request, code: Text, filters: Query[ObservationFilter]):
    """Every observation of the indicator, of all its series, each with its breakdown; the
    filters narrow them (by place, level, period and breakdown)."""
    indicator = selectors.indicator_get(code)
    rows = selectors.observations(
        indicator,
        geo=filters.geo,
        level=filters.level,
        period_from=filters.from_,
        period_to=filters.to,
    )
    if filters.breakdown is not None:
        rows = selectors.breakdown_filter(indicator, rows, filters.breakdown)
    return rows


@router.get(
    "/indicators/{code}/jsonstat",
    response={200: dict, **NOT_FOUND, **INVALID_INPUT},
    url_name="indicator_jsonstat",
)
def indicator_jsonstat(request, code: Text):
    """Every observation of the indicator as one JSON-stat 2.0 dataset (place × disaggregations
    × content × period; sparse values, status p/e), as PxWeb would serve it; importing it gives
    the same observations back."""
    return selectors.indicator_jsonstat(selectors.indicator_get(code))


@router.get(
    "/indicators/{code}/status", response={200: list[StatusOut], **NOT_FOUND, **INVALID_INPUT}
)
def status(request, code: Text, query: Query[SeriesQuery]):
    """The progress status of one series of the indicator (its headline unless `breakdown` names
    another) at each place."""
    indicator = selectors.indicator_get(code)
    breakdown = _series_key(indicator, query.breakdown)
    return [
        {
            "breakdown": breakdown_from_key(breakdown),
            "level": item.series.level,
            "geo": item.series.code,
            "place": item.series.name,
            "ok": item.status.ok,
            "status": str(item.status.status) if item.status.ok else None,
            "label": str(item.label),
            "explanation": item.explanation,
            "observed_rate": item.status.observed_rate,
            "required_rate": item.status.required_rate,
            "ratio": item.status.ratio,
            "target_year": item.target.target_year if item.target else None,
            "target_value": item.target.target_value if item.target else None,
            "calendar": _calendar(item.series.calendar),
        }
        for item in selectors.statuses(
            indicator, selectors.series_by_place(indicator, breakdown=breakdown)
        )
    ]


class AnalysisQuery(SeriesQuery):
    geo: Text = Field(..., max_length=40, description="Place code, e.g. 25 (county) or 2523")
    year: int | None = Field(None, ge=1900, le=2200, description="Use values up to this year")
    price_change: float = Field(
        -0.30, gt=-1, le=10, description="Price change for the scenario, -0.30 = falls 30 %"
    )


class VerdictOut(Schema):
    ok: bool
    status: str | None
    label: str
    explanation: str = Field(..., description="The verdict explained, or why it cannot be given")
    base_years: list[int]
    latest_year: int | None
    observed_rate: float | None
    required_rate: float | None
    ratio: float | None


class LagCorrelationOut(Schema):
    ok: bool
    reason: str
    lags: list[int]
    correlations: list[float]
    band: list[float]
    white_noise_band: list[float]
    best_lag: int | None
    explanation: str


class AdjustmentOut(Schema):
    ok: bool
    reason: str
    lag: int | None
    elasticity: float | None
    standard_error: float | None
    confidence_interval: list[float] | None
    r_squared: float | None
    observations: int | None
    sentence: str


class ScenarioOut(Schema):
    ok: bool
    reason: str
    price_change: float | None
    after_years: int | None
    expected_change: float | None
    confidence_interval: list[float] | None
    prediction_interval: list[float] | None
    sentence: str


class RevisionOut(Schema):
    """How provisional the end of an estimate is, by pseudo-real-time re-estimation: the series
    cut at each of its last five years (prices as known at each cut), the same estimate made on
    each cut, and compared with the full-sample estimate."""

    ok: bool
    reason: str = Field(..., description="Why it cannot be measured ('' when it can)")
    cuts: list[int] = Field(..., description="The last years of the shortened series")
    end_revisions: list[float] = Field(
        ..., description="Full-sample estimate less the estimate from data up to each cut, at the "
        "cut's last year, in the indicator's units"
    )  # fmt: skip
    end_revisions_percent: list[float | None] = Field(
        ..., description="The same, in per cent of the full-sample estimate"
    )
    largest: float | None = Field(
        ..., description="The band: the largest end-point revision, in the indicator's units"
    )
    largest_percent: float | None = Field(..., description="The band in per cent")
    provisional_years: list[int] = Field(
        ..., description="The last years whose values may still move as years are added"
    )
    text: str = Field(..., description="The band as a sentence")


class AnalysisOut(Schema):
    indicator: str
    geo: str
    place: str
    unit: str
    commodity: str | None
    is_example: bool
    notes: list[str]
    calendar: CalendarBasisOut
    period: list[str]
    observed: list[float | None]
    trend: list[float | None]
    cycle: list[float | None]
    adjusted: list[float | None]
    price_cycle: list[float | None] = Field(..., description="Price cycle, % of its trend")
    trend_reason: str
    trend_revision: RevisionOut = Field(..., description="How provisional the trend's end is")
    raw_status: VerdictOut
    adjusted_status: VerdictOut
    adjusted_revision: RevisionOut = Field(
        ..., description="How provisional the cycle-adjusted values at the end are: the band of "
        "the cycle-adjusted verdict"
    )  # fmt: skip
    lag_correlation: LagCorrelationOut
    adjustment: AdjustmentOut
    scenario: ScenarioOut


def _revision(revision, unit: str, missing: str) -> dict:
    if revision is None or not revision.ok:
        reason = revision.reason if revision is not None else missing
        return {
            "ok": False, "reason": reason, "cuts": [], "end_revisions": [],
            "end_revisions_percent": [], "largest": None, "largest_percent": None,
            "provisional_years": [], "text": verdict_text.band_text(revision, unit),
        }  # fmt: skip
    return {
        "ok": True, "reason": "", "cuts": list(revision.cuts),
        "end_revisions": list(revision.end_revisions),
        "end_revisions_percent": list(revision.end_revisions_percent),
        "largest": revision.largest, "largest_percent": revision.largest_percent,
        "provisional_years": list(revision.provisional_years),
        "text": verdict_text.band_text(revision, unit),
    }  # fmt: skip


def _verdict(status, label: str, reason: str = "") -> dict:
    if status is None or not status.ok:
        return {
            "ok": False, "status": None, "label": label,
            "explanation": reason or (status.reason if status is not None else ""),
            "base_years": [], "latest_year": None, "observed_rate": None,
            "required_rate": None, "ratio": None,
        }  # fmt: skip
    return {
        "ok": True, "status": str(status.status), "label": label,
        "explanation": status.explanation_en, "base_years": list(status.base_years),
        "latest_year": status.latest_year, "observed_rate": status.observed_rate,
        "required_rate": status.required_rate, "ratio": status.ratio,
    }  # fmt: skip


def analysis_data(a: cycle.PlaceAnalysis) -> dict:
    """The analysis of one place as plain data (shared with the follow-up API and report); its
    sentences in English, as the analysis writes them (the labels in the request's language)."""
    c, adj, s = a.correlation, a.adjustment, a.scenario
    no_price = a.adjustment_reason
    unit = a.indicator.unit
    with translation.override("en"):
        calendar = _calendar(a.series.calendar)
        trend_revision = _revision(a.trend_revision, unit, a.decomposition.reason)
        adjusted_revision = _revision(a.adjusted_revision, unit, no_price)
        raw_explanation = a.raw_explanation
    return {
        "indicator": a.indicator.code,
        "geo": a.series.code,
        "place": a.series.name,
        "unit": a.indicator.unit,
        "commodity": a.indicator.exposed_to.code if a.indicator.exposed_to else None,
        "is_example": a.indicator.is_example,
        "notes": [*a.notes, *(adj.notes if adj is not None else ())],
        "calendar": calendar,
        "period": [str(y) for y in a.years],
        "observed": a.observed,
        "trend": a.trend,
        "cycle": a.cycle,
        "adjusted": a.adjusted,
        "price_cycle": a.price_cycle_percent,
        "trend_reason": "" if a.decomposition.ok else a.decomposition.reason,
        "trend_revision": trend_revision,
        "raw_status": _verdict(a.raw_status, a.raw_label, raw_explanation),
        "adjusted_status": _verdict(a.adjusted_status, a.adjusted_label, no_price),
        "adjusted_revision": adjusted_revision,
        "lag_correlation": {
            "ok": bool(c and c.ok),
            "reason": (c.reason if c is not None else no_price) if not (c and c.ok) else "",
            "lags": list(c.lags) if c and c.ok else [],
            "correlations": list(c.correlations) if c and c.ok else [],
            "band": list(c.band) if c and c.ok else [],
            "white_noise_band": list(c.white_noise_band) if c and c.ok else [],
            "best_lag": c.best_lag if c and c.ok else None,
            "explanation": c.explanation_en if c and c.ok else "",
        },
        "adjustment": {
            "ok": bool(adj and adj.ok),
            "reason": no_price,
            "lag": adj.lag if adj and adj.ok else None,
            "elasticity": adj.elasticity if adj and adj.ok else None,
            "standard_error": adj.standard_error if adj and adj.ok else None,
            "confidence_interval": list(adj.confidence_interval) if adj and adj.ok else None,
            "r_squared": adj.r_squared if adj and adj.ok else None,
            "observations": adj.observations if adj and adj.ok else None,
            "sentence": adj.sentence_en if adj and adj.ok else "",
        },
        "scenario": {
            "ok": bool(s and s.ok),
            "reason": (s.reason if s is not None else no_price) if not (s and s.ok) else "",
            "price_change": s.price_change if s and s.ok else None,
            "after_years": s.after_years if s and s.ok else None,
            "expected_change": s.expected_change if s and s.ok else None,
            "confidence_interval": list(s.confidence_interval) if s and s.ok else None,
            "prediction_interval": list(s.prediction_interval) if s and s.ok else None,
            "sentence": s.sentence_en if s and s.ok else "",
        },
    }


@router.get(
    "/indicators/{code}/analysis", response={200: AnalysisOut, **NOT_FOUND, **INVALID_INPUT}
)
def analysis(request, code: Text, query: Query[AnalysisQuery]):
    """Trend and cycle, lag correlations with the metal price, raw and cycle-adjusted status.

    The arrays (period, observed, trend, cycle, adjusted, price_cycle) have equal length, with
    null where a value cannot be computed; each part that cannot be computed says why.
    """
    indicator = selectors.indicator_get(code)
    result = cycle.indicator_analysis(
        indicator,
        query.geo,
        until_year=query.year,
        price_change=query.price_change,
        breakdown=_series_key(indicator, query.breakdown),
    )
    if result is None:
        raise Http404(f"The indicator has no values for the place {query.geo!r}.")
    return analysis_data(result)


@router.get("/commodities", response={200: list[CommodityOut], **INVALID_INPUT})
def commodities(request, filters: Query[CommodityFilter]):
    """The price series: the metals and precious metals unless `group` asks for another group
    or for all."""
    return selectors.commodity_list(group=filters.group)


@router.get(
    "/commodities/{code}/prices", response={200: list[PriceOut], **NOT_FOUND, **INVALID_INPUT}
)
def prices(request, code: Text, filters: Query[PriceFilter]):
    return selectors.prices(
        selectors.commodity_get(code), month_from=filters.from_, month_to=filters.to
    )


class ImportOut(Schema):
    id: int
    kind: str
    indicator: str | None = Field(None, alias="indicator.code")
    file_name: str
    sha256: str
    format: str
    status: str
    dry_run: bool
    rows_read: int
    created: int
    updated: int
    unchanged: int
    refused: int
    errors: list[str]
    progress_records: int | None = None
    content: dict[str, str] = Field(
        ..., description="Of a file with several contents, the one imported ({} if one)"
    )
    summary: dict = Field(
        ...,
        description="What the file held: its dimensions and what each became (place, period, "
        "measure, disaggregation, attribute), its contents with their series and counts",
    )

    @staticmethod
    def resolve_errors(job) -> list[str]:
        return [fault_english(error) for error in job.errors]

    @staticmethod
    def resolve_content(job) -> dict[str, str]:
        return breakdown_from_key(job.content)


class ImportForm(Schema):
    indicator: Text | None = Field(
        None, json_schema_extra=_not_null, description="The indicator's code"
    )
    new_indicator: Text | None = Field(
        None,
        json_schema_extra=_not_null,
        max_length=40,
        description="Instead of indicator: the code of an indicator to create from the file's "
        "own metadata (label, unit, source, table, updated date)",
    )
    owner: Text | None = Field(
        None,
        json_schema_extra=_not_null,
        description="With new_indicator: the responsible organisation's slug (one you may create "
        "indicators for; default: the one responsible for most indicators)",
    )
    content: Text | None = Field(
        None,
        json_schema_extra=_not_null,
        description="Of a file with several contents, the one to import: its code, "
        "dimension=code or label",
    )
    commodity_prices: bool = Field(False, description="Metal prices instead of an indicator")
    format: FormatLiteral | None = Field(
        None, json_schema_extra=_not_null, description="Found from the content when left out"
    )
    dry_run: bool = Field(False, description="Check the file, write nothing")


@router.post(
    "/imports",
    response={
        202: ImportOut,
        **NEEDS_KEY,
        403: ErrorOut,
        **NOT_FOUND,
        413: ErrorOut,
        **INVALID_INPUT,
        **TOO_MANY_WRITES,
    },
    auth=api_key_or_session(ApiScope.IMPORT),
)
def import_upload(
    request,
    file: File[UploadedFile],
    fields: Form[ImportForm],
):
    """Import a statistics file (multipart) as a background task; poll `GET /api/imports/{id}`.

    Give one of `indicator` (the indicator's code), `new_indicator` (the code of one to create
    from the file) or `commodity_prices=true`; `format` is found from the content when left out.
    """
    targets = [fields.indicator, fields.new_indicator, fields.commodity_prices or None]
    if sum(target is not None for target in targets) != 1:
        raise input_error(
            "form", "indicator", "give one of indicator, new_indicator or commodity_prices=true"
        )
    if file.size > settings.MINERALSTRATEGI_IMPORT_MAX_BYTES:
        raise HttpError(413, f"file: {file.size} bytes is over the limit")
    target, new_indicator = _import_target(request, fields)
    stored_file = services.import_store_upload(file)
    content = ""
    if fields.content:
        try:
            with local_path(stored_file) as path:
                content = services.import_content_find(path, fields.format, fields.content)
        except ValidationError as error:
            raise input_error("form", "content", " ".join(error.messages)) from None
    job = services.import_create(
        stored_file=stored_file,
        file_name=Path(file.name).name[:255],
        kind=ImportJob.Kind.PRICES if fields.commodity_prices else ImportJob.Kind.OBSERVATIONS,
        indicator=target,
        new_indicator=new_indicator,
        content=content,
        format=fields.format,
        dry_run=fields.dry_run,
        user=request.user,
    )
    transaction.on_commit(lambda: import_file.enqueue(job.pk))
    return Status(202, job)


def _import_target(request, fields: ImportForm):
    """(indicator, new indicator settings) of an import, each checked against the user's rights."""
    user = request.user
    if fields.commodity_prices:
        if not user.has_perm("indicators.import_prices"):
            raise HttpError(403, "you may not import commodity prices")
        return None, None
    if fields.indicator is not None:
        target = selectors.indicator_get(fields.indicator)
        if not user.has_perm("indicators.import_observations", target):
            raise HttpError(403, f"you may not import into {fields.indicator}")
        return target, None
    owners = selectors.organisations_for_new_indicators(user)
    owner = None
    if fields.owner is not None:
        owner = get_object_or_404(Organisation, slug=fields.owner)
    if owner is not None and not user.has_perm("indicators.add_indicator_for", owner):
        raise HttpError(403, f"you may not create indicators for {fields.owner}")
    if owner is None:
        owner = owners.first() if not user.is_superuser else None
        if owner is None and not user.is_superuser:
            raise HttpError(403, "you may not create indicators")
    try:
        return None, services.indicator_new_settings(code=fields.new_indicator, owner=owner)
    except ValidationError as error:
        raise input_error("form", "new_indicator", " ".join(error.messages)) from None


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, **NEEDS_KEY, 403: ErrorOut, **NOT_FOUND, **INVALID_INPUT},
    auth=api_key_or_session(ApiScope.READ),
)
def import_status(request, import_id: ObjectId):
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=import_id)
    services.import_stalled_fail(job, after_seconds=settings.MINERALSTRATEGI_IMPORT_STALL_SECONDS)
    job.progress_records = import_progress(job.pk)
    return job
