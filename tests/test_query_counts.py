"""Every list page and every API list runs the same number of queries with 3 items as with 30.

One table per kind (``PAGES`` by route name, ``API`` by operation path) holds a row per list: how to build its data at a given size, who looks at
it, and the number of queries it runs (recorded here, so that a change shows in review). Each row
runs at two sizes and must hit the same number at both: the count does not grow with the data,
which is what keeps pages fast at national scale (290 municipalities × 300 indicators, 5,000
initiatives, 50,000 comments).

So that no list is forgotten, ``test_every_route_is_classified`` walks the URL resolver and the
API's operations and fails for any named page or API GET operation that is neither in the table
nor in the commented exclusion lists below.

Each measured request runs after one unmeasured warm-up request, with the cache emptied before
both and the public page cache off, so the figures count the database work of building the page,
not what a cache saves.

The queries are Django's own on either database (nothing here depends on the engine), so CI
counts them once, on SQLite (marker `matrix`).
"""

import datetime
import itertools
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from mineralstrategi.accounts.models import JoinRequest, OrganisationApplication
from mineralstrategi.api.api import api
from mineralstrategi.caching.until_a_write import forget_everything
from mineralstrategi.cluster.models import Site
from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.consultation.models import today_in_stockholm
from mineralstrategi.cycle.models import WheelEntry
from mineralstrategi.implementation.models import (
    ActionPlan,
    FundingSource,
    Initiative,
    InitiativeSection,
    ModerationDecision,
    ProgressUpdate,
)
from mineralstrategi.indicators.models import (
    Commodity,
    ImportJob,
    Indicator,
    IndicatorLink,
    Observation,
    PricePoint,
    Target,
)
from mineralstrategi.organisations.models import (
    ApiToken,
    ContactPerson,
    County,
    Municipality,
    Organisation,
    Role,
)
from mineralstrategi.organisations.services import geography_load, membership_grant
from mineralstrategi.portal import services as portal_services
from mineralstrategi.portal.models import Comment, Event, EventRegistration, NewsArticle
from mineralstrategi.portal.rules import EDITORS_GROUP, MODERATORS_GROUP
from mineralstrategi.reports.models import AdoptedReport
from mineralstrategi.services import with_history_user
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.models import Framework, FrameworkItem, SectionLink, Strategy
from tests.conftest import fresh, member_create
from tests.strategy.conftest import adopt as adopt_version
from tests.strategy.conftest import build_tree, make_strategy

pytestmark = pytest.mark.matrix  # counted once in CI, on SQLite (the docstring)

SIZES = (3, 30)


def adopt_years(strategy, n: int) -> None:
    """n adopted yearly reports of the strategy (1900 on: before any year with data)."""
    for year in range(1900, 1900 + n):
        AdoptedReport.objects.get_or_create(
            strategy=strategy, year=year,
            defaults={"state": AdoptedReport.State.ADOPTED, "body": f"Regionstyrelsen {year}",
                      "decided_on": datetime.date(year + 1, 4, 1), "reference": f"RS § {year}",
                      "adopted_at": timezone.now(), "content_html": "<p>Fryst</p>", "pdf_status": AdoptedReport.PdfStatus.DONE,
                      "pdf_file": f"reports/adopted/{year}.pdf"},
        )  # fmt: skip


numbers = itertools.count(1)


def unique(prefix: str) -> str:
    """A fresh, URL-safe name: the builders run twice in a test and must not collide."""
    return f"{prefix}-{next(numbers)}"


# --- The world every list is built in ------------------------------------------------------------


class World:
    """The objects the lists hang off, each made on first use (a test pays only for what its
    list needs)."""

    def make_member(self, organisation: Organisation, role: str, username: str | None = None):
        return member_create(organisation, role, username or unique("medlem"))

    @cached_property
    def region(self) -> Organisation:
        from mineralstrategi.organisations.services import organisation_create

        return organisation_create(
            name="Region Västerbotten",
            kind="region",
            county=County.objects.get(code="24"),
        )

    @cached_property
    def admin(self):
        """A superuser: reads the audit trail."""
        return get_user_model().objects.create_superuser("qc-admin", "qc-admin@example.org", "x")

    @cached_property
    def editor(self):
        """A strategy editor of the partnership: owns strategies and consultation rounds."""
        return self.make_member(self.region, Role.STRATEGY_EDITOR, username="qc-editor")

    @cached_property
    def officer_organisation(self) -> Organisation:
        """The municipality that answers consultations in these tests."""
        return organisations_elsewhere(1)[0]

    @cached_property
    def officer(self):
        """Its consultation officer: writes its answers."""
        return self.make_member(
            self.officer_organisation, Role.CONSULTATION_OFFICER, username="qc-officer"
        )

    @cached_property
    def staff(self):
        """Portal editor and moderator."""
        user = get_user_model().objects.create_user(
            username="qc-staff", password="a-long-test-password", is_staff=True
        )
        for name in (EDITORS_GROUP, MODERATORS_GROUP):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        return user

    @cached_property
    def frameworks(self) -> int:
        """The reference frameworks (SDGs, RUS, …), loaded once; their number."""
        strategy_services.frameworks_load()
        return Framework.objects.count()

    def strategy(self, *, directions: int = 2, adopt: bool = True, links: bool = False):
        """A strategy over Norrbotten and Västerbotten, `directions` directions with a goal and
        an action each, frozen as version 1 (adopted unless told) and with a working draft."""
        assert self.frameworks
        strategy = make_strategy(
            self.region, title=f"Strategi {next(numbers)}", slug=unique("strategi"), start_year=2015
        )
        made = build_tree(strategy_services.strategy_draft(strategy), self.editor, directions)
        if links:
            items = list(FrameworkItem.objects.order_by("pk")[:5])
            for n, section in enumerate(made):
                strategy_services.section_link_add(
                    section, user=self.editor, item_id=items[n % len(items)].pk
                )
        version = strategy_services.version_freeze(strategy, user=self.editor, label="Version 1")
        if adopt:
            adopt_version(version, self.editor)
        strategy.refresh_from_db()
        return strategy

    @cached_property
    def main(self) -> Strategy:
        return self.strategy()

    def version(self, strategy):
        return strategy.versions.filter(number__isnull=False).order_by("-number").first()

    def round(self, strategy=None, *, consultees=None, answered: bool = False):
        """An open consultation round on the strategy's version 1 with these consultees; each
        answers (two section comments) and submits when `answered`."""
        strategy = strategy or self.main
        today = today_in_stockholm()
        round_ = consultation_services.round_create(
            version=self.version(strategy),
            user=self.editor,
            title=unique("Remiss"),
            registry_number=unique("RV 2025"),
            opens_on=today - datetime.timedelta(days=1),
            deadline=today + datetime.timedelta(days=30),
            instructions="Svara per avsnitt.",
            contact_name="Anna",
            contact_email="anna@example.org",
        )
        for organisation in consultees or organisations_elsewhere(1):
            consultation_services.consultee_add(round_, user=self.editor, organisation=organisation)
        consultation_services.consultation_send(round_, user=self.editor)
        round_.refresh_from_db()
        if answered:
            sections = list(self.version(strategy).sections.order_by("position", "pk")[:2])
            for consultee in round_.consultees.select_related("organisation"):
                officer = self.make_member(consultee.organisation, Role.CONSULTATION_OFFICER)
                answer = consultation_services.answer_save_draft(
                    consultee,
                    user=officer,
                    position="support_with_changes",
                    comment="Vi stöder strategin.",
                    section_comments={
                        sections[0].pk: ("support", "Bra.", ""),
                        sections[1].pk: ("propose", "Förtydliga.", "Ny lydelse."),
                    },
                )
                consultation_services.answer_submit(answer, user=officer)
        return round_

    @cached_property
    def indicator(self) -> Indicator:
        return make_indicators(self, 1)[0]

    @cached_property
    def commodity(self) -> Commodity:
        return make_commodities(1, months=12)[0]

    @cached_property
    def article(self) -> NewsArticle:
        return make_articles(self, 1)[0]


