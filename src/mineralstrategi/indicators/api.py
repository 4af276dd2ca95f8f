"""The indicators part of the JSON API."""

from pathlib import Path
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from mineralstrategi.api.responses import (
    INVALID_INPUT,
    NEEDS_KEY,
    NOT_FOUND,
    ErrorOut,
    ObjectId,
    Text,
    input_error,
)
from mineralstrategi.ingest import FORMATS
from mineralstrategi.organisations.api_auth import api_key_or_session

from . import cycle, selectors, services
from .models import ImportJob
from .tasks import import_file, import_progress

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


class IndicatorDetailOut(IndicatorOut):
    definition: str
    method: str
    source_table: str
    owner: str = Field(..., alias="owner.name")


class ObservationOut(Schema):
    level: str = Field(..., alias="geo_level")
    geo: str = Field(..., alias="geo_code")
    period: str
    value: float | None
    provisional: bool
    estimated: bool


class ObservationFilter(Schema):
    geo: list[Text] | None = Field(
        None, description="Place codes, e.g. 25 or 2584; repeat for more"
    )
    level: str | None = Field(None, pattern="^(nation|county|municipality|site)$")
    from_: str | None = Field(None, alias="from", pattern=PERIOD_PATTERN)
    to: str | None = Field(None, pattern=PERIOD_PATTERN)


class StatusOut(Schema):
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
    return selectors.observations(
        selectors.indicator_get(code),
        geo=filters.geo,
        level=filters.level,
        period_from=filters.from_,
        period_to=filters.to,
    )


@router.get(
    "/indicators/{code}/status", response={200: list[StatusOut], **NOT_FOUND, **INVALID_INPUT}
)
def status(request, code: Text):
    indicator = selectors.indicator_get(code)
    return [
        {
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
        }
        for item in selectors.statuses(indicator, selectors.series_by_place(indicator))
    ]


class AnalysisQuery(Schema):
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


class AnalysisOut(Schema):
    indicator: str
    geo: str
    place: str
    unit: str
    commodity: str | None
    is_example: bool
    notes: list[str]
    period: list[str]
    observed: list[float | None]
    trend: list[float | None]
    cycle: list[float | None]
    adjusted: list[float | None]
    price_cycle: list[float | None] = Field(..., description="Price cycle, % of its trend")
    trend_reason: str
    raw_status: VerdictOut
    adjusted_status: VerdictOut
    lag_correlation: LagCorrelationOut
    adjustment: AdjustmentOut
    scenario: ScenarioOut


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
    """The analysis of one place as plain data (shared with the follow-up API and report)."""
    c, adj, s = a.correlation, a.adjustment, a.scenario
    no_price = a.adjustment_reason
    return {
        "indicator": a.indicator.code,
        "geo": a.series.code,
        "place": a.series.name,
        "unit": a.indicator.unit,
        "commodity": a.indicator.exposed_to.code if a.indicator.exposed_to else None,
        "is_example": a.indicator.is_example,
        "notes": [*a.notes, *(adj.notes if adj is not None else ())],
        "period": [str(y) for y in a.years],
        "observed": a.observed,
        "trend": a.trend,
        "cycle": a.cycle,
        "adjusted": a.adjusted,
        "price_cycle": a.price_cycle_percent,
        "trend_reason": "" if a.decomposition.ok else a.decomposition.reason,
        "raw_status": _verdict(a.raw_status, a.raw_label),
        "adjusted_status": _verdict(a.adjusted_status, a.adjusted_label, no_price),
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
        indicator, query.geo, until_year=query.year, price_change=query.price_change
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


class ImportForm(Schema):
    indicator: Text | None = Field(
        None, json_schema_extra=_not_null, description="The indicator's code"
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
    },
    auth=api_key_or_session,
)
def import_upload(
    request,
    file: File[UploadedFile],
    fields: Form[ImportForm],
):
    """Import a statistics file (multipart) as a background task; poll `GET /api/imports/{id}`.

    `indicator` is the indicator's code (leave it out, and set `commodity_prices`, for metal
    prices); `format` is found from the content when left out.
    """
    indicator, format, commodity_prices = fields.indicator, fields.format, fields.commodity_prices
    if commodity_prices == (indicator is not None):
        raise input_error("form", "indicator", "give either indicator or commodity_prices=true")
    target = None
    if commodity_prices:
        if not request.user.has_perm("indicators.import_prices"):
            raise HttpError(403, "you may not import commodity prices")
    else:
        target = selectors.indicator_get(indicator)
        if not request.user.has_perm("indicators.import_observations", target):
            raise HttpError(403, f"you may not import into {indicator}")
    if file.size > settings.MINERALSTRATEGI_IMPORT_MAX_BYTES:
        raise HttpError(413, f"file: {file.size} bytes is over the limit")
    job = services.import_create(
        path=services.import_store_upload(file),
        file_name=Path(file.name).name[:255],
        kind=ImportJob.Kind.PRICES if commodity_prices else ImportJob.Kind.OBSERVATIONS,
        indicator=target,
        format=format,
        dry_run=fields.dry_run,
        user=request.user,
    )
    transaction.on_commit(lambda: import_file.enqueue(job.pk))
    return Status(202, job)


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, **NEEDS_KEY, **NOT_FOUND, **INVALID_INPUT},
    auth=api_key_or_session,
)
def import_status(request, import_id: ObjectId):
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=import_id)
    job.progress_records = import_progress(job.pk)
    return job
