"""The answer form as a consultee's officer sees it: the sections collapsible, numbered and in the
document's order, with the progress of the saved draft; a save per section; an error summary at the
top whose links lead to fields that exist; a summary page with an explicit confirmation before the
submission; submitted answers in document order with section numbers, and a correction showing
what it changed. Checked by structure on the parsed page."""

import pytest
from django.urls import reverse
from django.utils import translation

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import Answer

from .conftest import answer_with_comments

# The conftest's tree in reading order: title -> number in the document ("" for the vision).
DOCUMENT = [
    ("Vision", ""),
    ("Inriktning 1", "1"),
    ("Mål 1.1", "1.1"),
    ("Insats 1.1.1", "1.1.1"),
    ("Inriktning 2", "2"),
    ("Mål 2.1", "2.1"),
    ("Insats 2.1.1", "2.1.1"),
]


def answer_url(consultee):
    return reverse(
        "consultation:answer", kwargs={"pk": consultee.round_id, "consultee": consultee.pk}
    )


def review_url(consultee):
    return reverse(
        "consultation:answer_review", kwargs={"pk": consultee.round_id, "consultee": consultee.pk}
    )


def label(title: str) -> str:
    number = dict(DOCUMENT)[title]
    return f"{number} {title}" if number else title


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def assert_links_lead_somewhere(page) -> list[str]:
    """Every link of the error summary points at an element of this page; returns the hrefs."""
    hrefs = [link["href"] for link in page.select(".error-summary a")]
    assert hrefs
    for href in hrefs:
        assert href.startswith("#") and page.find(id=href[1:]) is not None, href
    return hrefs


def test_the_form_shows_the_sections_in_document_order_with_the_drafts_progress(
    client, skelleftea_consultee, officer, sections, soup
):
    answer_with_comments(skelleftea_consultee, officer, sections)  # Vision, Inriktning 1
    client.force_login(officer)
    page = soup(client.get(answer_url(skelleftea_consultee)))

    details = page.select("form#answer-form details.section-answer")
    assert [text(d.select_one(".section-label")) for d in details] == [
        label(title) for title, _ in DOCUMENT
    ]
    assert not any(d.has_attr("open") for d in details)  # collapsed until opened
    progress = page.select_one(".answer-progress")
    assert text(progress.select_one(".progress-count")) == (
        "2 of 7 sections answered in the saved draft"
    )
    items = progress.select(".progress-list li")
    assert [text(item.select_one("a")) for item in items] == [label(t) for t, _ in DOCUMENT]
    assert [text(item.select_one(".status")) for item in items[:3]] == [
        "Answered",
        "Answered",
        "Not answered yet",
    ]
    for link in progress.select("a"):
        assert page.find(id=link["href"][1:]).name == "details"
    # Each section has its own save, which saves the whole draft.
    vision = sections["Vision"]
    (button,) = page.select(f"#avsnitt-{vision.pk} button[name=action]")
    assert button["value"] == f"save-section-{vision.pk}"