def organisations_elsewhere(n: int) -> list[Organisation]:
    """n municipal organisations (the geography has 290)."""
    return list(Organisation.objects.filter(municipality__isnull=False).order_by("pk")[:n])


# --- Builders: n items of a kind -----------------------------------------------------------------


def make_organisations(n: int, county_code: str = "25") -> list[Organisation]:
    county = County.objects.get(code=county_code)
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"Företag {next(numbers)}",
            slug=unique("foretag"),
            kind="company",
            county=county,
            helix_role="industry",
        )
        for _ in range(n)
    )


def make_municipalities(n: int) -> None:
    county = County.objects.get(code="25")
    first = Municipality.objects.filter(code__startswith="9").count()
    Municipality.objects.bulk_create(
        Municipality(code=f"9{k:03d}", name=f"Kommun {k}", short_name=f"K{k}", county=county)
        for k in range(first, first + n)
    )


def make_contacts(organisation: Organisation, n: int) -> None:
    ContactPerson.objects.bulk_create(
        ContactPerson(
            organisation=organisation,
            name=f"Kontakt {k}",
            email=f"k{k}@example.org",
            is_public=True,
            is_press_contact=k % 2 == 0,
        )
        for k in range(n)
    )


def make_indicators(world: World, n: int, *, places: int = 3, years: int = 5) -> list[Indicator]:
    """n indicators, each observed in `places` municipalities of Västerbotten and in the county
    for `years` years, with a target in the county."""
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=unique("ind"),
            name=f"Indikator {k}",
            definition="Antal.",
            unit="personer",
            dimension="economic",
            desired_direction="increase",
            source_organisation="SCB",
            owner=world.region,
        )
        for k in range(n)
    )
    for indicator in indicators:
        observe(indicator, places=places, years=years)
    Target.objects.bulk_create(
        Target(
            indicator=indicator,
            geo_level="county",
            geo_code="24",
            baseline_year=2015,
            baseline_value=100,
            target_year=2030,
            target_value=150,
        )
        for indicator in indicators
    )
    return indicators


def observe(indicator: Indicator, *, places: int, years: int) -> None:
    codes = list(
        Municipality.objects.filter(county__code="24").order_by("code").values_list("code", flat=1)
    )[:places]
    rows = [("county", "24")] + [("municipality", code) for code in codes]
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            geo_level=level,
            geo_code=code,
            period=str(2015 + year),
            value=100 + year * 3 + k,
        )
        for k, (level, code) in enumerate(rows)
        for year in range(years)
    )


def make_commodities(n: int, *, months: int = 12) -> list[Commodity]:
    commodities = Commodity.objects.bulk_create(
        Commodity(code=unique("metall"), name=f"Metall {k}", unit="USD/mt") for k in range(n)
    )
    PricePoint.objects.bulk_create(
        PricePoint(
            commodity=commodity,
            month=f"{2000 + m // 12}-{m % 12 + 1:02d}",
            value=1000 + m,
        )
        for commodity in commodities
        for m in range(months)
    )
    return commodities


def make_initiatives(strategy, n: int, *, plan: ActionPlan | None = None) -> list[Initiative]:
    """n approved initiatives of the strategy, each serving a section, with funding, two
    partners, a municipality and a progress update."""
    version = strategy.adopted_version or strategy.versions.exclude(number=None).first()
    servable = list(version.sections.filter(kind__in=["direction", "goal", "action"]))
    organisations = organisations_elsewhere(12)
    municipalities = list(Municipality.objects.filter(county__code__in=["24", "25"]))
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            strategy=strategy,
            title=f"Insats {k}",
            description="Exempel",
            lead_organisation=organisations[k % 12],
            start_date=datetime.date(2016 + k % 5, 1, 1),
            end_date=datetime.date(2027 + k % 3, 12, 31),
            budget=Decimal(1000 * (k % 7 + 1)),
            status="ongoing",
            progress=k % 101,
            partners_wanted="Forskare" if k % 5 == 0 else "",
            approved_at=now,
        )
        for k in range(n)
    )
    InitiativeSection.objects.bulk_create(
        InitiativeSection(initiative=i, section_key=servable[k % len(servable)].key)
        for k, i in enumerate(initiatives)
    )
    FundingSource.objects.bulk_create(
        FundingSource(initiative=i, kind="own_funds", amount=i.budget) for i in initiatives
    )
    Initiative.partners.through.objects.bulk_create(
        Initiative.partners.through(initiative=i, organisation=organisations[(k + j) % 12])
        for k, i in enumerate(initiatives)
        for j in (1, 5)
    )
    Initiative.municipalities.through.objects.bulk_create(
        Initiative.municipalities.through(initiative=i, municipality=municipalities[k % 29])
        for k, i in enumerate(initiatives)
    )
    if plan is not None:
        plan.initiatives.add(*initiatives)
    return initiatives


def initiative_with_updates(strategy, n: int) -> Initiative:
    """One initiative of the strategy with n progress updates."""
    initiative = make_initiatives(strategy, 1)[0]
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            initiative=initiative,
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=k),
            progress=k,
            text=f"Läge {k}",
        )
        for k in range(n)
    )
    return initiative


def make_sites(n: int) -> None:
    organisations = organisations_elsewhere(12)
    municipalities = list(Municipality.objects.filter(county__code__in=["24", "25"]))
    Site.objects.bulk_create(
        Site(
            name=f"Plats {k}",
            slug=unique("plats"),
            kind="mine",
            status="operating",
            municipality=municipalities[k % 29],
            operator=organisations[k % 12],
            latitude=66.0,
            longitude=20.0,
        )
        for k in range(n)
    )


