"""The whole platform's permission matrix: every write endpoint (pages and API) × every role,
judged by the effect in the database, not by the status code; and the reads of private objects.

The write endpoints are found by introspection (Django's URL resolver and the NinjaAPI's path
operations). A new endpoint that writes fails `test_every_write_endpoint_has_a_row` until it is
given a row in ALLOWED (with its action below) or a commented place in INTENTIONALLY_PUBLIC.

Roles (see `conftest.user_for`): the issue's names map onto the platform's as
anonymous -> no account; public commenter -> "anonymous" (comments need no account) and
"registered" (an account without membership); member of another organisation ->
"other_organisation" (Kiruna, every role there); contributor, consultation officer, strategy
editor -> Skellefteå's Membership roles CONTRIBUTOR, CONSULTATION_OFFICER, STRATEGY_EDITOR;
administrator -> both Skellefteå's Membership role ADMINISTRATOR ("organisation_administrator")
and the platform's superuser. "viewer" (Membership VIEWER) and "portal_staff" (the portal's
editor and moderator groups) are the platform's two further roles.
"""

import datetime
import inspect
import json
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mineralstrategi.accounts import services as accounts_services
from mineralstrategi.api.api import api
from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.consultation.models import (
    Answer,
    Attachment,
    ConsultationRound,
    Consultee,
    Delivery,
    Disposition,
    Meeting,
    PublicComment,
)
from mineralstrategi.consultation.models import today_in_stockholm as consultation_today
from mineralstrategi.implementation.models import (
    ActionPlan,
    ImplementationSettings,
    Initiative,
    ProgressUpdate,
)
from mineralstrategi.indicators.models import ImportJob
from mineralstrategi.organisations.models import (
    ApiToken,
    Invitation,
    InvitationState,
    Membership,
    Organisation,
    Role,
)
from mineralstrategi.portal.models import Comment, Event, NewsArticle
from mineralstrategi.strategy.models import (
    Adoption,
    Framework,
    FrameworkItem,
    Section,
    SectionComment,
    SectionLink,
    Strategy,
    StrategyVersion,
)
from mineralstrategi.strategy.services import strategy_draft
from tests.conftest import meeting_begun

from .conftest import ROLES, csv_upload, user_for

# Python rules over the same rows on either database: CI runs the matrices on SQLite only.
pytestmark = pytest.mark.matrix

EDITORS = {"strategy_editor", "superuser"}
OFFICER = {"consultation_officer"}  # a superuser never answers for an organisation
CONTRIBUTORS = {
    "contributor",
    "consultation_officer",
    "strategy_editor",
    "organisation_administrator",
    "superuser",
}
MAINTAINERS = {"strategy_editor", "organisation_administrator", "superuser"}
PORTAL = {"portal_staff", "superuser"}
ADMINISTRATORS = {"organisation_administrator", "superuser"}  # of Skellefteå
OWN_MEMBERS = {
    "viewer",
    "contributor",
    "consultation_officer",
    "strategy_editor",
    "organisation_administrator",
}

# Set up a strategy led by Skellefteå: its administrators and strategy editors.
SETTERS = {"strategy_editor", "organisation_administrator", "superuser"}

# Write endpoint -> the roles that may use it (on Skellefteå's objects).
ALLOWED = {
    # strategy
    "strategy:setup": SETTERS,
    "strategy:section_create": EDITORS,
    "strategy:section_edit": EDITORS,
    "strategy:section_comment": EDITORS,
    "strategy:section_link": EDITORS,
    "strategy:freeze": EDITORS,
    "strategy:version_adopt": EDITORS,
    # strategy: a framework kept by Skellefteå (its strategy editors; Kiruna's may add one of
    # Kiruna's, not of Skellefteå's), and its items
    "strategy:framework_create": EDITORS,
    "strategy:framework_edit": EDITORS,
    "strategy:framework_item_add": EDITORS,
    "strategy:framework_items_paste": EDITORS,
    "strategy:framework_item_edit": EDITORS,
    "strategy:framework_item_move": EDITORS,
    "strategy:framework_item_delete": EDITORS,
    "strategy:framework_delete": EDITORS,
    # consultation
    "consultation:create": EDITORS,
    "consultation:action": EDITORS,
    "consultation:answer": OFFICER,
    "consultation:answer_review": OFFICER,
    "consultation:decline": OFFICER,
    "consultation:attachment_delete": OFFICER,
    "consultation:meeting_create": EDITORS,
    "consultation:meeting_edit": EDITORS,
    "consultation:meeting_minutes": EDITORS,
    "consultation:meeting_cancel": EDITORS,
    "consultation:meeting_delete": EDITORS,
    "consultation:extend": EDITORS,
    "consultation:disposition": EDITORS,
    "consultation:apply": EDITORS,
    "consultation:consultee_address": EDITORS,
    "consultation:reinvite": EDITORS,
    "consultation:bounce": EDITORS,
    "consultation:moderate": EDITORS,
    "consultation:public_disposition": EDITORS,
    "consultation:outcome_disposition": EDITORS,
    # implementation
    "implementation:initiative_create": CONTRIBUTORS,
    "implementation:initiative_edit": CONTRIBUTORS,
    "implementation:initiative_approve": EDITORS,
    "implementation:initiative_moderate": EDITORS,
    "implementation:initiative_resubmit": CONTRIBUTORS,
    "implementation:progress_update": CONTRIBUTORS,
    "implementation:weighting": EDITORS,
    "implementation:action_plans": EDITORS,
    # cycle: the strategy's annual wheel by its editors; the report of Skellefteå's indicator by
    # Skellefteå's reporting members and the editors
    "cycle:entry_create": EDITORS,
    # reports: the yearly report adopted (and frozen) by the strategy's editors, put to review by
    # them, commented on in its review by the partnership's members
    "reports:adopt": EDITORS,
    "reports:review_open": EDITORS,
    "reports:review_comment": OWN_MEMBERS | {"superuser"},
    "cycle:entry_edit": EDITORS,
    "cycle:open": EDITORS,
    "cycle:remind": EDITORS,
    "cycle:report": CONTRIBUTORS,
    # indicators: the import of Skellefteå's indicator; the job's confirmation by its starter
    "indicators:import": MAINTAINERS,
    "indicators:import_confirm": {"strategy_editor", "superuser"},
    # indicators: targets and baselines of Skellefteå's indicator by its maintainers; its links
    # to the strategy's directions and goals by the strategy's editors
    "indicators:targets": MAINTAINERS,
    "indicators:target_edit": MAINTAINERS,
    "indicators:target_delete": MAINTAINERS,
    "indicators:links": EDITORS,
    "indicators:link_delete": EDITORS,
    # organisations: revoking the editor's API key
    "organisations:api_keys": {"strategy_editor"},
    # organisations: Skellefteå's members and invitations, by its administrators
    "organisations:members": ADMINISTRATORS,
    "organisations:member_role": ADMINISTRATORS,
    "organisations:member_remove": ADMINISTRATORS,
    "organisations:invitation_revoke": ADMINISTRATORS,
    "organisations:invitation_resend": ADMINISTRATORS,
    # accounts: a request to join Skellefteå (its administrators), an application to register
    # a new organisation (the platform's staff)
    "accounts:join_request_decide": {"organisation_administrator", "superuser"},
    "accounts:application_decide": {"portal_staff", "superuser"},
    # portal
    "portal:article_create": PORTAL,
    "portal:article_edit": PORTAL,
    "portal:event_create": PORTAL,
    "portal:event_edit": PORTAL,
    "portal:moderate": PORTAL,
    # API
    "api:POST /api/imports": MAINTAINERS,
    "api:POST /api/strategies": SETTERS,
}

