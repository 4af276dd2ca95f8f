"""The handbook in a browser: reached from a page's help link, one click to a chapter, the other
language, under the site's own Content-Security-Policy; every chapter in both languages
accessible (axe-core) and readable on a phone without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]


def test_from_a_page_to_its_help_to_a_chapter_and_to_english(live_server, handbook, page):
    page.goto(live_server.url + "/nyheter/")
    page.get_by_role("link", name="Hjälp", exact=True).click()
    expect(page).to_have_url(live_server.url + "/hjalp/kom-igang/")
    page.get_by_role("link", name="Mineralstrategi – handbok").click()
    expect(page).to_have_url(live_server.url + "/hjalp/")
    expect(page.locator("h1")).to_have_text("Handbok för Mineralstrategi")

    page.locator("main table").get_by_role("link", name="Remissinstans").click()
    expect(page).to_have_url(live_server.url + "/hjalp/remissinstans/")
    expect(page.locator(".chapters a[aria-current=page]")).to_have_text("Remissinstans")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/hjalp/remissinstans/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Back to Mineralstrategi").click()
    expect(page).to_have_url(live_server.url + "/en/")

    assert page.evaluate("window.__cspViolations") == []
    assert page.log.page_errors == [] and page.log.console_errors == []


def test_the_handbook_is_accessible_and_fits_a_phone(live_server, handbook, open_page):
    page = open_page(bypass_csp=True)  # for axe-core only
    page.set_viewport_size({"width": 375, "height": 800})
    chapters = sorted(p.parent.name for p in (handbook / "sv").glob("*/index.html"))
    paths = [f"{prefix}/hjalp/{chapter}/" for prefix in ("", "/en") for chapter in chapters]
    assert len(paths) >= 20
    for path in ["/hjalp/", *paths]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone"
