"""Portal services: publication, comments (moderation, honeypot, rate limits, reports, the
commenter's own data) and event registration (capacity, waiting list, cancellation)."""

import re
from datetime import UTC, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

from mineralstrategi.portal import selectors, services
from mineralstrategi.portal.models import Comment, NewsArticle, RegistrationStatus
from mineralstrategi.portal.services import CommentTarget, RateLimited, Refused

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def public_address(settings):
    """Links in mails start with the site's public address."""
    settings.SITE_URL = "https://site.example"


def submit(article, *, name="Lisa", email="lisa@example.se", ip="10.0.0.1", body="Bra!", **kw):
    return services.comment_submit(
        CommentTarget(article=article), name=name, email=email, body=body, ip=ip, **kw
    )


# --- Articles -----------------------------------------------------------------------------------


def test_only_portal_editors_write_articles(db, make_member, region_vasterbotten):
    outsider = make_member(region_vasterbotten, "strategy_editor")
    outsider.is_staff = True
    outsider.save()

    with pytest.raises(PermissionDenied):
        services.article_save(user=outsider, title="Nej")
    assert not NewsArticle.objects.exists()


def test_a_draft_and_a_scheduled_article_are_not_public_until_their_time(editor):
    draft = services.article_save(user=editor, title="Utkast")
    later = timezone.now() + timedelta(days=2)
    scheduled = services.article_save(
        user=editor, title="Planerad", status="published", published_at=later
    )
    now_published = services.article_save(user=editor, title="Nu", status="published")

    assert list(NewsArticle.objects.published()) == [now_published]
    assert now_published.published_at is not None
    assert list(NewsArticle.objects.published(now=later + timedelta(seconds=1))) == [
        scheduled,
        now_published,
    ]
    assert not draft.is_public


def test_an_image_needs_its_alt_text_and_a_failed_save_stores_nothing(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = SimpleUploadedFile("bild.png", PNG, content_type="image/png")

    with pytest.raises(ValidationError) as error:
        services.article_save(user=editor, title="Med bild", image=image)

    assert "image_alt" in error.value.message_dict
    assert not NewsArticle.objects.exists()
    saved = services.article_save(
        user=editor,
        title="Med bild",
        image=SimpleUploadedFile("bild.png", PNG, content_type="image/png"),
        image_alt="Ett dagbrott i vinterljus",
    )
    assert saved.image.name.startswith("news/")


def test_tags_are_created_once_and_slugs_stay_unique(editor):
    first = services.article_save(user=editor, title="Samma titel", tags="Gruvor, vatten, Gruvor")
    second = services.article_save(user=editor, title="Samma titel", tags="vatten")

    assert sorted(tag.name for tag in first.tags.all()) == ["Gruvor", "vatten"]
    assert second.tags.get().pk == first.tags.get(name="vatten").pk
    assert first.slug != second.slug


def test_article_changes_are_recorded_with_their_author(article, editor):
    services.article_save(user=editor, article=article, title="Ny rubrik", status="published")

    latest = article.history.latest()
    assert latest.title == "Ny rubrik" and latest.history_user == editor


# --- Comments -----------------------------------------------------------------------------------


def test_pre_moderation_holds_a_comment_until_a_moderator_approves(
    article, moderator, pre_moderation
):
    comment = submit(article)

    assert comment.status == "pending"
    assert list(selectors.article_comments(article)) == []
    services.comment_moderate(comment, user=moderator, action="approve")
    assert list(selectors.article_comments(article)) == [comment]
    assert comment.history.latest().history_user == moderator


def test_post_moderation_shows_a_comment_at_once_and_a_moderator_can_hide_it(
    article, moderator, post_moderation
):
    comment = submit(article)

    assert list(selectors.article_comments(article)) == [comment]
    services.comment_moderate(comment, user=moderator, action="hide")
    assert list(selectors.article_comments(article)) == []
    services.comment_moderate(comment, user=moderator, action="delete")
    assert not Comment.objects.exists()


def test_only_moderators_moderate(article, editor, post_moderation):
    comment = submit(article)

    with pytest.raises(PermissionDenied):
        services.comment_moderate(comment, user=editor, action="hide")
    comment.refresh_from_db()
    assert comment.status == "published"


def test_the_honeypot_stores_nothing_and_tells_the_bot_nothing(article):
    assert submit(article, honeypot="http://spam.example") is None
    assert not Comment.objects.exists()


def test_rate_limit_per_ip_address(article, settings):
    limit = settings.MINERALSTRATEGI["COMMENT_RATE_LIMIT"]
    for number in range(limit):
        submit(article, email=f"person{number}@example.se", ip="10.0.0.9")

    with pytest.raises(RateLimited):
        submit(article, email="another@example.se", ip="10.0.0.9")
    assert Comment.objects.count() == limit
    submit(article, email="another@example.se", ip="10.0.0.10")


def test_rate_limit_per_email_whatever_the_address(article, settings):
    limit = settings.MINERALSTRATEGI["COMMENT_RATE_LIMIT"]
    for number in range(limit):
        submit(article, email="Same@Example.se", ip=f"10.0.1.{number}")

    with pytest.raises(RateLimited):
        submit(article, email="same@example.se", ip="10.0.2.1")


def test_comments_on_a_draft_article_are_refused(editor):
    draft = services.article_save(user=editor, title="Utkast")
    with pytest.raises(Refused):
        submit(draft)


def test_a_too_long_comment_is_refused_with_a_message(article):
    with pytest.raises(ValidationError) as error:
        submit(article, body="x" * 4001)
    assert "body" in error.value.message_dict
    assert not Comment.objects.exists()


def test_three_reports_hide_a_comment_until_a_moderator_reviews_it(
    article, moderator, post_moderation
):
    comment = submit(article)
    for number in range(2):
        services.comment_report(comment, ip=f"10.1.0.{number}")
    assert comment in selectors.article_comments(article)

    services.comment_report(comment, ip="10.1.0.3")

    assert comment not in selectors.article_comments(article)
    assert comment in selectors.moderation_queue(moderator)
    services.comment_moderate(comment, user=moderator, action="approve")
    assert comment in selectors.article_comments(article)
    assert comment not in selectors.moderation_queue(moderator)


def test_the_commenter_gets_a_signed_link_to_see_and_delete_their_comments(article):
    submit(article, email="lisa@example.se")
    submit(article, email="LISA@example.se", name="Lisa igen")
    submit(article, email="other@example.se", name="Other")

    sent = services.commenter_link_send("lisa@example.se", ip="10.0.0.1")

    assert sent and len(mail.outbox) == 1
    token = re.search(
        r"https://site\.example/(?:en/)?mina-kommentarer/([^/\s]+)/", mail.outbox[0].body
    )[1]
    email = services.commenter_email_from_token(token)
    assert selectors.commenter_comments(email).count() == 2
    assert services.commenter_data_delete(email) == 2
    assert list(Comment.objects.values_list("name", flat=True)) == ["Other"]
    with pytest.raises(signing.BadSignature):
        services.commenter_email_from_token(token + "x")


def test_no_mail_for_an_address_without_comments(db):
    assert not services.commenter_link_send("nobody@example.se", ip="10.0.0.1")
    assert mail.outbox == []


# --- Registration -------------------------------------------------------------------------------


def register(event, number: int, **kw):
    return services.event_register(
        event,
        name=f"Person {number}",
        email=f"p{number}@example.se",
        ip=f"10.2.0.{number}",
        **kw,
    )


def test_places_then_waiting_list_then_promotion_when_someone_cancels(seminar, english):
    first, second, third, fourth = (register(seminar, n) for n in range(1, 5))

    assert [r.status for r in (first, second, third, fourth)] == [
        "confirmed", "confirmed", "waiting", "waiting",
    ]  # fmt: skip
    assert len(mail.outbox) == 4 and "waiting list" in mail.outbox[2].body
    token = re.search(
        r"https://site\.example/(?:en/)?evenemang/avboka/([^/\s]+)/", mail.outbox[0].body
    )[1]

    promoted = services.registration_cancel(services.registration_from_token(token))

    assert promoted == [third]
    third.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, third.status) == (RegistrationStatus.CANCELLED, "confirmed")
    assert mail.outbox[-1].to == ["p3@example.se"] and "You have a place" in mail.outbox[-1].body
    assert services.registration_cancel(first) == []