def make_articles(world: World, n: int, *, status: str = "published") -> list[NewsArticle]:
    """n articles through the service (tags, contacts and a press contact each)."""
    if not world.region.contacts.exists():
        make_contacts(world.region, 2)
    contacts = list(world.region.contacts.all())
    return [
        portal_services.article_save(
            user=world.staff,
            title=f"Nyhet om gruvor {k}",
            lead="Ingress.",
            body_markdown="Text om **gruvor**.",
            status=status,
            published_at=timezone.now() - datetime.timedelta(hours=k + 1),
            author_name="Redaktionen",
            organisation=world.region,
            tags=f"gruvor, tagg{k}",
            contacts=contacts,
            press_contact=contacts[0],
        )
        for k in range(n)
    ]


def make_events(world: World, n: int, *, status: str = "published") -> list[Event]:
    events = []
    for k in range(n):
        starts = timezone.now() + datetime.timedelta(days=k + 1)
        events.append(
            portal_services.event_save(
                user=world.staff,
                title=f"Seminarium om gruvor {k}",
                lead="Om strategin.",
                programme_markdown="- 10.00 Välkommen",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                place="Skellefteå",
                address="Stadshuset",
                capacity=100,
                status=status,
                published_at=timezone.now() - datetime.timedelta(days=1),
                organisation=world.region,
            )
        )
    return events


def make_comments(n: int, *, status: str = "published", email: str = "", **target) -> None:
    Comment.objects.bulk_create(
        Comment(
            name=f"Kommentator {k}",
            email=email or f"c{k}@example.org",
            body="En kommentar.",
            status=status,
            open_reports=1 if status == "published" and k % 3 == 0 else 0,
            **target,
        )
        for k in range(n)
    )


# --- The table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    build: Callable[[World, int], str]  # builds the data at a size, returns the URL to read
    queries: int  # the number of queries the URL runs, at every size
    login: str | None = None  # the World attribute naming the user who reads it
    grows: bool = True  # False where the larger list shows no more bytes (said why)


