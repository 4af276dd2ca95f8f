"""Samråd (dialogue meetings) of a round: planned ahead with invited organisations and people,
each person's invitation state as it truly is, registration (by the invitation's link, logged in,
or by anyone when the meeting is open), then the minutes, participants and outcomes linked to
sections; edited, cancelled (the invited told) and deleted, every change in the history. Judged
by what a person sees on the pages."""

import datetime
import smtplib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import Meeting, MeetingOutcome, MeetingPerson
from mineralstrategi.consultation.services import OutcomeInput, PersonInput
from tests.conftest import meeting_begun


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _plan_form(skelleftea, **overrides):
    starts = timezone.now() + datetime.timedelta(days=10)
    return {
        "title": "Samråd om visionen",
        "held_at": _local(starts),
        "ends_at": _local(starts + datetime.timedelta(hours=2)),
        "place": "Stadshuset <Skellefteå>",
        "link": "",
        "agenda": "1. Visionen\n2. Frågor",
        "invited_organisations": [skelleftea.pk],
        "people": "Anna Berg; anna.berg@example.se; Skellefteå kommun\nPer Nilsson; Kiruna kommun",
        "registration_closes_at": "",
        **overrides,
    }


def _planned(round_, editor, **overrides) -> Meeting:
    starts = timezone.now() + datetime.timedelta(days=10)
    fields = {
        "title": "Samråd om visionen",
        "held_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place": "Stadshuset",
        "people": [
            PersonInput("Anna Berg", "anna.berg@example.se", "Skellefteå kommun"),
            PersonInput("Per Nilsson", "", "Kiruna kommun"),
        ],
        **overrides,
    }
    return services.meeting_plan(round_, user=editor, **fields)


def _row(page, name):
    return page.select_one(f'tr[data-person="{name}"]')


