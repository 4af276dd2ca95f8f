"""Every role × every action on Skellefteå's answer, through the pages, judged by the effect in the
database (or the file served), not only by the status code. And the API never shows a draft."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import (
    Answer,
    Attachment,
    ConsultationRound,
    Consultee,
    Disposition,
    Meeting,
    PublicComment,
)
from mineralstrategi.organisations.models import County, Organisation, OrganisationKind, Role
from mineralstrategi.organisations.services import geography_load, organisation_create
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.services import strategy_draft
from tests.conftest import fresh, meeting_begun, member_create
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import answer_with_comments, make_round, pdf_file

# Python rules over the same rows on either database: CI runs the matrices on SQLite only.
pytestmark = pytest.mark.matrix

ROLES = [
    "anonymous",
    "other_municipality_officer",
    "own_viewer",
    "own_contributor",
    "own_officer",
    "partner_strategy_editor",
    "superuser",
]

MEMBERS = {"own_viewer", "own_contributor", "own_officer", "superuser"}
OFFICER = {"own_officer"}
TEAM = {"partner_strategy_editor", "superuser"}

ALLOWED = {
    "view_draft": MEMBERS,
    "save_draft": OFFICER,
    "view_summary": OFFICER,
    "submit": OFFICER,
    "submit_unconfirmed": set(),
    "correct": OFFICER,
    "decline": OFFICER,
    "upload_attachment": OFFICER,
    "download_draft_attachment": MEMBERS,
    "record_disposition": TEAM,
    "apply_proposal": TEAM,
    "extend_deadline": TEAM,
    "open_to_public": TEAM,
    "comment_publicly": set(ROLES),
    "moderate_public_comment": TEAM,
    "read_pending_public_comment": TEAM,
    "record_public_disposition": TEAM,
    "record_outcome_disposition": TEAM,
    # Samråd: the team plans, records, cancels and deletes; only the team sees the registrations
    # and addresses; anyone registers for an open meeting (rate-limited, with a honeypot).
    "plan_meeting": TEAM,
    "record_meeting": TEAM,
    "cancel_meeting": TEAM,
    "delete_meeting": TEAM,
    "view_registrations": TEAM,
    "register_for_open_meeting": set(ROLES),
}


@dataclass
class Scene:
    """The round, Skellefteå's consultee, the Skellefteå officer and the team's editor; Kiruna, the
    other consultee, with its officer; a superuser."""

    round: ConsultationRound
    consultee: Consultee
    officer: object
    editor: object
    sections: dict
    strategy: object
    skelleftea: Organisation
    kiruna: Organisation
    kiruna_consultee: Consultee
    kiruna_officer: object
    superuser: object

    def answer_url(self):
        return reverse(
            "consultation:answer", kwargs={"pk": self.round.pk, "consultee": self.consultee.pk}
        )

    def draft(self):
        answer = answer_with_comments(self.consultee, self.officer, self.sections)
        services.attachment_add(answer, user=self.officer, uploaded=pdf_file("utkast.pdf"))
        return answer

    def submitted(self):
        return answer_with_comments(self.consultee, self.officer, self.sections, submit=True)

    def accepted_proposal(self):
        comment = self.submitted().comments.get(stance="propose")
        return services.disposition_record(
            comment, user=self.editor, decision="accepted", reason="Bra."
        )

    def review_url(self):
        return reverse(
            "consultation:answer_review",
            kwargs={"pk": self.round.pk, "consultee": self.consultee.pk},
        )

    def answer_form(self, **extra):
        vision, direction = self.sections["Vision"], self.sections["Inriktning 1"]
        return {
            "position": "object",
            "comment": "Ändrad kommentar.",
            f"stance_{vision.pk}": "object",
            f"comment_{vision.pk}": "Nej.",
            f"stance_{direction.pk}": "",
            **extra,
        }


def view_draft(client, scene):
    scene.draft()
    response = client.get(scene.answer_url())
    return response.status_code == 200 and "Vi stöder strategin med ändringar." in (
        response.content.decode()
    )


def save_draft(client, scene):
    scene.draft()
    client.post(scene.answer_url(), scene.answer_form(action="save"))
    return Answer.objects.filter(comment="Ändrad kommentar.").exists()


def view_summary(client, scene):
    """The summary before submitting shows the draft only to the organisation's officers."""
    scene.draft()
    response = client.get(scene.review_url())
    return response.status_code == 200 and "Vi stöder strategin med ändringar." in (
        response.content.decode()
    )