def page_cases() -> dict[str, Case]:
    """Pages, by route name."""

    def rev(name, *args, **kwargs):
        return reverse(name, args=args, kwargs=kwargs)

    def strategy_page(name):
        def build(w, n):
            return rev(name, slug=w.strategy(directions=n, links=True).slug)

        return build

    def version_page(w, n):
        strategy = w.strategy(directions=n, links=True)
        return rev("strategy:version", slug=strategy.slug, number=1)

    def compare(w, n):
        strategy = two_versions(w, n)
        return rev("strategy:compare", slug=strategy.slug) + "?from=1&to=2"

    def section_history(w, n):
        strategy = w.main
        draft = strategy_services.strategy_draft(strategy)
        section = draft.sections.filter(kind="direction").order_by("position", "pk").first()
        for k in range(n):
            section = strategy_services.section_update(
                section,
                user=w.editor,
                title=f"Inriktning 1 ({k})",
                body_markdown=f"Text {k}.",
                expected_revision=section.revision,
            )
        return rev("strategy:section_history", slug=strategy.slug, pk=section.pk)

    def section_edit(w, n):
        strategy = w.strategy(directions=n, links=True)
        section = strategy_services.strategy_draft(strategy).sections.get(title="Inriktning 1")
        for k in range(n):
            strategy_services.section_comment_add(section, user=w.editor, body=f"Kommentar {k}")
        return rev("strategy:section_edit", slug=strategy.slug, pk=section.pk)

    def frameworks(w, n):
        assert w.frameworks
        for k in range(n):
            framework = Framework.objects.create(
                code=unique("ramverk"), name=f"Ramverk {k}", kind="sdg", position=100 + k
            )
            FrameworkItem.objects.create(
                framework=framework, code="1", title_sv="Punkt", position=1
            )
        return rev("strategy:framework_list")

    def framework(w, n):
        assert w.frameworks
        framework = Framework.objects.create(
            code=unique("ramverk"), name="Ramverk", kind="sdg", position=100
        )
        items = FrameworkItem.objects.bulk_create(
            FrameworkItem(framework=framework, code=str(k), title_sv=f"Punkt {k}", position=k)
            for k in range(n)
        )
        sections = list(w.version(w.main).sections.all())
        SectionLink.objects.bulk_create(
            SectionLink(section=sections[k % len(sections)], item=item)
            for k, item in enumerate(items)
        )
        return rev("strategy:framework", code=framework.code)

    def kept_framework(w, n):
        """A framework of the editors' region with n items, the odd ones under the one before."""
        framework = Framework.objects.create(
            code=unique("ramverk"), name="Ramverk", kind="regional", owner=w.region, position=100
        )
        items = FrameworkItem.objects.bulk_create(
            FrameworkItem(framework=framework, code=str(k), title_sv=f"Punkt {k}", position=k)
            for k in range(n)
        )
        for child, parent in zip(items[1::2], items[::2], strict=False):
            child.parent = parent
        FrameworkItem.objects.bulk_update(items, ["parent"])
        return framework

    def framework_edit(w, n):
        return rev("strategy:framework_edit", code=kept_framework(w, n).code)

    def framework_delete(w, n):
        return rev("strategy:framework_delete", code=kept_framework(w, n).code)

    def framework_item_edit(w, n):
        framework = kept_framework(w, n)
        return rev(
            "strategy:framework_item_edit", code=framework.code, pk=framework.items.first().pk
        )

    def strategies(w, n):
        for _ in range(n):
            w.strategy(directions=1, adopt=_ % 2 == 0)
        return rev("strategy:list")

    def county_list(w, n):
        make_municipalities(n)
        return rev("organisations:county_list")

    def county(w, n):
        make_organisations(n)
        return rev("organisations:county", code="25")

    def municipality(w, n):
        make_contacts(Organisation.objects.get(municipality__code="2482"), n)
        return rev("organisations:municipality", code="2482")

    def organisation(w, n):
        make_contacts(w.region, n)
        return rev("organisations:organisation", slug=w.region.slug)

    def organisation_list(w, n):
        make_organisations(n)
        return rev("organisations:organisation_list")

    def members(w, n):
        for _ in range(n):
            w.make_member(w.region, Role.CONTRIBUTOR, username=unique("medlem"))
        return rev("organisations:members", slug=w.region.slug)

    def my_organisations(w, n):
        for organisation in make_organisations(n):
            membership_grant(user=w.editor, organisation=organisation, role=Role.VIEWER)
        return rev("organisations:my_organisations")

    def notification_list(w, n):
        from mineralstrategi.notifications.models import Event, Notification

        for k in range(n):
            event = Event.objects.create(
                kind="round_sent", params={"round": f"Remiss {k}", "strategy": "Strategin"}
            )
            Notification.objects.create(user=w.editor, event=event)
        return rev("notifications:list")

    def notification_settings(w, n):
        from mineralstrategi.notifications.services import follow

        for organisation in make_organisations(n):
            follow(w.editor, organisation)
        return rev("notifications:settings")

    def api_keys(w, n):
        ApiToken.objects.bulk_create(
            ApiToken(user=w.editor, name=f"Nyckel {k}", prefix=uuid.uuid4().hex[:12], key_hash="x")
            for k in range(n)
        )
        return rev("organisations:api_keys")

    def onboarding(w, n):
        """The editor's memberships, join requests and applications (and every organisation, in
        the join form's list)."""
        asked = Organisation.objects.filter(join_requests__person=w.editor)
        for organisation in Organisation.objects.exclude(pk__in=asked).order_by("pk")[:n]:
            JoinRequest.objects.create(person=w.editor, organisation=organisation)
            OrganisationApplication.objects.create(
                applicant=w.editor, name=f"{organisation.name} AB", kind="company",
                organisation_number="556036-0793",
            )  # fmt: skip
        return rev("accounts:onboarding")

    def decisions(w, n):
        """What waits for a superuser: requests to join the region, applications."""
        for k in range(n):
            person = get_user_model().objects.create_user(unique("newcomer"))
            JoinRequest.objects.create(person=person, organisation=w.region, message=f"Hej {k}")
            OrganisationApplication.objects.create(
                applicant=person, name=unique("Bolaget"), kind="company",
                organisation_number="556036-0793", municipality=None,
            )  # fmt: skip
        return rev("accounts:requests")

    def audit_log(w, n):
        """One person's records, made, changed (each diffed against the one before) and named by
        their relations (an indicator's link to a strategy). The page shows one person's, so that
        at both sizes it holds the same kinds of record (a kind costs its queries once)."""
        if "auditee" not in w.__dict__:
            w.auditee = w.make_member(w.region, Role.STRATEGY_EDITOR, username="qc-auditee")
        section = strategy_services.strategy_draft(w.main).sections.order_by("pk").first()
        for k in range(n):  # one at a time: each save leaves a history record
            indicator = Indicator(
                code=unique("audit"), name=f"Granskad {k}", definition="Antal.", unit="st",
                dimension="economic", source_organisation="SCB", owner=w.region,
            )  # fmt: skip
            with_history_user(indicator, w.auditee).save()
            link = IndicatorLink(indicator=indicator, strategy=w.main, section_key=section.key)
            with_history_user(link, w.auditee).save()
            for author in (w.auditee, w.editor):  # each of the person's edits changes the
                section = strategy_services.section_update(  # last editor: a name to read
                    section, user=author, title=f"Granskad rubrik {k}",
                    body_markdown=section.body_markdown, expected_revision=section.revision,
                )  # fmt: skip
        return rev("audit:log") + "?user=qc-auditee"

    def indicator_list(w, n):
        make_indicators(w, n)
        return rev("indicators:list")

    def indicator_detail(w, n):
        indicator = make_indicators(w, 1, places=n, years=6)[0]
        return rev("indicators:detail", code=indicator.code)

    def targets(w, n):
        indicator = make_indicators(w, 1)[0]
        codes = Municipality.objects.order_by("code").values_list("code", flat=True)[:n]
        Target.objects.bulk_create(
            Target(indicator=indicator, geo_level="municipality", geo_code=code,
                   baseline_year=2015, baseline_value=1, target_year=2030, target_value=2)
            for code in codes
        )  # fmt: skip
        return rev("indicators:targets", code=indicator.code)

    def indicator_links(w, n):
        indicator = make_indicators(w, 1)[0]
        strategy = w.strategy(directions=n)
        sections = strategy_services.strategy_draft(strategy).sections.filter(kind="direction")
        IndicatorLink.objects.bulk_create(
            IndicatorLink(indicator=indicator, strategy=strategy, section_key=section.key)
            for section in sections
        )
        return rev("indicators:links", code=indicator.code)

    def commodity_list(w, n):
        make_commodities(n)
        return rev("indicators:commodity_list")

    def commodity(w, n):
        return rev("indicators:commodity", code=make_commodities(1, months=12 * n)[0].code)

    def imports(w, n):
        ImportJob.objects.bulk_create(
            ImportJob(
                kind="observations",
                indicator=w.indicator,
                file_name=f"fil{k}.csv",
                sha256=uuid.uuid4().hex,
                status="done",
                started_by=w.editor,
            )
            for k in range(n)
        )
        return rev("indicators:import")

    def implementation_home(w, n):
        for _ in range(n):
            w.strategy(directions=1)
        return rev("implementation:home")

    def initiatives(name):
        def build(w, n):
            make_initiatives(w.main, n)
            return rev(name, slug=w.main.slug)

        return build

    def contribute_direction(w, n):
        make_initiatives(w.main, n)
        direction = w.version(w.main).sections.filter(kind="direction").first()
        return rev("implementation:contribute_direction", slug=w.main.slug, key=direction.key)

    def action_plans(w, n):
        plan = ActionPlan.objects.create(
            strategy=w.main, title="Handlingsplan", first_year=2016, last_year=2030
        )
        make_initiatives(w.main, n, plan=plan)
        return rev("implementation:action_plans", slug=w.main.slug) + f"?plan={plan.pk}"

    def moderation_queue(w, n):
        """n initiatives awaiting approval, each registered by someone, once returned for
        changes and submitted again: the queue with each one's latest decision and form."""
        initiatives = make_initiatives(w.main, n)
        Initiative.objects.filter(pk__in=[i.pk for i in initiatives]).update(
            approved_at=None, moderation="pending", created_by=w.editor
        )
        ModerationDecision.objects.bulk_create(
            ModerationDecision(initiative=i, decision=decision, reason=reason, decided_by=w.editor)
            for i in initiatives
            for decision, reason in (("returned", "Komplettera."), ("resubmitted", ""))
        )
        return rev("implementation:moderation", slug=w.main.slug)

    def initiative_detail(w, n):
        initiative = initiative_with_updates(w.main, n)
        return rev("implementation:initiative", slug=w.main.slug, pk=initiative.pk)

    def sites(w, n):
        make_sites(n)
        return rev("cluster:sites")

    def network(w, n):
        make_initiatives(w.main, n)
        return rev("cluster:network")

    def rounds(w, n):
        for _ in range(n):
            w.round()
        return rev("consultation:list")

    def round_page(name, answered=False):
        def build(w, n):
            round_ = w.round(consultees=organisations_elsewhere(n), answered=answered)
            return rev(name, pk=round_.pk)

        return build

    def public_round_page(name):
        def build(w, n):
            """A round open to the public with n published comments (each decided on) spread
            over the sections, and n waiting for moderation."""
            round_ = w.round()
            consultation_services.round_public_set(round_, user=w.editor, is_public=True)
            sections = list(w.version(w.main).sections.order_by("position", "pk"))
            for i in range(2 * n):
                comment = consultation_services.public_comment_submit(
                    round_, section=sections[i % len(sections)], user=None, name=f"Person {i}",
                    email=f"person{i}@example.se", body=f"Synpunkt {i}.", ip=f"198.51.100.{i}",
                )  # fmt: skip
                comment = consultation_services.public_comment_confirm(
                    consultation_services.public_comment_token(comment)
                )
                if i % 2:
                    continue
                consultation_services.public_comment_moderate(
                    comment, user=w.editor, action="publish"
                )
                consultation_services.disposition_record(
                    comment, user=w.editor, decision="noted", reason="Noterat."
                )
            return rev(name, pk=round_.pk)

        return build

    def answer_page(name):
        return lambda w, n: answer_form(w, n, name)

    def answer_form(w, n, name="consultation:answer"):
        """The officer's answer form (or its summary) on a strategy of 1 + 3n sections (10 or
        91), with a draft that answers every section, and a submitted revision it corrects."""
        strategy = w.strategy(directions=n, adopt=False)
        round_ = w.round(strategy, consultees=[w.officer_organisation])
        consultee = round_.consultees.get()
        sections = w.version(strategy).sections.all()
        answer = consultation_services.answer_save_draft(
            consultee,
            user=w.officer,
            position="support",
            section_comments={s.pk: ("support", f"Om {s.title}.", "") for s in sections},
        )
        consultation_services.answer_submit(answer, user=w.officer)
        consultation_services.answer_correct(consultee, user=w.officer)
        return rev(name, pk=round_.pk, consultee=consultee.pk)

    def dashboard(name):
        def build(w, n):
            link_indicators(w, n)
            return rev(name, slug=w.main.slug)

        return build

    def yearly_reports(w, n):
        link_indicators(w, n)
        adopt_years(w.main, n)
        return rev("reports:report", slug=w.main.slug)

    def wheel(w, n):
        strategy = w.strategy(directions=1)
        year = today_in_stockholm().year
        for k in range(n):
            WheelEntry.objects.create(
                strategy=strategy,
                kind="review",
                title=unique("Genomgång"),
                date=datetime.date(year, 1 + k % 12, 1 + k % 28),
            )
        return rev("cycle:wheel", slug=strategy.slug)

    def wheel_overview(w, n):
        from mineralstrategi.cycle import services as cycle_services

        strategy = w.strategy(directions=1)
        reporter = w.make_member(w.region, Role.CONTRIBUTOR)
        for _ in range(n):
            indicator = Indicator.objects.create(
                code=unique("ind"), name="Indikator", definition="-", unit="st",
                dimension="economic", desired_direction="increase", source_organisation="SCB",
                owner=w.region,
            )  # fmt: skip
            IndicatorLink.objects.create(
                indicator=indicator, strategy=strategy, section_key=uuid.uuid4()
            )
        today = today_in_stockholm()
        period = cycle_services.entry_save(
            strategy,
            user=w.editor,
            data={
                "kind": "period", "title": "Helår", "date": today - datetime.timedelta(days=30),
                "deadline": today - datetime.timedelta(days=1), "asks": "indicators",
                "description": "",
            },
        )  # fmt: skip
        reports = cycle_services.period_open(period, user=w.editor)
        for report in reports[::2]:
            cycle_services.report_submit(
                report,
                user=reporter,
                data={"progress_status": "on_track", "progress": 50, "done": "Klart.",
                      "risks": "", "next_steps": "", "figures": ""},
            )  # fmt: skip
        for report in reports[1::2]:
            cycle_services.owner_remind(report, user=w.editor)
        return rev("cycle:overview", slug=strategy.slug, pk=period.pk)

    def wheel_lights(w, n):
        """The lights of a period of n indicators, half reported, each linked to a section."""
        rev_overview = wheel_overview(w, n)
        period = WheelEntry.objects.get(pk=int(rev_overview.rstrip("/").rsplit("/", 1)[1]))
        return rev("cycle:lights", slug=period.strategy.slug, pk=period.pk)

    def news(w, n):
        make_articles(w, n)
        return rev("portal:news_list")

    def news_feed(w, n):
        make_articles(w, n)
        return rev("portal:news_feed")

    def consultation_feed(w, n):
        for _ in range(n):
            w.round()
        return rev("portal:consultation_feed")

    def article(w, n):
        make_comments(n, article=w.article)
        return rev("portal:article", slug=w.article.slug)

    def events(w, n):
        make_events(w, n)
        return rev("portal:event_list")

    def event(w, n):
        event = make_events(w, 1)[0]
        EventRegistration.objects.bulk_create(
            EventRegistration(
                event=event, name=f"Deltagare {k}", email=f"d{k}@example.org", status="confirmed"
            )
            for k in range(n)
        )
        return rev("portal:event", slug=event.slug)

    def event_edit(w, n):
        rev_name = event(w, n)
        slug = rev_name.rstrip("/").rsplit("/", 1)[-1]
        return rev("portal:event_edit", pk=Event.objects.get(slug=slug).pk)

    def section_comments(w, n):
        section = w.version(w.main).sections.get(title="Inriktning 1")
        make_comments(n, strategy=w.main, section_key=section.key)
        return rev("portal:section_comments", slug=w.main.slug, key=section.key)

    def my_comments(w, n):
        make_comments(n, email="jag@example.org", article=w.article)
        token = portal_services.commenter_token("jag@example.org")
        return rev("portal:my_comments", token=token)

    def search(w, n):
        make_articles(w, n)
        make_events(w, n)
        return rev("portal:search") + "?q=gruvor"

    def editor_overview(w, n):
        make_articles(w, n, status="draft")
        make_articles(w, n)
        make_events(w, n, status="draft")
        make_events(w, n)
        return rev("portal:editor")

    def moderation(w, n):
        make_comments(n, status="pending", article=w.article)
        make_comments(n, article=w.article)
        return rev("portal:moderation")

    def home(w, n):
        make_articles(w, n)
        make_events(w, n)
        make_organisations(n)
        return rev("portal:home")

    return {
        # Every page for a person logged in: one query more, the unread notifications (the bell);
        # a page with a follow button: what the person may follow and whether they do.
        # organisations
        # A count per county: more municipalities change a figure, not the page's length.
        "organisations:county_list": Case(county_list, 1, grows=False),
        "organisations:county": Case(county, 3),
        "organisations:municipality": Case(municipality, 7),
        "organisations:organisation_list": Case(organisation_list, 1),
        "organisations:organisation": Case(organisation, 6),
        "organisations:api_keys": Case(api_keys, 5, login="editor"),
        "organisations:members": Case(members, 7, login="admin"),
        "organisations:my_organisations": Case(my_organisations, 5, login="editor"),
        # notifications
        "notifications:list": Case(notification_list, 6, login="editor"),
        "notifications:settings": Case(notification_settings, 7, login="editor"),
        # accounts
        "accounts:onboarding": Case(onboarding, 11, login="editor"),
        "accounts:requests": Case(decisions, 6, login="admin"),
        # One query per audited model, and one per model whose objects' names the page shows;
        # bounded by the models (the world's frameworks, people and region add some), not the rows.
        # Then the strategies of the filter, the records before the changed ones (one per model),
        # and the relations that name the objects (an indicator's link: the indicator, the
        # strategy), each once for the page.
        # 46 before the cycle's three models; one more each for moderation decisions, adopted
        # reports, the comments of a yearly report's review, frameworks and their items
        "audit:log": Case(audit_log, 54, login="admin"),
        # strategy
        "strategy:list": Case(strategies, 3),
        "strategy:detail": Case(strategy_page("strategy:detail"), 6),
        "strategy:draft": Case(strategy_page("strategy:draft"), 10, login="editor"),
        "strategy:section_edit": Case(section_edit, 14, login="editor"),
        "strategy:section_history": Case(
            section_history, 14, login="editor"
        ),  # and the wordings carried in
        "strategy:version": Case(version_page, 6),
        "strategy:compare": Case(compare, 9),  # and the proposed wordings carried in
        "strategy:traceability": Case(strategy_page("strategy:traceability"), 8),
        "strategy:framework_list": Case(frameworks, 1),
        # the framework, its items, and the sections linking: the strategies, their partnerships
        # and versions (which version each reader sees), the links
        "strategy:framework": Case(framework, 6),
        # the session, the user, the roles, the bell; the framework, its items with their links
        # and sub-items counted (and the item changed)
        "strategy:framework_edit": Case(framework_edit, 6, login="editor"),
        "strategy:framework_item_edit": Case(framework_item_edit, 7, login="editor"),
        # the confirmation: the login's and the bell's queries, the framework, its items and the
        # sections linking to them counted; the same at any number of items
        "strategy:framework_delete": Case(framework_delete, 7, login="editor"),
        # indicators
        "indicators:list": Case(indicator_list, 1),
        "indicators:detail": Case(indicator_detail, 6),
        # the maintainer's page: the session, the user, their roles, the indicator, the names of
        # the counties and municipalities (for the rows and the choice of place), the targets
        "indicators:targets": Case(targets, 8, login="editor"),
        # the strategies the editor edits (and their partnerships), their drafts' sections, the
        # links and the sections they name
        "indicators:links": Case(indicator_links, 12, login="editor"),
        "indicators:commodity_list": Case(commodity_list, 1),
        "indicators:commodity": Case(commodity, 2),
        # + the organisations the editor may create indicators for
        "indicators:import": Case(imports, 10, login="editor"),
        # implementation
        "implementation:home": Case(implementation_home, 1),
        "implementation:rollup": Case(initiatives("implementation:rollup"), 10),
        "implementation:initiative_list": Case(initiatives("implementation:initiative_list"), 11),
        # 12 before its lights in the reporting periods (one query when it was never asked)
        "implementation:initiative": Case(initiative_detail, 13),
        "implementation:moderation": Case(moderation_queue, 9, login="editor"),
        "implementation:action_plans": Case(action_plans, 10),
        "implementation:contribute": Case(initiatives("implementation:contribute"), 10),
        "implementation:contribute_direction": Case(contribute_direction, 9),
        # cluster
        "cluster:sites": Case(sites, 4),
        "cluster:network": Case(network, 3),
        # consultation
        "consultation:list": Case(rounds, 1),
        "consultation:detail": Case(round_page("consultation:detail"), 12, login="editor"),
        # + every consultee's mail deliveries (one prefetch)
        "consultation:progress": Case(round_page("consultation:progress"), 10, login="editor"),
        "consultation:answers": Case(round_page("consultation:answers", answered=True), 8),
        # The form of one consultee's answer: every section of the version, every revision.
        "consultation:answer": Case(answer_form, 12, login="officer"),
        "consultation:answer_review": Case(
            answer_page("consultation:answer_review"), 12, login="officer"
        ),
        "consultation:handling": Case(
            round_page("consultation:handling", answered=True), 15, login="editor"
        ),
        "consultation:compilation": Case(
            round_page("consultation:compilation", answered=True), 14, login="editor"
        ),
        # The consulted text with every section's published public comments, as its handler sees
        # it (with the count waiting for moderation); the moderation list.
        "consultation:public": Case(public_round_page("consultation:public"), 10, login="editor"),
        "consultation:moderation": Case(
            public_round_page("consultation:moderation"), 9, login="editor"
        ),
        # reports
        "reports:dashboard": Case(dashboard("reports:dashboard"), 16),  # 15 before the lights
        # the adopted reports (one query) and the year's draft as an editor reads it (14 as the
        # public read the live report before it was a draft; + the session, the user, the roles,
        # the partnership, the adopted reports; the year's review with its comments, one more)
        "reports:report": Case(yearly_reports, 20, login="editor"),
        # cycle: the wheel's entries; who has reported, with each report's reminders and the
        # notifications each made (one prefetch)
        "cycle:wheel": Case(wheel, 5),
        "cycle:overview": Case(wheel_overview, 11, login="editor"),
        # the lights: periods, reports, indicators with targets, observations, the sections
        "cycle:lights": Case(wheel_lights, 16, login="editor"),
        # portal
        "portal:home": Case(home, 6),
        "portal:news_list": Case(news, 3),
        "portal:news_feed": Case(news_feed, 2),
        "portal:consultation_feed": Case(consultation_feed, 1),
        "portal:article": Case(article, 4),
        "portal:event_list": Case(events, 2),
        "portal:event": Case(event, 1),
        "portal:event_edit": Case(event_edit, 9, login="staff"),
        "portal:section_comments": Case(section_comments, 6),
        "portal:my_comments": Case(my_comments, 1),
        "portal:search": Case(search, 14),  # 4 of them count the address's new searches
        "portal:editor": Case(editor_overview, 10, login="staff"),
        "portal:moderation": Case(moderation, 8, login="staff"),
    }