def test_the_registrar_plans_a_samrad_and_sees_each_invitation_as_it_is(
    client, round_, editor, skelleftea, soup, mailoutbox, settings
):
    settings.SITE_URL = "https://mineral.example.se"
    client.force_login(editor)
    url = reverse("consultation:meeting_create", kwargs={"pk": round_.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, _plan_form(skelleftea))
    meeting = Meeting.objects.get(title="Samråd om visionen")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    page = soup(client.get(meeting.get_absolute_url()))
    assert page.select_one("[data-meeting-status]").text == "Planned"
    assert "Stadshuset <Skellefteå>" in page.text  # escaped, shown as typed
    assert _row(page, "Anna Berg").select_one("[data-invitation]").text.startswith("Sent ")
    assert (
        _row(page, "Per Nilsson").select_one("[data-invitation]").text
        == "Not sent: no e-mail address"
    )
    assert "Skellefteå kommun" in page.select_one(".meeting-facts").text  # invited organisation
    # One mail, in Swedish, linking to the site's public address, with the meeting as .ics.
    (invitation,) = mailoutbox
    assert invitation.to == ["anna.berg@example.se"]
    assert invitation.subject == "Inbjudan till samråd: Samråd om visionen"
    assert "https://mineral.example.se/remiss/" in invitation.body
    (name, content, kind) = invitation.attachments[0]
    assert kind == "text/calendar" and "SUMMARY:Samråd om visionen" in content
    # The round's page lists it as planned.
    round_page = soup(client.get(round_.get_absolute_url()))
    planned = round_page.select_one("#meetings-planned + ul").text
    assert "Samråd om visionen" in planned and "(planned)" in planned


def test_a_failed_invitation_is_shown_with_the_servers_error(
    client, round_, editor, soup, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"anna.berg@example.se": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    meeting = _planned(round_, editor)
    client.force_login(editor)
    page = soup(client.get(meeting.get_absolute_url()))
    cell = _row(page, "Anna Berg").select_one("[data-invitation]").text
    assert cell.startswith("Sending failed: SMTPRecipientsRefused")


def test_bad_input_is_named_and_nothing_typed_is_lost(client, round_, editor, skelleftea, soup):
    client.force_login(editor)
    url = reverse("consultation:meeting_create", kwargs={"pk": round_.pk})
    form = _plan_form(
        skelleftea,
        ends_at="2020-01-01T10:00",
        people="Anna Berg; anna.berg@example.se\n; nobody@example.se",
        link="inte en länk",
    )
    response = client.post(url, form)
    assert response.status_code == 400
    page = soup(response)
    summary = [a.text for a in page.select(".error-summary a")]
    assert "Ends: The meeting ends before it starts." in summary
    assert any(s.startswith("Invited people: Line 2") for s in summary)
    assert any(s.startswith("Meeting link:") for s in summary)
    assert page.select_one("#id_people").text.strip().startswith("Anna Berg; anna.berg@example.se")
    assert page.select_one("#id_title")["value"] == "Samråd om visionen"
    assert page.select_one("#id_agenda").text.strip() == "1. Visionen\n2. Frågor"
    assert not Meeting.objects.exists()


def test_an_invited_person_registers_by_the_link_and_the_registrar_sees_it(
    client, round_, editor, soup, mailoutbox
):
    meeting = _planned(round_, editor)
    anna = meeting.people.get(name="Anna Berg")
    link = services.meeting_person_url(anna)
    assert link.removeprefix("/en") in mailoutbox[0].body  # the mail is in Swedish
    page = soup(client.get(link))
    assert "Samråd om visionen" in page.h1.text
    client.post(link, {"action": "register"})
    assert "You are registered for this meeting." in soup(client.get(link)).text
    confirmation = mailoutbox[-1]
    assert confirmation.to == ["anna.berg@example.se"]
    assert confirmation.subject.startswith("Anmälan bekräftad")
    # The public meeting page shows neither registrations nor addresses.
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "anna.berg@example.se" not in public and "Registered" not in public
    client.force_login(editor)
    row = _row(soup(client.get(meeting.get_absolute_url())), "Anna Berg")
    assert row.select_one("[data-registration]").text.startswith("Registered ")
    assert "anna.berg@example.se" in row.text
    client.logout()
    client.post(link, {"action": "cancel"})
    client.force_login(editor)
    row = _row(soup(client.get(meeting.get_absolute_url())), "Anna Berg")
    assert row.select_one("[data-registration]").text == "Registration cancelled"


def test_a_forged_link_is_refused(client, round_, editor):
    meeting = _planned(round_, editor)
    url = reverse("consultation:meeting_person", kwargs={"pk": meeting.round_id, "token": "x:y"})
    response = client.get(url)
    assert response.status_code == 400 and "The link does not work" in response.content.decode()


def test_only_the_invited_register_unless_the_meeting_is_open(client, round_, editor, soup):
    meeting = _planned(round_, editor)
    url = reverse("consultation:meeting_register", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    form = {"name": "Eva Ek", "email": "eva@example.se", "organisation_name": "", "website": ""}
    page = soup(client.post(url, form))
    assert (
        "Only the invited may register for this meeting." in page.select_one(".error-summary").text
    )
    assert not meeting.people.filter(name="Eva Ek").exists()
    Meeting.objects.filter(pk=meeting.pk).update(registration_open=True)
    note = soup(client.get(meeting.get_absolute_url())).select_one(
        ".registration-form .privacy-note a"
    )
    assert note["href"] == reverse("portal:privacy")  # the form takes personal data
    assert client.post(url, form).status_code == 302
    # A bot fills in the hidden field: nothing is stored.
    client.post(url, {**form, "email": "bot@example.se", "website": "http://spam"})
    assert not meeting.people.filter(email="bot@example.se").exists()
    client.force_login(editor)
    row = _row(soup(client.get(meeting.get_absolute_url())), "Eva Ek")
    assert row.select_one("[data-registration]").text.startswith("Registered ")
    assert "Not invited (registered on their own)" in row.text


def test_public_registrations_are_rate_limited(client, round_, editor, settings):
    from django.core.cache import cache

    cache.clear()  # the counters of earlier tests
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_RATE_LIMIT": 2}
    meeting = _planned(round_, editor, registration_open=True)
    url = reverse("consultation:meeting_register", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    for n in range(2):
        response = client.post(url, {"name": f"P{n}", "email": f"p{n}@example.se", "website": ""})
        assert response.status_code == 302
    response = client.post(url, {"name": "P3", "email": "p3@example.se", "website": ""})
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()


def test_a_logged_in_invited_user_registers_and_cancels(client, round_, editor, officer, soup):
    officer.email = "officer@example.se"
    officer.save()
    meeting = _planned(
        round_, editor, people=[PersonInput("Olle Officer", "officer@example.se", "Skellefteå")]
    )
    client.force_login(officer)
    url = reverse("consultation:meeting_register", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    assert client.post(url, {"action": "register", "website": ""}).status_code == 302
    page = soup(client.get(meeting.get_absolute_url()))
    assert "You are registered for this meeting." in page.select_one("#registration").text
    client.post(url, {"action": "cancel"})
    assert meeting.people.get().registration == "cancelled"


def test_the_registrar_records_minutes_participants_and_outcomes(
    client, round_, editor, skelleftea, kiruna, sections, soup
):
    meeting = _planned(round_, editor)
    anna = meeting.people.get(name="Anna Berg")
    services.meeting_register(meeting, person=anna, ip="1.2.3.4")
    meeting_begun(meeting)
    client.force_login(editor)
    url = reverse("consultation:meeting_minutes", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    form_page = soup(client.get(url))
    ticked = [i["value"] for i in form_page.select("input[name=participant_people][checked]")]
    assert ticked == [str(anna.pk)]  # prefilled from the registrations
    vision = sections["Vision"]
    response = client.post(
        url,
        {
            "notes": "Protokoll: **visionen** diskuterades.",
            "participant_people": [anna.pk],
            "more_people": "Karin Ström; karin@example.se; Kiruna kommun",
            "participants": [skelleftea.pk, kiruna.pk],
            "outcome-TOTAL_FORMS": "2",
            "outcome-INITIAL_FORMS": "0",
            "outcome-0-text": "Visionen <skrivs om>.",
            "outcome-0-section": str(vision.pk),
            "outcome-1-text": "Ett nytt möte hålls.",
            "outcome-1-section": "",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = soup(client.get(meeting.get_absolute_url()))  # as the public sees it
    assert page.select_one("[data-meeting-status]").text == "Held; the minutes are recorded"
    assert page.select_one("#minutes-heading").find_next("strong").text == "visionen"
    participants = page.select_one(".meeting-participants").text
    assert "Anna Berg, Skellefteå kommun" in participants and "Karin Ström" in participants
    assert "Per Nilsson" not in participants
    outcomes = page.select("[data-outcome]")
    assert outcomes[0].text.startswith("Visionen <skrivs om>.")
    link = outcomes[0].select_one("a")
    assert link.text == "Vision" and link["href"].endswith(f"#{vision.anchor}")
    assert "about" not in outcomes[1].text
    assert "karin@example.se" not in page.text and not page.select("table.meeting-people")
    # The round's page lists it as held, with its outcomes counted.
    held = soup(client.get(round_.get_absolute_url())).select_one("#meetings-held + ul").text
    assert "held, 2 outcomes" in held


def test_an_outcome_names_a_section_of_the_consulted_version_only(round_, editor, strategy):
    from mineralstrategi.strategy.services import strategy_draft

    meeting = meeting_begun(_planned(round_, editor))
    draft_section = strategy_draft(strategy).sections.first()
    with pytest.raises(Exception, match="consulted version"):
        services.meeting_record(
            meeting, user=editor, outcomes=[OutcomeInput("Fel avsnitt.", draft_section)]
        )
    assert not MeetingOutcome.objects.exists()


def test_a_bad_outcome_form_keeps_what_was_typed(client, round_, editor, soup):
    meeting = meeting_begun(_planned(round_, editor))
    client.force_login(editor)
    url = reverse("consultation:meeting_minutes", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    response = client.post(
        url,
        {
            "notes": "Mina anteckningar.",
            "more_people": "; utan namn",
            "outcome-TOTAL_FORMS": "1",
            "outcome-INITIAL_FORMS": "0",
            "outcome-0-text": "Ett utfall.",
            "outcome-0-section": "999999",
        },
    )
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one(".error-summary").text
    assert (
        "Others who took part: Line 1" in summary
        and "Outcome 1, About the section: Select a valid choice" in summary
    )
    assert page.select_one("#id_notes").text.strip() == "Mina anteckningar."
    assert page.select_one("#id_outcome-0-text").text.strip() == "Ett utfall."


def test_editing_keeps_invitations_and_invites_the_new(
    client, round_, editor, skelleftea, soup, mailoutbox
):
    meeting = _planned(round_, editor)
    assert len(mailoutbox) == 1
    client.force_login(editor)
    url = reverse("consultation:meeting_edit", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    form_page = soup(client.get(url))
    assert "Per Nilsson; Kiruna kommun" in form_page.select_one("#id_people").text
    people = form_page.select_one("#id_people").text + "\nLisa Lind; lisa@example.se"
    response = client.post(
        url, _plan_form(skelleftea, title="Samråd om visionen (ny tid)", people=people)
    )
    assert response.status_code == 302
    # Lisa is invited; Anna, invited before, is told of the new time and place; Per has no address.
    assert [m.to for m in mailoutbox] == [
        ["anna.berg@example.se"],
        ["lisa@example.se"],
        ["anna.berg@example.se"],
    ]
    change = mailoutbox[2]
    assert change.subject == "Ändrat samråd: Samråd om visionen (ny tid)"  # the site's language
    assert "Var: Stadshuset <Skellefteå>" in change.body
    assert change.attachments[0][0] == f"samrad-{meeting.pk}.ics"
    page = soup(client.get(meeting.get_absolute_url()))
    assert page.h1.text == "Samråd om visionen (ny tid)"
    assert _row(page, "Anna Berg").select_one("[data-invitation]").text.startswith("Sent ")
    assert _row(page, "Lisa Lind").select_one("[data-invitation]").text.startswith("Sent ")
    assert _row(page, "Anna Berg").select_one("[data-change-notice]").text.startswith("Sent ")
    assert _row(page, "Per Nilsson").select_one("[data-change-notice]").text == (
        "Not sent: no e-mail address"
    )
    assert _row(page, "Lisa Lind").select_one("[data-change-notice]").text == "–"
    history = Meeting.history.filter(id=meeting.pk).order_by("-history_date", "-history_id")
    assert history[0].history_user == editor and history[0].title.endswith("(ny tid)")


def test_cancelling_tells_those_with_an_address_and_says_so(
    client, round_, editor, soup, mailoutbox
):
    meeting = _planned(round_, editor)
    client.force_login(editor)
    url = reverse("consultation:meeting_cancel", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    assert "Cancel “Samråd om visionen”?" in soup(client.get(url)).h1.text
    client.post(url, {"reason": "Lokalen är inte ledig."})
    assert mailoutbox[-1].subject == "Inställt samråd: Samråd om visionen"
    assert "Lokalen är inte ledig." in mailoutbox[-1].body
    page = soup(client.get(meeting.get_absolute_url()))
    assert page.select_one("[data-meeting-status]").text.startswith("Cancelled on ")
    assert _row(page, "Anna Berg").select("td")[-1].text == "Sent"
    assert _row(page, "Per Nilsson").select("td")[-1].text == "Not sent: no e-mail address"
    cancelled = soup(client.get(round_.get_absolute_url())).select_one("#meetings-cancelled + ul")
    assert "Samråd om visionen" in cancelled.text and "planned" not in cancelled.text


def test_deleting_asks_first_and_the_history_keeps_it(client, round_, editor, soup):
    meeting = _planned(round_, editor)
    client.force_login(editor)
    url = reverse("consultation:meeting_delete", kwargs={"pk": round_.pk, "meeting": meeting.pk})
    assert "Delete “Samråd om visionen”?" in soup(client.get(url)).h1.text
    client.post(url)  # without the confirmation nothing happens
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert client.get(meeting.get_absolute_url()).status_code == 404
    deleted = Meeting.history.get(id=meeting.pk, history_type="-")
    assert deleted.history_user == editor and deleted.title == "Samråd om visionen"
    assert MeetingPerson.history.filter(history_type="-", history_user=editor).count() == 2


def test_the_meeting_of_a_planned_round_is_not_public(client, planned_round, editor):
    meeting = _planned(planned_round, editor)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302  # to the login: the round is the partnership's until sent


ENGLISH = (
    "Planned", "Held", "Cancelled", "Invited", "Registration", "Minutes", "Outcome", "Agenda",
    "Not sent", "Sent ", "Took part", "Starts", "Ends", "meeting", "Change the", "Delete",
)  # fmt: skip


def test_in_swedish(client, round_, editor, skelleftea, sections, soup):
    """The samråd's pages in Swedish, for the registrar and the public: no English."""
    from django.utils import translation

    with translation.override("sv"):
        client.force_login(editor)
        url = reverse("consultation:meeting_create", kwargs={"pk": round_.pk})
        failed = soup(client.post(url, _plan_form(skelleftea, ends_at="2020-01-01T10:00")))
        assert "Slutar: Mötet slutar innan det börjar." in failed.select_one(".error-summary").text
        meeting = _planned(round_, editor, registration_open=True)
        services.meeting_register(meeting, person=meeting.people.get(name="Anna Berg"), ip="1")
        planned_page = soup(client.get(meeting.get_absolute_url()))
        meeting_begun(meeting)
        pages = [
            failed,
            planned_page,
            soup(client.get(meeting.get_absolute_url())),
            soup(client.get(reverse("consultation:meeting_minutes", args=[round_.pk, meeting.pk]))),
            soup(client.get(reverse("consultation:meeting_cancel", args=[round_.pk, meeting.pk]))),
            soup(client.get(reverse("consultation:meeting_delete", args=[round_.pk, meeting.pk]))),
        ]
        services.meeting_record(
            meeting,
            user=editor,
            notes="Protokoll.",
            outcomes=[OutcomeInput("Visionen ses över.", sections["Vision"])],
        )
        client.logout()
        public = soup(client.get(meeting.get_absolute_url()))
        assert public.select_one("[data-meeting-status]").text == (
            "Genomfört; protokollet är registrerat"
        )
        assert "(gäller Vision)" in public.select_one("[data-outcome]").text
        pages += [public, soup(client.get(round_.get_absolute_url()))]
    for page in pages:
        main = page.select_one("main").text
        assert not [word for word in ENGLISH if word in main], main


def test_a_planned_meeting_whose_time_passed_says_no_minutes_are_recorded(
    client, round_, editor, soup
):
    past = timezone.now() - datetime.timedelta(days=1)
    meeting = _planned(round_, editor, held_at=past, ends_at=past + datetime.timedelta(hours=1))
    page = soup(client.get(round_.get_absolute_url()))
    assert "(planned; no minutes recorded yet)" in page.select_one("#meetings-planned + ul").text
    status = soup(client.get(meeting.get_absolute_url())).select_one("[data-meeting-status]")
    assert status.text == "Planned; its time has passed and no minutes are recorded yet"
    assert "Registration is closed." in soup(client.get(meeting.get_absolute_url())).text


def test_a_samrad_is_recorded_only_once_it_has_begun(client, round_, editor, soup):
    """A samråd that has not begun has nothing to record: the page says when it can be, offers
    no link, the minutes page sends the registrar back with the reason, and the service refuses."""
    meeting = _planned(round_, editor)
    client.force_login(editor)
    minutes = reverse("consultation:meeting_minutes", args=[round_.pk, meeting.pk])

    page = soup(client.get(meeting.get_absolute_url()))
    assert not page.select(f'a[href="{minutes}"]')
    assert "can be recorded once the samråd has begun" in page.text
    sent_back = client.get(minutes, follow=True)
    assert sent_back.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "its minutes can be recorded once it has begun" in sent_back.content.decode()
    with pytest.raises(ValidationError, match="once it has begun"):
        services.meeting_record(meeting, user=editor, notes="För tidigt.")
    meeting.refresh_from_db()
    assert meeting.is_planned and meeting.notes == ""

    meeting_begun(meeting)
    assert soup(client.get(meeting.get_absolute_url())).select(f'a[href="{minutes}"]')


def test_a_change_of_anything_but_time_or_place_tells_no_one(round_, editor, mailoutbox):
    meeting = _planned(round_, editor)
    people = [PersonInput(p.name, p.email, p.organisation_name) for p in meeting.people.all()]
    services.meeting_update(
        meeting,
        user=editor,
        title="Samråd om visionen och målen",
        held_at=meeting.held_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        agenda="En ny dagordning.",
        people=people,
    )
    assert [m.subject for m in mailoutbox] == ["Inbjudan till samråd: Samråd om visionen"]
    assert not meeting.people.exclude(change_notice_state="").exists()
