"""A year's follow-up cycle in a real browser, from a reporting period to the public PDF: the editor
adds a period to the annual wheel and opens it, the owners see their tasks, one reports, the
overview shows who has reported and who is late, the editor reminds the late owner, the worker
runs and the late owner is told and reports; an indicators' period is opened and the indicator's
owner reports; the traffic lights roll up; the editor puts the year's report to the partnership's
review, a member comments, the editor adopts it (a decision dated in the future refused first),
and after the worker has made its PDF a signed-out visitor downloads it from the reports page."""

import datetime
import subprocess

import pytest
from django.core.management import call_command

from mineralstrategi.cycle.models import WheelEntry, today_in_stockholm
from mineralstrategi.organisations.models import Role

from ..cycle.conftest import cycle  # noqa: F401 (the strategy, its initiatives and owners)
from .conftest import axe_violations, logged_in_page
from .handbook import handbook_picture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs (the SQLite run is the longer)


def send_report(page, base: str, wheel: str, subject: str, state: str, progress: str, done: str):
    """An owner opens its task for `subject` from the wheel and sends the short report."""
    page.goto(f"{base}{wheel}")
    page.locator("#my-reports-heading + div table").get_by_role("link", name=subject).click()
    page.get_by_label(state).check()
    page.fill("input[name=progress]", progress)
    page.fill("textarea[name=done]", done)
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_selector(f"text=Thank you: the report on “{subject}” is in.")


