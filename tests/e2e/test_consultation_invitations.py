"""The registrar, in a real browser, sends a round to two municipalities, one without an e-mail
address: the progress page says which one was not invited and why; the registrar adds its address
and invites it again; the mail has the right subject and a link on the site's public address.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the page.
"""

import re

import pytest
from django.core.management import call_command

from mineralstrategi.consultation import services
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.consultation.conftest import make_round
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import axe_violations

PASSWORD = "a-long-test-password"
PUBLIC = "https://remiss.example.se"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sqlite_in_ci,
]  # the browser walks share out between the CI runs


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def sent_round(
    transactional_db, live_server, settings, region_vasterbotten, skelleftea, kiruna, make_member
):
    settings.SITE_URL = PUBLIC
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
    services.consultee_add(round_, user=editor, organisation=kiruna)
    services.consultation_send(round_, user=editor)
    run_worker()
    return editor, round_, round_.consultees.get(organisation=kiruna)


def test_registrar_sees_true_states_and_invites_again(
    open_page, live_server, sent_round, mailoutbox
):
    editor, round_, kiruna = sent_round
    page = open_page(bypass_csp=True)  # bypass only to inject axe-core
    page.goto(f"{live_server.url}/konto/login/?next=/remiss/{round_.pk}/lagesbild/")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/remiss/{round_.pk}/lagesbild/")

    row = page.locator(f"#consultee-{kiruna.pk}")
    assert "Inte inbjuden: ingen e-postadress" in row.inner_text()
    todo = page.locator(".to-do")
    assert "Att göra: 1 remissinstans har inte nåtts" in todo.inner_text()
    assert "Kiruna kommun" in todo.inner_text()
    skelleftea = round_.consultees.exclude(pk=kiruna.pk).get()
    assert (
        page.locator(f"#consultee-{skelleftea.pk} [data-invitation]")
        .inner_text()
        .startswith("Inbjuden ")
    )
    assert axe_violations(page) == []
    assert len(mailoutbox) == 1  # Skellefteå's officer only

    todo.locator(f"#todo-email-{kiruna.pk}").fill("registrator@kiruna.example")
    todo.locator("button[name=save_address]").click()
    page.wait_for_selector(".message-success")
    page.locator(".to-do button[name=reinvite]").click()
    page.wait_for_selector(".message-success")
    run_worker()
    page.reload()

    cell = page.locator(f"#consultee-{kiruna.pk} [data-invitation]").inner_text()
    assert cell.startswith("Inbjuden ") and "registrator@kiruna.example" in cell
    assert page.locator(".to-do").count() == 0
    mail = mailoutbox[-1]
    assert mail.to == ["registrator@kiruna.example"]
    assert mail.subject == "Inbjudan att svara: Remiss av teststrategin (RV 2025/17)"
    link = re.search(r"https?://\S+", mail.body).group(0)
    assert link == f"{PUBLIC}/remiss/{round_.pk}/svar/{kiruna.pk}/"
