"""Public comments on a round open to the public: a visitor comments on a section, confirms by the
mailed link, a moderator publishes it, the page shows it beside its section with a count, the team
decides on it like an answer's comment, and the compilation (page, spreadsheet, API) reports it
apart from the answers."""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from mineralstrategi.consultation import selectors, services
from mineralstrategi.consultation.models import Disposition, PublicComment, PublicCommentStatus

from .conftest import answer_with_comments


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_round(round_, editor):
    return services.round_public_set(round_, user=editor, is_public=True)


def public_url(round_):
    return reverse("consultation:public", kwargs={"pk": round_.pk})


def comment_url(round_, section):
    return reverse("consultation:public_comment", kwargs={"pk": round_.pk, "section": section.pk})


def visitor_comment(round_, section, body="Tänk på renskötseln.", **extra):
    return services.public_comment_submit(
        round_,
        section=section,
        user=None,
        name=extra.pop("name", "Sara Nilsson"),
        email=extra.pop("email", "sara@example.se"),
        body=body,
        ip="192.0.2.10",
        **extra,
    )


def published(round_, section, editor, body="Tänk på renskötseln."):
    comment = visitor_comment(round_, section, body)
    comment = services.public_comment_confirm(services.public_comment_token(comment))
    return services.public_comment_moderate(comment, user=editor, action="publish")


def confirmation_link(message) -> str:
    (link,) = re.findall(r"https?://\S+/remiss/synpunkt/bekrafta/\S+/", message.body)
    return link


# --- Services ------------------------------------------------------------------------------------


def test_a_round_not_open_to_the_public_takes_no_comment(round_, sections):
    with pytest.raises(services.PublicCommentsClosed):
        visitor_comment(round_, sections["Vision"])