def two_versions(world: World, n: int) -> Strategy:
    """A strategy of n directions frozen twice, every goal reworded in version 2."""
    strategy = world.strategy(directions=n, links=True)
    draft = strategy_services.strategy_draft(strategy)
    for section in draft.sections.filter(kind="goal"):
        strategy_services.section_update(
            section,
            user=world.editor,
            title=section.title + " ändrad",
            body_markdown="Ny text.",
            expected_revision=section.revision,
        )
    strategy_services.version_freeze(strategy, user=world.editor, label="Version 2")
    return strategy


def link_indicators(world: World, n: int) -> None:
    """n indicators linked to the main strategy's directions (the follow-up reads them)."""
    strategy = world.main
    directions = list(world.version(strategy).sections.filter(kind__in=["direction", "goal"]))
    indicators = make_indicators(world, n, places=2, years=8)
    IndicatorLink.objects.bulk_create(
        IndicatorLink(
            indicator=indicator, strategy=strategy, section_key=directions[k % len(directions)].key
        )
        for k, indicator in enumerate(indicators)
    )


def api_cases() -> dict[str, Case]:
    """API GET operations, by their path under /api/."""

    def strategies(w, n):
        for _ in range(n):
            w.strategy(directions=1, adopt=_ % 2 == 0)
        return "/api/strategies"

    def versions(w, n):
        strategy = w.main
        for k in range(n):
            strategy_services.version_freeze(strategy, user=w.editor, label=f"V{k}")
        return f"/api/strategies/{strategy.pk}/versions"

    def version(w, n):
        return f"/api/strategies/{w.strategy(directions=n, links=True).pk}/versions/1"

    def diff(w, n):
        strategy = two_versions(w, n)
        return f"/api/strategies/{strategy.pk}/diff?from=1&to=2"

    def frameworks(w, n):
        assert w.frameworks
        for k in range(n):
            framework = Framework.objects.create(
                code=unique("ramverk"), name=f"Ramverk {k}", kind="sdg", position=100 + k
            )
            FrameworkItem.objects.create(
                framework=framework, code="1", title_sv="Punkt", position=1
            )
        return "/api/frameworks"

    def counties(w, n):
        make_municipalities(n)
        return "/api/counties"

    def municipalities(w, n):
        make_municipalities(n)
        return "/api/municipalities"

    def organisations(w, n):
        make_organisations(n)
        return "/api/organisations?kind=company"  # the 290 municipalities fill a page of 100

    def organisation(w, n):
        make_contacts(w.region, n)
        return f"/api/organisations/{w.region.pk}"

    def indicators(w, n):
        make_indicators(w, n)
        return "/api/indicators"

    def observations(w, n):
        return f"/api/indicators/{make_indicators(w, 1, places=n)[0].code}/observations"

    def jsonstat(w, n):
        return f"/api/indicators/{make_indicators(w, 1, places=n)[0].code}/jsonstat"

    def status(w, n):
        return f"/api/indicators/{make_indicators(w, 1, places=n, years=6)[0].code}/status"

    def analysis(w, n):
        indicator = make_indicators(w, 1, places=2, years=n)[0]
        return f"/api/indicators/{indicator.code}/analysis?geo=24"

    def commodities(w, n):
        make_commodities(n)
        return "/api/commodities"

    def prices(w, n):
        return f"/api/commodities/{make_commodities(1, months=12 * n)[0].code}/prices"

    def initiatives(w, n):
        make_initiatives(w.main, n)
        return "/api/initiatives"

    def initiative(w, n):
        initiative = initiative_with_updates(w.main, n)
        return f"/api/initiatives/{initiative.pk}"

    def action_plans(w, n):
        for k in range(n):
            plan = ActionPlan.objects.create(
                strategy=w.main, title=f"Plan {k}", first_year=2016, last_year=2030
            )
            make_initiatives(w.main, 2, plan=plan)
        return "/api/action-plans"

    def sites(w, n):
        make_sites(n)
        return "/api/sites"

    def network(w, n):
        make_initiatives(w.main, n)
        return "/api/network"

    def news(w, n):
        make_articles(w, n)
        return "/api/news"

    def events(w, n):
        make_events(w, n)
        return "/api/events"

    def search(w, n):
        make_articles(w, n)
        make_events(w, n)
        return "/api/search?q=gruvor"

    def consultations(w, n):
        for _ in range(n):
            w.round()
        return "/api/consultations"

    def consultation(name):
        def build(w, n):
            round_ = w.round(consultees=organisations_elsewhere(n), answered=True)
            consultation_services.round_status_set(round_, user=w.editor, status="closed")
            return f"/api/consultations/{round_.pk}{name}"

        return build

    def followup(w, n):
        link_indicators(w, n)
        return f"/api/strategies/{w.main.pk}/followup"

    def adopted_reports(w, n):
        adopt_years(w.main, n)
        return f"/api/strategies/{w.main.pk}/adopted-reports"

    return {
        "/counties": Case(counties, 1, grows=False),  # a count per county, as on the page
        "/municipalities": Case(municipalities, 1),
        "/organisations": Case(organisations, 2),
        "/organisations/{organisation_id}": Case(organisation, 2),
        "/strategies": Case(strategies, 3),
        "/strategies/{strategy_id}/versions": Case(versions, 4),
        "/strategies/{strategy_id}/versions/{number}": Case(version, 6),
        "/strategies/{strategy_id}/diff": Case(diff, 8),
        "/frameworks": Case(frameworks, 3),
        "/indicators": Case(indicators, 1),
        "/indicators/{code}/observations": Case(observations, 2),
        # the indicator, the names of the places (counties, municipalities), the observations
        "/indicators/{code}/jsonstat": Case(jsonstat, 4),
        "/indicators/{code}/status": Case(status, 5),
        "/indicators/{code}/analysis": Case(analysis, 5),
        "/commodities": Case(commodities, 1),
        "/commodities/{code}/prices": Case(prices, 2),
        "/initiatives": Case(initiatives, 9),
        "/initiatives/{initiative_id}": Case(initiative, 11),
        "/action-plans": Case(action_plans, 1),
        "/sites": Case(sites, 1),
        "/network": Case(network, 3),
        "/news": Case(news, 3),
        "/events": Case(events, 2),
        "/search": Case(search, 14),  # 4 of them count the address's new searches
        "/consultations": Case(consultations, 1),
        "/consultations/{round_id}": Case(consultation(""), 4),
        # + the version's sections (the comments in document order)
        "/consultations/{round_id}/answers": Case(consultation("/answers"), 7),
        "/consultations/{round_id}/compilation": Case(consultation("/compilation"), 10),
        "/strategies/{strategy_id}/followup": Case(followup, 14),
        "/strategies/{strategy_id}/adopted-reports": Case(adopted_reports, 5),
    }


