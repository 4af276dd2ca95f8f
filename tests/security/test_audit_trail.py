"""The audit trail: every create, update, delete and submit on strategies, sections, answers,
dispositions, initiatives, indicators and imports, made through the real pages and services,
leaves a record with the user, the organisation acted for, the UTC time and the field-level
change; administrators read it at /granskning/, nobody edits it."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.audit import selectors as audit_selectors
from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.consultation.models import Answer, AnswerComment, Disposition
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import ImportJob, Indicator, Observation
from mineralstrategi.indicators.tasks import import_file
from mineralstrategi.organisations.history import AuditedHistoricalModel, audited_history
from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.services import membership_grant
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.models import Adoption, Section, Strategy
from tests.conftest import meeting_begun

from .conftest import csv_upload, user_for
from .test_permission_matrix import _draft_section, _initiative_form, _submitted_other_answer


def _latest(model, **filters):
    return model.history.filter(**filters).order_by("-history_date", "-history_id").first()


def _changed_fields(record) -> set[str]:
    return {change.field for change in record.diff_against(record.prev_record).changes}


def _assert_recent(record, user, organisation):
    assert record is not None
    assert record.history_user == user
    assert record.history_organisation == organisation
    assert record.history_date.utcoffset() == datetime.timedelta(0)  # stored and read in UTC
    assert timezone.now() - record.history_date < datetime.timedelta(minutes=1)


def test_a_section_edit_is_recorded_with_user_organisation_and_diff(client, scene):
    section = _draft_section(scene)
    client.force_login(scene.editor)
    client.post(
        reverse("strategy:section_edit", kwargs={"slug": scene.strategy.slug, "pk": section.pk}),
        {
            "title": "Ny rubrik",
            "kind": section.kind,
            "dimension": section.dimension,
            "parent": "",
            "body_markdown": "Ny text.",
            "revision": section.revision,
        },
    )
    record = _latest(Section, id=section.pk)
    _assert_recent(record, scene.editor, scene.own)
    assert record.history_type == "~"
    assert {"title", "body_markdown"} <= _changed_fields(record)
    assert record.prev_record.title == "Inriktning 1" and record.title == "Ny rubrik"


def test_section_create_freeze_and_adopt_are_recorded(client, scene):
    client.force_login(scene.editor)
    slug = scene.strategy.slug
    client.post(
        reverse("strategy:section_create", kwargs={"slug": slug}),
        {"kind": "direction", "title": "Ny inriktning", "dimension": "social"},
    )
    created = Section.history.get(title="Ny inriktning", history_type="+")
    _assert_recent(created, scene.editor, scene.own)
    consultation_services.round_status_set(scene.round, user=scene.editor, status="closed")
    client.post(
        reverse("strategy:version_adopt", kwargs={"slug": slug, "number": 1}),
        {
            "body": "Regionfullmäktige",
            "decided_on": timezone.localdate().isoformat(),
            "reference": "RF § 12",
            "without_consultation_reason": "Remissen sammanställs efter beslutet.",
            "action": "confirm",
        },
    )
    adopted = _latest(Strategy, id=scene.strategy.pk)
    _assert_recent(adopted, scene.editor, scene.own)
    assert "adopted_version" in _changed_fields(adopted)
    decision = Adoption.history.get(history_type="+")
    _assert_recent(decision, scene.editor, scene.own)


def test_a_section_deleted_in_the_admin_is_recorded(client, scene, make_member):
    root = user_for("superuser", scene, make_member)
    section = _draft_section(scene, "Insats 2.1.1")
    client.force_login(root)
    client.post(reverse("admin:strategy_section_delete", args=[section.pk]), {"post": "yes"})
    assert not Section.objects.filter(pk=section.pk).exists()
    record = Section.history.get(id=section.pk, history_type="-")
    _assert_recent(record, root, None)  # a superuser without membership acts for no organisation


def test_an_answer_saved_and_submitted_through_the_page_is_recorded(client, scene):
    vision = scene.sections["Vision"]
    url = reverse(
        "consultation:answer", kwargs={"pk": scene.round.pk, "consultee": scene.own_consultee.pk}
    )
    form = {
        "position": "support",
        "comment": "Vi stöder.",
        f"stance_{vision.pk}": "support",
        f"comment_{vision.pk}": "Bra.",
    }
    client.force_login(scene.officer)
    client.post(url, {**form, "action": "save"})
    answer = Answer.objects.get(consultee=scene.own_consultee)
    _assert_recent(Answer.history.get(id=answer.pk, history_type="+"), scene.officer, scene.own)
    client.post(url, {**form, "action": "review"})  # to the summary, then the confirmation
    client.post(
        reverse(
            "consultation:answer_review",
            kwargs={"pk": scene.round.pk, "consultee": scene.own_consultee.pk},
        ),
        {"confirm": "on"},
    )
    submitted = _latest(Answer, id=answer.pk)
    _assert_recent(submitted, scene.officer, scene.own)
    assert "submitted_at" in _changed_fields(submitted)


def test_a_disposition_is_recorded_for_the_editors_organisation(client, scene):
    comment = _submitted_other_answer(scene).comments.get(stance="support")
    client.force_login(scene.editor)
    client.post(
        reverse("consultation:disposition", kwargs={"pk": scene.round.pk, "comment": comment.pk}),
        {"decision": "noted", "reason": "Noterat."},
    )
    disposition = Disposition.objects.get(comment=comment)
    record = Disposition.history.get(id=disposition.pk, history_type="+")
    _assert_recent(record, scene.editor, scene.own)
    assert record.reason == "Noterat."


def test_a_samrad_planned_recorded_and_deleted_through_the_pages_is_in_the_trail(
    client, scene, make_member, soup
):
    from mineralstrategi.consultation.models import Meeting, MeetingOutcome

    client.force_login(scene.editor)
    client.post(
        reverse("consultation:meeting_create", kwargs={"pk": scene.round.pk}),
        {
            "title": "Samråd i Skellefteå",
            "held_at": "2030-05-12T10:00",
            "ends_at": "2030-05-12T12:00",
            "people": "Anna Berg; anna@example.se",
        },
    )
    meeting = Meeting.objects.get(title="Samråd i Skellefteå")
    _assert_recent(Meeting.history.get(id=meeting.pk, history_type="+"), scene.editor, scene.own)
    meeting_begun(meeting)  # its time comes: then the minutes can be recorded
    client.post(
        reverse(
            "consultation:meeting_minutes", kwargs={"pk": scene.round.pk, "meeting": meeting.pk}
        ),
        {
            "notes": "Protokoll.",
            "outcome-TOTAL_FORMS": "1",
            "outcome-INITIAL_FORMS": "0",
            "outcome-0-text": "Visionen ses över.",
            "outcome-0-section": str(scene.sections["Vision"].pk),
        },
    )
    recorded = _latest(Meeting, id=meeting.pk)
    _assert_recent(recorded, scene.editor, scene.own)
    assert {"status", "notes"} <= _changed_fields(recorded)
    outcome = MeetingOutcome.history.get(history_type="+")
    _assert_recent(outcome, scene.editor, scene.own)
    client.post(
        reverse(
            "consultation:meeting_delete", kwargs={"pk": scene.round.pk, "meeting": meeting.pk}
        ),
        {"confirm": "yes"},
    )
    _assert_recent(Meeting.history.get(id=meeting.pk, history_type="-"), scene.editor, scene.own)
    client.force_login(user_for("superuser", scene, make_member))
    page = soup(client.get(reverse("audit:log"), {"model": "consultation.meeting"}))
    rows = page.select("tr.audit-entry")
    assert len(rows) == 3 and all(r.select_one(".audit-user").text == "editor" for r in rows)
    assert "Protokoll." in rows[1].select_one(".audit-changes").text


def test_initiative_create_edit_and_approve_are_recorded(client, scene):
    slug = scene.strategy.slug
    client.force_login(scene.contributor)
    client.post(
        reverse("implementation:initiative_create", kwargs={"slug": slug}),
        _initiative_form(scene, title="Registrerad insats"),
    )
    initiative = Initiative.objects.get(title="Registrerad insats")
    _assert_recent(initiative.history.get(history_type="+"), scene.contributor, scene.own)
    client.post(
        reverse("implementation:initiative_edit", kwargs={"slug": slug, "pk": initiative.pk}),
        _initiative_form(scene, title="Ändrad insats", budget="3000000"),
    )
    edited = _latest(Initiative, id=initiative.pk)
    _assert_recent(edited, scene.contributor, scene.own)
    assert {"title", "budget"} <= _changed_fields(edited)
    client.force_login(scene.editor)
    client.post(
        reverse("implementation:initiative_approve", kwargs={"slug": slug, "pk": initiative.pk})
    )
    approved = _latest(Initiative, id=initiative.pk)
    _assert_recent(approved, scene.editor, scene.own)
    assert "approved_at" in _changed_fields(approved)


def test_an_indicator_changed_in_the_admin_by_its_owners_staff_is_recorded(
    client, scene, make_member
):
    staff = make_member(scene.own, Role.STRATEGY_EDITOR, username="staffeditor")
    make_member(scene.other, Role.VIEWER, username="unused")  # another organisation exists
    staff.is_staff = True
    staff.save()
    indicator = scene.indicator
    client.force_login(staff)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _admin_form_data(page)
    data["name"] = "Sysselsatta i gruvor"
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).name == "Sysselsatta i gruvor"
    record = _latest(Indicator, id=indicator.pk)
    _assert_recent(record, staff, scene.own)
    assert "name" in _changed_fields(record)


def _admin_form_data(response) -> dict:
    """The admin change form's fields with their current values, as a browser would post them."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.content.decode(), "html.parser")
    form = page.find("form", id=lambda value: bool(value) and value.endswith("_form"))
    data: dict = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "button", "file"):
            continue
        if element.name == "select":
            chosen = [
                o.get("value", "") for o in element.find_all("option") if o.has_attr("selected")
            ]
            data[name] = chosen if element.has_attr("multiple") else (chosen[0] if chosen else "")
        elif element.name == "textarea":
            data[name] = element.text
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        else:
            data[name] = element.get("value", "")
    return data