def test_saving_a_section_saves_the_draft_and_returns_to_that_section(
    client, skelleftea_consultee, officer, sections, soup
):
    goal = sections["Mål 1.1"]
    client.force_login(officer)
    response = client.post(
        answer_url(skelleftea_consultee),
        {
            "action": f"save-section-{goal.pk}",
            "position": "",
            f"stance_{goal.pk}": "object",
            f"comment_{goal.pk}": "För svagt mål.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?avsnitt={goal.pk}#avsnitt-{goal.pk}")
    draft = Answer.objects.get()  # on the server: it survives a closed browser
    assert [c.comment for c in draft.comments.all()] == ["För svagt mål."]

    page = soup(client.get(response["Location"]))
    assert page.select_one(f"#avsnitt-{goal.pk}").has_attr("open")
    assert page.select_one(f"#avsnitt-{goal.pk} textarea").text.strip() == "För svagt mål."
    assert text(page.select_one(".progress-count")).startswith("1 of 7")
    assert "“1.1 Mål 1.1”" in text(page.select_one(".messages"))


def test_a_failed_save_has_an_error_summary_at_the_top_and_keeps_what_was_typed(
    client, skelleftea_consultee, officer, sections, soup
):
    goal, action = sections["Mål 1.1"], sections["Insats 2.1.1"]
    client.force_login(officer)
    response = client.post(
        answer_url(skelleftea_consultee),
        {
            "action": "save",
            "position": "object",
            "comment": "Vår övergripande synpunkt.",
            f"stance_{goal.pk}": "propose",
            f"comment_{goal.pk}": "Skärp målet.",
            f"proposed_{goal.pk}": "",
            f"stance_{action.pk}": "",
            f"comment_{action.pk}": "Text utan ställning.",
        },
    )
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one("main .error-summary")
    assert summary["role"] == "alert"
    # At the top: before the page's heading.
    assert summary.find_next("h1") is not None
    assert text(summary.select_one("h2")) == "There is a problem"
    hrefs = assert_links_lead_somewhere(page)
    assert hrefs == [f"#id_proposed_{goal.pk}", f"#id_stance_{action.pk}"]  # the page's order
    assert [text(a) for a in summary.select("a")] == [
        "1.1 Mål 1.1: Write the wording you propose.",
        "2.1.1 Insats 2.1.1: Choose a stance for your comment on this section, or clear the text.",
    ]
    # The sections with errors are open, each error at its field, the field marked invalid.
    for section, field in ((goal, "proposed"), (action, "stance")):
        details = page.select_one(f"#avsnitt-{section.pk}")
        assert details.has_attr("open") and "has-errors" in details["class"]
        widget = page.select_one(f"#id_{field}_{section.pk}")
        assert widget["aria-invalid"] == "true"
        assert page.find(id=widget["aria-describedby"]).name == "p"
    assert not page.select_one(f"#avsnitt-{sections['Vision'].pk}").has_attr("open")
    # Nothing typed is lost (and nothing was saved half).
    assert page.select_one("textarea[name=comment]").text.strip() == "Vår övergripande synpunkt."
    assert page.select_one(f"textarea[name=comment_{action.pk}]").text.strip() == (
        "Text utan ställning."
    )
    assert page.select_one(f"select[name=stance_{goal.pk}] option[selected]")["value"] == "propose"
    assert not Answer.objects.exists()


def test_the_summary_needs_a_position_first(client, skelleftea_consultee, officer, soup):
    client.force_login(officer)
    response = client.post(answer_url(skelleftea_consultee), {"action": "review"})
    assert response.status_code == 400
    page = soup(response)
    assert assert_links_lead_somewhere(page) == ["#id_position"]
    assert Answer.objects.get().position == ""  # the draft is saved all the same


def test_the_summary_lists_the_answer_and_refuses_to_submit_without_the_confirmation(
    client, skelleftea_consultee, officer, sections, soup
):
    draft = services.answer_save_draft(
        skelleftea_consultee,
        user=officer,
        position="support_with_changes",
        comment="Övergripande synpunkt.",
        section_comments={
            sections["Insats 2.1.1"].pk: ("support", "Bra insats.", ""),
            sections["Vision"].pk: ("support", "Bra vision.", ""),
            sections["Mål 1.1"].pk: ("propose", "Skärp.", "Ny lydelse."),
        },
    )
    client.force_login(officer)
    page = soup(client.get(review_url(skelleftea_consultee)))
    assert [text(h) for h in page.select(".answer-section h3")] == [
        "Vision",
        "1.1 Mål 1.1",
        "2.1.1 Insats 2.1.1",
    ]
    assert "Supports it with changes" in text(page.select_one(".review-list"))
    assert text(page.select_one("label[for=id_confirm]")) == (
        "I confirm that the answer is submitted for Skellefteå kommun."
    )
    assert not page.select(".error-summary")

    refused = client.post(review_url(skelleftea_consultee), {})
    assert refused.status_code == 400
    page = soup(refused)
    assert assert_links_lead_somewhere(page) == ["#id_confirm"]
    assert "Confirm that the answer is submitted for Skellefteå kommun." in text(
        page.select_one(".error-summary")
    )
    draft.refresh_from_db()
    assert not draft.is_submitted

    done = client.post(review_url(skelleftea_consultee), {"confirm": "on"})
    assert done["Location"] == answer_url(skelleftea_consultee)
    draft.refresh_from_db()
    assert draft.is_submitted and draft.registry_reference == "RV 2025/17-01"


def test_submitted_answers_are_listed_in_document_order_with_section_numbers(
    client, skelleftea_consultee, officer, sections, soup
):
    answer = services.answer_save_draft(
        skelleftea_consultee,
        user=officer,
        position="object",
        section_comments={
            sections["Insats 2.1.1"].pk: ("object", "Nej.", ""),
            sections["Vision"].pk: ("support", "Ja.", ""),
            sections["Mål 1.1"].pk: ("object", "Nej.", ""),
            sections["Inriktning 2"].pk: ("support", "Ja.", ""),
        },
    )
    services.answer_submit(answer, user=officer)
    expected = ["Vision", "1.1 Mål 1.1", "2 Inriktning 2", "2.1.1 Insats 2.1.1"]
    public = soup(
        client.get(reverse("consultation:answers", kwargs={"pk": answer.consultee.round_id}))
    )
    assert [text(h) for h in public.select("article.answer-document h4")] == expected
    client.force_login(officer)
    own = soup(client.get(answer_url(skelleftea_consultee)))
    assert [text(h) for h in own.select("article.answer-document h4")] == expected
    api = client.get(f"/api/consultations/{answer.consultee.round_id}/answers").json()
    assert [c["section_title"] for c in api[0]["comments"]] == [
        "Vision",
        "Mål 1.1",
        "Inriktning 2",
        "Insats 2.1.1",
    ]


def test_a_correction_shows_what_changed_against_the_submission_it_corrects(
    client, skelleftea_consultee, officer, sections, soup
):
    answer_with_comments(skelleftea_consultee, officer, sections, submit=True)
    draft = services.answer_correct(skelleftea_consultee, user=officer)
    services.answer_save_draft(
        skelleftea_consultee,
        user=officer,
        position="support_with_changes",
        comment="Vi stöder strategin med ändringar.",
        section_comments={
            sections["Vision"].pk: ("", "", ""),  # withdrawn
            sections["Inriktning 1"].pk: ("propose", "Förtydliga.", "Helt ny lydelse för 1."),
            sections["Mål 2.1"].pk: ("object", "För lågt satt.", ""),  # new
        },
    )
    client.force_login(officer)
    review = soup(client.get(review_url(skelleftea_consultee)))
    assert review.select_one(".answer-changes")
    services.answer_submit(draft, user=officer)

    page = soup(
        client.get(reverse("consultation:answers", kwargs={"pk": draft.consultee.round_id}))
    )
    first, second = page.select("article.answer-document")
    assert not first.select(".answer-changes")
    changes = second.select_one(".answer-changes")
    assert "revision 1" in text(changes.select_one("h4"))
    items = changes.select(".change-list > li")
    assert [item["class"][-1] for item in items] == ["diff-removed", "diff-changed", "diff-added"]
    assert text(items[0].select_one("strong")) == "Vision"
    assert text(items[1].select_one("strong")) == "1 Inriktning 1"
    assert [text(node) for node in items[1].select("del")] == ["Ny", "inriktning"]
    assert [text(node) for node in items[1].select("ins")] == ["Helt ny"]
    assert [text(node) for node in items[2].select("ins")] == ["Object", "För lågt satt."]


def test_text_without_a_stance_or_a_proposal_under_another_stance_is_refused(
    skelleftea_consultee, officer, sections
):
    from django.core.exceptions import ValidationError

    vision = sections["Vision"]
    for comment in (("", "Bara text.", ""), ("support", "", "En lydelse.")):
        with pytest.raises(ValidationError):
            services.answer_save_draft(
                skelleftea_consultee, user=officer, section_comments={vision.pk: comment}
            )
    assert not Answer.objects.exists()


def test_in_swedish(client, skelleftea_consultee, officer, sections, soup):
    """The Swedish page: the error summary's heading and the confirmation, no English."""
    client.force_login(officer)
    goal = sections["Mål 1.1"]
    with translation.override("sv"):
        form = answer_url(skelleftea_consultee)
        response = client.post(form, {"action": "review", f"stance_{goal.pk}": "propose"})
        page = soup(response)
        assert text(page.select_one(".error-summary h2")) == "Något behöver rättas"
        assert text(page.select_one(".progress-count")) == (
            "0 av 7 avsnitt besvarade i det sparade utkastet"
        )
        assert text(page.select_one("button[value=review]")) == "Gå vidare till sammanfattningen"
        assert page.select_one("title").text.startswith("Fel: ")
        answer_with_comments(skelleftea_consultee, officer, sections)
        review = soup(client.get(review_url(skelleftea_consultee)))
        assert text(review.select_one("h1")) == "Kontrollera svaret innan du lämnar in det"
        assert text(review.select_one("label[for=id_confirm]")) == (
            "Jag bekräftar att svaret lämnas för Skellefteå kommun."
        )
        refused = soup(client.post(review_url(skelleftea_consultee), {}))
        assert text(refused.select_one(".error-summary a")) == (
            "Bekräfta att svaret lämnas för Skellefteå kommun."
        )