PAGES = page_cases()
API = api_cases()

# --- What is not a list, and why ------------------------------------------------------------------

NOT_LIST_PAGES = {
    # Infrastructure, not pages of ours; fixed texts that read nothing from the database.
    "favicon", "portal:privacy", "portal:accessibility", "portal:cookies",
    # The handbook: files MkDocs built, read from disk.
    "help:handbook", "help:page",
    "healthz", "set_language", "login", "logout", "password_change", "password_change_done",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
    # The second step of logging in: forms about one's own device and backup codes.
    "accounts:otp_setup", "accounts:otp_enrol", "accounts:otp_verify", "accounts:backup_codes",
    # Sign-up: a form, a fixed text, the verification link's one sign-up; writes that redirect.
    "accounts:signup", "accounts:signup_sent", "accounts:verify", "accounts:join_request",
    "accounts:application_create", "accounts:join_request_decide", "accounts:application_decide",
    # Writes (POST only, or a form that shows one object) and redirects.
    "strategy:setup",  # its choices: the 21 counties and the organisations, one query each
    "strategy:section_create", "strategy:freeze", "strategy:section_comment",
    "strategy:section_link", "strategy:version_adopt",
    "strategy:framework_create",  # its choice: the organisations the editor may add one for
    "strategy:framework_item_add", "strategy:framework_items_paste",
    "strategy:framework_item_move", "strategy:framework_item_delete",
    "consultation:create", "consultation:action", "consultation:my_answer", "consultation:decline",
    "consultation:attachment_delete", "consultation:meeting_create", "consultation:extend",
    "consultation:meeting_edit", "consultation:meeting_minutes", "consultation:meeting_cancel",
    "consultation:meeting_delete", "consultation:meeting_register",
    "consultation:meeting_person",
    "consultation:disposition", "consultation:apply", "consultation:consultee_address",
    "consultation:reinvite", "consultation:bounce", "consultation:public_comment",
    "consultation:public_confirm", "consultation:moderate", "consultation:public_disposition",
    "consultation:outcome_disposition",
    "implementation:initiative_create", "implementation:initiative_edit",
    "implementation:initiative_approve", "implementation:progress_update",
    "implementation:initiative_moderate", "implementation:initiative_resubmit",
    "implementation:weighting",
    "indicators:import_preview", "indicators:import_confirm",
    # A form about one target (its choice of place: the counties and municipalities, one query
    # each), and the confirmations of a removal.
    "indicators:target_edit", "indicators:target_delete", "indicators:link_delete",
    "portal:article_create", "portal:article_edit", "portal:event_create", "portal:moderate",
    "portal:comment_report", "portal:my_comments_request", "portal:registration_cancel",
    "reports:report_request",
    "cycle:entry_create", "cycle:entry_edit", "cycle:open", "cycle:remind",
    # One owner's report for one period (its form).
    "cycle:report",
    "organisations:member_role", "organisations:member_remove", "organisations:invitation_revoke",
    "organisations:invitation_resend",
    "notifications:follow", "notifications:mark_read", "notifications:unsubscribe",
    # An invitation's page: one invitation, by its secret.
    "organisations:invitation",
    # Files: one object's bytes (PDF, image, iCal, attachment, the report when ready).
    "strategy:published",  # a redirect to the adopted version (strategy:version)
    "strategy:version_pdf", "consultation:attachment", "consultation:compilation_pdf",
    "portal:article_image", "portal:event_ical", "reports:status", "reports:download",
    "reports:adopted_pdf",
    # An adopted yearly report: one row, its content frozen HTML; its adoption's form.
    "reports:adopted", "reports:adopt",
    # The review of a year's draft: its opening and one comment (writes that answer a redirect).
    "reports:review_open", "reports:review_comment",
    "cycle:ical",  # every entry of one strategy's wheel: a file, not a page
    # One object whose lists are bounded by the object: an import job's report (its rows are
    # in a JSON field of the job).
    "indicators:import_detail",
    # A samråd's page: its people and outcomes are the meeting's, read in a fixed number of
    # queries (prefetched).
    "consultation:meeting",
}  # fmt: skip

