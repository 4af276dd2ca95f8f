"""The pages in the browser's terms: the officer's answer form (refused attachment keeps the rest,
double submit), the round's management actions, the public answers and the progress view."""

import datetime

import pytest
from django.urls import reverse

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import Answer, RoundStatus
from mineralstrategi.organisations.models import Organisation

from .conftest import answer_with_comments, pdf_file


def answer_url(consultee):
    return reverse(
        "consultation:answer", kwargs={"pk": consultee.round_id, "consultee": consultee.pk}
    )


def review_url(consultee):
    return reverse(
        "consultation:answer_review", kwargs={"pk": consultee.round_id, "consultee": consultee.pk}
    )


def form_data(sections, **extra):
    vision, direction = sections["Vision"], sections["Inriktning 1"]
    return {
        "position": "support_with_changes",
        "comment": "Övergripande synpunkt.",
        f"stance_{vision.pk}": "support",
        f"comment_{vision.pk}": "Bra.",
        f"stance_{direction.pk}": "propose",
        f"comment_{direction.pk}": "Skärp målet.",
        f"proposed_{direction.pk}": "Ny text.",
        **extra,
    }


def test_a_refused_attachment_keeps_the_rest_of_the_answer(
    client, skelleftea_consultee, officer, sections, soup
):
    client.force_login(officer)
    not_a_pdf = pdf_file("yttrande.pdf", b"<html>not a pdf</html>")
    response = client.post(
        answer_url(skelleftea_consultee),
        form_data(sections, action="review", attachment=not_a_pdf),
    )
    assert response.status_code == 400
    page = soup(response)
    error = page.select_one(".form-field-error .field-error")
    assert "yttrande.pdf" in error.text and "not a PDF" in error.text
    (link,) = page.select(".error-summary[role=alert] a")
    assert link["href"] == "#id_attachment" and page.select_one("#id_attachment")
    # The typed text is still in the form, and saved as a draft; nothing was submitted.
    assert page.select_one("textarea[name=comment]").text.strip() == "Övergripande synpunkt."
    answer = Answer.objects.get()
    assert not answer.is_submitted and answer.comments.count() == 2
    assert not answer.attachments.exists()


def test_a_too_large_attachment_is_refused_with_its_size(
    client, skelleftea_consultee, officer, sections, settings, soup
):
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(officer)
    big = pdf_file("stor.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    response = client.post(
        answer_url(skelleftea_consultee), form_data(sections, action="save", attachment=big)
    )
    assert response.status_code == 400
    assert "at most 1 MB" in soup(response).select_one(".field-error").text
    assert Answer.objects.get().comment == "Övergripande synpunkt."


def test_submit_through_the_page_and_submit_again(
    client, skelleftea_consultee, officer, sections, soup
):
    client.force_login(officer)
    review = client.post(answer_url(skelleftea_consultee), form_data(sections, action="review"))
    assert review["Location"] == review_url(skelleftea_consultee)
    first = client.post(review_url(skelleftea_consultee), {"confirm": "on"}, follow=True)
    assert "RV 2025/17-01" in soup(first).select_one(".registry-reference").text
    second = client.post(review_url(skelleftea_consultee), {"confirm": "on"}, follow=True)
    assert second.status_code == 200
    resent_form = client.post(
        answer_url(skelleftea_consultee), form_data(sections, action="review"), follow=True
    )
    assert resent_form.status_code == 200
    assert Answer.objects.count() == 1
    assert Answer.objects.get().registry_reference == "RV 2025/17-01"
    assert "already submitted" in second.content.decode()
    assert "already submitted" in resent_form.content.decode()


