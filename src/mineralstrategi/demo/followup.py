"""The demo's follow-up: which indicators follow up which directions and goals of the demo
strategy, and two targets (invented, example data) measured from the boom years 2010–2012, whose
verdicts change once the iron ore price cycle is removed. Idempotent."""

from statistics import mean

from mineralstrategi.indicators.models import Indicator, Target
from mineralstrategi.indicators.services import indicator_link_add
from mineralstrategi.strategy.models import Section, Strategy

from .strategy import SLUG, key_of

# section name (demo/strategy.py) -> indicator codes (demo/indicators.py)
LINKS = {
    "attraktiva": ["gruv-investeringar"],
    "attraktiva-mal-1": ["gruv-sysselsatta", "inpendling-andel"],
    "innovation-mal-1": ["fou-utgifter", "patentansokningar", "testbadd-projekt"],
    "innovation-mal-2": ["gruvavfall-ateranvandning"],
    "kompetens": ["arbetsolyckor"],
    "kompetens-mal-1": ["examinerade-mineral"],
    "kompetens-mal-2": ["kvinnor-andel"],
    "infrastruktur": ["leverantorer-omsattning", "undersokningstillstand"],
    "infrastruktur-mal-1": ["malmproduktion"],
    "infrastruktur-mal-2": ["energi-per-ton"],
    "miljo-mal-1": ["rennaring-samrad"],
    "miljo-mal-2": ["vattenprover-overskridanden", "co2-gruvindustri"],
}

# (indicator, county, base year, years averaged, target year, change from the base or None,
#  absolute target value or None)
CYCLE_TARGETS = [
    ("gruv-investeringar", "25", 2010, 3, 2030, 0.50, None),
    ("inpendling-andel", "25", 2010, 3, 2030, None, 8.0),
]


def _cycle_targets(result) -> None:
    for code, place, base_year, averaged, target_year, change, value in CYCLE_TARGETS:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None or indicator.targets.filter(geo_code=place).exists():
            continue
        base_values = [
            o.value
            for o in indicator.observations.filter(
                geo_level="county", geo_code=place, period__gte=str(base_year)
            ).order_by("period")[:averaged]
        ]
        if len(base_values) < averaged:
            continue
        baseline = round(mean(base_values), 1)
        Target.objects.create(
            indicator=indicator, geo_level="county", geo_code=place,
            baseline_year=base_year, baseline_value=baseline, baseline_years_averaged=averaged,
            target_year=target_year,
            target_value=value if change is None else round(baseline * (1 + change), 1),
        )  # fmt: skip
        result.count("targets")


def followup_demo_load(result) -> None:
    _cycle_targets(result)
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is None:
        return
    draft = strategy.versions.get(number__isnull=True)
    indicators = {i.code: i for i in Indicator.objects.all()}
    for name, codes in LINKS.items():
        section = Section.objects.select_related("version__strategy").get(
            version=draft, key=key_of(name)
        )
        for code in codes:
            if code in indicators:
                _, created = indicator_link_add(indicator=indicators[code], section=section)
                if created:
                    result.count("indicator links")
