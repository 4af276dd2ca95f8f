"""The indicators part of the JSON API."""

from ninja import Field, Query, Router, Schema

from . import selectors

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