def submit(client, scene):
    """Submitting goes through the summary, with the confirmation."""
    scene.draft()
    client.post(scene.review_url(), {"confirm": "on"})
    return Answer.objects.submitted().exists()


def submit_unconfirmed(client, scene):
    """Without the confirmation nobody submits: not from the summary, not from the form."""
    scene.draft()
    client.post(scene.review_url(), {})
    client.post(scene.answer_url(), scene.answer_form(action="submit"))
    return Answer.objects.submitted().exists()


def correct(client, scene):
    scene.submitted()
    client.post(scene.answer_url(), {"action": "correct"})
    return Answer.objects.filter(revision=2).exists()


def decline(client, scene):
    url = reverse(
        "consultation:decline", kwargs={"pk": scene.round.pk, "consultee": scene.consultee.pk}
    )
    client.post(url, {"reason": "Berörs inte."})
    return Consultee.objects.get(pk=scene.consultee.pk).declined_at is not None


def upload_attachment(client, scene):
    scene.draft()
    before = Attachment.objects.count()
    client.post(scene.answer_url(), scene.answer_form(action="save", attachment=pdf_file("ny.pdf")))
    return Attachment.objects.count() == before + 1


def download_draft_attachment(client, scene):
    attachment = scene.draft().attachments.get()
    response = client.get(
        reverse(
            "consultation:attachment", kwargs={"pk": scene.round.pk, "attachment": attachment.pk}
        )
    )
    if response.status_code != 200:
        return False
    return b"".join(response.streaming_content).startswith(b"%PDF-")


def record_disposition(client, scene):
    comment = scene.submitted().comments.get(stance="support")
    url = reverse("consultation:disposition", kwargs={"pk": scene.round.pk, "comment": comment.pk})
    client.post(url, {"decision": "noted", "reason": "Noterat."})
    return Disposition.objects.filter(comment=comment).exists()


def apply_proposal(client, scene):
    disposition = scene.accepted_proposal()
    url = reverse(
        "consultation:apply", kwargs={"pk": scene.round.pk, "comment": disposition.comment_id}
    )
    section = strategy_draft(scene.strategy).sections.get(key=disposition.comment.section_key)
    data = {"action": "apply", "revision": section.revision, "body_markdown": "Ny lydelse."}
    client.post(url, data)
    section.refresh_from_db()
    return section.body_markdown == "Ny lydelse."


def extend_deadline(client, scene):
    url = reverse(
        "consultation:extend", kwargs={"pk": scene.round.pk, "consultee": scene.consultee.pk}
    )
    until = scene.round.deadline + datetime.timedelta(days=7)
    client.post(url, {"until": until.isoformat()})
    return Consultee.objects.get(pk=scene.consultee.pk).extended_deadline == until


def open_to_public(client, scene):
    client.post(
        reverse("consultation:action", kwargs={"pk": scene.round.pk}),
        {"action": "public", "is_public": "1"},
    )
    return ConsultationRound.objects.get(pk=scene.round.pk).is_public


def _public(scene):
    ConsultationRound.objects.filter(pk=scene.round.pk).update(is_public=True)
    scene.round.refresh_from_db()
    cache.clear()  # the rate limits' counters


def comment_publicly(client, scene):
    """Anyone comments (a visitor gives a name and an address; a signed-in user needs none)."""
    _public(scene)
    section = scene.sections["Vision"]
    client.post(
        reverse(
            "consultation:public_comment", kwargs={"pk": scene.round.pk, "section": section.pk}
        ),
        {"name": "Sara", "email": "sara@example.se", "body": "Tänk på vattnet."},
    )
    return PublicComment.objects.filter(body="Tänk på vattnet.").exists()


def _pending(scene):
    _public(scene)
    comment = services.public_comment_submit(
        scene.round, section=scene.sections["Vision"], user=None, name="Sara",
        email="sara@example.se", body="Väntande synpunkt.", ip="192.0.2.60",
    )  # fmt: skip
    return services.public_comment_confirm(services.public_comment_token(comment))


def moderate_public_comment(client, scene):
    comment = _pending(scene)
    client.post(
        reverse("consultation:moderate", kwargs={"pk": scene.round.pk, "comment": comment.pk}),
        {"action": "publish"},
    )
    return PublicComment.objects.get(pk=comment.pk).is_published


def read_pending_public_comment(client, scene):
    """A comment waiting for moderation (and its writer's address) is its moderators' only."""
    _pending(scene)
    shown = ""
    for name in ("consultation:moderation", "consultation:public"):
        response = client.get(reverse(name, kwargs={"pk": scene.round.pk}))
        shown += response.content.decode() if response.status_code == 200 else ""
    return "Väntande synpunkt." in shown and "sara@example.se" in shown