def test_an_import_is_recorded_from_upload_to_its_end_with_its_starter(client, scene):
    client.force_login(scene.editor)
    client.post(
        reverse("indicators:import"),
        {"target": scene.indicator.code, "file": csv_upload(), "format": ""},
    )
    job = ImportJob.objects.exclude(pk=scene.import_job.pk).get()
    _assert_recent(job.history.get(history_type="+"), scene.editor, scene.own)
    import_file.call(job.pk)  # what the worker does, with no request
    records = list(job.history.order_by("history_date", "history_id"))
    assert [r.status for r in records] == ["pending", "running", "done"]
    for record in records:
        _assert_recent(record, scene.editor, scene.own)
    done = records[-1]
    assert {"status", "created", "rows_read", "finished_at"} <= _changed_fields(done)
    assert done.sha256 == job.sha256 and done.created == 2
    # The bulk-written rows are covered by the job's record: each points to its job.
    assert set(Observation.objects.values_list("import_job", flat=True)) == {job.pk}


def test_a_member_of_two_organisations_acts_for_the_one_the_object_belongs_to(scene, make_member):
    """Kiruna's consultation officer is also a strategy editor in Skellefteå: Kiruna's answer and
    its comment on a section are changed for Kiruna (their consultee), the strategy's section for
    Skellefteå (the partnership), Skellefteå's initiative for Skellefteå (its lead)."""
    user = make_member(scene.other, Role.CONSULTATION_OFFICER, username="twohats")
    membership_grant(user=user, organisation=scene.own, role=Role.STRATEGY_EDITOR)
    vision = scene.sections["Vision"]
    answer = consultation_services.answer_save_draft(
        scene.other_consultee,
        user=user,
        position="support",
        section_comments={vision.pk: ("support", "Bra.", "")},
    )
    section = strategy_services.section_create(
        version=strategy_services.strategy_draft(scene.strategy),
        user=user,
        kind="direction",
        title="Ny inriktning",
        dimension="social",
    )
    scene.initiative.title = "Ny titel"
    scene.initiative._history_user = user
    scene.initiative.save()

    assert _latest(Answer, id=answer.pk).history_organisation == scene.other
    assert _latest(Section, id=section.pk).history_organisation == scene.own
    assert _latest(Initiative, id=scene.initiative.pk).history_organisation == scene.own
    comment = answer.comments.get(section=vision)
    assert _latest(AnswerComment, id=comment.pk).history_organisation == scene.other