# Write endpoints open to everyone (or to every account) on purpose; each is covered by its
# app's own tests (rate limits, honeypot, tokens).
INTENTIONALLY_PUBLIC = {
    # Django's accounts: logging in and out, changing and resetting one's own password.
    "login",
    "logout",
    "password_change",
    "password_reset",
    "password_reset_confirm",
    # The language switch (a cookie, no data).
    "set_language",
    # Two-step verification: each account asks for its own enrolment link, sets up its own
    # device through it (the link is the account's own), verifies its own codes and makes its own
    # backup codes (tests/accounts/test_two_step.py).
    "accounts:otp_setup",
    "accounts:otp_enrol",
    "accounts:otp_verify",
    "accounts:backup_codes",
    # Visitors comment on news and on the adopted strategy without an account (moderated).
    "portal:article",
    "portal:section_comments",
    # Anyone reports a visible comment to the moderators.
    "portal:comment_report",
    # A commenter asks for, reads and deletes their own comments through a signed mail link.
    "portal:my_comments_request",
    "portal:my_comments",
    # Visitors register for a samråd of a sent-out round (the invited always, anyone when it is
    # open; rate-limited, with a honeypot; tests/consultation/test_meetings.py), and the invited
    # register or cancel through the signed link mailed to them.
    "consultation:meeting_register",
    "consultation:meeting_person",
    # Visitors register for an event, and cancel with the token mailed to them.
    "portal:event",
    "portal:registration_cancel",
    # Anyone comments on a section of a round open to the public (moderated; a visitor confirms
    # by a signed link mailed to them): tests/consultation/test_public_comments.py.
    "consultation:public_comment",
    "consultation:public_confirm",
    # The partnership orders the PDF of the year's draft report (a job, no domain data; refused
    # to others: tests/followup/test_adopted_report.py).
    "reports:report_request",
    # Any account follows what it may read, marks its own notifications read and chooses its own
    # mail; a mail's signed link unsubscribes its own person (tests/notifications).
    "notifications:follow",
    "notifications:mark_read",
    "notifications:settings",
    "notifications:unsubscribe",
    # The invited person accepts through the secret link mailed to them, logged in with the
    # account of the invited address (tests/organisations/test_members.py).
    "organisations:invitation",
    # Anyone signs up (rate-limited, with a honeypot, the same answer whatever the address) and
    # confirms their address by the signed link mailed to them; any account asks to join an
    # organisation or to register a new one (decided by others): tests/accounts.
    "accounts:signup",
    "accounts:verify",
    "accounts:join_request",
    "accounts:application_create",
}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own matrix in test_admin_scoping
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _accepts_post(callback) -> bool:
    """A class-based view with a `post` method, or a function view that reads POST."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except TypeError:  # a callable instance, e.g. a feed: reads only
        return hasattr(callback, "post")
    return "POST" in source or "require_http_methods" in source


def write_endpoints() -> set[str]:
    views = {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if not name.startswith("api:") and _accepts_post(callback)
    }
    operations = {
        f"api:{method} /api{prefix.rstrip('/')}{path}"
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
        if method in ("POST", "PUT", "PATCH", "DELETE")
    }
    return views | operations


def test_every_write_endpoint_has_a_row():
    found = write_endpoints()
    assert not ALLOWED.keys() & INTENTIONALLY_PUBLIC
    assert found == ALLOWED.keys() | INTENTIONALLY_PUBLIC, (
        f"without a row: {sorted(found - ALLOWED.keys() - INTENTIONALLY_PUBLIC)}; "
        f"rows for no endpoint: {sorted((ALLOWED.keys() | INTENTIONALLY_PUBLIC) - found)}"
    )


# --- The actions: each makes one request and says whether its effect happened ---------------


@contextmanager
def _on_commit_captured():
    """The on-commit callbacks (tasks enqueued) a request leaves, without running them."""
    from django.db import connection

    before = len(connection.run_on_commit)
    captured: list = []
    yield captured
    captured.extend(connection.run_on_commit[before:])


def _url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def _draft_section(scene, title="Inriktning 1"):
    return strategy_draft(scene.strategy).sections.get(title=title)


def strategy_setup(client, scene):
    client.post(
        _url("strategy:setup"),
        {
            "title": "Ny strategi",
            "start_year": "2026",
            "end_year": "2035",
            "counties": [scene.own.county_id],
            "lead": scene.own.pk,
            "start": "empty",
        },
    )
    return Strategy.objects.filter(title="Ny strategi").exists()


def api_strategy_setup(client, scene):
    client.post(
        "/api/strategies",
        {
            "name": "Ny strategi",
            "county": [scene.own.county.code],
            "lead": scene.own.slug,
            "start_year": 2026,
            "end_year": 2035,
        },
    )
    return Strategy.objects.filter(title="Ny strategi").exists()


def section_create(client, scene):
    client.post(
        _url("strategy:section_create", slug=scene.strategy.slug),
        {"kind": "direction", "title": "Ny inriktning", "dimension": "social"},
    )
    return Section.objects.filter(title="Ny inriktning").exists()


def section_edit(client, scene):
    section = _draft_section(scene)
    client.post(
        _url("strategy:section_edit", slug=scene.strategy.slug, pk=section.pk),
        {
            "title": "Ändrad inriktning",
            "kind": section.kind,
            "dimension": section.dimension,
            "parent": "",
            "body_markdown": "Ändrad text.",
            "revision": section.revision,
        },
    )
    return Section.objects.filter(title="Ändrad inriktning").exists()


def section_comment(client, scene):
    section = _draft_section(scene)
    client.post(
        _url("strategy:section_comment", slug=scene.strategy.slug, pk=section.pk),
        {"body": "En redaktörskommentar."},
    )
    return SectionComment.objects.filter(body="En redaktörskommentar.").exists()


def section_link(client, scene):
    from mineralstrategi.strategy.models import FrameworkItem

    section = _draft_section(scene)
    item = FrameworkItem.objects.get(framework__code="sdg", code="8.2")
    before = SectionLink.objects.count()
    client.post(
        _url("strategy:section_link", slug=scene.strategy.slug, pk=section.pk), {"item": item.pk}
    )
    return SectionLink.objects.count() == before + 1


def freeze(client, scene):
    before = StrategyVersion.objects.filter(frozen_at__isnull=False).count()
    client.post(_url("strategy:freeze", slug=scene.strategy.slug), {"label": "Ny version"})
    return StrategyVersion.objects.filter(frozen_at__isnull=False).count() == before + 1


def _own_framework(scene) -> Framework:
    """A framework kept by Skellefteå with the items 1 and 2."""
    framework = Framework.objects.create(
        code="rus-skelleftea", name="Skellefteås utvecklingsstrategi", kind="regional",
        owner=scene.own, position=50,
    )  # fmt: skip
    for position, code in enumerate(("1", "2"), start=1):
        FrameworkItem.objects.create(
            framework=framework, code=code, title_sv=f"Punkt {code}", position=position
        )
    return framework


def framework_create(client, scene):
    client.post(
        _url("strategy:framework_create"),
        {"owner": scene.own.pk, "code": "rus-ny", "name": "Ny strategi", "kind": "regional"},
    )
    return Framework.objects.filter(code="rus-ny", owner=scene.own).exists()


def framework_edit(client, scene):
    framework = _own_framework(scene)
    client.post(
        _url("strategy:framework_edit", code=framework.code),
        {"code": framework.code, "name": "Ändrat ramverk", "kind": "regional"},
    )
    return Framework.objects.filter(name="Ändrat ramverk").exists()


def framework_item_add(client, scene):
    framework = _own_framework(scene)
    client.post(
        _url("strategy:framework_item_add", code=framework.code),
        {"item-code": "3", "item-title_sv": "Ny punkt"},
    )
    return framework.items.filter(code="3").exists()


def framework_items_paste(client, scene):
    framework = _own_framework(scene)
    client.post(
        _url("strategy:framework_items_paste", code=framework.code),
        {"paste-text": "3 Tre\n4 Fyra"},
    )
    return framework.items.filter(code__in=["3", "4"]).count() == 2


def framework_item_edit(client, scene):
    framework = _own_framework(scene)
    item = framework.items.get(code="1")
    client.post(
        _url("strategy:framework_item_edit", code=framework.code, pk=item.pk),
        {"item-code": "1", "item-title_sv": "Ändrad punkt"},
    )
    return framework.items.filter(title_sv="Ändrad punkt").exists()


def framework_item_move(client, scene):
    framework = _own_framework(scene)
    item = framework.items.get(code="2")
    client.post(
        _url("strategy:framework_item_move", code=framework.code, pk=item.pk),
        {"direction": "up"},
    )
    return list(framework.items.order_by("position").values_list("code", flat=True)) == ["2", "1"]


def framework_item_delete(client, scene):
    framework = _own_framework(scene)
    item = framework.items.get(code="2")
    client.post(_url("strategy:framework_item_delete", code=framework.code, pk=item.pk))
    return not framework.items.filter(code="2").exists()


def framework_delete(client, scene):
    framework = _own_framework(scene)
    client.post(_url("strategy:framework_delete", code=framework.code))
    return not Framework.objects.filter(pk=framework.pk).exists()


ADOPTION = {
    "body": "Regionfullmäktige",
    "reference": "RF § 12",
    "without_consultation_reason": "Remissen sammanställs efter beslutet.",
    "action": "confirm",
}


def version_adopt(client, scene):
    # The scene's round is open, which refuses every adoption; closed, a reason will do.
    consultation_services.round_status_set(scene.round, user=scene.editor, status="closed")
    client.post(
        _url("strategy:version_adopt", slug=scene.strategy.slug, number=scene.frozen.number),
        {**ADOPTION, "decided_on": consultation_today().isoformat()},
    )
    scene.strategy.refresh_from_db()
    return scene.strategy.adopted_version_id == scene.frozen.pk and Adoption.objects.exists()


def round_create(client, scene):
    client.post(
        _url("consultation:create", slug=scene.strategy.slug),
        {
            "title": "Andra remissen",
            "registry_number": "RV 2025/40",
            "opens_on": "2025-01-01",
            "deadline": "2099-12-31",
            "contact_name": "Anna",
            "contact_email": "anna@example.org",
            "version": scene.frozen.pk,
        },
    )
    return ConsultationRound.objects.filter(registry_number="RV 2025/40").exists()


def round_action(client, scene):
    client.post(_url("consultation:action", pk=scene.round.pk), {"action": "closed"})
    return ConsultationRound.objects.get(pk=scene.round.pk).status == "closed"


def _own_draft(scene):
    return consultation_services.answer_save_draft(
        scene.own_consultee,
        user=scene.officer,
        position="support_with_changes",
        comment="Vi stöder strategin med ändringar.",
        section_comments={scene.sections["Vision"].pk: ("support", "Bra vision.", "")},
    )


def answer(client, scene):
    _own_draft(scene)
    vision = scene.sections["Vision"]
    client.post(
        _url("consultation:answer", pk=scene.round.pk, consultee=scene.own_consultee.pk),
        {
            "action": "save",
            "position": "object",
            "comment": "Ändrad kommentar.",
            f"stance_{vision.pk}": "object",
            f"comment_{vision.pk}": "Nej.",
        },
    )
    return Answer.objects.filter(comment="Ändrad kommentar.").exists()


def answer_review(client, scene):
    """The summary's confirmation submits the organisation's draft."""
    _own_draft(scene)
    client.post(
        _url("consultation:answer_review", pk=scene.round.pk, consultee=scene.own_consultee.pk),
        {"confirm": "on"},
    )
    return Answer.objects.filter(consultee=scene.own_consultee, status="submitted").exists()


def decline(client, scene):
    client.post(
        _url("consultation:decline", pk=scene.round.pk, consultee=scene.own_consultee.pk),
        {"reason": "Berörs inte."},
    )
    return Consultee.objects.get(pk=scene.own_consultee.pk).declined_at is not None


def attachment_delete(client, scene):
    from tests.consultation.conftest import pdf_file

    draft = _own_draft(scene)
    attachment = consultation_services.attachment_add(
        draft, user=scene.officer, uploaded=pdf_file("utkast.pdf")
    )
    client.post(
        _url(
            "consultation:attachment_delete",
            pk=scene.round.pk,
            consultee=scene.own_consultee.pk,
            attachment=attachment.pk,
        )
    )
    return not Attachment.objects.filter(pk=attachment.pk).exists()


def _meeting_form(**overrides):
    return {
        "title": "Samråd i Skellefteå",
        "held_at": "2030-05-12T10:00",
        "ends_at": "2030-05-12T12:00",
        "place": "Stadshuset",
        "people": "Anna Berg; anna@example.se; Skellefteå kommun",
        **overrides,
    }


def _planned_meeting(scene):
    return consultation_services.meeting_plan(
        scene.round,
        user=scene.editor,
        title="Planerat samråd",
        held_at=datetime.datetime(2030, 5, 12, 10, tzinfo=datetime.UTC),
        people=[consultation_services.PersonInput("Anna Berg", "anna@example.se")],
    )


def meeting_create(client, scene):
    client.post(_url("consultation:meeting_create", pk=scene.round.pk), _meeting_form())
    return Meeting.objects.filter(title="Samråd i Skellefteå").exists()


def meeting_edit(client, scene):
    meeting = _planned_meeting(scene)
    client.post(
        _url("consultation:meeting_edit", pk=scene.round.pk, meeting=meeting.pk),
        _meeting_form(title="Ändrat samråd"),
    )
    return Meeting.objects.get(pk=meeting.pk).title == "Ändrat samråd"


def meeting_minutes(client, scene):
    meeting = meeting_begun(_planned_meeting(scene))
    client.post(
        _url("consultation:meeting_minutes", pk=scene.round.pk, meeting=meeting.pk),
        {
            "notes": "Protokoll.",
            "participants": [scene.own.pk],
            "outcome-TOTAL_FORMS": "1",
            "outcome-INITIAL_FORMS": "0",
            "outcome-0-text": "Visionen ses över.",
            "outcome-0-section": str(scene.sections["Vision"].pk),
        },
    )
    return Meeting.objects.get(pk=meeting.pk).outcomes.filter(text="Visionen ses över.").exists()


def meeting_cancel(client, scene):
    meeting = _planned_meeting(scene)
    client.post(
        _url("consultation:meeting_cancel", pk=scene.round.pk, meeting=meeting.pk),
        {"reason": "Sjukdom."},
    )
    return Meeting.objects.get(pk=meeting.pk).status == "cancelled"


def meeting_delete(client, scene):
    meeting = _planned_meeting(scene)
    client.post(
        _url("consultation:meeting_delete", pk=scene.round.pk, meeting=meeting.pk),
        {"confirm": "yes"},
    )
    return not Meeting.objects.filter(pk=meeting.pk).exists()


def extend(client, scene):
    until = scene.round.deadline + datetime.timedelta(days=7)
    client.post(
        _url("consultation:extend", pk=scene.round.pk, consultee=scene.own_consultee.pk),
        {"until": until.isoformat()},
    )
    return Consultee.objects.get(pk=scene.own_consultee.pk).extended_deadline == until


def _submitted_other_answer(scene):
    answer_ = consultation_services.answer_save_draft(
        scene.other_consultee,
        user=scene.other_officer,
        position="support_with_changes",
        comment="Kiruna stöder med ändringar.",
        section_comments={
            scene.sections["Vision"].pk: ("support", "Bra vision.", ""),
            scene.sections["Inriktning 1"].pk: ("propose", "Förtydliga.", "Ny lydelse."),
        },
    )
    return consultation_services.answer_submit(answer_, user=scene.other_officer)


def disposition(client, scene):
    comment = _submitted_other_answer(scene).comments.get(stance="support")
    client.post(
        _url("consultation:disposition", pk=scene.round.pk, comment=comment.pk),
        {"decision": "noted", "reason": "Noterat."},
    )
    return Disposition.objects.filter(comment=comment).exists()


def apply(client, scene):
    comment = _submitted_other_answer(scene).comments.get(stance="propose")
    consultation_services.disposition_record(
        comment, user=scene.editor, decision="accepted", reason="Bra."
    )
    client.post(
        _url("consultation:apply", pk=scene.round.pk, comment=comment.pk),
        {
            "action": "apply",
            "revision": _draft_section(scene).revision,
            "body_markdown": comment.proposed_text,
        },
    )
    return _draft_section(scene).body_markdown == "Ny lydelse."


def consultee_address(client, scene):
    client.post(
        _url("consultation:consultee_address", pk=scene.round.pk, consultee=scene.own_consultee.pk),
        {"email": "registrator@skelleftea.example"},
    )
    return (
        Consultee.objects.get(pk=scene.own_consultee.pk).email == "registrator@skelleftea.example"
    )


def reinvite(client, scene):
    """The scene's consultees have no address: give Skellefteå one, then ask for the mail."""
    Consultee.objects.filter(pk=scene.own_consultee.pk).update(email="reg@skelleftea.example")
    with _on_commit_captured() as callbacks:
        client.post(
            _url("consultation:reinvite", pk=scene.round.pk, consultee=scene.own_consultee.pk)
        )
    return bool(callbacks)


