"""One scene for the whole-platform permission matrix: a strategy of Skellefteå kommun's
partnership with a frozen version, an open consultation round with Skellefteå and Kiruna as
consultees, an indicator Skellefteå maintains, an initiative Skellefteå leads, and the portal's
news, event and comments. "Own" roles are held in Skellefteå; "other organisation" is Kiruna."""

import datetime
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.consultation.models import today_in_stockholm
from mineralstrategi.implementation import services as implementation_services
from mineralstrategi.indicators import services as indicator_services
from mineralstrategi.indicators.models import ImportJob, Indicator
from mineralstrategi.organisations.models import Organisation, Role
from mineralstrategi.organisations.services import api_token_create, geography_load
from mineralstrategi.portal import services as portal_services
from mineralstrategi.portal.rules import EDITORS_GROUP, MODERATORS_GROUP
from mineralstrategi.portal.services import CommentTarget
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.models import Framework, FrameworkItem, FrameworkKind
from tests.conftest import fresh, member_create
from tests.implementation.conftest import initiative_input
from tests.strategy.conftest import build_tree, make_strategy

PASSWORD = "a-long-test-password"

CSV_BYTES = b"geo,period,value\n2482,2023,1200\n2482,2024,1250\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def csv_upload(name: str = "sysselsatta.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, CSV_BYTES, content_type="text/csv")


@dataclass
class Scene:
    own: Organisation
    other: Organisation
    editor: object
    officer: object
    contributor: object
    other_officer: object
    portal_editor: object
    strategy: object
    frozen: object
    sections: dict
    round: object
    own_consultee: object
    other_consultee: object
    indicator: Indicator
    initiative: object
    import_job: ImportJob
    article: object
    draft_article: object
    event: object
    comment: object


def _staff(username: str, *groups: str):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, email=f"{username}@example.se"
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def _round(scene_frozen, editor, own, other):
    today = today_in_stockholm()
    round_ = consultation_services.round_create(
        version=scene_frozen,
        user=editor,
        title="Remiss av teststrategin",
        registry_number="RV 2025/17",
        opens_on=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=30),
        instructions="Svara per avsnitt.",
        contact_name="Anna Lindqvist",
        contact_email="anna@example.org",
    )
    consultation_services.consultee_add(round_, user=editor, organisation=own)
    consultation_services.consultee_add(round_, user=editor, organisation=other)
    consultation_services.consultation_send(round_, user=editor)
    round_.refresh_from_db()
    return round_


def _portal(portal_editor, own):
    article = portal_services.article_save(
        user=portal_editor,
        title="Strategin är ute på remiss",
        lead="Ingress.",
        body_markdown="Brödtext.",
        status="published",
        published_at=timezone.now() - timedelta(hours=1),
        organisation=own,
    )
    draft_article = portal_services.article_save(
        user=portal_editor, title="Ej publicerad nyhet", body_markdown="Hemlig text."
    )
    starts = timezone.now() + timedelta(days=10)
    event = portal_services.event_save(
        user=portal_editor,
        title="Slutseminarium",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        place="Skellefteå",
        capacity=20,
        status="published",
        published_at=timezone.now() - timedelta(days=1),
        organisation=own,
    )
    comment = portal_services.comment_submit(
        CommentTarget(article=article),
        name="Eva",
        email="eva@example.se",
        body="En synpunkt på nyheten.",
        ip="192.0.2.1",
    )
    cache.clear()
    return article, draft_article, event, comment


def _sdg_target_8_2() -> None:
    """The one reference-framework item the matrices link to and edit. Loading every framework
    (`frameworks_load`, hundreds of items with their history) for each of the matrices' scenes
    cost about a minute of the suite on PostgreSQL."""
    sdg = Framework.objects.create(
        code="sdg",
        name="Agenda 2030: de globala målen för hållbar utveckling",
        kind=FrameworkKind.GLOBAL,
    )
    FrameworkItem.objects.create(
        framework=sdg,
        code="8.2",
        title_sv="Högre produktivitet genom diversifiering, teknik och innovation",
    )


@pytest.fixture(scope="module")
def scene_built(module_rows) -> Scene:
    """The scene's rows, written once for each test module that uses them (`module_rows`)."""
    return module_rows(_scene_build)


