"""The demo's follow-up: which indicators follow up which directions and goals of the demo
strategy. Idempotent: existing links are left as they are."""

from mineralstrategi.indicators.models import Indicator
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


def followup_demo_load(result) -> None:
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
