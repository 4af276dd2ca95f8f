"""The demo's indicators: real metal prices, and invented indicator values labelled as examples.

The prices are the World Bank's monthly series (demo/data). The indicator values are generated
from a seed, so every run gives the same figures; employment, production and investment follow
the real annual price of their metal, so that the cycle analysis has a real cycle to find.
Everything is loaded through the same import service that users use.
"""

import csv
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from mineralstrategi.indicators.models import Commodity, ImportJob, Indicator, PricePoint, Target
from mineralstrategi.indicators.services import import_create, import_run
from mineralstrategi.organisations.models import Municipality, Organisation

PRICES_FILE = Path(__file__).resolve().parent / "data" / "CMO-Historical-Data-Monthly_metals.csv"
YEARS = range(2000, 2025)
COUNTIES = ("24", "25")

# Mining municipalities: (code, employees in 2000, metal that drives them)
MINING_EMPLOYMENT = {
    "2584": (2400, "iron_ore"),  # Kiruna
    "2523": (1900, "iron_ore"),  # Gällivare
    "2521": (60, "iron_ore"),  # Pajala
    "2580": (700, "iron_ore"),  # Luleå
    "2482": (1100, "copper"),  # Skellefteå
    "2481": (160, "gold"),  # Lycksele
    "2421": (90, "gold"),  # Storuman
    "2418": (140, "copper"),  # Malå
    "2417": (120, "zinc"),  # Norsjö
    "2506": (40, "copper"),  # Arjeplog
}


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    definition: str
    unit: str
    dimension: str
    direction: str
    source: str
    exposed_to: str | None
    owner: str
    level: str  # "municipality" (with county sums) or "county"
    base: float  # the level in 2000 (for counties: Norrbotten; Västerbotten is scaled)
    trend: float  # structural change a year, as a share
    elasticity: float  # response to the metal's price relative to its 2000–2024 mean
    noise: float
    decimals: int = 0


