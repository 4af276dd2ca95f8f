"""The consultation's rules in its services: sending and consultees, invitations and reminders in the
task worker, deadlines (Swedish dates, per-consultee extensions), idempotent submission with safe
registry numbers, corrections as revisions, immutability, attachments, dispositions and applying
a proposal to the working draft."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import (
    Answer,
    AnswerStatus,
    Consultee,
    Delivery,
    SubmittedAnswerError,
    today_in_stockholm,
)
from mineralstrategi.strategy.models import Section
from mineralstrategi.strategy.services import EditConflict, section_update, strategy_draft

from .conftest import PDF_BYTES, answer_with_comments, make_round, pdf_file

# --- Consultees and sending -------------------------------------------------------------------------


def test_every_municipality_of_the_covered_counties_once(planned_round, editor):
    added = services.consultees_add_municipalities(planned_round, user=editor)
    assert len(added) == 29
    assert {c.organisation.municipality.county.code for c in added} == {"24", "25"}
    assert services.consultees_add_municipalities(planned_round, user=editor) == []
    assert planned_round.consultees.count() == 29


def test_only_the_owners_manage_the_round(planned_round, officer, skelleftea):
    with pytest.raises(PermissionDenied):
        services.consultees_add_municipalities(planned_round, user=officer)
    with pytest.raises(PermissionDenied):
        services.consultee_add(planned_round, user=officer, organisation=skelleftea)


def test_a_round_needs_a_frozen_version_and_a_deadline_after_opening(strategy, frozen, editor):
    draft = strategy_draft(strategy)
    today = today_in_stockholm()
    with pytest.raises(ValidationError) as error:
        services.round_create(
            version=draft,
            user=editor,
            title="x",
            registry_number="RV 1",
            opens_on=today,
            deadline=today - datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"version", "deadline"}


def test_sending_invites_every_consultee_by_mail_in_the_worker(
    planned_round,
    editor,
    skelleftea,
    kiruna,
    officer,
    kiruna_officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    services.consultee_add(planned_round, user=editor, organisation=skelleftea)
    services.consultee_add(planned_round, user=editor, organisation=kiruna)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_send(planned_round, user=editor)
    assert mailoutbox == []  # the mail goes out in the worker, not in the request
    run_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == []  # officers made by make_member have no address
    # No mail went out, and none counts as sent: each consultee has a "no address" delivery.
    assert Consultee.objects.filter(invited_at__isnull=False).count() == 0
    assert sorted(Delivery.objects.values_list("kind", "state")) == [
        ("invitation", "no_address"),
        ("invitation", "no_address"),
    ]


def test_invitations_go_to_the_officers_with_the_answer_link(
    planned_round,
    editor,
    skelleftea,
    officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    officer.email = "officer@skelleftea.example"
    officer.save()
    consultee = services.consultee_add(planned_round, user=editor, organisation=skelleftea)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_send(planned_round, user=editor)
        services.consultation_send(planned_round, user=editor)  # twice: nothing more
    run_tasks()
    run_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["officer@skelleftea.example"]
    assert planned_round.registry_number in mail.subject
    assert f"/remiss/{planned_round.pk}/svar/{consultee.pk}/" in mail.body


def test_reminders_before_and_after_the_deadline_are_sent_once(
    round_, skelleftea_consultee, kiruna_consultee, officer, mailoutbox, settings
):
    officer.email = "officer@skelleftea.example"
    officer.save()
    deadline = round_.deadline
    early = deadline - datetime.timedelta(days=settings.CONSULTATION_REMINDER_DAYS_BEFORE + 1)
    assert services.reminders_send_due(today=early) == 0
    before = deadline - datetime.timedelta(days=2)
    # Kiruna has no address: its reminder is not sent, not counted, and tried again next time.
    assert services.reminders_send_due(today=before) == 1
    assert services.reminders_send_due(today=before) == 0
    kiruna_consultee.refresh_from_db()
    assert kiruna_consultee.reminded_before_at is None
    answer_with_comments(skelleftea_consultee, officer, _sections(round_), submit=True)
    after = deadline + datetime.timedelta(days=1)
    # Kiruna only (Skellefteå answered), and Kiruna has no address: nothing goes out.
    assert services.reminders_send_due(today=after) == 0
    assert list(
        Delivery.objects.filter(consultee=kiruna_consultee, kind="overdue").values_list("state")
    ) == [("no_address",)]
    assert [m.to for m in mailoutbox] == [["officer@skelleftea.example"]]


def _sections(round_):
    return {section.title: section for section in round_.version.sections.all()}


# --- Deadlines -------------------------------------------------------------------------------------


def test_the_deadline_day_ends_at_midnight_in_stockholm():
    late_evening_utc = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)
    assert today_in_stockholm(late_evening_utc) == datetime.date(2026, 3, 11)
    summer = datetime.datetime(2026, 7, 10, 21, 59, tzinfo=datetime.UTC)
    assert today_in_stockholm(summer) == datetime.date(2026, 7, 10)
    consultee = Consultee(extended_deadline=datetime.date(2026, 3, 10))
    assert not consultee.is_late(datetime.date(2026, 3, 10))
    assert consultee.is_late(datetime.date(2026, 3, 11))


def test_answers_after_the_deadline_are_refused_unless_extended(
    frozen, editor, skelleftea, kiruna, officer, kiruna_officer, django_capture_on_commit_callbacks
):
    round_ = make_round(frozen, editor, deadline_in_days=0)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultee_add(round_, user=editor, organisation=kiruna)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_send(round_, user=editor)
    # The deadline is today: still open until midnight.
    skelleftea_c = round_.consultees.get(organisation=skelleftea)
    services.answer_save_draft(skelleftea_c, user=officer, position="support")
    # Move the deadline into the past (as time would).
    type(round_).objects.filter(pk=round_.pk).update(
        opens_on=round_.opens_on - datetime.timedelta(days=5),
        deadline=today_in_stockholm() - datetime.timedelta(days=1),
    )
    skelleftea_c = Consultee.objects.select_related("round").get(pk=skelleftea_c.pk)
    kiruna_c = Consultee.objects.select_related("round").get(round=round_, organisation=kiruna)
    with pytest.raises(services.AnswerRefused):
        services.answer_submit(services.answer_current_draft(skelleftea_c), user=officer)
    with pytest.raises(services.AnswerRefused):
        services.answer_save_draft(kiruna_c, user=kiruna_officer, position="object")
    with pytest.raises(services.AnswerRefused):
        services.consultee_decline(kiruna_c, user=kiruna_officer, reason="Ingen tid.")

    with pytest.raises(PermissionDenied):
        services.deadline_extend(skelleftea_c, user=officer, until=today_in_stockholm())
    services.deadline_extend(skelleftea_c, user=editor, until=today_in_stockholm())
    skelleftea_c.refresh_from_db()
    submitted = services.answer_submit(services.answer_current_draft(skelleftea_c), user=officer)
    assert submitted.is_submitted
    with pytest.raises(services.AnswerRefused):  # Kiruna got no extension
        services.answer_save_draft(kiruna_c, user=kiruna_officer, position="object")


def test_an_extension_must_end_after_the_round_deadline(skelleftea_consultee, editor, round_):
    with pytest.raises(ValidationError):
        services.deadline_extend(skelleftea_consultee, user=editor, until=round_.deadline)


# --- Submission ------------------------------------------------------------------------------------


def test_submission_is_idempotent(skelleftea_consultee, officer, sections):
    answer = answer_with_comments(skelleftea_consultee, officer, sections)
    first = services.answer_submit(answer, user=officer)
    history = first.history.count()
    second = services.answer_submit(answer, user=officer)
    assert second.pk == first.pk
    assert second.registry_reference == first.registry_reference == "RV 2025/17-01"
    assert second.submitted_at == first.submitted_at
    assert first.history.count() == history
    assert Answer.objects.filter(consultee=skelleftea_consultee).count() == 1


def test_registry_numbers_follow_the_order_of_submission(
    skelleftea_consultee, kiruna_consultee, officer, kiruna_officer, sections
):
    kiruna_answer = answer_with_comments(kiruna_consultee, kiruna_officer, sections, submit=True)
    skelleftea_answer = answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    assert kiruna_answer.registry_reference == "RV 2025/17-01"
    assert skelleftea_answer.registry_reference == "RV 2025/17-02"


def test_a_submitted_answer_is_immutable(skelleftea_consultee, officer, sections):
    answer = answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    answer.comment = "Ändrad i smyg."
    with pytest.raises(SubmittedAnswerError):
        answer.save()
    with pytest.raises(SubmittedAnswerError):
        answer.comments.first().save()
    with pytest.raises(ValidationError):
        services.answer_save_draft(skelleftea_consultee, user=officer, position="object")


def test_a_correction_is_a_new_visible_revision(skelleftea_consultee, officer, sections):
    first = answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    draft = services.answer_correct(skelleftea_consultee, user=officer)
    assert draft.revision == 2 and draft.supersedes == first and not draft.is_submitted
    assert draft.comments.count() == 2
    services.answer_save_draft(
        skelleftea_consultee, user=officer, position="object", comment="Vi har ändrat oss."
    )
    corrected = services.answer_submit(draft, user=officer)
    assert corrected.registry_reference == "RV 2025/17-01, revision 2"
    first.refresh_from_db()
    assert first.comment == "Vi stöder strategin med ändringar." and first.is_submitted
    assert list(
        skelleftea_consultee.answers.order_by("revision").values_list("status", flat=True)
    ) == [
        AnswerStatus.SUBMITTED,
        AnswerStatus.SUBMITTED,
    ]


def test_a_proposal_needs_its_text_and_sections_must_be_of_the_version(
    skelleftea_consultee, officer, sections, strategy
):
    with pytest.raises(ValidationError) as error:
        services.answer_save_draft(
            skelleftea_consultee,
            user=officer,
            section_comments={sections["Vision"].pk: ("propose", "Ändra", "")},
        )
    assert f"proposed_{sections['Vision'].pk}" in error.value.message_dict
    draft_section = strategy_draft(strategy).sections.first()
    with pytest.raises(ValidationError):
        services.answer_save_draft(
            skelleftea_consultee,
            user=officer,
            section_comments={draft_section.pk: ("support", "", "")},
        )
    assert not Answer.objects.exists()


def test_decline_with_a_reason(skelleftea_consultee, officer):
    with pytest.raises(ValidationError):
        services.consultee_decline(skelleftea_consultee, user=officer, reason=" ")
    services.consultee_decline(skelleftea_consultee, user=officer, reason="Berörs inte.")
    skelleftea_consultee.refresh_from_db()
    assert skelleftea_consultee.state == "declined"
    assert skelleftea_consultee.history.first().history_user == officer


# --- Attachments -------------------------------------------------------------------------------------


def test_attachments_are_checked_by_content_and_size(skelleftea_consultee, officer, settings):
    draft = services.answer_save_draft(skelleftea_consultee, user=officer, position="support")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            draft, user=officer, uploaded=pdf_file("fake.pdf", b"MZ\x90\x00 not a pdf")
        )
    assert "fake.pdf" in error.value.message_dict["attachment"][0]
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(ValidationError):
        services.attachment_add(draft, user=officer, uploaded=pdf_file())
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    attachment = services.attachment_add(draft, user=officer, uploaded=pdf_file("Yttrande.PDF"))
    with attachment.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert attachment.name == "Yttrande.PDF" and draft.attachments.count() == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"%PDF-1.7\nMZ\x90\x00 an executable behind a PDF header\n%%EOF\n", "damaged"),
        (PDF_BYTES[: len(PDF_BYTES) // 2], "damaged"),  # cut off in the middle
        (b"%PDF-1.4\n" + b"0" * 4096, "damaged"),
    ],
)
def test_an_attachment_that_only_starts_like_a_pdf_is_refused(
    skelleftea_consultee, officer, content, problem
):
    """Parsed through with pypdf, not judged by its first bytes (issue #18)."""
    draft = services.answer_save_draft(skelleftea_consultee, user=officer, position="support")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(draft, user=officer, uploaded=pdf_file("bilaga.pdf", content))

    message = error.value.message_dict["attachment"][0]
    assert "“bilaga.pdf” starts as a PDF file but cannot be read as one" in message
    assert problem in message and not draft.attachments.exists()


def test_a_password_protected_pdf_is_refused_with_that_reason(skelleftea_consultee, officer):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF_BYTES)))
    writer.encrypt("hemligt")
    locked = io.BytesIO()
    writer.write(locked)
    draft = services.answer_save_draft(skelleftea_consultee, user=officer, position="support")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            draft, user=officer, uploaded=pdf_file("låst.pdf", locked.getvalue())
        )

    assert "protected by a password" in error.value.message_dict["attachment"][0]