NOT_LIST_API = {
    # One object, no list inside that grows with the data.
    "/strategies/{strategy_id}",
    "/imports/{import_id}",
    "/indicators/{code}",  # its observations and statuses are the lists below
    "/strategies/{strategy_id}/adopted-reports/{year}",  # one report, its content frozen HTML
}


# --- The tests -----------------------------------------------------------------------------------


def _world_build() -> World:
    """The geography and the people and frameworks most lists need (the rest is made on use)."""
    geography_load()
    world = World()
    for shared in ("region", "admin", "editor", "officer", "staff", "frameworks"):
        getattr(world, shared)
    return world


@pytest.fixture(scope="module")
def world_built(module_rows) -> World:
    return module_rows(_world_build)


@pytest.fixture
def world(db, world_built, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Off: the public page cache (where there is one) would answer the measured request from the
    # warm-up's render; these tests count the work of building the page, not what a cache saves.
    settings.PUBLIC_CACHE_SECONDS = 0
    return fresh(world_built)


def measured(client, path: str) -> tuple[int, int, int]:
    """(status, queries, bytes) of a GET after a warm-up GET, each with an empty cache and
    nothing kept until a write (the work after every write is what is counted)."""
    cache.clear()
    client.get(path)
    cache.clear()
    forget_everything()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries), len(response.content)


