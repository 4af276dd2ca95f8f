"""Loads the Norrbotten–Västerbotten demo data set. Idempotent: a second run changes nothing."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from mineralstrategi.organisations.models import ContactPerson, County, Organisation
from mineralstrategi.organisations.services import (
    geography_load,
    membership_grant,
    organisation_create,
    organisation_numbers_load,
)

from . import organisations as data
from .accounts import two_step_demo_load
from .consultation import consultation_demo_load
from .cycle import cycle_demo_load, yearly_report_demo_load
from .followup import followup_demo_load
from .implementation import implementation_demo_load
from .indicators import indicators_demo_load
from .portal import PORTAL_LOGIN, portal_demo_load
from .strategy import strategy_demo_load


@dataclass
class DemoLoadResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _organisation(key: str) -> Organisation:
    """An organisation by slug, or a municipality's organisation by its four-digit code."""
    if key.isdigit():
        return Organisation.objects.get(municipality__code=key)
    return Organisation.objects.get(slug=key)


@transaction.atomic
def demo_load() -> DemoLoadResult:
    result = DemoLoadResult()
    geography = geography_load()
    if geography.changed:
        result.created["geography"] = geography.counties_created + geography.municipalities_created
    counties = {county.code: county for county in County.objects.all()}
    existing = set(Organisation.objects.values_list("slug", flat=True))
    for slug, name, kind, county_code, helix_role, website in data.ORGANISATIONS:
        if slug not in existing:
            organisation_create(
                slug=slug,
                name=name,
                kind=kind,
                county=counties.get(county_code),
                helix_role=helix_role,
                website=website,
            )
            result.count("organisations")
    # The demo's agencies and universities, by their registered names (data/ATTRIBUTION.md).
    organisation_numbers_load()

    for key, name, title, phone, email, press, public in data.CONTACTS:
        _, created = ContactPerson.objects.get_or_create(
            organisation=_organisation(key),
            name=name,
            defaults={
                "title": title,
                "phone": phone,
                "email": email,
                "is_press_contact": press,
                "is_public": public,
                "is_example": True,
            },
        )
        if created:
            result.count("contacts")

    user_model = get_user_model()
    for username, first_name, last_name, superuser, _, memberships in data.USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@mineralstrategi.example",
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            result.count("users")
        for key, role in memberships:
            membership_grant(user=user, organisation=_organisation(key), role=role)
    for what, count in strategy_demo_load().items():
        result.created[what] = result.created.get(what, 0) + count
    for what, count in consultation_demo_load().items():
        result.created[what] = result.created.get(what, 0) + count
    indicators_demo_load(result)
    implementation_demo_load(result)
    portal_demo_load(result)
    followup_demo_load(result)
    cycle_demo_load(result)
    yearly_report_demo_load(result)
    two_step_demo_load(result)
    return result


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what the login may do) for the start-up message."""
    logins = [(user[0], data.DEMO_PASSWORD, user[4]) for user in data.USERS]
    return [*logins, (PORTAL_LOGIN[0], data.DEMO_PASSWORD, PORTAL_LOGIN[1])]


def demo_first_steps(base_url: str) -> list[str]:
    """Three things to try first, as lines for the start-up message: read the strategy and its
    follow-up, answer the remiss as a municipality, run the year's follow-up as its editor."""
    from django.urls import reverse
    from django.utils import translation

    from .strategy import SLUG

    with translation.override("sv"):
        strategy = reverse("strategy:detail", args=[SLUG])
        followup = reverse("reports:dashboard", args=[SLUG])
        remiss = reverse("consultation:list")
        wheel = reverse("cycle:wheel", args=[SLUG])
    return [
        f"1. Read the strategy and its follow-up: {base_url}{strategy} and {base_url}{followup}",
        f"2. Answer the remiss as a municipality: log in as skelleftea, then {base_url}{remiss}",
        f"3. Run the year's follow-up as its editor: log in as redaktor, then {base_url}{wheel}",
    ]
