"""Each kind of event, made by the real domain service: the person told sees it on /notiser/ in
Swedish and English, and gets a mail whose one-click unsubscribe link works."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from mineralstrategi.consultation import services as consultation
from mineralstrategi.consultation.models import today_in_stockholm
from mineralstrategi.implementation import services as implementation
from mineralstrategi.indicators.models import Indicator
from mineralstrategi.indicators.services import import_create, import_run
from mineralstrategi.notifications import services
from mineralstrategi.notifications.models import Event, Notification
from mineralstrategi.organisations.models import Role
from mineralstrategi.portal import services as portal
from mineralstrategi.portal.rules import MODERATORS_GROUP
from mineralstrategi.strategy import services as strategy_services
from tests.implementation.conftest import initiative_input
from tests.strategy.conftest import adopt

from .conftest import edit, person


def assert_told(user, swedish: str, english: str) -> None:
    """`user` sees the notification on /notiser/ in both languages, and got it by mail with a
    working unsubscribe link."""
    client = Client()
    client.force_login(user)
    assert swedish in client.get("/notiser/").content.decode()
    assert english in client.get("/en/notiser/").content.decode()
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    assert message.subject == swedish
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert Client().get(link.removeprefix("https://site.example")).status_code == 200


def test_a_followed_section_changes(following_reader, sections, editor, told):
    with told():
        edit(sections["Inriktning 1"], editor)
    assert_told(
        following_reader,
        "Avsnittet ”Inriktning 1” i Teststrategi för mineralnäringen ändrades.",
        "The section “Inriktning 1” of Teststrategi för mineralnäringen was changed.",
    )


def test_a_version_is_frozen_then_adopted(outsider, strategy, sections, editor, told):
    services.follow(outsider, strategy)
    with told():
        version = strategy_services.version_freeze(strategy, user=editor)
    assert_told(
        outsider,
        "Version 1 av Teststrategi för mineralnäringen låstes.",
        "Version 1 of Teststrategi för mineralnäringen was frozen.",
    )
    mail.outbox.clear()
    with told():
        adopt(version, editor)
    assert_told(
        outsider,
        "Version 1 av Teststrategi för mineralnäringen antogs.",
        "Version 1 of Teststrategi för mineralnäringen was adopted.",
    )


def test_an_initiative_is_approved(
    outsider, strategy, sections, editor, skelleftea, make_member, told
):
    contributor = make_member(skelleftea, Role.CONTRIBUTOR, username="contributor")
    initiative = implementation.initiative_create(
        strategy=strategy,
        organisation=skelleftea,
        user=contributor,
        data=initiative_input([sections["Insats 1.1.1"].key]),
    )
    services.follow(outsider, skelleftea)  # following the lead organisation is enough
    with told():
        implementation.initiative_approve(initiative, user=editor)
        implementation.initiative_approve(initiative, user=editor)  # again: nothing new
    assert Event.objects.count() == 1
    assert_told(
        outsider,
        "Initiativet ”Elektrifierade gruvtruckar” godkändes.",
        "The initiative “Elektrifierade gruvtruckar” was approved.",
    )


@pytest.fixture
def sent_round(strategy, sections, editor, skelleftea, told):
    version = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = consultation.round_create(
        version=version,
        user=editor,
        title="Remiss av teststrategin",
        registry_number="RV 2025/17",
        opens_on=today_in_stockholm() - datetime.timedelta(days=1),
        deadline=today_in_stockholm() + datetime.timedelta(days=30),
        instructions="Svara per avsnitt.",
        contact_name="Anna Lindqvist",
        contact_email="anna@example.org",
    )
    consultation.consultee_add(round_, user=editor, organisation=skelleftea)
    consultation.round_public_set(round_, user=editor, is_public=True)
    return round_


def test_a_remiss_is_sent(outsider, strategy, sent_round, editor, told):
    services.follow(outsider, strategy)
    with told():
        consultation.consultation_send(sent_round, user=editor)
    assert_told(
        outsider,
        "Remissen ”Remiss av teststrategin (RV 2025/17)” om Teststrategi för mineralnäringen "
        "skickades ut.",
        "The remiss “Remiss av teststrategin (RV 2025/17)” on Teststrategi för mineralnäringen "
        "was sent out.",
    )


def test_a_public_remiss_comment_awaits_moderation_is_approved_and_gets_a_decision(
    outsider, sent_round, editor, told
):
    with told():
        consultation.consultation_send(sent_round, user=editor)
    section = sent_round.version.sections.get(title="Inriktning 1")
    mail.outbox.clear()
    with told():
        comment = consultation.public_comment_submit(
            sent_round, section=section, user=outsider, body="Tänk på vattnet.", ip="10.0.0.1"
        )
    assert_told(
        editor,
        "En kommentar om ”Inriktning 1” väntar på granskning.",
        "A comment on “Inriktning 1” awaits moderation.",
    )
    with told():
        consultation.public_comment_moderate(comment, user=editor, action="publish")
    assert_told(
        outsider,
        "Din kommentar om ”Inriktning 1” godkändes och publicerades.",
        "Your comment on “Inriktning 1” was approved and published.",
    )
    mail.outbox.clear()
    with told():
        consultation.disposition_record(
            comment, user=editor, decision="accepted", reason="Vi lägger till vattnet."
        )
    client = Client()
    client.force_login(outsider)
    assert "har fått ett beslut: Godtas." in client.get("/notiser/").content.decode()
    assert "got a decision: Accepted." in client.get("/en/notiser/").content.decode()
    assert len([m for m in mail.outbox if m.to == [outsider.email]]) == 1


def test_a_consultees_answer_gets_a_decision(sent_round, editor, skelleftea, make_member, told):
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    officer.email = "officer@example.se"
    officer.save()
    with told():
        consultation.consultation_send(sent_round, user=editor)
    section = sent_round.version.sections.get(title="Inriktning 1")
    answer = consultation.answer_save_draft(
        sent_round.consultees.get(),
        user=officer,
        position="support_with_changes",
        comment="Vi stöder strategin.",
        section_comments={section.pk: ("support", "Bra.", "")},
    )
    answer = consultation.answer_submit(answer, user=officer)
    mail.outbox.clear()
    with told():
        consultation.disposition_record(
            answer.comments.get(), user=editor, decision="noted", reason="Noterat."
        )
    assert [n.event.params["decision"] for n in Notification.objects.filter(user=officer)] == [
        "Noted"
    ]
    client = Client()
    client.force_login(officer)
    assert "Din kommentar om ”Inriktning 1” har fått ett beslut:" in (
        client.get("/notiser/").content.decode()
    )
    assert "got a decision: Noted." in client.get("/en/notiser/").content.decode()


def test_a_portal_comment_awaits_moderation_and_is_approved(strategy, sections, settings, told):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_MODERATION": "pre"}
    moderator = person("moderator", is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    writer = person("writer")
    with told():
        comment = portal.comment_submit(
            portal.CommentTarget(strategy=strategy, section_key=sections["Vision"].key),
            name="Lisa",
            email="WRITER@example.se",
            body="Bra vision!",
            ip="10.0.0.2",
        )
    assert_told(
        moderator,
        "En kommentar om ”Teststrategi för mineralnäringen” väntar på granskning.",
        "A comment on “Teststrategi för mineralnäringen” awaits moderation.",
    )
    with told():
        portal.comment_moderate(comment, user=moderator, action="approve")
    assert_told(
        writer,
        "Din kommentar om ”Teststrategi för mineralnäringen” godkändes och publicerades.",
        "Your comment on “Teststrategi för mineralnäringen” was approved and published.",
    )


def test_new_indicator_values_one_notification_per_import(
    outsider, region_vasterbotten, tmp_path, told
):
    indicator = Indicator.objects.create(
        code="gruv-sysselsatta",
        name="Sysselsatta i gruvnäringen",
        definition="Antal sysselsatta.",
        unit="personer",
        dimension="economic",
        desired_direction="increase",
        source_organisation="SCB",
        owner=region_vasterbotten,
    )
    services.follow(outsider, indicator)
    path = tmp_path / "values.csv"
    path.write_text("geo,period,value\n25,2020,100\n2584,2020,40\nSE,2020,900\n")

    def run():
        job = import_create(
            path=path, file_name=path.name, kind="observations", indicator=indicator
        )
        with told():
            import_run(job, path)

    run()
    assert_told(
        outsider,
        "Nya värden för indikatorn ”Sysselsatta i gruvnäringen”: 3 observationer.",
        "New values for the indicator “Sysselsatta i gruvnäringen”: 3 observations.",
    )
    run()  # the same file again brings no new values: no new notification
    assert Notification.objects.filter(user=outsider).count() == 1