def test_an_audited_model_must_name_its_organisations():
    with isolate_apps("mineralstrategi.strategy"), pytest.raises(ImproperlyConfigured):

        class Unowned(models.Model):
            history = audited_history()

            class Meta:
                app_label = "strategy"

            def __str__(self) -> str:
                return "unowned"


def test_every_audited_model_records_the_organisation():
    labels = {m.instance_type._meta.label for m in audit_selectors.audited_models()}
    required = {
        "strategy.Strategy", "strategy.StrategyVersion", "strategy.Section",
        "consultation.Answer", "consultation.AnswerComment", "consultation.Disposition",
        "consultation.Consultee", "consultation.Meeting", "consultation.MeetingPerson",
        "consultation.MeetingOutcome", "implementation.Initiative", "indicators.Indicator",
        "indicators.ImportJob",
    }  # fmt: skip
    assert required <= labels


# --- The audit view -------------------------------------------------------------------------


def _edit_section_as(client, scene, user, title, key=None):
    if key is None:
        section = _draft_section(scene)
    else:
        section = Section.objects.get(key=key, version__frozen_at__isnull=True)
    client.force_login(user)
    client.post(
        reverse("strategy:section_edit", kwargs={"slug": scene.strategy.slug, "pk": section.pk}),
        {
            "title": title,
            "kind": section.kind,
            "dimension": section.dimension,
            "parent": "",
            "body_markdown": section.body_markdown,
            "revision": section.revision,
        },
    )