def bounce(client, scene):
    delivery = Delivery.objects.create(
        consultee=scene.own_consultee, kind="invitation", state="sent", recipients="a@example.se"
    )
    client.post(_url("consultation:bounce", pk=scene.round.pk, delivery=delivery.pk))
    return Delivery.objects.get(pk=delivery.pk).state == "bounced"


def _pending_public_comment(scene):
    """A visitor's confirmed comment on the scene's round, opened to the public."""
    ConsultationRound.objects.filter(pk=scene.round.pk).update(is_public=True)
    scene.round.refresh_from_db()
    comment = consultation_services.public_comment_submit(
        scene.round, section=scene.sections["Vision"], user=None, name="Sara",
        email="sara@example.se", body="Tänk på vattnet.", ip="192.0.2.50",
    )  # fmt: skip
    return consultation_services.public_comment_confirm(
        consultation_services.public_comment_token(comment)
    )


def public_moderate(client, scene):
    comment = _pending_public_comment(scene)
    client.post(
        _url("consultation:moderate", pk=scene.round.pk, comment=comment.pk),
        {"action": "publish"},
    )
    return PublicComment.objects.get(pk=comment.pk).status == "published"


def public_disposition(client, scene):
    comment = _pending_public_comment(scene)
    consultation_services.public_comment_moderate(comment, user=scene.editor, action="publish")
    client.post(
        _url("consultation:public_disposition", pk=scene.round.pk, comment=comment.pk),
        {"decision": "noted", "reason": "Noterat."},
    )
    return Disposition.objects.filter(public_comment=comment).exists()


