"""The follow-up dashboard and an indicator page with its cycle analysis, in a real browser: they
pass the accessibility check and raise no Content-Security-Policy violation or script error."""

import pytest

from .conftest import axe_violations

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

    page = open_page(bypass_csp=True)  # axe-core is injected as a script the CSP would refuse
    page.goto(read_only_demo_site + path)
    assert axe_violations(page) == []