def record(size: int, status: int, queries: int, length: int) -> None:
    """With QUERY_COUNTS_RECORD=<file>, appends what each list measured (test, size, status,
    queries, bytes) to that file: the figures for the table when a page changes on purpose."""
    if target := os.environ.get("QUERY_COUNTS_RECORD"):
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].split(" ")[0]
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"{test} {size} {status} {queries} {length}\n")


def run_case(client, world: World, case: Case) -> None:
    """Builds the list small, reads it, builds it large, reads it again: same queries both
    times, the recorded number, and more to show the second time (the data is on the page)."""
    if case.login:
        client.force_login(getattr(world, case.login))
    seen = []
    for size in SIZES:
        path = case.build(world, size)
        status, queries, length = measured(client, path)
        record(size, status, queries, length)
        assert status == 200, path
        seen.append((size, queries, length))
    (_, small_queries, small_length), (_, large_queries, large_length) = seen
    assert small_queries == large_queries == case.queries, f"{path}: (size, queries) {seen}"
    if case.grows:
        assert large_length > small_length, f"{path} shows no more with more data: {seen}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_list_page_runs_a_fixed_number_of_queries(client, world, name):
    run_case(client, world, PAGES[name])


@pytest.mark.parametrize("operation", sorted(API))
def test_api_list_runs_a_fixed_number_of_queries(client, world, operation):
    run_case(client, world, API[operation])


def route_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue  # the admin is Django's; the API is walked by its operations below
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(":".join(filter(None, [namespace, pattern.name])))
    return names


def api_get_operations() -> set[str]:
    operations = set()
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            if any("GET" in operation.methods for operation in path_view.operations):
                operations.add("/" + path.lstrip("/"))
    return operations


def test_every_route_is_classified():
    """A new page or API list must get a row in the table above, or a reasoned exclusion."""
    pages = route_names(get_resolver().url_patterns)
    assert pages - set(PAGES) - NOT_LIST_PAGES == set(), "pages with no query-count row"
    assert set(PAGES) | NOT_LIST_PAGES <= pages, "rows for pages that do not exist"
    operations = api_get_operations()
    assert operations - set(API) - NOT_LIST_API == set(), "API lists with no query-count row"
    assert set(API) | NOT_LIST_API <= operations, "rows for API operations that do not exist"