def outcome_disposition(client, scene):
    meeting = meeting_begun(_planned_meeting(scene))
    consultation_services.meeting_record(
        meeting,
        user=scene.editor,
        outcomes=[consultation_services.OutcomeInput("Visionen ses över.")],
    )
    outcome = meeting.outcomes.get()
    client.post(
        _url("consultation:outcome_disposition", pk=scene.round.pk, outcome=outcome.pk),
        {"decision": "noted", "reason": "Noterat."},
    )
    return Disposition.objects.filter(outcome=outcome).exists()


def _initiative_form(scene, **overrides):
    from tests.implementation.test_views import form_data

    return form_data([_draft_section(scene).key], scene.own, **overrides)


def initiative_create(client, scene):
    client.post(
        _url("implementation:initiative_create", slug=scene.strategy.slug),
        _initiative_form(scene, title="Ny insats från formuläret"),
    )
    return Initiative.objects.filter(
        title="Ny insats från formuläret", lead_organisation=scene.own
    ).exists()


def initiative_edit(client, scene):
    client.post(
        _url("implementation:initiative_edit", slug=scene.strategy.slug, pk=scene.initiative.pk),
        _initiative_form(scene, title="Ändrad insats"),
    )
    return Initiative.objects.get(pk=scene.initiative.pk).title == "Ändrad insats"