# --- Dispositions and the draft ---------------------------------------------------------------------


def test_dispositions_only_on_submitted_comments_by_the_owners(
    skelleftea_consultee, officer, editor, sections
):
    draft = answer_with_comments(skelleftea_consultee, officer, sections)
    comment = draft.comments.get(section=sections["Vision"])
    with pytest.raises(ValidationError):
        services.disposition_record(comment, user=editor, decision="noted", reason="Noterat.")
    services.answer_submit(draft, user=officer)
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.disposition_record(comment, user=officer, decision="accepted", reason="Ja.")
    with pytest.raises(ValidationError) as error:
        services.disposition_record(comment, user=editor, decision="maybe", reason="")
    assert set(error.value.message_dict) == {"decision", "reason"}
    disposition = services.disposition_record(
        comment, user=editor, decision="noted", reason="Noterat."
    )
    assert disposition.history.first().history_user == editor


def test_applying_an_accepted_proposal_edits_the_working_draft(
    skelleftea_consultee, officer, editor, sections, strategy
):
    answer = answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    comment = answer.comments.get(stance="propose")
    disposition = services.disposition_record(
        comment, user=editor, decision="not_accepted", reason="Nej."
    )
    with pytest.raises(ValidationError):
        services.proposal_apply(disposition, user=editor)
    disposition = services.disposition_record(
        comment, user=editor, decision="accepted", reason="Bra förslag."
    )
    draft_section = strategy_draft(strategy).sections.get(key=comment.section_key)
    with pytest.raises(EditConflict):
        services.proposal_apply(
            disposition, user=editor, expected_revision=draft_section.revision - 1
        )
    applied = services.proposal_apply(disposition, user=editor)
    draft_section.refresh_from_db()
    assert draft_section.body_markdown == "Ny lydelse för inriktning 1."
    assert applied.applied_section == draft_section
    assert applied.applied_revision == draft_section.revision
    assert draft_section.history.first().history_user == editor
    # The frozen version keeps its text; applying twice changes nothing.
    assert Section.objects.get(pk=comment.section_id).body_markdown == "Text om inriktning 1."
    services.proposal_apply(applied, user=editor)
    draft_section.refresh_from_db()
    assert draft_section.revision == applied.applied_revision