INDICATORS = [
    DemoIndicator("gruv-sysselsatta", "Sysselsatta i gruv- och mineralnäringen", "Antal förvärvsarbetande med arbetsplats i kommunen inom utvinning av metallmalmer och stödtjänster till utvinning (SNI 07 och 09).", "personer", "economic", "increase", "SCB, registerbaserad arbetsmarknadsstatistik", "iron_ore", "region-vasterbotten", "municipality", 0, 0.008, 0.35, 0.02),
    DemoIndicator("malmproduktion", "Bruten malm", "Mängd bruten malm i länets gruvor under året.", "miljoner ton", "economic", "increase", "SGU, Bergverksstatistik", "iron_ore", "lansstyrelsen-norrbotten", "county", 38, 0.025, 0.25, 0.03, 1),
    DemoIndicator("gruv-investeringar", "Investeringar i gruv- och mineralindustrin", "Bruttoinvesteringar i byggnader, maskiner och gruvutveckling inom gruv- och mineralindustrin i länet.", "miljoner kronor", "economic", "increase", "SCB, Industrins investeringar", "iron_ore", "lansstyrelsen-norrbotten", "county", 3500, 0.03, 0.9, 0.08),
    DemoIndicator("undersokningstillstand", "Gällande undersökningstillstånd", "Antal gällande undersökningstillstånd för mineral i länet vid årets slut.", "tillstånd", "economic", "increase", "Bergsstaten", "copper", "lansstyrelsen-norrbotten", "county", 190, 0.01, 0.7, 0.06),
    DemoIndicator("leverantorer-omsattning", "Omsättning hos gruvnäringens leverantörer", "Samlad omsättning hos länets företag som levererar varor och tjänster till gruvor och anrikningsverk.", "miljoner kronor", "economic", "increase", "SCB, Företagens ekonomi", "iron_ore", "region-vasterbotten", "county", 9000, 0.035, 0.5, 0.04),
    DemoIndicator("fou-utgifter", "FoU-utgifter inom mineralområdet", "Utgifter för forskning och utveckling inom gruv-, mineral- och metallområdet vid lärosäten och företag i länet.", "miljoner kronor", "innovation", "increase", "SCB, Forskning och utveckling i Sverige", None, "lulea-tekniska-universitet", "county", 420, 0.04, 0.1, 0.05),
    DemoIndicator("testbadd-projekt", "Projekt i regionens testbäddar", "Antal utvecklingsprojekt som under året använt testbäddar och forskningsinfrastruktur för gruv- och mineralteknik i länet.", "projekt", "innovation", "increase", "Testbäddarnas årsrapporter", None, "lulea-tekniska-universitet", "county", 14, 0.06, 0.0, 0.1),
    DemoIndicator("patentansokningar", "Patentansökningar inom gruv- och mineralteknik", "Antal patentansökningar med uppfinnare i länet inom gruv-, anriknings- och metallurgisk teknik.", "ansökningar", "innovation", "increase", "PRV, patentstatistik", None, "umea-universitet", "county", 22, 0.03, 0.1, 0.12),
    DemoIndicator("examinerade-mineral", "Examinerade inom gruv- och mineralteknik", "Antal examinerade från högskoleutbildningar inom gruv-, mineral- och metallurgiteknik vid lärosäten i länet.", "personer", "social", "increase", "UKÄ, examensstatistik", None, "lulea-tekniska-universitet", "county", 95, 0.02, 0.15, 0.07),
    DemoIndicator("kvinnor-andel", "Kvinnors andel av de sysselsatta i gruvnäringen", "Andel kvinnor bland de förvärvsarbetande inom utvinning av metallmalmer och stödtjänster.", "procent", "social", "increase", "SCB, registerbaserad arbetsmarknadsstatistik", None, "region-vasterbotten", "county", 11, 0.035, 0.0, 0.02, 1),
    DemoIndicator("inpendling-andel", "Andel inpendlande gruvanställda", "Andel av gruvornas anställda som bor utanför länet och pendlar in (veckopendling och flygpendling).", "procent", "social", "decrease", "SCB, pendlingsstatistik", "iron_ore", "region-vasterbotten", "county", 9, 0.01, 0.6, 0.05, 1),
    DemoIndicator("arbetsolyckor", "Arbetsolyckor med sjukfrånvaro", "Antal arbetsolyckor med minst en dags sjukfrånvaro per miljon arbetade timmar i gruvnäringen.", "per miljon timmar", "social", "decrease", "Arbetsmiljöverket, ISA", None, "lansstyrelsen-vasterbotten", "county", 9.5, -0.04, 0.0, 0.08, 1),
    DemoIndicator("co2-gruvindustri", "Utsläpp av växthusgaser från gruv- och mineralindustrin", "Utsläpp av växthusgaser från utvinning, anrikning och pelletering i länet.", "kiloton koldioxidekvivalenter", "environmental", "decrease", "Naturvårdsverket, nationella emissionsdatabasen", "iron_ore", "lansstyrelsen-norrbotten", "county", 1450, -0.012, 0.2, 0.03),
    DemoIndicator("energi-per-ton", "Energianvändning per ton bruten malm", "Använd energi (el och bränslen) per ton bruten malm i länets gruvor och anrikningsverk.", "kWh per ton", "environmental", "decrease", "Företagens hållbarhetsredovisningar", None, "lansstyrelsen-norrbotten", "county", 52, -0.01, 0.0, 0.02, 1),
    DemoIndicator("gruvavfall-ateranvandning", "Andel gruvavfall som återanvänds", "Andel av årets gruvavfall (gråberg och anrikningssand) som används som ballast, fyllning eller råvara.", "procent", "environmental", "increase", "Naturvårdsverket, avfallsstatistik", None, "lansstyrelsen-vasterbotten", "county", 4, 0.07, 0.0, 0.06, 1),
    DemoIndicator("vattenprover-overskridanden", "Vattenprover över riktvärdet nedströms gruvor", "Andel av kontrollprogrammens vattenprover nedströms gruvor som överskrider riktvärdet för någon metall.", "procent", "environmental", "decrease", "Länsstyrelsernas miljötillsyn", None, "lansstyrelsen-vasterbotten", "county", 12, -0.03, 0.0, 0.1, 1),
    DemoIndicator("rennaring-samrad", "Markanvändningsfrågor med rennäringen lösta i samråd", "Andel av årets ärenden om gruvor och prospektering inom renskötselområdet där samebyn och verksamhetsutövaren enats i samråd.", "procent", "environmental", "increase", "Länsstyrelsernas ärendestatistik", None, "lansstyrelsen-norrbotten", "county", 35, 0.025, 0.0, 0.08, 1),
]  # fmt: skip

# (indicator code, county code, years averaged for the base, base year, target year, change)
TARGETS = [
    ("gruv-sysselsatta", "25", 3, 2015, 2030, 0.10),
    ("gruv-sysselsatta", "24", 3, 2015, 2030, 0.10),
    ("kvinnor-andel", "25", 1, 2015, 2030, None),
    ("kvinnor-andel", "24", 1, 2015, 2030, None),
    ("co2-gruvindustri", "25", 3, 2015, 2030, -0.40),
    ("co2-gruvindustri", "24", 3, 2015, 2030, -0.40),
    ("gruvavfall-ateranvandning", "25", 1, 2015, 2030, None),
    ("fou-utgifter", "25", 3, 2015, 2030, 0.50),
]
ABSOLUTE_TARGETS = {"kvinnor-andel": 25.0, "gruvavfall-ateranvandning": 30.0}


