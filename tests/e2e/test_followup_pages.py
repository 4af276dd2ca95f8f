"""The follow-up dashboard and an indicator page with its cycle analysis, in a real browser, pass
an automated accessibility check (axe-core, WCAG 2.1 A and AA).

Chromium from the system (/usr/bin/chromium) through Playwright; skipped where it is missing.
"""

import os
from pathlib import Path

import pytest

from mineralstrategi.demo.loader import demo_load

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    demo_load()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_context(bypass_csp=True).new_page()  # to inject axe
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {node['target']}" for v in result["violations"] for node in v["nodes"]]


@pytest.mark.parametrize(
    "path",
    [
        "/en/uppfoljning/mineralstrategi-norrbotten-vasterbotten/?year=2024",
        "/en/indikatorer/inpendling-andel/?geo=25",
    ],
)
def test_follow_up_pages_pass_the_accessibility_check(page, live_server, path):
    page.goto(live_server.url + path)
    assert page.locator(".status-badge").count() > 4
    assert axe_violations(page) == []