def record_public_disposition(client, scene):
    comment = _pending(scene)
    services.public_comment_moderate(comment, user=scene.editor, action="publish")
    client.post(
        reverse(
            "consultation:public_disposition", kwargs={"pk": scene.round.pk, "comment": comment.pk}
        ),
        {"decision": "noted", "reason": "Noterat."},
    )
    return Disposition.objects.filter(public_comment=comment).exists()


def record_outcome_disposition(client, scene):
    meeting = meeting_begun(_meeting(scene))
    services.meeting_record(meeting, user=scene.editor, outcomes=[services.OutcomeInput("Utfall.")])
    outcome = meeting.outcomes.get()
    client.post(
        reverse(
            "consultation:outcome_disposition", kwargs={"pk": scene.round.pk, "outcome": outcome.pk}
        ),
        {"decision": "noted", "reason": "Noterat."},
    )
    return Disposition.objects.filter(outcome=outcome).exists()


def _meeting(scene, **fields):
    starts = timezone.now() + datetime.timedelta(days=5)
    return services.meeting_plan(
        scene.round,
        user=scene.editor,
        title="Samråd",
        held_at=starts,
        people=[services.PersonInput("Anna Berg", "anna.berg@example.se")],
        **fields,
    )


def _meeting_url(name, meeting):
    return reverse(f"consultation:{name}", kwargs={"pk": meeting.round_id, "meeting": meeting.pk})


def plan_meeting(client, scene):
    url = reverse("consultation:meeting_create", kwargs={"pk": scene.round.pk})
    client.post(
        url,
        {"title": "Nytt samråd", "held_at": "2030-05-12T10:00", "ends_at": "2030-05-12T12:00"},
    )
    return Meeting.objects.filter(title="Nytt samråd").exists()


def record_meeting(client, scene):
    meeting = meeting_begun(_meeting(scene))
    client.post(
        _meeting_url("meeting_minutes", meeting),
        {
            "notes": "Protokoll.",
            "outcome-TOTAL_FORMS": "1",
            "outcome-INITIAL_FORMS": "0",
            "outcome-0-text": "Ett utfall.",
            "outcome-0-section": "",
        },
    )
    return Meeting.objects.get(pk=meeting.pk).status == "held"


def cancel_meeting(client, scene):
    meeting = _meeting(scene)
    client.post(_meeting_url("meeting_cancel", meeting), {"reason": ""})
    return Meeting.objects.get(pk=meeting.pk).status == "cancelled"


def delete_meeting(client, scene):
    meeting = _meeting(scene)
    client.post(_meeting_url("meeting_delete", meeting), {"confirm": "yes"})
    return not Meeting.objects.filter(pk=meeting.pk).exists()


def view_registrations(client, scene):
    meeting = _meeting(scene)
    response = client.get(meeting.get_absolute_url())
    return response.status_code == 200 and b"anna.berg@example.se" in response.content


def register_for_open_meeting(client, scene):
    cache.clear()  # the rate limit's counters of earlier cases
    meeting = _meeting(scene, registration_open=True)
    client.post(
        _meeting_url("meeting_register", meeting),
        {"name": "Eva Ek", "email": "eva.ek@example.se", "website": ""},
    )
    return meeting.people.filter(registration="registered").exists()


ACTIONS = {
    "open_to_public": open_to_public,
    "comment_publicly": comment_publicly,
    "moderate_public_comment": moderate_public_comment,
    "read_pending_public_comment": read_pending_public_comment,
    "record_public_disposition": record_public_disposition,
    "record_outcome_disposition": record_outcome_disposition,
    "view_draft": view_draft,
    "save_draft": save_draft,
    "view_summary": view_summary,
    "submit": submit,
    "submit_unconfirmed": submit_unconfirmed,
    "correct": correct,
    "decline": decline,
    "upload_attachment": upload_attachment,
    "download_draft_attachment": download_draft_attachment,
    "record_disposition": record_disposition,
    "apply_proposal": apply_proposal,
    "extend_deadline": extend_deadline,
    "plan_meeting": plan_meeting,
    "record_meeting": record_meeting,
    "cancel_meeting": cancel_meeting,
    "delete_meeting": delete_meeting,
    "view_registrations": view_registrations,
    "register_for_open_meeting": register_for_open_meeting,
}