def initiative_approve(client, scene):
    client.post(
        _url("implementation:initiative_approve", slug=scene.strategy.slug, pk=scene.initiative.pk)
    )
    return Initiative.objects.get(pk=scene.initiative.pk).approved_at is not None


def initiative_moderate(client, scene):
    prefix = f"i{scene.initiative.pk}"
    client.post(
        _url(
            "implementation:initiative_moderate", slug=scene.strategy.slug, pk=scene.initiative.pk
        ),
        {f"{prefix}-decision": "return", f"{prefix}-reason": "Komplettera budgeten."},
    )
    return Initiative.objects.get(pk=scene.initiative.pk).moderation == "returned"


def initiative_resubmit(client, scene):
    from django.utils import timezone

    from mineralstrategi.implementation import services as implementation_services

    implementation_services.initiative_return(
        scene.initiative, user=scene.editor, reason="Komplettera budgeten."
    )
    # Changed by its organisation after it was returned.
    Initiative.objects.filter(pk=scene.initiative.pk).update(
        updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    client.post(
        _url("implementation:initiative_resubmit", slug=scene.strategy.slug, pk=scene.initiative.pk)
    )
    return Initiative.objects.get(pk=scene.initiative.pk).moderation == "pending"


def progress_update(client, scene):
    client.post(
        _url("implementation:progress_update", slug=scene.strategy.slug, pk=scene.initiative.pk),
        {"date": "2025-06-01", "progress": "60", "text": "Etapp ett klar.", "status": ""},
    )
    return ProgressUpdate.objects.filter(text="Etapp ett klar.").exists()


def weighting(client, scene):
    client.post(_url("implementation:weighting", slug=scene.strategy.slug), {"weighting": "equal"})
    return ImplementationSettings.objects.filter(
        strategy=scene.strategy, weighting="equal"
    ).exists()


def action_plans(client, scene):
    client.post(
        _url("implementation:action_plans", slug=scene.strategy.slug),
        {"title": "Handlingsplan 2025", "first_year": "2025", "last_year": "2025"},
    )
    return ActionPlan.objects.filter(title="Handlingsplan 2025").exists()


def _wheel_period(scene, **fields):
    from mineralstrategi.cycle import services as cycle_services
    from mineralstrategi.cycle.models import today_in_stockholm
    from mineralstrategi.indicators.models import IndicatorLink

    IndicatorLink.objects.get_or_create(
        indicator=scene.indicator, strategy=scene.strategy, section_key=_draft_section(scene).key
    )
    today = today_in_stockholm()
    data = {
        "kind": "period",
        "title": "Helår",
        "date": today - datetime.timedelta(days=30),
        "deadline": today + datetime.timedelta(days=10),
        "asks": "indicators",
        "description": "",
    }
    return cycle_services.entry_save(scene.strategy, user=scene.editor, data=data | fields)


def _indicator_report(scene, **fields):
    """The report asked of Skellefteå for its indicator in an opened period."""
    from mineralstrategi.cycle import services as cycle_services

    period = _wheel_period(scene, **fields)
    (report,) = cycle_services.period_open(period, user=scene.editor)
    return period, report


def reports_adopt(client, scene):
    from mineralstrategi.reports.models import AdoptedReport

    client.post(
        _url("reports:adopt", slug=scene.strategy.slug, year=2024),
        {"body": "Regionstyrelsen", "decided_on": consultation_today().isoformat(),
         "reference": "RS § 12", "note": "", "action": "confirm"},
    )  # fmt: skip
    return AdoptedReport.objects.filter(
        strategy=scene.strategy, year=2024, state="adopted"
    ).exists()


def reports_review_open(client, scene):
    from mineralstrategi.reports.models import AdoptedReport

    client.post(
        _url("reports:review_open", slug=scene.strategy.slug, year=2024),
        {"closes_on": consultation_today().isoformat()},
    )
    return AdoptedReport.objects.filter(strategy=scene.strategy, year=2024, state="review").exists()


def reports_review_comment(client, scene):
    from mineralstrategi.reports.models import ReviewComment
    from mineralstrategi.reports.services import yearly_report_review_open

    yearly_report_review_open(
        scene.strategy, 2024, user=scene.editor, closes_on=consultation_today()
    )
    client.post(
        _url("reports:review_comment", slug=scene.strategy.slug, year=2024),
        {"body": "En synpunkt på utkastet."},
    )
    return ReviewComment.objects.filter(body="En synpunkt på utkastet.").exists()


def cycle_entry_create(client, scene):
    client.post(
        _url("cycle:entry_create", slug=scene.strategy.slug),
        {"kind": "review", "title": "Granskning i juni", "date": "2030-06-10"},
    )
    from mineralstrategi.cycle.models import WheelEntry

    return WheelEntry.objects.filter(title="Granskning i juni").exists()


def cycle_entry_edit(client, scene):
    period = _wheel_period(scene)
    client.post(
        _url("cycle:entry_edit", slug=scene.strategy.slug, pk=period.pk),
        {
            "kind": "period",
            "title": "Helår, ändrad",
            "date": period.date.isoformat(),
            "deadline": period.deadline.isoformat(),
            "asks": "indicators",
        },
    )
    period.refresh_from_db()
    return period.title == "Helår, ändrad"


def cycle_open(client, scene):
    period = _wheel_period(scene)
    client.post(_url("cycle:open", slug=scene.strategy.slug, pk=period.pk))
    return period.reports.exists()


def cycle_remind(client, scene):
    yesterday = consultation_today() - datetime.timedelta(days=1)
    period, report = _indicator_report(scene, deadline=yesterday)
    client.post(_url("cycle:remind", slug=scene.strategy.slug, pk=period.pk, report=report.pk))
    return report.reminders.exists()


def cycle_report(client, scene):
    _period, report = _indicator_report(scene)
    client.post(
        _url("cycle:report", slug=scene.strategy.slug, pk=report.pk),
        {"progress_status": "on_track", "progress": "60", "done": "Nya värden inlästa."},
    )
    report.refresh_from_db()
    return report.status == "submitted"


def import_start(client, scene):
    before = ImportJob.objects.count()
    client.post(
        _url("indicators:import"),
        {"target": scene.indicator.code, "file": csv_upload(), "format": ""},
    )
    return ImportJob.objects.count() == before + 1


def import_confirm(client, scene):
    client.post(_url("indicators:import_confirm", pk=scene.import_job.pk), {"dry_run": "1"})
    return ImportJob.objects.get(pk=scene.import_job.pk).dry_run


TARGET_FORM = {
    "place": "municipality:2482",
    "baseline_year": "2020",
    "baseline_value": "1 200,5",
    "baseline_years_averaged": "1",
    "target_year": "2030",
    "target_value": "1500",
}


def _target(scene):
    from mineralstrategi.indicators.models import Target

    return Target.objects.create(
        indicator=scene.indicator, geo_level="municipality", geo_code="2482", baseline_year=2020,
        baseline_value=1200, target_year=2030, target_value=1500,
    )  # fmt: skip


def target_create(client, scene):
    from mineralstrategi.indicators.models import Target

    client.post(_url("indicators:targets", code=scene.indicator.code), TARGET_FORM)
    return Target.objects.filter(indicator=scene.indicator, baseline_value=1200.5).exists()


def target_edit(client, scene):
    from mineralstrategi.indicators.models import Target

    target = _target(scene)
    client.post(
        _url("indicators:target_edit", code=scene.indicator.code, pk=target.pk),
        TARGET_FORM | {"target_value": "1750"},
    )
    return Target.objects.get(pk=target.pk).target_value == 1750


def target_delete(client, scene):
    from mineralstrategi.indicators.models import Target

    target = _target(scene)
    client.post(_url("indicators:target_delete", code=scene.indicator.code, pk=target.pk))
    return not Target.objects.filter(pk=target.pk).exists()


def indicator_link(client, scene):
    from mineralstrategi.indicators.models import IndicatorLink

    goal = _draft_section(scene, "Mål 1.1")
    client.post(_url("indicators:links", code=scene.indicator.code), {"section": goal.pk})
    return IndicatorLink.objects.filter(indicator=scene.indicator, section_key=goal.key).exists()


def indicator_link_delete(client, scene):
    from mineralstrategi.indicators.models import IndicatorLink

    link = IndicatorLink.objects.create(
        indicator=scene.indicator, strategy=scene.strategy, section_key=_draft_section(scene).key
    )
    client.post(_url("indicators:link_delete", code=scene.indicator.code, pk=link.pk))
    return not IndicatorLink.objects.filter(pk=link.pk).exists()


def api_keys(client, scene):
    token = ApiToken.objects.get(user=scene.editor)
    client.post(_url("organisations:api_keys"), {"revoke": token.pk})
    return ApiToken.objects.get(pk=token.pk).revoked_at is not None


def _invited(scene, **fields):
    return Invitation.objects.create(
        organisation=scene.own,
        email="inbjuden@skelleftea.example",
        role=Role.VIEWER,
        expires_at=_in_a_week(),
        **fields,
    )


def _in_a_week():
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=7)