def test_a_reporting_period_through_the_lights_to_the_adopted_report_s_public_pdf(
    transactional_db,
    browser,
    live_server,
    cycle,  # noqa: F811 (the fixture imported above)
    region_vasterbotten,
    make_member,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path  # where the adopted report's PDF is kept
    wheel = f"/en/uppfoljning/{cycle.strategy.slug}/arshjul/"
    today = today_in_stockholm()
    opens, yesterday = today - datetime.timedelta(days=40), today - datetime.timedelta(days=1)

    # The editor adds the period (its deadline was yesterday) and opens it.
    editor = logged_in_page(browser, live_server, cycle.editor.username, wheel, language="/en")
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
    kiruna = logged_in_page(
        browser, live_server, cycle.kiruna_reporter.username, wheel, language="/en"
    )
    tasks = kiruna.locator("#my-reports-heading + div table tbody tr")
    assert tasks.count() == 1 and "Stadsflytten" in tasks.inner_text()
    assert "Late" in tasks.inner_text()
    assert axe_violations(kiruna) == []
    # The handbook's pictures, in Swedish: the owner's tasks on the wheel and the report form.
    kiruna.goto(f"{live_server.url}{wheel.removeprefix('/en')}")
    handbook_picture(kiruna, "genomforare-arshjul-rapporter")
    kiruna.goto(f"{live_server.url}{wheel}")
    tasks.get_by_role("link", name="Stadsflytten").click()
    assert axe_violations(kiruna) == []
    report_form = kiruna.url
    kiruna.goto(report_form.replace("/en/", "/", 1))
    kiruna.get_by_label("I fas").check()
    kiruna.fill("input[name=progress]", "70")
    kiruna.fill("textarea[name=done]", "Kulturhuset har flyttat.")
    kiruna.evaluate("window.scrollTo(0, 0)")
    handbook_picture(kiruna, "genomforare-rapportformular")
    kiruna.goto(report_form)
    kiruna.get_by_label("On track").check()
    kiruna.fill("input[name=progress]", "70")
    kiruna.fill("textarea[name=done]", "The cultural centre has moved.")
    kiruna.fill("textarea[name=figures]", "Buildings moved: 3")
    kiruna.get_by_role("button", name="Send the report").click()
    kiruna.wait_for_selector("text=Thank you: the report on “Stadsflytten” is in.")
    assert "Reported" in kiruna.locator("#my-reports-heading + div table").inner_text()

    skelleftea = logged_in_page(
        browser, live_server, cycle.skelleftea_reporter.username, wheel, language="/en"
    )
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

    # Told, Skellefteå reports late: both initiatives are in.
    send_report(skelleftea, live_server.url, wheel, "Lokala leverantörer", "At risk", "30",
                "Two supplier days held.")  # fmt: skip

    # An indicators' period: the indicator's owner (Skellefteå) is asked and reports.
    editor.goto(f"{live_server.url}{wheel}")
    editor.get_by_role("link", name="Add to the annual wheel").click()
    editor.select_option("select[name=kind]", "period")
    editor.fill("input[name=title]", "Indicators")
    editor.fill("input[name=date]", opens.isoformat())
    editor.fill("input[name=deadline]", (today + datetime.timedelta(days=10)).isoformat())
    editor.select_option("select[name=asks]", "indicators")
    editor.get_by_role("button", name="Save").click()
    editor.wait_for_selector("text=“Indicators” is on the annual wheel.")
    editor.goto(f"{live_server.url}{wheel}?year={opens.year}")
    editor.get_by_role("button", name="Open the period and ask the owners – Indicators").click()
    editor.wait_for_selector("text=1 report is asked for")
    send_report(skelleftea, live_server.url, wheel, "Sysselsatta i gruvnäringen", "On track",
                "50", "The figures for the year are in.")  # fmt: skip

    # The lights, read by anyone: each initiative's, rolled up per direction with the rule.
    public = browser.new_context(bypass_csp=True).new_page()
    autumn = WheelEntry.objects.get(title="Autumn initiatives")
    public.goto(
        f"{live_server.url}/en/uppfoljning/{cycle.strategy.slug}/arshjul/{autumn.pk}/lampor/"
    )
    rows = {
        row.locator("th").inner_text(): row.inner_text() for row in public.locator("tbody tr").all()
    }
    assert "On track" in rows["Stadsflytten"] and "At risk" in rows["Lokala leverantörer"]
    assert "overdue: 0" in public.inner_text("main")
    assert "At risk" in public.inner_text("p:has-text('All together:')")  # the worse of the two
    assert axe_violations(public) == []
    public.goto(f"{live_server.url}/uppfoljning/{cycle.strategy.slug}/arshjul/{autumn.pk}/lampor/")
    handbook_picture(public, "uppfoljning-trafikljus")

    # The year's report: put to the partnership's review, commented on, adopted.
    reports = f"/en/uppfoljning/{cycle.strategy.slug}/rapport/"
    year = cycle.strategy.start_year  # no figures yet: the report's year is the strategy's first
    editor.goto(live_server.url + reports)
    assert editor.inner_text("[data-report-state=draft]") == "Draft – not adopted"
    assert editor.inner_text("[data-review-state]").startswith("The draft has not been put")
    editor.fill("#id_closes_on", today.isoformat())
    editor.get_by_role("button", name="Put the draft to the partnership's review").click()
    editor.wait_for_selector(f"text=is out for the partnership's review until {today.isoformat()}")
    assert axe_violations(editor) == []

    member = make_member(region_vasterbotten, Role.VIEWER, username="reviewer")
    reviewer = logged_in_page(browser, live_server, member.username, reports, language="/en")
    assert (
        reviewer.inner_text("[data-report-state=review]")
        == f"Under review until {today.isoformat()}"
    )
    assert reviewer.locator("[data-adopt-report]").count() == 0
    reviewer.fill("#id_body", "The risks of the supplier initiative deserve a line of their own.")
    reviewer.get_by_role("button", name="Send the comment").click()
    reviewer.wait_for_selector("text=Your comment is sent to the strategy's editors.")
    assert "Region Västerbotten" in reviewer.inner_text("[data-review-comments]")

    editor.goto(live_server.url + reports)
    editor.get_by_role("link", name="Adopt the yearly report").click()
    editor.fill("#id_body", "Regionala utvecklingsnämnden")
    editor.fill("#id_decided_on", (today + datetime.timedelta(days=1)).isoformat())
    editor.fill("#id_reference", "RUN § 12")
    editor.get_by_role("button", name="Review the decision").click()
    editor.locator(".error-summary").wait_for()
    assert "is in the future" in editor.inner_text(".error-summary")
    assert editor.input_value("#id_reference") == "RUN § 12"  # nothing typed is lost
    editor.fill("#id_decided_on", today.isoformat())
    editor.get_by_role("button", name="Review the decision").click()
    summary = editor.inner_text("[data-review-summary]")
    assert f"until {today.isoformat()}: 1 comment" in summary
    editor.get_by_role("button", name=f"Adopt the yearly report {year}").click()
    editor.wait_for_url(f"**{reports}{year}/")
    assert editor.inner_text("[data-report-state=adopted]") == "Adopted"
    assert editor.inner_text("[data-review-period]") == f"{today.isoformat()} – {today.isoformat()}"

    # Signed out: the adopted report, its PDF said to be on its way, then made by the worker.
    public.goto(live_server.url + reports)
    row = public.locator(f"tr[data-adopted-year='{year}']")
    assert "being prepared" in row.inner_text() and row.locator("a[data-adopted-pdf]").count() == 0
    assert public.locator("[data-draft-report]").count() == 0  # the draft is the partnership's
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    public.reload()
    link = public.locator(f"tr[data-adopted-year='{year}'] a[data-adopted-pdf]")
    response = public.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "RUN § 12" in text and "Regionala utvecklingsnämnden" in text