def annual_prices() -> dict[str, dict[int, float]]:
    """Each metal's mean price per year, from the monthly World Bank file."""
    sums: dict[str, dict[int, list[float]]] = {}
    with PRICES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["month"][:4])
            for column, value in row.items():
                if column == "month" or not value:
                    continue
                metal = column.split("_usd_")[0]
                sums.setdefault(metal, {}).setdefault(year, []).append(float(value))
    return {metal: {y: mean(v) for y, v in years.items()} for metal, years in sums.items()}


def _price_factor(prices: dict[int, float], year: int, elasticity: float) -> float:
    reference = mean(prices[y] for y in YEARS)
    return (prices[year] / reference) ** elasticity


def _series(
    spec: DemoIndicator, base: float, metal: str | None, prices, seed: str
) -> dict[int, float]:
    rng = random.Random(seed)
    values = {}
    for t, year in enumerate(YEARS):
        factor = _price_factor(prices[metal], year, spec.elasticity) if metal else 1.0
        value = base * (1 + spec.trend) ** t * factor * (1 + rng.gauss(0, spec.noise))
        values[year] = round(max(value, 0.0), spec.decimals)
    return values


def indicator_rows(spec: DemoIndicator, prices) -> list[tuple[str, str, float]]:
    """(place code, year, value) for one demo indicator."""
    rows = []
    if spec.level == "municipality":
        county_of = dict(
            Municipality.objects.filter(county__code__in=COUNTIES).values_list(
                "code", "county__code"
            )
        )
        totals = {county: dict.fromkeys(YEARS, 0.0) for county in COUNTIES}
        for code, county in sorted(county_of.items()):
            base, metal = MINING_EMPLOYMENT.get(
                code,
                (random.Random(code).randint(3, 25), "iron_ore" if county == "25" else "copper"),
            )
            for year, value in _series(spec, base, metal, prices, f"{spec.code}-{code}").items():
                rows.append((code, str(year), value))
                totals[county][year] += value
        rows += [
            (county, str(year), value)
            for county, years in totals.items()
            for year, value in years.items()
        ]
        return rows
    for county, scale in (("25", 1.0), ("24", 0.55)):
        metal = spec.exposed_to if county == "25" or spec.exposed_to != "iron_ore" else "copper"
        base = spec.base * (
            scale if spec.unit not in {"procent", "per miljon timmar", "kWh per ton"} else 1.0
        )
        for year, value in _series(spec, base, metal, prices, f"{spec.code}-{county}").items():
            rows.append((county, str(year), value))
    return rows


def _import_rows(indicator: Indicator, rows) -> ImportJob:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{indicator.code}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["geo", "period", "value"])
            writer.writerows(rows)
        job = import_create(
            path=path, file_name=path.name, kind=ImportJob.Kind.OBSERVATIONS, indicator=indicator
        )
        return import_run(job, path)


def indicators_demo_load(result) -> None:
    """Prices, indicators, their example values and targets; a second run changes nothing."""
    if not PricePoint.objects.exists():
        job = import_create(
            path=PRICES_FILE, file_name=PRICES_FILE.name, kind=ImportJob.Kind.PRICES
        )
        import_run(job, PRICES_FILE)
        result.count("price imports")
    prices = annual_prices()
    commodities = {c.code: c for c in Commodity.objects.all()}
    owners = {
        o.slug: o for o in Organisation.objects.filter(slug__in={s.owner for s in INDICATORS})
    }
    for spec in INDICATORS:
        indicator, created = Indicator.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "definition": spec.definition,
                "unit": spec.unit,
                "dimension": spec.dimension,
                "desired_direction": spec.direction,
                "source_organisation": spec.source,
                "exposed_to": commodities.get(spec.exposed_to) if spec.exposed_to else None,
                "owner": owners[spec.owner],
                "is_example": True,
                "method": "Exempeldata: värdena är påhittade för demonstrationen.",
            },
        )
        if created:
            result.count("indicators")
        if not indicator.observations.exists():
            _import_rows(indicator, indicator_rows(spec, prices))
    for code, county, averaged, base_year, target_year, change in TARGETS:
        indicator = Indicator.objects.get(code=code)
        if Target.objects.filter(indicator=indicator, geo_level="county", geo_code=county).exists():
            continue
        base_values = [
            o.value
            for o in indicator.observations.filter(
                geo_code=county, period__gte=str(base_year)
            ).order_by("period")[:averaged]
        ]
        baseline = round(mean(base_values), 1)
        target_value = (
            ABSOLUTE_TARGETS.get(code) if change is None else round(baseline * (1 + change), 1)
        )
        Target.objects.create(
            indicator=indicator, geo_level="county", geo_code=county,
            baseline_year=base_year, baseline_value=baseline, baseline_years_averaged=averaged,
            target_year=target_year, target_value=target_value,
        )  # fmt: skip
        result.count("targets")