def test_the_same_email_registers_once(seminar):
    register(seminar, 1)
    with pytest.raises(Refused):
        services.event_register(seminar, name="Igen", email="P1@example.se", ip="10.9.9.9")


def test_more_places_promote_the_waiting_list(seminar, editor):
    for number in range(1, 5):
        register(seminar, number)

    services.event_save(
        user=editor,
        event=seminar,
        title=seminar.title,
        starts_at=seminar.starts_at,
        ends_at=seminar.ends_at,
        place=seminar.place,
        capacity=3,
        status="published",
        published_at=seminar.published_at,
    )

    assert seminar.registrations.filter(status="confirmed").count() == 3


def test_registration_closes(seminar, editor):
    seminar.registration_closes_at = timezone.now() - timedelta(minutes=1)
    seminar.save()
    with pytest.raises(Refused):
        register(seminar, 1)
    assert not seminar.registrations.exists()


def test_an_event_cannot_end_before_it_starts(editor):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.event_save(
            user=editor, title="Baklänges", starts_at=now, ends_at=now - timedelta(hours=1),
            place="Luleå",
        )  # fmt: skip


def test_a_visitor_without_an_account_cannot_edit(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.article_save(user=AnonymousUser(), title="Nej")
    assert get_user_model().objects.count() == 0


def test_the_confirmation_says_when_and_where_and_carries_the_event_as_ical(seminar):
    """In Swedish (the site's language): subject, date, time, place, the event's link on the
    public address, and the .ics the event page offers for download (the same file)."""
    with translation.override("sv"):
        register(seminar, 1)
    (message,) = mail.outbox
    assert message.subject == "Anmälan bekräftad: Slutseminarium i Skellefteå"
    starts = timezone.localtime(seminar.starts_at)
    assert f"När: {formats.date_format(starts, 'DATETIME_FORMAT')}" in message.body
    assert f"Var: {seminar.place}" in message.body
    assert f"https://site.example{seminar.get_absolute_url()}" in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"{seminar.slug}.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and "SUMMARY:Slutseminarium i Skellefteå" in content
    assert f"UID:event-{seminar.pk}@site.example" in content
    assert "DTSTART:" + seminar.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") in content


def test_a_place_on_the_waiting_list_carries_no_calendar_file(seminar):
    for number in range(1, seminar.capacity + 2):
        register(seminar, number)
    waiting = mail.outbox[-1]
    assert waiting.subject.startswith("Waiting list: ") or waiting.subject.startswith(
        "Reservlista: "
    )
    assert waiting.attachments == []