def test_applying_respects_a_concurrent_edit_of_the_draft(
    skelleftea_consultee, officer, editor, sections, strategy
):
    answer = answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    comment = answer.comments.get(stance="propose")
    disposition = services.disposition_record(
        comment, user=editor, decision="accepted", reason="Ja."
    )
    draft_section = strategy_draft(strategy).sections.get(key=comment.section_key)
    seen = draft_section.revision
    section_update(
        draft_section,
        user=editor,
        expected_revision=seen,
        title=draft_section.title,
        body_markdown="En kollega hann före.",
    )
    with pytest.raises(EditConflict):
        services.proposal_apply(disposition, user=editor, expected_revision=seen)
    disposition.refresh_from_db()
    assert not disposition.is_applied


def test_sending_schedules_the_reminder_passes(round_, settings):
    from django_tasks_db.models import DBTaskResult

    from mineralstrategi.consultation.models import STOCKHOLM

    runs = sorted(
        result.run_after.astimezone(STOCKHOLM)
        for result in DBTaskResult.objects.filter(task_path__endswith="send_due_reminders")
    )
    days = settings.CONSULTATION_REMINDER_DAYS_BEFORE
    assert [(run.date(), run.hour) for run in runs] == [
        (round_.deadline - datetime.timedelta(days=days), 8),
        (round_.deadline + datetime.timedelta(days=1), 8),
    ]