@pytest.fixture
def scene(db, scene_built) -> Scene:
    return fresh(scene_built)


def _scene_build() -> Scene:
    geography_load()
    skelleftea = Organisation.objects.get(municipality__code="2482")
    kiruna = Organisation.objects.get(municipality__code="2584")
    editor = member_create(skelleftea, Role.STRATEGY_EDITOR, "editor")
    _sdg_target_8_2()
    strategy = make_strategy(skelleftea)
    build_tree(strategy_services.strategy_draft(strategy), editor)
    frozen = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = _round(frozen, editor, skelleftea, kiruna)
    contributor = member_create(skelleftea, Role.CONTRIBUTOR, "contributor")
    draft_sections = list(strategy_services.strategy_draft(strategy).sections.all())
    initiative = implementation_services.initiative_create(
        strategy=strategy,
        organisation=skelleftea,
        user=contributor,
        data=initiative_input([draft_sections[1].key], title="Ej godkänd insats"),
    )
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
    import_job = indicator_services.import_create(
        stored_file=indicator_services.import_store_upload(csv_upload()),
        file_name="sysselsatta.csv",
        kind=ImportJob.Kind.OBSERVATIONS,
        indicator=indicator,
        format=None,
        user=editor,
    )
    api_token_create(user=editor, name="Redaktörens nyckel")
    portal_editor = _staff("portalstaff", EDITORS_GROUP, MODERATORS_GROUP)
    article, draft_article, event, comment = _portal(portal_editor, skelleftea)
    return Scene(
        own=skelleftea,
        other=kiruna,
        editor=editor,
        officer=member_create(skelleftea, Role.CONSULTATION_OFFICER, "officer"),
        contributor=contributor,
        other_officer=member_create(kiruna, Role.CONSULTATION_OFFICER, "kirunaofficer"),
        portal_editor=portal_editor,
        strategy=strategy,
        frozen=frozen,
        sections={s.title: s for s in frozen.sections.all()},
        round=round_,
        own_consultee=round_.consultees.get(organisation=skelleftea),
        other_consultee=round_.consultees.get(organisation=kiruna),
        indicator=indicator,
        initiative=initiative,
        import_job=import_job,
        article=article,
        draft_article=draft_article,
        event=event,
        comment=comment,
    )


ROLES = [
    "anonymous",
    "registered",
    "other_organisation",
    "viewer",
    "contributor",
    "consultation_officer",
    "strategy_editor",
    "organisation_administrator",
    "portal_staff",
    "superuser",
]


def user_for(role: str, scene: Scene, make_member):
    """The user acting in the role (None for an anonymous visitor).

    - registered: an account without any membership (a public commenter who signed up).
    - other_organisation: Kiruna kommun's member with every role there (the strongest outsider).
    - viewer … organisation_administrator: Skellefteå kommun's members with that one role
      (Skellefteå is the strategy's partner, a consultee, the initiative's lead and the
      indicator's owner). The scene's own editor, officer and contributor are reused.
    - portal_staff: staff in the groups "Portal editors" and "Portal moderators", no membership.
    - superuser.
    """
    if role == "anonymous":
        return None
    if role == "registered":
        return get_user_model().objects.create_user("registered", password=PASSWORD)
    if role == "other_organisation":
        user = make_member(scene.other, Role.ADMINISTRATOR, username="outsider")
        for extra in (Role.STRATEGY_EDITOR, Role.CONSULTATION_OFFICER, Role.CONTRIBUTOR):
            from mineralstrategi.organisations.services import membership_grant

            membership_grant(user=user, organisation=scene.other, role=extra)
        return user
    if role == "viewer":
        return make_member(scene.own, Role.VIEWER, username="viewer")
    if role == "contributor":
        return scene.contributor
    if role == "consultation_officer":
        return scene.officer
    if role == "strategy_editor":
        return scene.editor
    if role == "organisation_administrator":
        return make_member(scene.own, Role.ADMINISTRATOR, username="orgadmin")
    if role == "portal_staff":
        return scene.portal_editor
    if role == "superuser":
        return get_user_model().objects.create_superuser("root", "root@example.se", PASSWORD)
    raise ValueError(role)