@pytest.mark.parametrize(
    "role", ["anonymous", "registered", "viewer", "contributor", "consultation_officer",
             "strategy_editor", "portal_staff"],
)  # fmt: skip
def test_only_administrators_read_the_audit_trail(client, scene, make_member, role):
    user = user_for(role, scene, make_member)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("audit:log"))
    assert response.status_code == (302 if user is None else 403)


def test_the_superuser_reads_every_change_with_its_field_diff(client, scene, make_member, soup):
    _edit_section_as(client, scene, scene.editor, "Granskad rubrik")
    client.force_login(user_for("superuser", scene, make_member))
    page = soup(client.get(reverse("audit:log"), {"model": "strategy.section", "user": "editor"}))
    first = page.select("tr.audit-entry")[0]
    assert first.select_one(".audit-user").text == "editor"
    assert first.select_one(".audit-organisation").text == scene.own.name
    # To the minute, in Swedish time; the machine-readable time is exact.
    assert first.select_one("time").text == timezone.localtime(
        datetime.datetime.fromisoformat(first.select_one("time")["datetime"])
    ).strftime("%Y-%m-%d %H:%M")
    changes = first.select_one(".audit-changes").text
    assert "Inriktning 1" in changes and "Granskad rubrik" in changes
    assert all(
        row.select_one(".audit-user").text == "editor" for row in page.select("tr.audit-entry")
    )
    # The columns in Swedish, each word in its own sense (not the stance "Avstyrker", nor the
    # strategy's "Insats").
    headers = [th.text for th in page.select("thead th")]
    assert "Objekt" in headers and "Händelse" in headers
    assert "Avstyrker" not in headers and "Insats" not in headers