def members(client, scene):
    client.post(
        _url("organisations:members", slug=scene.own.slug),
        {"email": "ny@skelleftea.example", "role": Role.CONTRIBUTOR},
    )
    return Invitation.objects.filter(email="ny@skelleftea.example").exists()


def member_role(client, scene):
    membership = Membership.objects.get(user=scene.contributor, role=Role.CONTRIBUTOR)
    client.post(
        _url("organisations:member_role", slug=scene.own.slug, pk=membership.pk),
        {"role": Role.VIEWER},
    )
    return Membership.objects.get(pk=membership.pk).role == Role.VIEWER


def member_remove(client, scene):
    membership = Membership.objects.get(user=scene.contributor, role=Role.CONTRIBUTOR)
    client.post(_url("organisations:member_remove", slug=scene.own.slug, pk=membership.pk))
    return not Membership.objects.filter(pk=membership.pk).exists()


def invitation_revoke(client, scene):
    invitation = _invited(scene, delivery_state=InvitationState.SENT)
    client.post(_url("organisations:invitation_revoke", slug=scene.own.slug, pk=invitation.pk))
    return Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def invitation_resend(client, scene):
    invitation = _invited(scene, delivery_state=InvitationState.FAILED)
    client.post(_url("organisations:invitation_resend", slug=scene.own.slug, pk=invitation.pk))
    return Invitation.objects.get(pk=invitation.pk).delivery_state == InvitationState.QUEUED


