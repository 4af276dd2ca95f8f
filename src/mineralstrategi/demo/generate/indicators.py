"""Generated indicators with invented annual values for every municipality in scope, and the
World Bank's real monthly metal prices (loaded once, through the import service, as the demo does).

The indicator themes are the demo's (name, unit, dimension, metal, trend and price elasticity), so
each series follows its metal's real price cycle. Every indicator is flagged `is_example` and its
method says the values are generated, which the indicator pages show.
"""

from simple_history.utils import bulk_create_with_history

from mineralstrategi.indicators.models import (
    Commodity,
    ImportJob,
    Indicator,
    IndicatorLink,
    Observation,
    PricePoint,
)
from mineralstrategi.indicators.services import (
    import_create,
    import_run,
    indicator_summary_refresh,
)
from mineralstrategi.strategy.models import Section, SectionKind

from ..indicators import INDICATORS as THEMES
from ..indicators import PRICES_FILE, annual_prices
from .context import Context
from .people import PREFIX
from .scales import LAST_YEAR

METHOD = (
    "Exempeldata: värdena är genererade (frö {seed}) för demonstration och prestandatester "
    "och är inte verklig statistik."
)
SHARES = {"procent", "per miljon timmar", "kWh per ton"}  # levels, not counts: not scaled
OBSERVATION_FIELDS = [
    "indicator", "geo_level", "geo_code", "period", "breakdown", "value", "provisional",
    "estimated",
]  # fmt: skip


def metal_prices(ctx: Context) -> None:
    if PricePoint.objects.exists():
        ctx.out(f"[{ctx.elapsed():7.1f} s] metal prices: already loaded, kept")
        return
    job = import_create(path=PRICES_FILE, file_name=PRICES_FILE.name, kind=ImportJob.Kind.PRICES)
    job = import_run(job, PRICES_FILE)
    ctx.done("metal prices (World Bank, monthly)", job.created)


def indicators(ctx: Context) -> None:
    rng = ctx.rng("indicators")
    commodities = {c.code: c for c in Commodity.objects.all()}
    created = []
    for n in range(1, ctx.scale.indicators + 1):
        theme = THEMES[(n - 1) % len(THEMES)]
        created.append(
            Indicator(
                code=f"{PREFIX}{n:03d}-{theme.code}"[:40],
                name=f"{theme.name} (exempelserie {n})"[:200],
                definition=theme.definition,
                unit=theme.unit,
                dimension=theme.dimension,
                desired_direction=theme.direction,
                source_organisation=theme.source,
                exposed_to=commodities.get(theme.exposed_to) if theme.exposed_to else None,
                owner=rng.choice(ctx.organisations),
                is_example=True,
                method=METHOD.format(seed=ctx.seed),
            )
        )
    created = bulk_create_with_history(created, Indicator, batch_size=500)
    ctx.done("indicators", len(created))
    _links(ctx, created)
    _observations(ctx, created)


def _links(ctx: Context, created: list[Indicator]) -> None:
    """Each indicator follows up one goal of a strategy (goals by their stable key)."""
    goals = {
        strategy.pk: sorted(
            set(
                Section.objects.filter(
                    version__strategy=strategy, kind=SectionKind.GOAL
                ).values_list("key", flat=True)
            )
        )
        for strategy in ctx.strategies
    }
    links = []
    for n, indicator in enumerate(created):
        strategy = ctx.strategies[n % len(ctx.strategies)]
        keys = goals[strategy.pk]
        links.append(
            IndicatorLink(indicator=indicator, strategy=strategy, section_key=keys[n % len(keys)])
        )
    bulk_create_with_history(links, IndicatorLink, batch_size=500)
    ctx.done("indicator links", len(links))


def _year_factors(theme, prices, years: range) -> list[float]:
    metal = prices.get(theme.exposed_to) if theme.exposed_to else None
    reference = sum(metal[y] for y in years) / len(years) if metal else 1.0
    return [
        (1 + theme.trend) ** t * ((metal[year] / reference) ** theme.elasticity if metal else 1.0)
        for t, year in enumerate(years)
    ]


def _observations(ctx: Context, created: list[Indicator]) -> None:
    years = range(ctx.scale.first_year, LAST_YEAR + 1)
    prices = annual_prices()
    codes = [m.code for m in ctx.municipalities]
    themes = [THEMES[n % len(THEMES)] for n in range(len(created))]

    def rows():
        for indicator, theme in zip(created, themes, strict=True):
            rng = ctx.rng(f"observations-{indicator.code}")
            factors = _year_factors(theme, prices, years)
            decimals = max(theme.decimals, 1)
            for code in codes:
                if theme.unit in SHARES:
                    base = theme.base * rng.uniform(0.6, 1.4)
                else:
                    base = (theme.base or 400) * rng.lognormvariate(-2.5, 0.9)
                for year, factor in zip(years, factors, strict=True):
                    value = base * factor * (1 + rng.gauss(0, theme.noise))
                    yield (
                        indicator.pk, "municipality", code, str(year), "",
                        round(max(value, 0.0), decimals), year == LAST_YEAR, False,
                    )  # fmt: skip

    from .fast import rows_insert

    written = rows_insert(Observation, OBSERVATION_FIELDS, rows())
    for indicator in created:
        indicator_summary_refresh(indicator)
    ctx.done("observations", written)