def test_an_organisation_administrator_reads_only_their_organisations_changes(
    client, scene, make_member, soup
):
    kiruna_editor = make_member(scene.other, Role.STRATEGY_EDITOR, username="kirunaeditor")
    scene.strategy.partnership.add(scene.other)
    key = _draft_section(scene).key
    _edit_section_as(client, scene, kiruna_editor, "Kirunas rubrik", key)
    _edit_section_as(client, scene, scene.editor, "Skellefteås rubrik", key)
    client.force_login(user_for("organisation_administrator", scene, make_member))
    page = soup(client.get(reverse("audit:log"), {"model": "strategy.section"}))
    rows = page.select("tr.audit-entry")
    assert "Skellefteås rubrik" in rows[0].select_one(".audit-changes").text
    assert {row.select_one(".audit-organisation").text for row in rows} == {scene.own.name}
    # Kiruna's edit is not listed (its title shows only as the old value of Skellefteå's edit).
    assert not any("→ Kirunas rubrik" in row.text for row in rows)


def test_values_read_as_people_read_them(client, scene, make_member, soup):
    """Choices by their label, related objects by their name, yes or no: not codes and ids."""
    section = _draft_section(scene)
    client.force_login(scene.editor)
    client.post(
        reverse("strategy:section_edit", kwargs={"slug": scene.strategy.slug, "pk": section.pk}),
        {
            "title": section.title,
            "kind": section.kind,
            "dimension": "social" if section.dimension != "social" else "economic",
            "parent": "",
            "body_markdown": section.body_markdown,
            "revision": section.revision,
        },
    )
    client.force_login(user_for("superuser", scene, make_member))
    page = soup(client.get(reverse("audit:log"), {"model": "strategy.section"}))
    changed = page.select("tr.audit-entry")[0]
    dimension = [li.text for li in changed.select(".audit-changes li") if "dimension" in li.text]
    assert dimension and ("Social" in dimension[0] or "Ekonomisk" in dimension[0])
    assert "social" not in dimension[0] and "economic" not in dimension[0]
    created = [row for row in page.select("tr.audit-entry") if "skapad" in row.text][-1]
    versions = [
        li
        for li in created.select(".audit-changes li")
        if li.select_one(".audit-field").text == "version"
    ]
    assert versions and not versions[0].select_one("ins").text.isdigit()
    assert (
        "Arbetsutkast" in versions[0].select_one("ins").text or "arbetsutkast" in versions[0].text
    )


def test_the_date_filter_is_in_swedish_time(client, scene, make_member, soup):
    _edit_section_as(client, scene, scene.editor, "Dagens rubrik")
    client.force_login(user_for("superuser", scene, make_member))
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    shown = soup(client.get(reverse("audit:log"), {"from": today.isoformat()})).text
    hidden = soup(client.get(reverse("audit:log"), {"to": yesterday.isoformat()})).text
    assert "Dagens rubrik" in shown and "Dagens rubrik" not in hidden


def test_the_audit_trail_cannot_be_written_through_the_application(client, scene, make_member):
    root = user_for("superuser", scene, make_member)
    client.force_login(root)
    assert client.post(reverse("audit:log")).status_code == 405
    historical = set(audit_selectors.audited_models())
    assert not historical & set(admin.site._registry), "a historical model is in the admin"
    assert all(issubclass(m, AuditedHistoricalModel) for m in historical)


def test_the_admin_cannot_rewrite_a_historical_record(client, scene, make_member, settings):
    """The admin's history page may restore an old version as a new change (itself recorded), but
    never edits a past record."""
    assert not getattr(settings, "SIMPLE_HISTORY_EDIT", False)
    section = _draft_section(scene)
    _edit_section_as(client, scene, scene.editor, "Senare rubrik")
    before = list(Section.history.filter(id=section.pk).values())
    client.force_login(user_for("superuser", scene, make_member))
    first = Section.history.filter(id=section.pk).earliest("history_date")
    url = reverse("admin:strategy_section_simple_history", args=[section.pk, first.history_id])
    client.post(
        url,
        {
            "title": "Försök skriva om historiken",
            "kind": section.kind,
            "dimension": section.dimension,
            "body_markdown": "x",
            "position": 0,
            "version": section.version_id,
            "_change_history": "1",
        },
    )
    after = list(Section.history.filter(id=section.pk).values())
    assert after[-len(before) :] == before or after[: len(before)] == before
    assert not Section.history.filter(
        title="Försök skriva om historiken", history_type="+"
    ).exists()
    for old in before:
        assert Section.history.filter(**old).exists()
