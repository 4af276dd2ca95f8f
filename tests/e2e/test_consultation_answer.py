"""A municipal consultation officer, in a real browser, follows the invitation link from the mail,
signs in, comments section by section, submits, and sees the answer's registry reference.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the page.
The page is driven by form names and values, not by interface text, so that the Swedish
translation does not break it.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import Answer
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.consultation.conftest import make_round
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import axe_violations

PASSWORD = "a-long-test-password"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def invitation(
    transactional_db,
    live_server,
    settings,
    tmp_path,
    region_vasterbotten,
    skelleftea,
    make_member,
    mailoutbox,
):
    """An open round; Skellefteå's officer has the invitation mail (sent by the task worker)."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    officer.email = "officer@skelleftea.example"
    officer.save()
    strategy_services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    build_tree(strategy_services.strategy_draft(strategy), editor)
    version = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = make_round(version, editor)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultation_send(round_, user=editor)  # the invitations are enqueued on commit
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (mail,) = mailoutbox
    return officer, version, re.search(r"https?://\S+", mail.body).group(0)


def test_officer_answers_from_the_invitation_link(open_page, invitation):
    officer, version, link = invitation
    vision = version.sections.get(title="Vision")
    direction = version.sections.get(title="Inriktning 1")

    page = open_page(bypass_csp=True)  # bypass only to inject axe-core
    page.goto(link)
    # Not signed in: the link leads through the login and back.
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{urlsplit(link).path}")

    assert axe_violations(page) == []

    page.select_option("select[name=position]", "support_with_changes")
    page.fill("textarea[name=comment]", "Skellefteå kommun stöder strategin med ändringar.")
    # Each section is closed until opened.
    page.click(f"#avsnitt-{vision.pk} > summary")
    page.click(f"#avsnitt-{direction.pk} > summary")
    page.select_option(f"select[name=stance_{vision.pk}]", "support")
    page.fill(f"textarea[name=comment_{vision.pk}]", "En tydlig vision.")
    page.select_option(f"select[name=stance_{direction.pk}]", "propose")
    page.fill(f"textarea[name=comment_{direction.pk}]", "Lyft batterivärdekedjan.")
    page.fill(f"textarea[name=proposed_{direction.pk}]", "Ny lydelse om batterivärdekedjan.")
    page.click("button[name=action][value=save]")
    page.wait_for_selector(".message-success")
    assert page.input_value(f"textarea[name=comment_{vision.pk}]") == "En tydlig vision."

    # The summary, the confirmation, the submission.
    page.click("button[name=action][value=review]")
    page.wait_for_url("**/sammanfattning/")
    assert axe_violations(page) == []
    page.check("input[name=confirm]")
    page.click("main form button[type=submit]")
    reference = page.wait_for_selector(".registry-reference")
    assert reference.inner_text() == "RV 2025/17-01"
    assert axe_violations(page) == []
    answer = Answer.objects.get()
    assert answer.is_submitted and answer.comments.count() == 2
    assert answer.submitted_by == officer


# --- A 60-section strategy: the form a person can fill in ------------------------------------


