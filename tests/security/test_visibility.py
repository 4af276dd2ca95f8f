"""Lists show exactly what detail pages allow: for every role and every private model, the list
selectors that pages and API lists use show the objects that `has_perm("<app>.view_<model>", obj)`
allows, no more and no fewer.

Private models are found by introspection: every model of ours that declares a read rule
(`visibility`, see `organisations.visibility`). `test_every_model_is_private_or_says_why_not`
fails for a new model until it declares one or is given a reason in NOT_PRIVATE;
`test_every_private_model_has_its_lists` fails until a private model has a row in LISTS.

A list is either PERSONAL (it shows what this user may read) or PUBLIC (it shows what everyone
may read, to everyone, as the news list and the API's answers do).
"""

import datetime
from dataclasses import dataclass

import pytest
import rules
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.consultation import selectors as consultation_selectors
from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.consultation.models import ConsultationRound, Consultee
from mineralstrategi.implementation import selectors as implementation_selectors
from mineralstrategi.implementation import services as implementation_services
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators import selectors as indicator_selectors
from mineralstrategi.indicators.models import ImportJob
from mineralstrategi.organisations import selectors as organisation_selectors
from mineralstrategi.organisations.models import (
    ContactPerson,
    Invitation,
    Membership,
    Reads,
    Role,
)
from mineralstrategi.organisations.services import api_token_create, membership_grant
from mineralstrategi.organisations.visibility import (
    SUPERUSER,
    private_models,
    view_permission,
)
from mineralstrategi.portal import selectors as portal_selectors
from mineralstrategi.portal import services as portal_services
from mineralstrategi.portal.models import Event, NewsArticle
from mineralstrategi.portal.services import CommentTarget
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.models import SectionComment, Strategy
from tests.implementation.conftest import initiative_input

from .conftest import ROLES, user_for
from .test_permission_matrix import (
    DRAFT_TEXT,
    _draft_section,
    _own_draft,
    _submitted_other_answer,
)

