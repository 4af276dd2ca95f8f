"""Carrying an accepted proposed wording into the working draft, as the editor does it: the
proposal in place of the passage it rewrites, shown as a diff, edited, applied; the section's
history and the version comparison tell that the change came from the answer."""

import pytest
from django.urls import reverse

from mineralstrategi.consultation import services
from mineralstrategi.strategy.services import section_update, strategy_draft

DRAFT_TEXT = (
    "Regionen bygger en hel värdekedja för batterier. Återvinningen ska öka varje år.\n\n"
    "Arbetet följs upp årligen."
)
PROPOSAL = "Återvinningen av batterimetaller ska vara minst 50 procent år 2030."


@pytest.fixture
def accepted(skelleftea_consultee, officer, editor, sections, strategy):
    """An accepted proposal about one sentence of direction 1, whose draft has three sentences."""
    draft_section = strategy_draft(strategy).sections.get(key=sections["Inriktning 1"].key)
    section_update(
        draft_section,
        user=editor,
        expected_revision=draft_section.revision,
        title=draft_section.title,
        body_markdown=DRAFT_TEXT,
    )
    answer = services.answer_save_draft(
        skelleftea_consultee,
        user=officer,
        position="support_with_changes",
        comment="",
        section_comments={
            sections["Inriktning 1"].pk: ("propose", "Sätt ett mål för återvinningen.", PROPOSAL)
        },
    )
    answer = services.answer_submit(answer, user=officer)
    comment = answer.comments.get()
    services.disposition_record(comment, user=editor, decision="accepted", reason="Ja.")
    return comment


def apply_url(comment):
    return reverse(
        "consultation:apply",
        kwargs={"pk": comment.answer.consultee.round_id, "comment": comment.pk},
    )


def draft_text(comment):
    return strategy_draft(comment.answer.consultee.round.strategy).sections.get(
        key=comment.section_key
    )


def test_the_page_shows_the_proposal_in_place_of_the_sentence_it_rewrites(
    client, soup, editor, accepted
):
    client.force_login(editor)
    handling = soup(
        client.get(
            reverse("consultation:handling", kwargs={"pk": accepted.answer.consultee.round_id})
        )
    )
    link = handling.select_one(f"#comment-{accepted.pk} a.button")
    assert link["href"] == apply_url(accepted)

    page = soup(client.get(apply_url(accepted)))
    assert "Återvinningen ska öka varje år." in page.select_one("[data-testid=placement]").text
    diff = page.select_one("[data-testid=apply-diff]")
    assert [d.text for d in diff.select("del")] and "öka" in diff.select_one("del").text
    inserted = " ".join(i.text for i in diff.select("ins"))
    assert "batterimetaller" in inserted and "minst 50 procent" in inserted
    assert "Regionen bygger en hel värdekedja för batterier." in diff.text
    assert page.select_one("textarea[name=body_markdown]").text.removeprefix(
        "\n"
    ) == DRAFT_TEXT.replace("Återvinningen ska öka varje år.", PROPOSAL)
    # Nothing is saved by looking.
    assert draft_text(accepted).body_markdown == DRAFT_TEXT


def test_the_editor_previews_an_edited_result_then_applies_it(client, soup, editor, accepted):
    client.force_login(editor)
    page = soup(client.get(apply_url(accepted)))
    revision = page.select_one("input[name=revision]")["value"]
    edited = DRAFT_TEXT.replace("Återvinningen ska öka varje år.", PROPOSAL + " Se bilaga 2.")

    preview = soup(
        client.post(
            apply_url(accepted),
            {"action": "preview", "revision": revision, "body_markdown": edited},
        )
    )
    assert "Se bilaga 2" in " ".join(i.text for i in preview.select("[data-testid=apply-diff] ins"))
    assert draft_text(accepted).body_markdown == DRAFT_TEXT

    done = client.post(
        apply_url(accepted),
        {"action": "apply", "revision": revision, "body_markdown": edited},
        follow=True,
    )
    assert "The proposed wording is now in the working draft." in done.content.decode()
    section = draft_text(accepted)
    assert section.body_markdown == edited
    accepted.disposition.refresh_from_db()
    assert accepted.disposition.applied_revision == section.revision

    # The section's history names the answer the change came from ...
    history = soup(
        client.get(
            reverse(
                "strategy:section_history",
                kwargs={"slug": section.version.strategy.slug, "pk": section.pk},
            )
        )
    )
    (source,) = history.select(".change-source")
    assert "Carried in from the consultation" in source.text
    assert "RV 2025/17-01 (Skellefteå kommun)" in source.text
    assert source.a["href"].endswith(f"#answer-{accepted.answer_id}")
    # ... and so does the comparison of the consulted version with the working draft.
    compare = soup(
        client.get(
            reverse("strategy:compare", kwargs={"slug": section.version.strategy.slug}),
            {"from": accepted.section.version.number, "to": "draft"},
        )
    )
    sources = compare.select(".change-sources li")
    assert len(sources) == 1
    assert "RV 2025/17-01 (Skellefteå kommun)" in sources[0].text


def test_an_empty_result_is_refused_with_the_text_kept_in_view(client, soup, editor, accepted):
    client.force_login(editor)
    revision = draft_text(accepted).revision
    page = soup(
        client.post(
            apply_url(accepted), {"action": "apply", "revision": revision, "body_markdown": "  "}
        )
    )
    summary = page.select_one(".error-summary")
    assert summary.select_one("a")["href"] == "#id_body_markdown"
    assert "cannot be empty" in summary.text
    assert draft_text(accepted).body_markdown == DRAFT_TEXT


def test_a_colleague_saving_meanwhile_is_shown_and_the_editors_text_kept(
    client, soup, editor, accepted
):
    client.force_login(editor)
    seen = draft_text(accepted)
    seen_revision = seen.revision
    section_update(
        seen,
        user=editor,
        expected_revision=seen.revision,
        title=seen.title,
        body_markdown="En kollega skrev om avsnittet. Återvinningen ska öka varje år.",
    )
    mine = DRAFT_TEXT.replace("Återvinningen ska öka varje år.", PROPOSAL)
    page = soup(
        client.post(
            apply_url(accepted),
            {"action": "apply", "revision": seen_revision, "body_markdown": mine},
        )
    )
    assert "saved this section while you were reviewing it" in page.select_one("[role=alert]").text
    assert page.select_one("textarea[name=body_markdown]").text.removeprefix("\n") == mine
    removed = [d.text for d in page.select("[data-testid=apply-diff] del")]
    assert "En kollega skrev om avsnittet" in removed  # the diff is against their text
    assert draft_text(accepted).body_markdown.startswith("En kollega")
    # Applying again goes against the revision now seen.
    new_revision = page.select_one("input[name=revision]")["value"]
    client.post(
        apply_url(accepted), {"action": "apply", "revision": new_revision, "body_markdown": mine}
    )
    assert draft_text(accepted).body_markdown == mine


def test_a_proposal_not_accepted_cannot_be_applied(client, editor, accepted):
    services.disposition_record(accepted, user=editor, decision="not_accepted", reason="Nej.")
    client.force_login(editor)
    page = client.get(apply_url(accepted), follow=True)
    assert "Only an accepted proposal can be applied." in page.content.decode()
    assert draft_text(accepted).body_markdown == DRAFT_TEXT
