"""The follow-up dashboard and an indicator page with its cycle analysis, in a real browser: they
pass the accessibility check and raise no Content-Security-Policy violation or script error."""

import pytest

from .conftest import axe_violations
from .handbook import handbook_picture

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

PAGES = {
    "follow-up dashboard": "/en/uppfoljning/mineralstrategi-norrbotten-vasterbotten/?year=2024",
    "indicator with cycle analysis": "/indikatorer/inpendling-andel/?geo=25",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES)
def test_follow_up_pages_pass_the_accessibility_check(read_only_demo_site, open_page, path):
    checked = open_page()
    assert checked.goto(read_only_demo_site + path).status == 200
    assert checked.locator(".status-badge").count() > 4
    assert checked.locator("svg.svg-chart").count() >= (3 if "indikatorer" in path else 0)
    assert checked.evaluate("window.__cspViolations") == []
    pictures(checked, read_only_demo_site, path)

    page = open_page(bypass_csp=True)  # axe-core is injected as a script the CSP would refuse
    page.goto(read_only_demo_site + path)
    assert axe_violations(page) == []


def pictures(page, base: str, path: str) -> None:
    """The handbook's pictures of the follow-up (uppfoljning.md), in Swedish."""

    def scroll_to(selector: str) -> None:
        page.locator(selector).first.evaluate("element => element.scrollIntoView()")

    if "indikatorer" in path:
        scroll_to("#cycle-heading")
        handbook_picture(page, "uppfoljning-indikator-konjunktur")
        scroll_to("#cycle-place-heading")
        handbook_picture(page, "uppfoljning-indikator-plats")
    else:
        page.goto(base + path.removeprefix("/en"))
        scroll_to("table.verdicts-table")
        handbook_picture(page, "uppfoljning-oversikt")


REPORT = "/uppfoljning/mineralstrategi-norrbotten-vasterbotten/rapport/?year=2024"


def _as_partner(page, base: str) -> None:
    """The year's live report is a draft: a member of the partnership reads it."""
    from mineralstrategi.demo.organisations import DEMO_PASSWORD

    page.goto(f"{base}/konto/login/?next={REPORT}")
    page.fill("input[name=username]", "redaktor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/rapport/?year=2024")


def test_the_report_folds_its_sections_and_a_printout_shows_them_all(demo_site, open_page):
    from playwright.sync_api import expect

    page = open_page()
    _as_partner(page, demo_site)
    direction = page.locator("section.report-direction").first
    chart = direction.locator(".report-chart").first
    expect(chart).to_be_hidden()  # folded: only its heading shows

    direction.locator("summary").click()
    expect(chart).to_be_visible()
    direction.locator("summary").press("Enter")  # and folded again from the keyboard
    expect(chart).to_be_hidden()

    heading = page.locator("#scenario")  # the contents list leads to a folded section's heading
    page.locator("nav.toc a[href='#scenario']").click()
    expect(heading).to_be_in_viewport()
    assert page.evaluate("location.hash") == "#scenario"

    page.emulate_media(media="print")  # on paper every section is unfolded
    expect(chart).to_be_visible()
    expect(page.locator(".report-annex table").first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == [] and page.log.page_errors == []


def test_the_report_in_swedish_passes_the_accessibility_check(demo_site, open_page):
    page = open_page(bypass_csp=True)  # axe-core is injected as a script the CSP would refuse
    _as_partner(page, demo_site)
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert axe_violations(page) == []
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    assert axe_violations(page) == []  # and with every section open