def _scene_build() -> Scene:
    geography_load()
    skelleftea = Organisation.objects.get(municipality__code="2482")
    kiruna = Organisation.objects.get(municipality__code="2584")
    partnership = organisation_create(
        name="Region Västerbotten",
        kind=OrganisationKind.REGION,
        county=County.objects.get(code="24"),
    )
    editor = member_create(partnership, Role.STRATEGY_EDITOR, "editor")
    strategy_services.frameworks_load()
    strategy = make_strategy(partnership)
    build_tree(strategy_services.strategy_draft(strategy), editor)
    frozen = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = make_round(frozen, editor)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultee_add(round_, user=editor, organisation=kiruna)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.consultation_send(round_, user=editor)
    round_.refresh_from_db()
    return Scene(
        round=round_,
        consultee=round_.consultees.get(organisation=skelleftea),
        officer=member_create(skelleftea, Role.CONSULTATION_OFFICER, "officer"),
        editor=editor,
        sections={section.title: section for section in frozen.sections.all()},
        strategy=strategy,
        skelleftea=skelleftea,
        kiruna=kiruna,
        kiruna_consultee=round_.consultees.get(organisation=kiruna),
        kiruna_officer=member_create(kiruna, Role.CONSULTATION_OFFICER, "kirunaofficer"),
        superuser=get_user_model().objects.create_superuser(
            "root", "root@mineralstrategi.example", "a-long-test-password"
        ),
    )


@pytest.fixture(scope="module")
def scene_built(module_rows) -> Scene:
    """Written once for the module's hundred-odd tests (`module_rows`)."""
    return module_rows(_scene_build)


@pytest.fixture
def scene(db, scene_built) -> Scene:
    return fresh(scene_built)


@pytest.fixture
def acting_user(request, scene, make_member):
    role = request.param
    return {
        "anonymous": None,
        "other_municipality_officer": lambda: make_member(scene.kiruna, Role.CONSULTATION_OFFICER),
        "own_viewer": lambda: make_member(scene.skelleftea, Role.VIEWER),
        "own_contributor": lambda: make_member(scene.skelleftea, Role.CONTRIBUTOR),
        "own_officer": lambda: scene.officer,
        "partner_strategy_editor": lambda: scene.editor,
        "superuser": lambda: scene.superuser,
    }[role], role


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("acting_user", ROLES, indirect=True)
def test_permission_matrix(client, scene, acting_user, action):
    make_user, role = acting_user
    if make_user is not None:
        client.force_login(make_user())
    allowed = ACTIONS[action](client, scene)
    assert allowed == (role in ALLOWED[action]), f"{role} {action}"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_never_shows_a_draft(client, scene, role, make_member):
    scene.draft()
    user = {
        "anonymous": None,
        "own_officer": scene.officer,
        "own_viewer": make_member(scene.skelleftea, Role.VIEWER),
        "partner_strategy_editor": scene.editor,
        "superuser": scene.superuser,
    }.get(role, scene.officer)
    if user is not None:
        client.force_login(user)
    for path in ("", "/answers", "/compilation"):
        response = client.get(f"/api/consultations/{scene.round.pk}{path}")
        assert "Vi stöder strategin med ändringar." not in response.content.decode()


def test_a_forged_organisation_in_the_form_is_ignored(client, scene):
    kiruna, kiruna_consultee = scene.kiruna, scene.kiruna_consultee
    client.force_login(scene.officer)
    client.post(
        scene.answer_url(),
        scene.answer_form(action="save", organisation=kiruna.pk, consultee=kiruna_consultee.pk),
    )
    answer = Answer.objects.get()
    assert answer.consultee == scene.consultee
    assert not kiruna_consultee.answers.exists()


def test_an_officer_cannot_reach_another_municipalitys_answer_by_its_address(client, scene):
    kiruna_consultee = scene.kiruna_consultee
    answer_with_comments(kiruna_consultee, scene.kiruna_officer, scene.sections)
    client.force_login(scene.officer)
    url = reverse(
        "consultation:answer", kwargs={"pk": scene.round.pk, "consultee": kiruna_consultee.pk}
    )
    assert client.get(url).status_code == 403
    assert client.post(url, scene.answer_form(action="submit")).status_code == 403
    review = reverse(
        "consultation:answer_review",
        kwargs={"pk": scene.round.pk, "consultee": kiruna_consultee.pk},
    )
    assert client.get(review).status_code == 403
    assert client.post(review, {"confirm": "on"}).status_code == 403
    assert not kiruna_consultee.answers.submitted().exists()


def test_municipal_staff_have_no_consultation_admin(client, scene):
    scene.officer.is_staff = True
    scene.officer.save()
    scene.draft()
    client.force_login(scene.officer)
    assert client.get("/admin/consultation/answer/").status_code in (302, 403)