def test_a_visitor_confirms_by_the_mailed_link_then_waits_for_moderation(
    public_round, sections, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = visitor_comment(public_round, sections["Vision"])
    assert comment.status == PublicCommentStatus.UNCONFIRMED
    (message,) = mail.outbox
    assert message.to == ["sara@example.se"]
    link = confirmation_link(message)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a page with a button: nothing changed
    comment.refresh_from_db()
    assert comment.status == PublicCommentStatus.UNCONFIRMED
    response = client.post("/" + path)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == PublicCommentStatus.PENDING and comment.confirmed_at
    # Confirming twice changes nothing; a forged link is refused with a message, not a 500.
    assert client.post("/" + path).status_code == 302
    forged = client.post(reverse("consultation:public_confirm", kwargs={"token": "x:y:z"}))
    assert forged.status_code == 400 and b"not valid" in forged.content


def test_a_signed_in_user_comments_directly_under_their_name(public_round, sections, officer):
    officer.first_name, officer.last_name = "Olle", "Officer"
    officer.save()
    comment = services.public_comment_submit(
        public_round, section=sections["Vision"], user=officer, body="Bra.", ip="192.0.2.1"
    )
    assert comment.status == PublicCommentStatus.PENDING and comment.name == "Olle Officer"
    assert not mail.outbox


def test_the_honeypot_stores_nothing(public_round, sections):
    assert visitor_comment(public_round, sections["Vision"], honeypot="http://spam") is None
    assert not PublicComment.objects.exists()


def test_visitors_are_rate_limited(public_round, sections, settings):
    limit = settings.MINERALSTRATEGI["COMMENT_RATE_LIMIT"]
    for n in range(limit):
        visitor_comment(public_round, sections["Vision"], body=f"Synpunkt {n}.")
    with pytest.raises(ValidationError, match="Too many"):
        visitor_comment(public_round, sections["Vision"], body="En till.")


def test_only_the_round_handlers_moderate(public_round, sections, officer, editor):
    comment = visitor_comment(public_round, sections["Vision"])
    with pytest.raises(ValidationError):  # not confirmed by its writer
        services.public_comment_moderate(comment, user=editor, action="publish")
    comment = services.public_comment_confirm(services.public_comment_token(comment))
    with pytest.raises(PermissionDenied):
        services.public_comment_moderate(comment, user=officer, action="publish")
    comment = services.public_comment_moderate(comment, user=editor, action="publish")
    assert comment.is_published
    assert [h.status for h in comment.history.order_by("history_date")] == [
        "unconfirmed",
        "pending",
        "published",
    ]
    assert comment.history.latest().history_user == editor


def test_a_public_comment_gets_the_same_disposition_and_counts_for_compiling(
    public_round, sections, editor
):
    comment = published(public_round, sections["Inriktning 1"], editor)
    disposition = services.disposition_record(
        comment, user=editor, decision="noted", reason="Tas med i handlingsplanen."
    )
    assert disposition.public_comment == comment and disposition.comment is None
    assert disposition.target == comment
    other = published(public_round, sections["Vision"], editor, body="Mer om vatten.")
    services.round_status_set(public_round, user=editor, status="closed")
    with pytest.raises(ValidationError, match="1 comment has no decision"):
        services.round_status_set(public_round, user=editor, status="compiled")
    services.round_status_set(public_round, user=editor, status="compiled", reason="Sent inkommen.")
    public_round.refresh_from_db()
    assert "Sara Nilsson" in public_round.compiled_undecided and other.body not in ""


def test_the_constraint_holds_one_comment_exactly(public_round, sections, editor):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Disposition.objects.create(decision="noted", reason="Ingen.", decided_by=editor)


def test_whether_a_round_is_public_is_settled_once_it_closes(round_, editor):
    services.round_status_set(round_, user=editor, status="closed")
    with pytest.raises(ValidationError):
        services.round_public_set(round_, user=editor, is_public=True)


# --- Pages ---------------------------------------------------------------------------------------


def test_the_public_page_shows_the_text_and_published_comments_beside_their_sections(
    client, public_round, sections, editor, soup
):
    vision = sections["Vision"]
    published(public_round, vision, editor, body="<script>alert(1)</script>Viktigt!")
    visitor_comment(public_round, vision, body="Väntar på granskning.")  # unconfirmed
    pending = visitor_comment(public_round, vision, body="Bekräftad men ej granskad.")
    services.public_comment_confirm(services.public_comment_token(pending))
    page = soup(client.get(public_url(public_round)))
    section = page.select_one(f"section[data-section='{vision.key}']")
    assert section.select_one("h2 .comment-count")["data-count"] == "1"
    assert "(1 comment)" in section.select_one("h2").text
    (shown,) = section.select(".public-comment")
    assert "<script>alert(1)</script>Viktigt!" in shown.text  # escaped, shown as text
    assert not page.select("script:-soup-contains('alert(1)')")
    toc = page.select_one(f"[data-toc-count='{vision.key}']").text
    assert "1 comment" in toc
    # Every section of the version, in document order, with its text.
    headings = [h["id"] for h in page.select("section.public-section h2")]
    assert headings == [s.anchor for s in selectors.sections_of(public_round.version)]
    # The public is not told about moderation; the round's handlers are, truthfully.
    assert not page.select("[data-testid=pending-count]")
    client.force_login(editor)
    page = soup(client.get(public_url(public_round)))
    assert (
        "1 comment is waiting for moderation" in page.select_one("[data-testid=pending-count]").text
    )


def test_a_round_not_open_to_the_public_has_no_public_page(client, round_):
    assert client.get(public_url(round_)).status_code == 404


def test_a_visitor_comments_through_the_page(
    client, public_round, sections, soup, django_capture_on_commit_callbacks
):
    vision = sections["Vision"]
    data = {"name": "Sara", "email": "sara@example.se", "body": "Ta med vattnet.", "website": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(public_round, vision), data, follow=True)
    assert "Open the link we have mailed to you" in response.content.decode()
    assert len(mail.outbox) == 1
    # Not shown until confirmed and published.
    page = soup(response)
    assert not page.select(f"section[data-section='{vision.key}'] .public-comment")


def test_bad_input_names_the_field_and_keeps_what_was_typed(client, public_round, sections, soup):
    vision = sections["Vision"]
    data = {"name": "", "email": "inte-en-adress", "body": "Min långa synpunkt.", "website": ""}
    response = client.post(comment_url(public_round, vision), data)
    assert response.status_code == 400
    page = soup(response)
    links = {a["href"]: a.text for a in page.select(".error-summary a")}
    assert f"#id_s{vision.pk}_name" in links and f"#id_s{vision.pk}_email" in links
    assert "Your name" in links[f"#id_s{vision.pk}_name"]
    assert page.select_one(f"#id_s{vision.pk}_body").text.strip() == "Min långa synpunkt."
    assert page.select_one(f"#id_s{vision.pk}_email")["value"] == "inte-en-adress"
    assert not PublicComment.objects.exists()
    # The form that takes a name and an address says how they are handled.
    form = page.select_one(f"#id_s{vision.pk}_email").find_parent("form")
    assert form.select_one(".privacy-note a")["href"].endswith("/om/personuppgifter/")


def test_a_closed_round_keeps_the_text_and_takes_no_comment(
    client, public_round, sections, editor, soup
):
    services.round_status_set(public_round, user=editor, status="closed")
    page = soup(client.get(public_url(public_round)))
    assert not page.select("form[action*=synpunkt]")
    response = client.post(
        comment_url(public_round, sections["Vision"]),
        {"name": "A", "email": "a@example.se", "body": "Sent."},
    )
    assert response.status_code == 400
    assert "takes no public comments now" in soup(response).select_one(".error-summary").text


def test_the_registrar_moderates_and_decides_on_the_handling_page(
    client, public_round, sections, editor, soup
):
    comment = visitor_comment(public_round, sections["Vision"], body="Glöm inte besöksnäringen.")
    services.public_comment_confirm(services.public_comment_token(comment))
    client.force_login(editor)
    moderation_url = reverse("consultation:moderation", kwargs={"pk": public_round.pk})
    page = soup(client.get(moderation_url))
    pending = page.select_one(f"#public-comment-{comment.pk}")
    assert pending["data-status"] == "pending" and "sara@example.se" in pending.text
    client.post(
        reverse("consultation:moderate", kwargs={"pk": public_round.pk, "comment": comment.pk}),
        {"action": "publish"},
    )
    handling = soup(client.get(reverse("consultation:handling", kwargs={"pk": public_round.pk})))
    assert handling.select_one(f"#public-comment-{comment.pk}")
    assert "1 of 1 comments have no decision yet" in handling.text
    client.post(
        reverse(
            "consultation:public_disposition", kwargs={"pk": public_round.pk, "comment": comment.pk}
        ),
        {"decision": "partly_accepted", "reason": "Nämns under mål 2."},
    )
    handling = soup(client.get(reverse("consultation:handling", kwargs={"pk": public_round.pk})))
    decision = handling.select_one(f"#public-comment-{comment.pk} [data-testid=decision]")
    assert "Partly accepted" in decision.text and "Nämns under mål 2." in decision.text
    page = soup(client.get(public_url(public_round)))
    assert "Nämns under mål 2." in page.select_one(f"#public-comment-{comment.pk}").text


@pytest.mark.parametrize("username", [None, "officer"])
def test_others_cannot_moderate_or_decide(
    client, public_round, sections, editor, officer, username
):
    comment = visitor_comment(public_round, sections["Vision"])
    services.public_comment_confirm(services.public_comment_token(comment))
    if username:
        client.force_login(officer)
    kwargs = {"pk": public_round.pk, "comment": comment.pk}
    client.post(reverse("consultation:moderate", kwargs=kwargs), {"action": "publish"})
    comment.refresh_from_db()
    assert comment.status == PublicCommentStatus.PENDING
    assert client.get(
        reverse("consultation:moderation", kwargs={"pk": public_round.pk})
    ).status_code in (302, 403)


def test_the_compilation_reports_public_comments_apart(
    client, public_round, sections, editor, skelleftea_consultee, officer, soup
):
    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    comment = published(
        public_round, sections["Inriktning 1"], editor, body="Fler lärlingsplatser."
    )
    services.disposition_record(comment, user=editor, decision="accepted", reason="Läggs till.")
    client.force_login(editor)
    url = reverse("consultation:compilation", kwargs={"pk": public_round.pk})
    page = soup(client.get(url))
    public = page.select_one("section.compiled-public-comments")
    row = public.select_one(f"tr[data-public-comment='{comment.pk}']")
    assert "Fler lärlingsplatser." in row.text and "Accepted" in row.text
    assert public.select_one("[data-public-total=accepted]").text == "1"
    # The answers' tables do not hold it.
    by_section = page.select_one("section[aria-labelledby=by-section-heading]")
    assert "Fler lärlingsplatser." not in by_section.text
    # Spreadsheet: a row of its own, its source named.
    response = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *body = rows
    source = header.index("Source")
    mine = [r for r in body if "Fler lärlingsplatser." in r]
    assert len(mine) == 1 and mine[0][source] == "Public comment"
    assert {r[source] for r in body if r is not mine[0]} == {"Consultation answer"}
    # API.
    data = client.get(f"/api/consultations/{public_round.pk}/compilation").json()
    assert [c["comment"] for c in data["public_comments"]] == ["Fler lärlingsplatser."]
    assert data["public_comments"][0]["disposition"]["decision"] == "accepted"
    assert "Fler lärlingsplatser." not in str(data["comments"])
    assert data["round"]["is_public"] is True


def test_the_compilation_pdf_has_the_public_comments(
    client, public_round, sections, editor, pdf_of
):
    published(public_round, sections["Vision"], editor, body="Synpunkt i PDF.")
    client.force_login(editor)
    response = pdf_of(
        client, reverse("consultation:compilation_pdf", kwargs={"pk": public_round.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "Synpunkt i PDF." in text


def test_the_round_form_opens_a_round_to_the_public(client, frozen, editor, strategy):
    client.force_login(editor)
    response = client.post(
        reverse("consultation:create", kwargs={"slug": strategy.slug}),
        {
            "title": "Öppen remiss",
            "registry_number": "RV 2025/99",
            "opens_on": "2025-01-01",
            "deadline": "2025-02-01",
            "version": frozen.pk,
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    from mineralstrategi.consultation.models import ConsultationRound

    round_ = ConsultationRound.objects.get(registry_number="RV 2025/99")
    assert round_.is_public
    client.post(
        reverse("consultation:action", kwargs={"pk": round_.pk}),
        {"action": "public", "is_public": "0"},
    )
    round_.refresh_from_db()
    assert not round_.is_public


def test_the_public_page_speaks_swedish(client, public_round, sections, editor, soup):
    published(public_round, sections["Vision"], editor, body="Bra.")
    client.force_login(editor)
    with translation.override("sv"):  # as a request without /en/ is served
        page = soup(client.get(public_url(public_round)))
    text = page.select_one("main").get_text(" ")
    for english in ("Comment on this section", "Read and comment", "waiting for moderation",
                    "Your name", "Send the comment", "comment)", "Contents"):  # fmt: skip
        assert english not in text
    assert "Lämna en synpunkt på avsnittet" in text and "(1 synpunkt)" in text
    assert "1 synpunkt väntar på granskning" not in text  # none is waiting
    assert "0 synpunkter väntar på granskning" in text
