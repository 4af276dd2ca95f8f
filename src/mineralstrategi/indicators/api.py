"""The indicators part of the JSON API."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from mineralstrategi.ingest import FORMATS
from mineralstrategi.organisations.api_auth import api_key_or_session

from . import selectors, services
from .models import ImportJob
from .tasks import import_file, import_progress

router = Router(tags=["indicators"])

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
    geo: list[str] | None = Field(None, description="Place codes, e.g. 25 or 2584; repeat for more")
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


class CommodityOut(Schema):
    code: str
    name: str
    unit: str
    currency: str
    source: str
    break_months: list[str]


class PriceOut(Schema):
    period: str = Field(..., alias="month")
    value: float | None


class PriceFilter(Schema):
    from_: str | None = Field(None, alias="from", pattern=MONTH_PATTERN)
    to: str | None = Field(None, pattern=MONTH_PATTERN)


class IndicatorFilter(Schema):
    dimension: str | None = Field(None, pattern="^(economic|environmental|social|innovation)$")


@router.get("/indicators", response=list[IndicatorOut])
def indicators(request, filters: Query[IndicatorFilter]):
    return selectors.indicator_list(dimension=filters.dimension)


@router.get("/indicators/{code}", response=IndicatorDetailOut)
def indicator(request, code: str):
    return selectors.indicator_get(code)


@router.get("/indicators/{code}/observations", response=list[ObservationOut])
def observations(request, code: str, filters: Query[ObservationFilter]):
    return selectors.observations(
        selectors.indicator_get(code),
        geo=filters.geo,
        level=filters.level,
        period_from=filters.from_,
        period_to=filters.to,
    )


@router.get("/indicators/{code}/status", response=list[StatusOut])
def status(request, code: str):
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


@router.get("/commodities", response=list[CommodityOut])
def commodities(request):
    return selectors.commodity_list()


@router.get("/commodities/{code}/prices", response=list[PriceOut])
def prices(request, code: str, filters: Query[PriceFilter]):
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


@router.post("/imports", response={202: ImportOut}, auth=api_key_or_session)
def import_upload(
    request,
    file: File[UploadedFile],
    indicator: Form[str | None] = None,
    commodity_prices: Form[bool] = False,
    format: Form[str | None] = None,
    dry_run: Form[bool] = False,
):
    """Import a statistics file (multipart) as a background task; poll `GET /api/imports/{id}`.

    `indicator` is the indicator's code (leave it out, and set `commodity_prices`, for metal
    prices); `format` is found from the content when left out.
    """
    if format is not None and format not in FORMATS:
        raise HttpError(422, f"format: unknown format {format!r}; formats: {', '.join(FORMATS)}")
    if commodity_prices == (indicator is not None):
        raise HttpError(422, "give either indicator or commodity_prices=true")
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
        dry_run=dry_run,
        user=request.user,
    )
    transaction.on_commit(lambda: import_file.enqueue(job.pk))
    return Status(202, job)


@router.get("/imports/{import_id}", response=ImportOut, auth=api_key_or_session)
def import_status(request, import_id: int):
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=import_id)
    job.progress_records = import_progress(job.pk)
    return job
