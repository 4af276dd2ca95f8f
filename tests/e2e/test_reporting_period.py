"""One reporting period in a real browser: the editor adds a period to the annual wheel and opens
it, the owners see their tasks, one reports, the overview shows who has reported and who is
late, the editor reminds the late owner, the worker runs, and the late owner's notification
appears."""

import datetime

import pytest
from django.core.management import call_command

from mineralstrategi.cycle.models import today_in_stockholm

from ..cycle.conftest import cycle  # noqa: F401 (the strategy, its initiatives and owners)
from .conftest import axe_violations
from .test_strategy_editing import PASSWORD, chromium  # noqa: F401 (the shared fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sqlite_in_ci,
]  # the browser walks share out between the CI runs


def logged_in_page(chromium, live_server, username: str, next_path: str):  # noqa: F811
    """Logged in, in a context where axe-core may be injected (the CSP would refuse it)."""
    page = chromium.new_context(bypass_csp=True).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/en/konto/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_path}")
    return page


def test_a_reporting_period_from_opening_to_the_late_owner_s_reminder(
    transactional_db,
    chromium,  # noqa: F811
    live_server,
    cycle,  # noqa: F811
):
    wheel = f"/en/uppfoljning/{cycle.strategy.slug}/arshjul/"
    today = today_in_stockholm()
    opens, yesterday = today - datetime.timedelta(days=40), today - datetime.timedelta(days=1)

    # The editor adds the period (its deadline was yesterday) and opens it.
    editor = logged_in_page(chromium, live_server, cycle.editor.username, wheel)
    editor.get_by_role("link", name="Add to the annual wheel").click()
    assert axe_violations(editor) == []
    editor.select_option("select[name=kind]", "period")
    editor.fill("input[name=title]", "Autumn initiatives")
    editor.fill("input[name=date]", opens.isoformat())
    editor.fill("input[name=deadline]", yesterday.isoformat())
    editor.select_option("select[name=asks]", "initiatives")
    editor.get_by_role("button", name="Save").click()
    editor.wait_for_selector("text=“Autumn initiatives” is on the annual wheel.")
    editor.goto(f"{live_server.url}{wheel}?year={opens.year}")  # the wheel of its first day
    assert axe_violations(editor) == []
    editor.get_by_role("button", name="Open the period and ask the owners").click()
    editor.wait_for_selector("text=2 reports are asked for")

    # Each owner sees its task; Kiruna reports.
    kiruna = logged_in_page(chromium, live_server, cycle.kiruna_reporter.username, wheel)
    tasks = kiruna.locator("#my-reports-heading + div table tbody tr")
    assert tasks.count() == 1 and "Stadsflytten" in tasks.inner_text()
    assert "Late" in tasks.inner_text()
    assert axe_violations(kiruna) == []
    tasks.get_by_role("link", name="Stadsflytten").click()
    assert axe_violations(kiruna) == []
    kiruna.get_by_label("On track").check()
    kiruna.fill("input[name=progress]", "70")
    kiruna.fill("textarea[name=done]", "The cultural centre has moved.")
    kiruna.fill("textarea[name=figures]", "Buildings moved: 3")
    kiruna.get_by_role("button", name="Send the report").click()
    kiruna.wait_for_selector("text=Thank you: the report on “Stadsflytten” is in.")
    assert "Reported" in kiruna.locator("#my-reports-heading + div table").inner_text()

    skelleftea = logged_in_page(chromium, live_server, cycle.skelleftea_reporter.username, wheel)
    own = skelleftea.locator("#my-reports-heading + div table tbody tr")
    assert "Lokala leverantörer" in own.inner_text() and "Late" in own.inner_text()

    # The overview: Kiruna has reported, Skellefteå is late; the editor reminds Skellefteå.
    editor.goto(f"{live_server.url}{wheel}")
    editor.get_by_role("link", name="Who has reported").click()
    assert "1 reported, 0 still to report, 1 late" in editor.locator(".report-summary").inner_text()
    assert axe_violations(editor) == []
    reported = editor.locator("tr.report-row-submitted")
    assert "Kiruna" in reported.inner_text() and "On track" in reported.inner_text()
    late = editor.locator("tr.report-row-late")
    assert "Skellefteå" in late.inner_text()
    assert editor.locator("tr.report-row-submitted button").count() == 0
    late.get_by_role("button", name="Remind").click()
    editor.wait_for_selector("text=Skellefteå kommun is reminded.")
    assert "being sent" in editor.locator("tr.report-row-late").inner_text()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker runs

    editor.reload()
    assert "1 person told" in editor.locator("tr.report-row-late").inner_text()
    skelleftea.goto(f"{live_server.url}/en/notiser/")
    notices = skelleftea.locator("li.notification").all_inner_texts()
    assert any(
        "The report on “Lokala leverantörer” for “Autumn initiatives” is late" in text
        for text in notices
    ), notices
