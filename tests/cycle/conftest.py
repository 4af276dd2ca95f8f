"""A strategy of Region Västerbotten's partnership, frozen (so public), with two approved
initiatives (led by Skellefteå and Kiruna kommun) and one indicator owned by Skellefteå that
follows it up; the region's strategy editor, and a contributor of each municipality."""

import datetime
from dataclasses import dataclass

import pytest

from mineralstrategi.cycle import services
from mineralstrategi.cycle.models import today_in_stockholm
from mineralstrategi.implementation import services as implementation_services
from mineralstrategi.indicators.models import Indicator, IndicatorLink
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.implementation.conftest import initiative_input
from tests.strategy.conftest import build_tree, make_strategy


@dataclass
class Cycle:
    strategy: object
    editor: object
    skelleftea: object
    kiruna: object
    skelleftea_reporter: object
    kiruna_reporter: object
    own_initiative: object
    kiruna_initiative: object
    indicator: object


def entry(cycle, user=None, **fields):
    """An entry of the wheel through the service: by default an initiatives' period that opened
    a month ago and ends in ten days."""
    today = today_in_stockholm()
    data = {
        "kind": "period",
        "title": "Insatser, höst",
        "date": today - datetime.timedelta(days=30),
        "deadline": today + datetime.timedelta(days=10),
        "asks": "initiatives",
        "description": "",
    } | fields
    return services.entry_save(cycle.strategy, user=user or cycle.editor, data=data)


def late_period(cycle):
    """An opened initiatives' period whose deadline was yesterday."""
    today = today_in_stockholm()
    period = entry(cycle, deadline=today - datetime.timedelta(days=1), title="Vår")
    services.period_open(period, user=cycle.editor)
    return period


@pytest.fixture
def cycle(region_vasterbotten, skelleftea, kiruna, make_member) -> Cycle:
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    strategy = make_strategy(region_vasterbotten)
    sections = build_tree(strategy_services.strategy_draft(strategy), editor)
    strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    skelleftea_reporter = make_member(skelleftea, Role.CONTRIBUTOR, username="skelleftea")
    kiruna_reporter = make_member(kiruna, Role.CONTRIBUTOR, username="kiruna")
    today = today_in_stockholm()
    period = {
        "start_date": today - datetime.timedelta(days=400),
        "end_date": today + datetime.timedelta(days=400),
    }

    def initiative(organisation, user, title):
        made = implementation_services.initiative_create(
            strategy=strategy,
            organisation=organisation,
            user=user,
            data=initiative_input([sections[1].key], title=title, **period),
        )
        implementation_services.initiative_approve(made, user=editor)
        return made

    indicator = Indicator.objects.create(
        code="gruv-sysselsatta",
        name="Sysselsatta i gruvnäringen",
        definition="Antal sysselsatta.",
        unit="personer",
        dimension="economic",
        desired_direction="increase",
        source_organisation="SCB",
        owner=skelleftea,
    )
    IndicatorLink.objects.create(
        indicator=indicator, strategy=strategy, section_key=sections[1].key
    )
    return Cycle(
        strategy=strategy,
        editor=editor,
        skelleftea=skelleftea,
        kiruna=kiruna,
        skelleftea_reporter=skelleftea_reporter,
        kiruna_reporter=kiruna_reporter,
        own_initiative=initiative(skelleftea, skelleftea_reporter, "Lokala leverantörer"),
        kiruna_initiative=initiative(kiruna, kiruna_reporter, "Stadsflytten"),
        indicator=indicator,
    )


def fan_out_all() -> None:
    """What the worker does with the events recorded: make their notifications."""
    from mineralstrategi.notifications.models import Event
    from mineralstrategi.notifications.services import fan_out

    for pk in Event.objects.filter(fanned_out_at__isnull=True).values_list("pk", flat=True):
        fan_out(pk)