def _newcomer(username: str):
    return get_user_model().objects.create_user(username, email=f"{username}@example.se")


def join_request_decide(client, scene):
    newcomer = _newcomer("newcomer")
    join_request = accounts_services.join_request_create(user=newcomer, organisation=scene.own)
    client.post(
        _url("accounts:join_request_decide", pk=join_request.pk),
        {"action": "approve", "role": "viewer"},
    )
    return Membership.objects.filter(user=newcomer, organisation=scene.own).exists()


def application_decide(client, scene):
    application = accounts_services.application_create(
        user=_newcomer("applicant"),
        data=accounts_services.ApplicationInput(
            name="Matrisbolaget AB", kind="company", organisation_number="556036-0793"
        ),
    )
    client.post(_url("accounts:application_decide", pk=application.pk), {"action": "approve"})
    return Organisation.objects.filter(name="Matrisbolaget AB").exists()


def _article_form(**overrides):
    return {
        "title": "Ny nyhet",
        "lead": "Ingress",
        "body_markdown": "Text",
        "tags": "",
        "status": "draft",
        "comments_open": "on",
        **overrides,
    }


def article_create(client, scene):
    client.post(_url("portal:article_create"), _article_form())
    return NewsArticle.objects.filter(title="Ny nyhet").exists()


def article_edit(client, scene):
    client.post(
        _url("portal:article_edit", pk=scene.draft_article.pk), _article_form(title="Ändrad nyhet")
    )
    return NewsArticle.objects.get(pk=scene.draft_article.pk).title == "Ändrad nyhet"


def _event_form(**overrides):
    return {
        "title": "Dialogmöte",
        "starts_at": "2030-05-01T10:00",
        "ends_at": "2030-05-01T12:00",
        "place": "Luleå",
        "capacity": "20",
        "status": "draft",
        **overrides,
    }


def event_create(client, scene):
    client.post(_url("portal:event_create"), _event_form())
    return Event.objects.filter(title="Dialogmöte").exists()


def event_edit(client, scene):
    client.post(_url("portal:event_edit", pk=scene.event.pk), _event_form(title="Ändrat möte"))
    return Event.objects.get(pk=scene.event.pk).title == "Ändrat möte"


def moderate(client, scene):
    client.post(_url("portal:moderate", pk=scene.comment.pk), {"action": "hide"})
    return Comment.objects.get(pk=scene.comment.pk).status == "hidden"


def api_import(client, scene):
    before = ImportJob.objects.count()
    client.post("/api/imports", {"file": csv_upload(), "indicator": scene.indicator.code})
    return ImportJob.objects.count() == before + 1


ACTIONS = {
    "strategy:setup": strategy_setup,
    "strategy:section_create": section_create,
    "strategy:section_edit": section_edit,
    "strategy:section_comment": section_comment,
    "strategy:section_link": section_link,
    "strategy:freeze": freeze,
    "strategy:version_adopt": version_adopt,
    "strategy:framework_create": framework_create,
    "strategy:framework_edit": framework_edit,
    "strategy:framework_item_add": framework_item_add,
    "strategy:framework_items_paste": framework_items_paste,
    "strategy:framework_item_edit": framework_item_edit,
    "strategy:framework_item_move": framework_item_move,
    "strategy:framework_item_delete": framework_item_delete,
    "strategy:framework_delete": framework_delete,
    "consultation:create": round_create,
    "consultation:action": round_action,
    "consultation:answer": answer,
    "consultation:answer_review": answer_review,
    "consultation:decline": decline,
    "consultation:attachment_delete": attachment_delete,
    "consultation:meeting_create": meeting_create,
    "consultation:meeting_edit": meeting_edit,
    "consultation:meeting_minutes": meeting_minutes,
    "consultation:meeting_cancel": meeting_cancel,
    "consultation:meeting_delete": meeting_delete,
    "consultation:extend": extend,
    "consultation:disposition": disposition,
    "consultation:apply": apply,
    "consultation:consultee_address": consultee_address,
    "consultation:reinvite": reinvite,
    "consultation:bounce": bounce,
    "consultation:moderate": public_moderate,
    "consultation:public_disposition": public_disposition,
    "consultation:outcome_disposition": outcome_disposition,
    "implementation:initiative_create": initiative_create,
    "implementation:initiative_edit": initiative_edit,
    "implementation:initiative_approve": initiative_approve,
    "implementation:initiative_moderate": initiative_moderate,
    "implementation:initiative_resubmit": initiative_resubmit,
    "implementation:progress_update": progress_update,
    "reports:adopt": reports_adopt,
    "reports:review_open": reports_review_open,
    "reports:review_comment": reports_review_comment,
    "cycle:entry_create": cycle_entry_create,
    "cycle:entry_edit": cycle_entry_edit,
    "cycle:open": cycle_open,
    "cycle:remind": cycle_remind,
    "cycle:report": cycle_report,
    "implementation:weighting": weighting,
    "implementation:action_plans": action_plans,
    "indicators:import": import_start,
    "indicators:import_confirm": import_confirm,
    "indicators:targets": target_create,
    "indicators:target_edit": target_edit,
    "indicators:target_delete": target_delete,
    "indicators:links": indicator_link,
    "indicators:link_delete": indicator_link_delete,
    "organisations:api_keys": api_keys,
    "organisations:members": members,
    "organisations:member_role": member_role,
    "organisations:member_remove": member_remove,
    "organisations:invitation_revoke": invitation_revoke,
    "organisations:invitation_resend": invitation_resend,
    "accounts:join_request_decide": join_request_decide,
    "accounts:application_decide": application_decide,
    "portal:article_create": article_create,
    "portal:article_edit": article_edit,
    "portal:event_create": event_create,
    "portal:event_edit": event_edit,
    "portal:moderate": moderate,
    "api:POST /api/imports": api_import,
    "api:POST /api/strategies": api_strategy_setup,
}


def test_every_row_has_an_action():
    assert ACTIONS.keys() == ALLOWED.keys()