# Every model of ours that declares no read rule, and why it needs none.
NOT_PRIVATE = {
    "ops.tasklease": "the task workers' bookkeeping: no page, list or API reads it",
    "ops.scheduledjob": "the schedulers' bookkeeping: no page, list or API reads it",
    "organisations.county": "reference data, public",
    "printing.printeddocument": (
        "read only through the view of what it prints, after that view's own permission check"
    ),
    "organisations.municipality": "reference data, public",
    "organisations.organisation": "public",
    "indicators.commodity": "public",
    "indicators.indicator": "public, as are its observations, targets and links",
    "indicators.observation": "public",
    "indicators.target": "public",
    "indicators.pricepoint": "public",
    "indicators.indicatorlink": "public",
    "strategy.strategy": "public; its versions are private until frozen",
    "strategy.adoption": "public: the decision is published with the version it adopted",
    "strategy.section": "read with its version (strategy.view_section follows the version)",
    "strategy.sectionlink": "read with its section",
    "strategy.framework": "public",
    "strategy.frameworkitem": "public",
    "implementation.implementationsettings": "public (the roll-up's weighting)",
    "implementation.actionplan": "public",
    "implementation.initiativesection": "read with its initiative",
    "implementation.fundingsource": "read with its initiative",
    "implementation.milestone": "read with its initiative",
    "implementation.progressupdate": "read with its initiative",
    "consultation.consultee": "read with its round (the round's page lists them)",
    "consultation.answercomment": "read with its answer",
    "consultation.attachment": "read with its answer (the download checks the draft's rule)",
    "consultation.disposition": (
        "read in the compilation, whose gate is the round's: consultation.view_progress until "
        "the round closes, then everyone"
    ),
    "consultation.meeting": "read with its round (its page checks the round's rule)",
    "consultation.meetingperson": (
        "read with its meeting: the participants' names and organisations of a held meeting "
        "with its round; invitations, registrations and e-mail addresses only on the page of "
        "those who manage the round (consultation.manage_round)"
    ),
    "consultation.meetingoutcome": "read with its meeting",
    "consultation.publiccomment": (
        "published ones are public beside their section (selectors.public_page) and in the "
        "compilation; unconfirmed, pending and hidden ones, with the writer's e-mail, are read "
        "only on the moderation list, whose gate is consultation.manage_round"
    ),
    "consultation.delivery": (
        "read only on the round's progress page, whose gate is consultation.view_progress "
        "(recipients and mail errors are never public)"
    ),
    "cluster.site": "public (mines, plants and test beds on the map)",
    "cycle.wheelentry": (
        "read with its strategy (public once a version is frozen, else strategy.view_draft)"
    ),
    "cycle.periodreport": (
        "read on the period's overview, whose gate is cycle.view_overview (the strategy's "
        "editors), and one by one on the report's page, whose gate is cycle.view_report (the "
        "owner's members and the editors); who is late is never public"
    ),
    "cycle.reportreminder": "read with its report on the overview (cycle.view_overview)",
    "implementation.moderationdecision": (
        "read on its initiative's page only by those holding implementation.view_moderation "
        "on it (the partnership's strategy editors and the lead organisation's members); the "
        "editors' moderation page is gated by implementation.approve_initiative; never public"
    ),
    "reports.followupreport": (
        "the PDF of the year's live report, a draft: read by its token, by the partnership "
        "(strategy.view_draft)"
    ),
    "reports.adoptedreport": (
        "public with its strategy once adopted: the pages, the PDF and the API read adopted ones "
        "only (reports.selectors); a row under review holds no content"
    ),
    "reports.reviewcomment": (
        "the partnership's: read on the year's draft report with strategy.view_draft "
        "(views.report); never on a public page or in the API"
    ),
    "portal.tag": "public, shown with published articles (the admin's view is for editing)",
    "portal.searchdocument": (
        "never shown: the stored search vectors, read only by site_search through each kind's "
        "public queryset (portal/search.py)"
    ),
    "notifications.follow": "a person's own: read only through request.user (selectors)",
    "notifications.event": "never listed: read through a person's own notifications",
    "notifications.notification": "a person's own: read only through request.user (selectors)",
    "notifications.notificationsettings": "a person's own: read only through request.user",
    "accounts.signup": "never listed: read by its signed link or through request.user",
    "limits.ratewindow": "never shown: counters of the rate limits, keyed by fingerprints",
    "portal.commentreport": (
        "never shown: who reported a comment, as a fingerprint; moderators see the count "
        "(Comment.open_reports)"
    ),
    "accounts.joinrequest": (
        "the asker's own (own_join_requests) and its organisation's administrators' "
        "(join_requests_to_decide, accounts.rules): tests/accounts/test_onboarding.py"
    ),
    "accounts.organisationapplication": (
        "the applicant's own and the platform staff's (applications_to_decide, accounts.rules): "
        "tests/accounts/test_onboarding.py"
    ),
}


def our_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("mineralstrategi.")
        and not model.__name__.startswith("Historical")
    ]


def test_every_model_is_private_or_says_why_not():
    private = {model._meta.label_lower for model in private_models()}
    assert private, "no model declares a read rule"
    unclassified = {
        model._meta.label_lower for model in our_models() if model._meta.label_lower not in private
    } - NOT_PRIVATE.keys()
    assert not unclassified, f"declare a `visibility` or say why not in NOT_PRIVATE: {unclassified}"
    assert not private & NOT_PRIVATE.keys()
    assert NOT_PRIVATE.keys() <= {model._meta.label_lower for model in our_models()}


def test_every_role_has_a_row_of_reads():
    from mineralstrategi.organisations.models import ROLE_READS

    assert set(ROLE_READS) == set(Role)
    assert all(ROLE_READS[role] <= set(Reads) for role in Role)


# --- A world with objects on both sides of every rule ---------------------------------------------


@dataclass
class World:
    scene: object
    strategies: list
    organisations: list


def _answers(scene):
    _own_draft(scene)  # Skellefteå's draft
    submitted = _submitted_other_answer(scene)  # Kiruna's, public
    consultation_services.answer_correct(submitted.consultee, user=scene.other_officer)  # a draft
    consultation_services.round_create(  # planned: the partnership's work
        version=scene.frozen,
        user=scene.editor,
        title="Planerad remiss",
        registry_number="RV 2025/99",
        opens_on=scene.round.opens_on + datetime.timedelta(days=60),
        deadline=scene.round.deadline + datetime.timedelta(days=90),
        instructions="",
        contact_name="Anna Lindqvist",
        contact_email="anna@example.org",
    )


