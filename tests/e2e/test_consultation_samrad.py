"""The registrar, in a real browser, plans a samråd with an organisation and two people (one
without an e-mail address), sees the true invitation state of each, an invited person registers
through the link in the mail, the registrar records the minutes, the participants and an outcome
about a section, changes it, and the public page shows the held meeting with the outcome linked
to its section.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the pages.
Driven by form names, values and data attributes, not interface text.
"""

import re

import pytest
from django.urls import reverse

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import Meeting
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.conftest import meeting_begun
from tests.consultation.conftest import make_round
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import axe_violations

PASSWORD = "a-long-test-password"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def sent_round(
    transactional_db, live_server, settings, region_vasterbotten, skelleftea, make_member
):
    settings.SITE_URL = live_server.url
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    strategy_services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    build_tree(strategy_services.strategy_draft(strategy), editor)
    version = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = make_round(version, editor)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultation_send(round_, user=editor)
    return editor, round_, version


def _row(page, name):
    return page.locator(f'tr[data-person="{name}"]')


def test_registrar_plans_and_records_a_samrad_the_public_sees_it(
    open_page, sent_round, live_server, skelleftea, mailoutbox
):
    editor, round_, version = sent_round
    vision = version.sections.get(title="Vision")
    registrar = open_page(bypass_csp=True)  # bypass only to inject axe-core

    # Plan it (through the login).
    registrar.goto(live_server.url + reverse("consultation:meeting_create", args=[round_.pk]))
    registrar.fill("input[name=username]", editor.username)
    registrar.fill("input[name=password]", PASSWORD)
    registrar.click("main button[type=submit]")
    registrar.wait_for_selector("input[name=title]")
    assert axe_violations(registrar) == []
    registrar.fill("input[name=title]", "Samråd om visionen")
    registrar.fill("input[name=held_at]", "2030-05-12T10:00")
    registrar.fill("input[name=ends_at]", "2030-05-12T12:00")
    registrar.fill("input[name=place]", "Stadshuset, Skellefteå")
    registrar.fill("textarea[name=agenda]", "1. Visionen\n2. Frågor")
    registrar.select_option("select[name=invited_organisations]", str(skelleftea.pk))
    registrar.fill(
        "textarea[name=people]",
        "Anna Berg; anna.berg@example.se; Skellefteå kommun\nPer Nilsson; Kiruna kommun",
    )
    registrar.click("main form button[type=submit]")
    registrar.wait_for_selector("[data-meeting-status]")
    meeting = Meeting.objects.get()
    assert registrar.url.endswith(meeting.get_absolute_url())
    assert axe_violations(registrar) == []

    # The true invitation state of each: a mail to Anna, none to Per (no address).
    anna = _row(registrar, "Anna Berg").locator("[data-invitation]")
    per = _row(registrar, "Per Nilsson").locator("[data-invitation]")
    assert anna.get_attribute("data-invitation") == "sent"
    assert per.get_attribute("data-invitation") == "no_address"
    assert anna.inner_text() != per.inner_text()
    (invitation,) = mailoutbox
    assert invitation.to == ["anna.berg@example.se"]
    link = re.search(r"https?://\S+/min-inbjudan/\S+", invitation.body).group(0)

    # Anna registers through her link.
    person = open_page()
    person.goto(link)
    person.click("button[name=action][value=register]")
    person.wait_for_selector("button[name=action][value=cancel]")

    registrar.reload()
    registration = _row(registrar, "Anna Berg").locator("[data-registration]")
    assert registration.get_attribute("data-registration") == "registered"

    # The meeting's time comes; then the minutes, participants (Anna prefilled as registered)
    # and an outcome about the vision.
    meeting_begun(meeting)
    minutes_url = reverse("consultation:meeting_minutes", args=[round_.pk, meeting.pk])
    registrar.goto(live_server.url + minutes_url)
    anna_box = registrar.locator("input[name=participant_people]").first
    assert anna_box.is_checked()
    registrar.fill("textarea[name=notes]", "Protokoll: visionen diskuterades.")
    registrar.select_option("select[name=participants]", str(skelleftea.pk))
    registrar.fill("textarea[name=outcome-0-text]", "Visionen skrivs om.")
    registrar.select_option("select[name=outcome-0-section]", str(vision.pk))
    assert axe_violations(registrar) == []
    registrar.click("main form button[type=submit]")
    registrar.wait_for_selector("[data-outcome]")

    # Changed afterwards.
    registrar.goto(live_server.url + minutes_url)
    assert registrar.input_value("textarea[name=outcome-0-text]") == "Visionen skrivs om."
    registrar.fill("textarea[name=outcome-0-text]", "Visionen skrivs om och kortas.")
    registrar.click("main form button[type=submit]")
    registrar.wait_for_selector("[data-outcome]")

    # The public sees the held meeting, its outcome linked to its section; no addresses.
    public = open_page(bypass_csp=True)
    public.goto(live_server.url + meeting.get_absolute_url())
    assert public.get_attribute("[data-meeting-status]", "class").endswith("status-held")
    outcome = public.locator("[data-outcome]")
    assert outcome.count() == 1
    assert outcome.inner_text().startswith("Visionen skrivs om och kortas.")
    assert "anna.berg@example.se" not in public.content()
    assert public.locator("table.meeting-people").count() == 0
    assert axe_violations(public) == []
    outcome.locator("a").click()
    public.wait_for_url(f"**/version/{version.number}/#{vision.anchor}")
    assert public.locator(f"#{vision.anchor}").is_visible()
