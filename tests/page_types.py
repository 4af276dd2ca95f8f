"""The page types of the site, each at an address taken from the demo's own rows: the one list
that the walks over every page type share (the language check in
tests/config/test_pages_speak_one_language.py, axe-core in tests/e2e/test_pages.py)."""

from mineralstrategi.consultation.models import ConsultationRound
from mineralstrategi.cycle.models import WheelEntry
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import Commodity, Indicator
from mineralstrategi.portal.models import Event, NewsArticle
from mineralstrategi.reports.models import AdoptedReport
from mineralstrategi.strategy.models import Strategy


def page_addresses() -> dict[str, str]:
    """Twenty-odd page types, each at an address taken from the demo's own rows."""
    strategy = Strategy.objects.filter(adopted_version__isnull=False).first()
    slug = strategy.slug
    version = strategy.adopted_version.number
    initiative = Initiative.objects.filter(strategy=strategy, approved_at__isnull=False).first()
    adopted = AdoptedReport.objects.filter(strategy=strategy, state="adopted").first()
    sent_round = ConsultationRound.objects.exclude(sent_at=None).order_by("pk").first()
    indicator = Indicator.objects.order_by("code").first()
    period = WheelEntry.objects.filter(strategy=strategy).exclude(opened_at=None).first()
    return {
        "home": "/",
        "strategy": f"/strategi/{slug}/",
        "version": f"/strategi/{slug}/version/{version}/",
        "comparison": f"/strategi/{slug}/jamfor/",
        "traceability": f"/strategi/{slug}/sparbarhet/",
        "frameworks": "/ramverk/",
        "roll-up": f"/genomforande/{slug}/",
        "initiatives": f"/genomforande/{slug}/insatser/",
        "initiative": initiative.get_absolute_url(),
        "contribute": f"/genomforande/{slug}/bidra/",
        "dashboard": f"/uppfoljning/{slug}/",
        "report": f"/uppfoljning/{slug}/rapport/",
        "adopted yearly report": f"/uppfoljning/{slug}/rapport/{adopted.year}/",
        "annual wheel": f"/uppfoljning/{slug}/arshjul/",
        "traffic lights": f"/uppfoljning/{slug}/arshjul/{period.pk}/lampor/",
        "indicators": "/indikatorer/",
        "indicator": f"/indikatorer/{indicator.code}/",
        "metal prices": "/metallpriser/",
        "metal": f"/metallpriser/{Commodity.objects.order_by('code').first().code}/",
        "sites": "/klustret/platser/",
        "network": "/klustret/natverk/",
        "counties": "/lan/",
        "organisations": "/organisationer/",
        "organisation": "/organisationer/region-vasterbotten/",
        "municipality": "/kommuner/2584/",
        "remiss rounds": "/remiss/",
        "remiss round": f"/remiss/{sent_round.pk}/",
        "compilation": f"/remiss/{sent_round.pk}/sammanstallning/",
        "news": "/nyheter/",
        "article": NewsArticle.objects.order_by("pk").first().get_absolute_url(),
        "events": "/evenemang/",
        "event": Event.objects.order_by("pk").first().get_absolute_url(),
        "search": "/sok/?q=gruva",
        "privacy": "/om/personuppgifter/",
        "accessibility": "/om/tillganglighet/",
    }