def _kiruna_strategy(scene, make_member):
    """A strategy of Kiruna's partnership alone: its draft and comments are not Skellefteå's."""
    editor = make_member(scene.other, Role.STRATEGY_EDITOR, username="kirunaeditor")
    strategy = strategy_services.strategy_create(
        title="Kirunas strategi", slug="kiruna", start_year=2025, end_year=2030,
        partnership=[scene.other],
    )  # fmt: skip
    section = strategy_services.section_create(
        version=strategy_services.strategy_draft(strategy), user=editor, kind="vision",
        title="Kirunas vision",
    )  # fmt: skip
    strategy_services.section_comment_add(section, user=editor, body="Kirunas anteckning.")
    strategy_services.section_comment_add(
        _draft_section(scene), user=scene.editor, body="Skellefteås anteckning."
    )
    return strategy


def _initiatives(scene, make_member):
    keys = [_draft_section(scene).key]
    approved = implementation_services.initiative_create(
        strategy=scene.strategy, organisation=scene.own, user=scene.contributor,
        data=initiative_input(keys, title="Godkänd insats"),
    )  # fmt: skip
    implementation_services.initiative_approve(approved, user=scene.editor)
    kiruna_contributor = make_member(scene.other, Role.CONTRIBUTOR, username="kirunacontributor")
    implementation_services.initiative_create(  # awaits the partnership's editors
        strategy=scene.strategy, organisation=scene.other, user=kiruna_contributor,
        data=initiative_input(keys, title="Kirunas insats"),
    )  # fmt: skip


def _contacts(scene):
    for organisation in (scene.own, scene.other):
        ContactPerson.objects.create(organisation=organisation, name="Publik", is_public=True)
        ContactPerson.objects.create(organisation=organisation, name="Intern", is_public=False)
        Invitation.objects.create(
            organisation=organisation,
            email=f"inbjuden@{organisation.slug}.example",
            role=Role.VIEWER,
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )


def _portal(scene):
    editor = scene.portal_editor
    portal_services.article_save(
        user=editor, title="Schemalagd", body_markdown="Sedan.", status="published",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    starts = timezone.now() + datetime.timedelta(days=20)
    portal_services.event_save(
        user=editor, title="Utkast till möte", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2), place="Luleå", capacity=5,
    )  # fmt: skip
    portal_services.event_register(scene.event, name="Eva", email="eva@example.se", ip="192.0.2.2")
    portal_services.comment_moderate(scene.comment, user=editor, action="approve")
    for body, action in (("Väntar.", None), ("Dold.", "hide")):
        comment = portal_services.comment_submit(
            CommentTarget(article=scene.article), name="Per", email="per@example.se", body=body,
            ip="192.0.2.3",
        )  # fmt: skip
        if action:
            portal_services.comment_moderate(comment, user=editor, action=action)


@pytest.fixture
def world(scene, make_member, settings) -> World:
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_MODERATION": "pre"}
    _answers(scene)
    kiruna = _kiruna_strategy(scene, make_member)
    _initiatives(scene, make_member)
    _contacts(scene)
    _portal(scene)
    return World(
        scene=scene, strategies=[scene.strategy, kiruna], organisations=[scene.own, scene.other]
    )


def _acting(role, world, make_member):
    """The role's user (fresh from the database, no roles cached), with a key and an import of
    its own, or an anonymous visitor."""
    user = user_for(role, world.scene, make_member)
    if user is None:
        return AnonymousUser()
    # As a verified session would (staff need a second factor for a key).
    api_token_create(user=user, name=f"Nyckel för {role}", second_factor=True)
    ImportJob.objects.create(
        kind=ImportJob.Kind.OBSERVATIONS, file_name=f"{role}.csv", sha256="0" * 64, started_by=user
    )
    return get_user_model().objects.get(pk=user.pk)


# --- The lists -----------------------------------------------------------------------------------

PERSONAL, PUBLIC = "personal", "public"


def _membership_changelist(user, world):
    request = RequestFactory().get("/admin/organisations/membership/")
    request.user = user
    return admin.site._registry[Membership].get_queryset(request)


def _organisation_pages_contacts(user, world):
    for organisation in world.organisations:
        found = organisation_selectors.organisation_with_contacts(
            {"pk": organisation.pk}, user=user
        )
        yield from found.visible_contacts