@pytest.fixture
def sixty_sections(
    transactional_db, live_server, settings, tmp_path, region_vasterbotten, skelleftea, make_member
):
    """An open round on a frozen version of 60 sections (the vision, five directions, nine goals
    and 45 actions); Skellefteå's officer answers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    strategy_services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    draft = strategy_services.strategy_draft(strategy)
    build_tree(draft, editor, directions=3, goals=3, actions=5)
    for number in (4, 5):
        strategy_services.section_create(
            version=draft,
            user=editor,
            kind="direction",
            title=f"Inriktning {number}",
            body_markdown=f"Text om inriktning {number}.",
            dimension="social",
        )
    version = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    assert version.sections.count() == 60
    round_ = make_round(version, editor)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultation_send(round_, user=editor)
    consultee = round_.consultees.get()
    return (
        officer,
        {s.title: s for s in version.sections.all()},
        live_server.url + (consultee.get_answer_url()),
    )


def _fits_a_phone(page) -> bool:
    """At 390 px wide, nothing scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    page.set_viewport_size({"width": 1280, "height": 900})
    return width[0] <= width[1]


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_consultee_fills_in_the_form_of_a_60_section_strategy(open_page, sixty_sections):
    officer, sections, url = sixty_sections
    goal, action, direction = (
        sections["Mål 1.1"],
        sections["Insats 3.3.5"],
        sections["Inriktning 2"],
    )

    page = open_page(bypass_csp=True)  # bypass only to inject axe-core
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{urlsplit(url).path}")

    # The progress list: 60 sections, none answered; every section closed.
    progress = page.locator(".answer-progress")
    assert progress.locator(".progress-count").inner_text() == (
        "0 av 60 avsnitt besvarade i det sparade utkastet"
    )
    assert progress.locator("li").count() == 60
    assert page.locator("details.section-answer[open]").count() == 0
    assert axe_violations(page) == []
    assert _fits_a_phone(page)

    # Two sections filled in, opened from the progress list; the second one saved.
    page.select_option("select[name=position]", "support_with_changes")
    progress.get_by_role("link", name="1.1 Mål 1.1").click()
    assert page.locator(f"#avsnitt-{goal.pk}").get_attribute("open") is not None
    page.select_option(f"select[name=stance_{goal.pk}]", "support")
    page.fill(f"textarea[name=comment_{goal.pk}]", "Ett tydligt mål.")
    progress.get_by_role("link", name="3.3.5 Insats 3.3.5").click()
    page.select_option(f"select[name=stance_{action.pk}]", "object")
    page.fill(f"textarea[name=comment_{action.pk}]", "Insatsen saknar finansiering.")
    page.click(f"button[value=save-section-{action.pk}]")
    page.wait_for_url(f"**?avsnitt={action.pk}#avsnitt-{action.pk}")
    assert page.locator(".message-success").inner_text() == (
        "Utkastet är sparat, med ditt svar på ”3.3.5 Insats 3.3.5”."
    )
    assert progress.locator(".progress-count").inner_text().startswith("2 av 60")
    answered = progress.locator("li.is-answered a")
    assert answered.all_inner_texts() == ["1.1 Mål 1.1", "3.3.5 Insats 3.3.5"]
    assert page.locator(f"#avsnitt-{action.pk}").get_attribute("open") is not None

    # A proposal without its wording: the error summary at the top, its link to the field.
    progress.get_by_role("link", name="2 Inriktning 2").click()
    page.select_option(f"select[name=stance_{direction.pk}]", "propose")
    page.fill(f"textarea[name=comment_{direction.pk}]", "Skriv om inriktningen.")
    page.click("button[value=review]")
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("h2").inner_text() == "Något behöver rättas"
    assert page.title().startswith("Fel: ")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = summary.locator("a")
    assert links.all_inner_texts() == ["2 Inriktning 2: Skriv den lydelse du föreslår."]
    for href in [links.nth(n).get_attribute("href") for n in range(links.count())]:
        assert page.locator(href).count() == 1
    links.first.click()
    assert _focused_id(page) == f"id_proposed_{direction.pk}"
    # What was typed is all there.
    assert page.input_value(f"textarea[name=comment_{direction.pk}]") == "Skriv om inriktningen."
    assert page.input_value(f"textarea[name=comment_{goal.pk}]") == "Ett tydligt mål."
    assert axe_violations(page) == []

    page.fill(f"textarea[name=proposed_{direction.pk}]", "Inriktningen omfattar hela värdekedjan.")
    page.click("button[value=review]")
    page.wait_for_url("**/sammanfattning/")

    # The summary: every answered section, numbered, in document order; the confirmation.
    assert page.locator(".answer-section h3").all_inner_texts() == [
        "1.1 Mål 1.1",
        "2 Inriktning 2",
        "3.3.5 Insats 3.3.5",
    ]
    assert "Tillstyrker förslaget med ändringar" in page.locator(".review-list").first.inner_text()
    assert page.locator("label[for=id_confirm]").inner_text() == (
        "Jag bekräftar att svaret lämnas för Skellefteå kommun."
    )
    assert axe_violations(page) == []
    assert _fits_a_phone(page)
    page.click("main form button[type=submit]")  # without confirming
    summary = page.locator(".error-summary")
    assert summary.locator("a").all_inner_texts() == [
        "Bekräfta att svaret lämnas för Skellefteå kommun."
    ]
    summary.locator("a").click()
    assert _focused_id(page) == "id_confirm"
    assert not Answer.objects.filter(status="submitted").exists()

    page.check("input[name=confirm]")
    page.click("main form button[type=submit]")
    assert page.wait_for_selector(".registry-reference").inner_text() == "RV 2025/17-01"

    # The submitted answer: sections in document order with their numbers.
    assert page.locator("article.answer-document h4").all_inner_texts() == [
        "1.1 Mål 1.1",
        "2 Inriktning 2",
        "3.3.5 Insats 3.3.5",
    ]
    assert axe_violations(page) == []
    assert _fits_a_phone(page)
    assert page.log.page_errors == []
