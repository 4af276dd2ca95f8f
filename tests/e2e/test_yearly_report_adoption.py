"""An editor, in a real browser and in Swedish, adopts the year's follow-up report through the
form (one refused attempt, a decision date in the future; then the confirmation), and the report is
frozen and published; after the worker has made its PDF an anonymous visitor finds it on
`/uppfoljning/<slug>/rapport/` and downloads it. Before that the page says the PDF is being made,
never with a dead link."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from mineralstrategi.demo.organisations import DEMO_PASSWORD
from mineralstrategi.demo.strategy import SLUG

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs

REPORTS = f"/uppfoljning/{SLUG}/rapport/"


def test_editor_adopts_the_yearly_report_and_a_visitor_downloads_its_pdf(
    open_page, demo_site, run_tasks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    page = open_page()
    page.goto(f"{demo_site}/konto/login/?next={REPORTS}")
    page.fill("input[name=username]", "redaktor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{REPORTS}")
    assert page.inner_text("[data-report-state=draft]") == "Utkast – inte antagen"
    assert "Uppföljningsrapport 2024" in page.inner_text("#draft-heading")

    page.get_by_role("link", name="Anta årsrapporten").click()
    page.wait_for_url(f"**{REPORTS}2024/anta/")
    assert page.inner_text("h1") == "Anta årsrapporten 2024"
    page.fill("#id_body", "Regionstyrelsen, Region Västerbotten")
    page.fill("#id_decided_on", tomorrow.isoformat())
    page.fill("#id_reference", "RS § 45, RS 2025/112")
    page.fill("#id_note", "Protokollet justerat.")
    page.get_by_role("button", name="Granska beslutet").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert f"Beslutsdatumet {tomorrow.isoformat()} ligger i framtiden" in summary.inner_text()
    assert page.input_value("#id_reference") == "RS § 45, RS 2025/112"  # nothing typed lost

    page.fill("#id_decided_on", today.isoformat())
    page.get_by_role("button", name="Granska beslutet").click()
    page.wait_for_selector("h1:has-text('Bekräfta antagandet')")
    decision = " ".join(page.inner_text("[data-decision]").split())
    assert "Regionstyrelsen, Region Västerbotten" in decision and today.isoformat() in decision
    page.get_by_role("button", name="Anta årsrapporten 2024").click()
    page.wait_for_url(f"**{REPORTS}2024/")
    assert "Årsrapporten 2024 är antagen av Regionstyrelsen" in page.inner_text(".message-success")
    assert page.inner_text("[data-report-state=adopted]") == "Antagen"
    assert page.locator("[data-frozen-content] .report-chart").count() >= 10

    # Anyone, signed out, before the worker has made the PDF: said, no link.
    public = open_page()
    public.goto(demo_site + REPORTS)
    row = public.locator("tr[data-adopted-year='2024']")
    assert "PDF:en tas fram" in row.inner_text()
    assert row.locator("a[data-adopted-pdf]").count() == 0
    assert public.locator("[data-draft-report]").count() == 0  # the draft is the partnership's

    run_tasks()

    public.reload()
    row = public.locator("tr[data-adopted-year='2024']")
    cells = [" ".join(cell.split()) for cell in row.locator("th, td").all_inner_texts()]
    assert cells[:4] == ["2024", "Regionstyrelsen, Region Västerbotten", today.isoformat(),
                         "RS § 45, RS 2025/112"]  # fmt: skip
    link = row.locator("a[data-adopted-pdf]")
    assert link.inner_text() == "Årsrapport 2024 (PDF)"
    # The link, fetched as the signed-out visitor's browser fetches it (Chromium would show the
    # PDF inline rather than download it).
    response = public.request.get(demo_site + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "arsrapport-" in response.headers["content-disposition"]
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(response.body())
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Årsrapport 2024" in text and "RS § 45, RS 2025/112" in text
    assert public.evaluate("window.__cspViolations") == [] and public.log.page_errors == []