def _members_pages_invitations(user, world):
    """The invitations on the members pages the user may open (their administrators')."""
    for organisation in world.organisations:
        if user.has_perm("organisations.change_membership", organisation):
            yield from organisation_selectors.invitations_of(organisation)


def _api_versions(user, world):
    for strategy in world.strategies:
        yield from strategy_selectors.strategy_versions(
            strategy_selectors.strategy_get(pk=strategy.pk), user
        )


def _section_pages_comments(user, world):
    for comment in SectionComment.objects.select_related("section"):
        yield from strategy_selectors.section_comments(comment.section, user)


def _initiative_lists(user, world):
    for strategy in world.strategies:
        yield from implementation_selectors.initiative_queryset(strategy, user)


def _answer_pages(user, world):
    for consultee in Consultee.objects.select_related("organisation"):
        yield from consultation_selectors.answers_of(consultee, user)


def _public_answers(user, world):
    return consultation_selectors.submitted_answers(world.scene.round)


def _editor_overview_articles(user, world):
    return [*portal_selectors.article_list(), *portal_selectors.article_drafts(user)]


def _editor_overview_events(user, world):
    return [
        *portal_selectors.event_list(upcoming=True),
        *portal_selectors.event_list(upcoming=False),
        *portal_selectors.event_drafts(user),
    ]


def _public_events(user, world):
    return [
        *portal_selectors.event_list(upcoming=True),
        *portal_selectors.event_list(upcoming=False),
    ]


def _event_pages_registrations(user, world):
    for event in Event.objects.all():
        yield from portal_selectors.event_registrations(event, user)


def _article_comments(user, world):
    for article in NewsArticle.objects.all():
        yield from portal_selectors.article_comments(article)


def _moderation_page(user, world):
    return [
        *_article_comments(user, world),
        *portal_selectors.moderation_queue(user),
        *portal_selectors.recent_comments(user),
    ]


# Private model -> {list: (kind, the objects it shows to the user)}.
LISTS = {
    "organisations.membership": {"admin changelist": (PERSONAL, _membership_changelist)},
    "organisations.contactperson": {"organisation pages": (PERSONAL, _organisation_pages_contacts)},
    "organisations.invitation": {"members pages": (PERSONAL, _members_pages_invitations)},
    "organisations.apitoken": {
        "API keys page": (PERSONAL, lambda user, world: organisation_selectors.api_tokens_of(user))
    },
    "indicators.importjob": {
        "imports page and API": (
            PERSONAL,
            lambda user, world: indicator_selectors.import_jobs_for(user),
        )
    },
    "strategy.strategyversion": {"API versions": (PERSONAL, _api_versions)},
    "strategy.sectioncomment": {"section pages": (PERSONAL, _section_pages_comments)},
    "implementation.initiative": {
        "initiative list (page, API)": (PERSONAL, _initiative_lists),
        "API list across strategies": (
            PERSONAL,
            lambda user, world: implementation_selectors.initiatives_across(
                Strategy.objects.all(), user, implementation_selectors.InitiativeFilter()
            ),
        ),
    },
    "consultation.consultationround": {
        "round list (page, API)": (
            PERSONAL,
            lambda user, world: consultation_selectors.round_list(user),
        )
    },
    "consultation.answer": {
        "answer pages": (PERSONAL, _answer_pages),
        "public answers (page, API)": (PUBLIC, _public_answers),
    },
    "portal.newsarticle": {
        "news list and editors' overview": (PERSONAL, _editor_overview_articles),
        "news list (page, API, feed)": (
            PUBLIC,
            lambda user, world: portal_selectors.article_list(),
        ),
    },
    "portal.event": {
        "event lists and editors' overview": (PERSONAL, _editor_overview_events),
        "event lists (page, API)": (PUBLIC, _public_events),
    },
    "portal.eventregistration": {"event edit pages": (PERSONAL, _event_pages_registrations)},
    "portal.comment": {
        "comments and moderation pages": (PERSONAL, _moderation_page),
        "comments under articles": (PUBLIC, _article_comments),
    },
}


def test_every_private_model_has_its_lists():
    assert LISTS.keys() == {model._meta.label_lower for model in private_models()}