def test_the_owner_adds_municipalities_sends_and_closes(
    client, planned_round, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    action = reverse("consultation:action", kwargs={"pk": planned_round.pk})
    client.post(action, {"action": "add_municipalities"})
    svemin = Organisation.objects.create(
        name="Svemin", slug="svemin", kind="interest_organisation", helix_role="industry"
    )
    client.post(action, {"action": "add_organisation", "organisation": svemin.pk})
    assert planned_round.consultees.count() == 30
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(action, {"action": "send"})
    assert len(callbacks) == 3  # invitations, reminders, and the notification of the followers
    client.post(action, {"action": "closed"})
    planned_round.refresh_from_db()
    assert planned_round.status == RoundStatus.CLOSED


def test_the_public_sees_submitted_answers_only(
    client, skelleftea_consultee, kiruna_consultee, officer, kiruna_officer, sections, soup
):
    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    answer_with_comments(kiruna_consultee, kiruna_officer, sections)
    response = client.get(
        reverse("consultation:answers", kwargs={"pk": skelleftea_consultee.round_id})
    )
    documents = soup(response).select("article.answer-document")
    assert len(documents) == 1
    assert "Skellefteå" in documents[0].select_one("h3").text


def test_progress_shows_who_is_overdue(
    client, round_, skelleftea_consultee, kiruna_consultee, officer, sections, editor, soup
):
    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    type(round_).objects.filter(pk=round_.pk).update(
        opens_on=round_.opens_on - datetime.timedelta(days=40),
        deadline=round_.deadline - datetime.timedelta(days=40),
    )
    client.force_login(editor)
    page = soup(client.get(reverse("consultation:progress", kwargs={"pk": round_.pk})))
    assert page.select_one("[data-count=answered]").text == "1"
    assert page.select_one("[data-count=overdue]").text == "1"
    overdue = page.select("tr.overdue")
    assert [row["data-consultee"] for row in overdue] == [str(kiruna_consultee.pk)]


def test_progress_is_for_the_team(client, round_, officer):
    client.force_login(officer)
    assert client.get(reverse("consultation:progress", kwargs={"pk": round_.pk})).status_code == 403


def test_a_correction_through_the_page(client, skelleftea_consultee, officer, sections, soup):
    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    client.force_login(officer)
    url = answer_url(skelleftea_consultee)
    client.post(url, {"action": "correct"})
    client.post(url, form_data(sections, action="review", comment="Rättad."))
    client.post(review_url(skelleftea_consultee), {"confirm": "on"})
    references = [node.text for node in soup(client.get(url)).select(".registry-reference")]
    assert references == ["RV 2025/17-01", "RV 2025/17-01, revision 2"]


def test_list_and_detail_pages(client, round_, planned_round):
    response = client.get(reverse("consultation:list"))
    assert response.status_code == 200
    assert client.get(round_.get_absolute_url()).status_code == 200


def test_a_planned_round_is_hidden_from_the_public(client, frozen, editor):
    from .conftest import make_round

    planned = make_round(frozen, editor, number="RV 2025/99")
    response = client.get(planned.get_absolute_url())
    assert response.status_code == 302  # to the login


def test_apply_from_the_handling_page_respects_a_later_draft_edit(
    client, skelleftea_consultee, officer, editor, sections, strategy, soup
):
    from mineralstrategi.strategy.services import section_update, strategy_draft

    answer = answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    comment = answer.comments.get(stance="propose")
    services.disposition_record(comment, user=editor, decision="accepted", reason="Ja.")
    client.force_login(editor)
    apply_url = reverse(
        "consultation:apply", kwargs={"pk": skelleftea_consultee.round_id, "comment": comment.pk}
    )
    page = soup(client.get(apply_url))
    revision = page.select_one("input[name=revision]")["value"]
    text = page.select_one("textarea[name=body_markdown]").text.removeprefix("\n")
    draft_section = strategy_draft(strategy).sections.get(key=comment.section_key)
    section_update(
        draft_section,
        user=editor,
        expected_revision=draft_section.revision,
        title=draft_section.title,
        body_markdown="Ändrat av en kollega.",
    )
    page = client.post(apply_url, {"action": "apply", "revision": revision, "body_markdown": text})
    assert "saved this section while you were reviewing it" in page.content.decode()
    draft_section.refresh_from_db()
    assert draft_section.body_markdown == "Ändrat av en kollega."


@pytest.mark.parametrize("path", ["", "lagesbild/", "hantering/", "sammanstallning/", "yttranden/"])
def test_pages_in_a_fixed_number_of_queries(
    client, round_, editor, officer, skelleftea_consultee, sections, path
):
    """The same number of queries for 31 consultees as for two."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{round_.get_absolute_url()}{path}").status_code == 200
        return len(queries)

    few = count()
    services.consultees_add_municipalities(round_, user=editor)
    assert round_.consultees.count() == 29
    assert count() == few


def test_api_lists_in_a_fixed_number_of_queries(
    client, skelleftea_consultee, kiruna_consultee, officer, kiruna_officer, sections
):
    """One answer or two: the same queries (the round, its answers, comments, attachments)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_id = skelleftea_consultee.round_id

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/consultations/{round_id}{path}").status_code == 200
        return len(queries)

    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    one = count("/answers"), count("")
    answer_with_comments(kiruna_consultee, kiruna_officer, sections, submit=True)
    assert (count("/answers"), count("")) == one
    assert one[0] <= 7  # + the version's sections, for the comments' document order


def test_an_officer_removes_an_attachment_from_the_draft(
    client, skelleftea_consultee, officer, sections, soup
):
    from mineralstrategi.consultation.models import Attachment

    client.force_login(officer)
    client.post(
        answer_url(skelleftea_consultee), form_data(sections, action="save", attachment=pdf_file())
    )
    page = soup(client.get(answer_url(skelleftea_consultee)))
    remove = page.select_one("form[id^=remove-attachment-]")
    client.post(remove["action"])
    assert not Attachment.objects.exists()


def test_the_superuser_admin_lists_the_consultation(
    client, superuser, round_, skelleftea_consultee, officer, sections
):
    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    client.force_login(superuser)
    for model in ("consultationround", "answer", "disposition", "meeting"):
        assert client.get(f"/admin/consultation/{model}/").status_code == 200, model
    answer = skelleftea_consultee.answers.get()
    assert client.get(f"/admin/consultation/answer/{answer.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/consultation/answer/{answer.pk}/change/", {"comment": "x"}).status_code
        == 403
    )


def test_planned_rounds_are_listed_for_the_partnership_only(
    client, planned_round, editor, officer, soup
):
    def titles():
        page = soup(client.get(reverse("consultation:list")))
        return [link.text for link in page.select("tbody a")]

    assert titles() == []
    client.force_login(officer)
    assert titles() == []
    client.force_login(editor)
    assert titles() == [planned_round.title]


def test_sent_rounds_are_listed_for_everyone(client, round_, officer, kiruna_officer, soup):
    for user in (None, officer, kiruna_officer):
        if user is not None:
            client.force_login(user)
        page = soup(client.get(reverse("consultation:list")))
        assert [link.text for link in page.select("tbody a")] == [round_.title]
