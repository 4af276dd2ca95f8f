"""The notification services: who is told of an event, once; the mails, at once or as digests,
each with a working one-click unsubscribe link."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mineralstrategi.notifications import kinds, services
from mineralstrategi.notifications.models import Event, Follow, MailChoice, Notification
from mineralstrategi.strategy import services as strategy_services

from .conftest import edit, person


def notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("event__kind", flat=True))


def test_a_followers_is_told_once_even_following_the_section_and_its_strategy(
    following_reader, strategy, sections, editor, told
):
    services.follow(following_reader, strategy)
    with told():
        edit(sections["Inriktning 1"], editor)

    assert notified(following_reader) == [kinds.SECTION_CHANGED]
    event = Event.objects.get()
    assert event.fanned_out_at is not None
    assert services.fan_out(event.pk).notifications == 0  # a second run: nothing new
    assert Notification.objects.count() == 1


def test_the_actor_is_not_told_of_what_they_did(strategy, sections, editor, told):
    services.follow(editor, sections["Inriktning 1"])
    with told():
        edit(sections["Inriktning 1"], editor)

    assert notified(editor) == []


def test_no_notification_is_made_in_the_request_only_by_the_task(
    following_reader, sections, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        edit(sections["Inriktning 1"], editor)

    assert Event.objects.count() == 1
    assert Notification.objects.count() == 0  # the worker makes them, after the commit
    assert len(queued) >= 1


def test_a_change_in_the_working_draft_reaches_only_those_who_may_read_it(
    following_reader, outsider, sections, editor, told
):
    Follow.objects.create(
        user=outsider, target=sections["Inriktning 1"]
    )  # e.g. before a role ended
    with told():
        edit(sections["Inriktning 1"], editor)

    assert notified(following_reader) == [kinds.SECTION_CHANGED]
    assert notified(outsider) == []


def test_rapid_saves_by_one_editor_are_one_notification(following_reader, sections, editor, told):
    with told():
        edit(sections["Inriktning 1"], editor, "Första.")
        edit(sections["Inriktning 1"], editor, "Andra.")

    assert notified(following_reader) == [kinds.SECTION_CHANGED]
    with told():
        edit(sections["Inriktning 1"], editor, "Tredje, efter att de fått beskedet.")
    assert len(notified(following_reader)) == 2


def test_following_a_frozen_section_follows_it_through_the_working_draft(
    reader, strategy, sections, editor, told
):
    frozen = strategy_services.version_freeze(strategy, user=editor)
    services.follow(reader, frozen.sections.get(title="Inriktning 1"))

    assert Follow.objects.get(user=reader).target == sections["Inriktning 1"]
    with told():
        edit(sections["Inriktning 1"], editor)
    assert kinds.SECTION_CHANGED in notified(reader)


def test_only_followable_things_that_one_may_read_are_followed(
    outsider, strategy, sections, editor, region_vasterbotten
):
    assert services.follow(outsider, strategy)
    assert services.follow(outsider, region_vasterbotten)
    with pytest.raises(PermissionDenied):
        services.follow(outsider, sections["Inriktning 1"])  # a section of the private draft
    with pytest.raises(PermissionDenied):
        services.follow(outsider, editor)  # people are not followable
    with pytest.raises(services.NotFollowable):
        services.target_from("999999", "1")


def test_following_twice_is_one_follow_and_unfollowing_ends_it(outsider, strategy):
    services.follow(outsider, strategy)
    services.follow(outsider, strategy)
    assert Follow.objects.filter(user=outsider).count() == 1
    assert services.unfollow(outsider, strategy) is True
    assert services.unfollow(outsider, strategy) is False


def test_an_immediate_mail_with_unsubscribe_headers_and_links(
    following_reader, sections, editor, told, client
):
    with told():
        edit(sections["Inriktning 1"], editor)

    [message] = mail.outbox
    assert message.to == ["reader@example.se"]
    assert (
        message.subject == "Avsnittet ”Inriktning 1” i Teststrategi för mineralnäringen ändrades."
    )
    unsubscribe = services.unsubscribe_url(following_reader)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert "https://site.example/notiser/installningar/" in message.body
    assert "https://site.example/strategi/teststrategi/utkast/#section-" in message.body
    assert Notification.objects.get().emailed_at is not None
    # The worker runs the task again: no second mail for the same event.
    services.fan_out(Event.objects.get().pk)
    assert len(mail.outbox) == 1


def test_the_one_click_unsubscribe_link_needs_no_login_and_stops_the_mail(
    following_reader, sections, editor, told, client
):
    path = services.unsubscribe_url(following_reader).removeprefix("https://site.example")
    page = client.get(path)
    assert page.status_code == 200
    assert services.settings_for(following_reader).mail == MailChoice.IMMEDIATELY

    # What a mail program does with List-Unsubscribe-Post: a POST without a form's CSRF token.
    from django.test import Client

    answer = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert services.settings_for(following_reader).mail == MailChoice.NEVER
    with told():
        edit(sections["Inriktning 1"], editor)
    assert mail.outbox == []
    assert notified(following_reader) == [kinds.SECTION_CHANGED]  # still on the site


def test_a_forged_unsubscribe_link_is_refused_with_a_message(client, following_reader):
    page = client.get("/notiser/avsluta/not-a-token/")
    assert page.status_code == 400
    assert "inte giltig" in page.content.decode()
    assert client.post("/notiser/avsluta/not-a-token/").status_code == 400


def test_a_daily_digest_is_sent_once_with_every_unmailed_notification(
    following_reader, strategy, sections, editor, told
):
    services.settings_set(following_reader, mail=MailChoice.DAILY)
    services.follow(following_reader, strategy)
    with told():
        edit(sections["Inriktning 1"], editor)
    with told():
        strategy_services.version_freeze(strategy, user=editor)
    assert mail.outbox == []  # no mail at once for a digest reader

    assert services.send_digests(MailChoice.DAILY) == 1
    assert services.send_digests(MailChoice.DAILY) == 0  # idempotent
    assert services.send_digests(MailChoice.WEEKLY) == 0
    [digest] = mail.outbox
    assert "Inriktning 1" in digest.body and "Version 1 av" in digest.body
    assert digest.extra_headers["List-Unsubscribe"].startswith("<https://site.example/notiser/")

    # The next day, a new notification: the next digest has it alone.
    with told():
        edit(sections["Inriktning 2"], editor)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert services.send_digests(MailChoice.DAILY, now=tomorrow) == 1
    assert "Inriktning 2" in mail.outbox[1].body and "Version 1" not in mail.outbox[1].body


def test_the_digest_command_queues_the_task_that_sends_them(
    following_reader, sections, editor, told
):
    from django.core.management import call_command

    services.settings_set(following_reader, mail=MailChoice.WEEKLY)
    with told():
        edit(sections["Inriktning 1"], editor)
    call_command("send_digests", "--period", "weekly", verbosity=0)  # runs at once in tests
    call_command("send_digests", "--period", "weekly", verbosity=0)
    assert len(mail.outbox) == 1


def test_no_one_reads_or_marks_anothers_notifications(following_reader, sections, editor, told):
    with told():
        edit(sections["Inriktning 1"], editor)
    other = person("other")
    notification = Notification.objects.get()

    assert services.mark_read(other, notification.pk) is False
    assert services.mark_all_read(other) == 0
    notification.refresh_from_db()
    assert notification.read_at is None
    assert services.mark_read(following_reader, notification.pk) is True


def test_a_long_digest_lists_the_first_and_says_how_many_more(
    following_reader, strategy, sections, editor, told, monkeypatch
):
    monkeypatch.setattr(services, "DIGEST_ITEMS", 1)
    services.settings_set(following_reader, mail=MailChoice.DAILY)
    services.follow(following_reader, strategy)
    with told():
        edit(sections["Inriktning 1"], editor)
    with told():
        strategy_services.version_freeze(strategy, user=editor)

    assert services.send_digests(MailChoice.DAILY) == 1
    [digest] = mail.outbox
    assert digest.subject == "Dina notiser från Mineralstrategi (2)"
    assert "… och 1 till på webbplatsen." in digest.body


def test_a_public_follower_of_a_section_hears_when_a_version_changes_it(
    outsider, strategy, sections, editor, told
):
    first = strategy_services.version_freeze(strategy, user=editor)
    services.follow(outsider, first.sections.get(title="Inriktning 1"))  # from its public page
    with told():
        edit(sections["Inriktning 2"], editor)
        strategy_services.version_freeze(strategy, user=editor)
    assert notified(outsider) == []  # neither the draft's change nor a version without it
    with told():
        edit(sections["Inriktning 1"], editor)
        strategy_services.version_freeze(strategy, user=editor)
    assert notified(outsider) == [kinds.VERSION_FROZEN]