@pytest.mark.parametrize("endpoint", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(client, scene, make_member, role, endpoint):
    user = user_for(role, scene, make_member)
    if user is not None:
        client.force_login(user)
    happened = ACTIONS[endpoint](client, scene)
    assert happened == (role in ALLOWED[endpoint]), f"{role} {endpoint}"


# --- Reads of private objects: each says whether the private content was shown ---------------

DRAFT_TEXT = "Vi stöder strategin med ändringar."


def _shows(response, text: str) -> bool:
    """The page or the JSON (its escapes undone) carries the text."""
    if response.status_code != 200:
        return False
    if response.get("Content-Type", "").startswith("application/json"):
        return text in json.dumps(response.json(), ensure_ascii=False)
    return text in response.content.decode()


def _scheduled_article(scene):
    from datetime import timedelta

    from django.utils import timezone

    from mineralstrategi.portal import services as portal_services

    return portal_services.article_save(
        user=scene.portal_editor,
        title="Schemalagd nyhet",
        body_markdown="Kommer i morgon.",
        status="published",
        published_at=timezone.now() + timedelta(days=1),
    )


def read_draft_answer(client, scene):
    _own_draft(scene)
    url = _url("consultation:answer", pk=scene.round.pk, consultee=scene.own_consultee.pk)
    return _shows(client.get(url), DRAFT_TEXT)


def read_draft_answer_api(client, scene):
    _own_draft(scene)
    return any(
        _shows(client.get(f"/api/consultations/{scene.round.pk}{path}"), DRAFT_TEXT)
        for path in ("", "/answers", "/compilation")
    )


def read_unapproved_initiative(client, scene):
    url = _url("implementation:initiative", slug=scene.strategy.slug, pk=scene.initiative.pk)
    return _shows(client.get(url), "Ej godkänd insats")


def read_unapproved_initiative_api(client, scene):
    return _shows(client.get(f"/api/initiatives/{scene.initiative.pk}"), "Ej godkänd insats")


def list_unapproved_initiative_api(client, scene):
    return _shows(client.get("/api/initiatives"), "Ej godkänd insats")


def _moderated(scene):
    """The initiative returned with a reason, changed, submitted again and approved: public, its
    moderation history not."""
    from django.utils import timezone

    from mineralstrategi.implementation import services as implementation_services

    implementation_services.initiative_return(
        scene.initiative, user=scene.editor, reason="Hemlig motivering."
    )
    Initiative.objects.filter(pk=scene.initiative.pk).update(
        updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    initiative = Initiative.objects.get(pk=scene.initiative.pk)
    implementation_services.initiative_resubmit(initiative, user=scene.editor)
    implementation_services.initiative_approve(initiative, user=scene.editor)


def read_moderation_reason(client, scene):
    _moderated(scene)
    url = _url("implementation:initiative", slug=scene.strategy.slug, pk=scene.initiative.pk)
    return _shows(client.get(url), "Hemlig motivering.")


def read_moderation_reason_api(client, scene):
    _moderated(scene)
    return _shows(client.get(f"/api/initiatives/{scene.initiative.pk}"), "Hemlig motivering.")


def read_unpublished_news(client, scene):
    return _shows(client.get(scene.draft_article.get_absolute_url()), "Hemlig text.")


def read_scheduled_news(client, scene):
    article = _scheduled_article(scene)
    return _shows(client.get(article.get_absolute_url()), "Kommer i morgon.")


def list_unpublished_news_api(client, scene):
    _scheduled_article(scene)
    response = client.get("/api/news")
    return _shows(response, "Ej publicerad nyhet") or _shows(response, "Schemalagd nyhet")


def search_unpublished(client, scene):
    return _shows(client.get("/api/search", {"q": "Hemlig"}), "Ej publicerad nyhet") or _shows(
        client.get(_url("portal:search"), {"q": "Hemlig"}), "Ej publicerad nyhet"
    )


def read_working_draft(client, scene):
    section = _draft_section(scene)
    section.title = "Utkastets hemliga rubrik"
    section.save()
    return _shows(
        client.get(_url("strategy:draft", slug=scene.strategy.slug)), "Utkastets hemliga rubrik"
    )


def read_working_draft_api(client, scene):
    response = client.get(f"/api/strategies/{scene.strategy.pk}/versions")
    draft = strategy_draft(scene.strategy)
    return response.status_code == 200 and any(v["number"] == draft.number for v in response.json())


def read_import_job(client, scene):
    return _shows(
        client.get(_url("indicators:import_detail", pk=scene.import_job.pk)), "sysselsatta.csv"
    )


def read_import_job_api(client, scene):
    return _shows(client.get(f"/api/imports/{scene.import_job.pk}"), "sysselsatta.csv")


def read_api_keys(client, scene):
    return _shows(client.get(_url("organisations:api_keys")), "Redaktörens nyckel")


def read_invitations(client, scene):
    _invited(scene)
    return _shows(
        client.get(_url("organisations:members", slug=scene.own.slug)),
        "inbjuden@skelleftea.example",
    )


PARTNERS = OWN_MEMBERS | {"superuser"}  # Skellefteå is the partnership and the lead organisation

READS = {
    "draft answer (page)": (read_draft_answer, OWN_MEMBERS | {"superuser"}),
    "draft answer (API)": (read_draft_answer_api, set()),
    "unapproved initiative (page)": (read_unapproved_initiative, PARTNERS),
    "unapproved initiative (API)": (read_unapproved_initiative_api, PARTNERS),
    "unapproved initiative (API list)": (list_unapproved_initiative_api, PARTNERS),
    "moderation reason (page)": (read_moderation_reason, PARTNERS),
    "moderation reason (API)": (read_moderation_reason_api, set()),
    "unpublished news (page)": (read_unpublished_news, PORTAL),
    "scheduled news (page)": (read_scheduled_news, PORTAL),
    "unpublished and scheduled news (API)": (list_unpublished_news_api, set()),
    "unpublished news (search)": (search_unpublished, set()),
    "working draft (page)": (read_working_draft, PARTNERS),
    "working draft (API)": (read_working_draft_api, PARTNERS),
    "another's import job (page)": (read_import_job, {"strategy_editor", "superuser"}),
    "another's import job (API)": (read_import_job_api, {"strategy_editor", "superuser"}),
    "another's API keys": (read_api_keys, {"strategy_editor"}),
    "members and invitations (page)": (read_invitations, ADMINISTRATORS),
}


@pytest.mark.parametrize("read", list(READS))
@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(client, scene, make_member, role, read):
    user = user_for(role, scene, make_member)
    if user is not None:
        client.force_login(user)
    action, allowed = READS[read]
    assert action(client, scene) == (role in allowed), f"{role} {read}"