def may_read(user, model, obj) -> bool:
    """`user.has_perm` — except where a rule leaves the superuser out on purpose (API keys are
    their holder's alone): Django's `has_perm` says yes to an active superuser for every
    permission, so there the rule itself is asked."""
    if SUPERUSER in model.visibility.grants:
        return user.has_perm(view_permission(model), obj)
    return rules.has_perm(view_permission(model), user, obj)


def _keys(objects) -> set[int]:
    return {obj.pk for obj in objects}


def test_the_world_has_public_and_private_objects_of_every_private_model(world):
    anonymous = AnonymousUser()
    for model in private_models():
        objects = list(model.objects.all())
        hidden = [obj for obj in objects if not may_read(anonymous, model, obj)]
        assert hidden, f"no private {model._meta.label_lower} to test with"
        if any(type(grant).__name__ == "Where" for grant in model.visibility.grants):
            assert len(hidden) < len(objects), f"no public {model._meta.label_lower}"


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_exactly_what_the_permission_allows(world, make_member, role):
    user = _acting(role, world, make_member)
    anonymous = AnonymousUser()
    wrong = []
    for model in private_models():
        label = model._meta.label_lower
        objects = list(model.objects.all())
        allowed = _keys(obj for obj in objects if may_read(user, model, obj))
        public = _keys(obj for obj in objects if may_read(anonymous, model, obj))
        if _keys(model.objects.visible_to(user)) != allowed:
            wrong.append(f"{label}: visible_to() differs from {view_permission(model)}")
        for name, (kind, shown) in LISTS[label].items():
            expected = allowed if kind == PERSONAL else public
            found = _keys(shown(user, world))
            if found != expected:
                extra = sorted(map(str, model.objects.filter(pk__in=found - expected)))
                missing = sorted(map(str, model.objects.filter(pk__in=expected - found)))
                wrong.append(f"{label} in {name}: shows {extra} too, misses {missing}")
    assert not wrong, "\n".join(wrong)


def test_a_role_that_reads_nothing_more_sees_only_the_public(world, make_member, monkeypatch):
    """The table is the one place: take the reads away from the viewer role and Skellefteå's
    viewer sees, in every list, only what the public sees."""
    from mineralstrategi.organisations import models as organisation_models

    monkeypatch.setitem(organisation_models.ROLE_READS, Role.VIEWER, frozenset())
    viewer = get_user_model().objects.get(pk=user_for("viewer", world.scene, make_member).pk)
    anonymous = AnonymousUser()
    for model in private_models():
        label = model._meta.label_lower
        public = _keys(o for o in model.objects.all() if may_read(anonymous, model, o))
        for name, (_kind, shown) in LISTS[label].items():
            assert _keys(shown(viewer, world)) == public, f"{label} in {name}"
        assert all(
            may_read(viewer, model, obj) == (obj.pk in public) for obj in model.objects.all()
        ), label


def test_a_role_that_reads_only_draft_answers(client, world, monkeypatch):
    """Give the viewer role one read, draft answers, as an auditor role would have: its holder
    reads its organisation's draft answer (list and page) and nothing else that is private."""
    from mineralstrategi.organisations import models as organisation_models

    monkeypatch.setitem(
        organisation_models.ROLE_READS, Role.VIEWER, frozenset({Reads.DRAFT_ANSWERS})
    )
    scene = world.scene
    auditor = get_user_model().objects.create_user("auditor", password="a-long-test-password")
    membership_grant(user=auditor, organisation=scene.own, role=Role.VIEWER)

    shown = {(a.consultee.organisation_id, a.status) for a in _answer_pages(auditor, world)}
    assert shown == {(scene.other.pk, "submitted"), (scene.own.pk, "draft")}
    client.force_login(auditor)
    answer_page = client.get(scene.own_consultee.get_answer_url())
    assert answer_page.status_code == 200 and DRAFT_TEXT in answer_page.content.decode()
    assert (
        client.get(reverse("strategy:draft", kwargs={"slug": scene.strategy.slug})).status_code
        == 403
    )
    assert _keys(_initiative_lists(auditor, world)) == _keys(Initiative.objects.approved())
    assert _keys(consultation_selectors.round_list(auditor)) == _keys(
        ConsultationRound.objects.published()
    )
