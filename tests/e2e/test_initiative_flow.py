"""In a real browser: a contributor registers an initiative, a strategy editor approves it, and it
shows on the roll-up, the how-to-contribute page and in the actor network.

Chromium from the system through the shared browser fixture of tests/e2e/conftest.py.
"""

from pathlib import Path

import pytest

from mineralstrategi.implementation.models import Initiative
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services
from tests.e2e.conftest import logged_in_page
from tests.e2e.handbook import handbook_picture
from tests.strategy.conftest import build_tree, make_strategy

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def people(transactional_db, region_vasterbotten, skelleftea, make_member):
    return (
        make_member(skelleftea, Role.CONTRIBUTOR, username="contributor"),
        make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor"),
    )


@pytest.fixture
def strategy(people, region_vasterbotten):
    services.frameworks_load()
    strategy = make_strategy(region_vasterbotten)
    build_tree(services.strategy_draft(strategy), people[1])
    return strategy


def test_contributor_registers_editor_approves_and_it_shows_everywhere(
    browser, live_server, strategy, people
):
    create_path = f"/en/genomforande/{strategy.slug}/insatser/ny/"
    page = logged_in_page(browser, live_server, "contributor", create_path, language="/en")

    page.fill("input[name=title]", "Vätgas i pelletsverket")
    page.fill("textarea[name=description]", "Försök med vätgas i stället för olja.")
    page.get_by_label("1.1.1 Insats 1.1.1").check()
    page.fill("input[name=start_date]", "2025-01-01")
    # First an end before the start: the form says so and keeps the rest.
    page.fill("input[name=end_date]", "2024-12-31")
    page.fill("input[name=budget]", "2000000")
    page.select_option("select[name=status]", "ongoing")
    page.fill("input[name=progress]", "40")
    page.select_option("select[name=municipalities]", ["2482"])
    page.fill("input[name=partners_wanted]", "Forskare inom förbränning")
    page.select_option("select[name=funding-0-kind]", "eu_regional_fund")
    page.fill("input[name=funding-0-amount]", "800000")
    page.get_by_role("button", name="Register the initiative").click()
    page.wait_for_selector("#id_end_date_error")
    assert not Initiative.objects.exists()

    page.fill("input[name=end_date]", "2027-12-31")
    page.get_by_role("button", name="Register the initiative").click()
    page.wait_for_selector("text=The initiative is registered")
    initiative = Initiative.objects.get()
    assert not initiative.is_approved

    # The handbook's pictures, in Swedish: the initiative awaiting approval, the form begun.
    page.goto(f"{live_server.url}/genomforande/{strategy.slug}/insatser/{initiative.pk}/")
    page.wait_for_selector(".approval-pending")
    handbook_picture(page, "genomforare-vantar-pa-godkannande")
    page.goto(f"{live_server.url}{create_path.removeprefix('/en')}")
    page.fill("input[name=title]", "Fossilfri uppvärmning av verkstaden")
    page.fill("textarea[name=description]", "Byte från oljepanna till fjärrvärme.")
    page.get_by_label("1.1.1 Insats 1.1.1").check()
    page.evaluate("window.scrollTo(0, 0)")
    handbook_picture(page, "genomforare-anmal-initiativ")
    page.goto(f"{live_server.url}{create_path}")

    editor = logged_in_page(
        browser,
        live_server,
        "editor",
        f"/en/genomforande/{strategy.slug}/insatser/",
        language="/en",
    )
    editor.get_by_role("link", name="Vätgas i pelletsverket").first.click()
    editor.get_by_role("button", name="Approve", exact=True).click()
    editor.wait_for_selector("text=The initiative is approved")

    public = browser.new_context(bypass_csp=True).new_page()  # so that axe can be injected
    public.goto(f"{live_server.url}/en/genomforande/{strategy.slug}/")
    direction = public.locator("tr.rollup-direction").first
    assert direction.locator(".bar-value").inner_text() == "40 %"
    assert "2,000,000" in direction.inner_text()

    public.goto(f"{live_server.url}/en/genomforande/{strategy.slug}/bidra/")
    with public.expect_navigation():
        public.get_by_role("link", name="1 Inriktning 1").click()
    assert "Vätgas i pelletsverket" in public.inner_text("main")
    assert "Forskare inom förbränning" in public.inner_text(".wanted-list")

    public.goto(f"{live_server.url}/en/klustret/platser/")
    skelleftea = public.locator('svg.site-map path[data-code="2482"]')
    assert skelleftea.get_attribute("fill") != "#d9d9d9"  # shaded: it has an initiative
    assert skelleftea.locator("title").text_content().endswith(": 1 initiative")

    public.goto(f"{live_server.url}/en/klustret/natverk/?year=2026")
    assert "Skellefteå kommun" in public.inner_text("table.network-table")

    for path in (
        f"/en/genomforande/{strategy.slug}/",
        f"/en/genomforande/{strategy.slug}/bidra/",
        f"/en/genomforande/{strategy.slug}/insatser/{initiative.pk}/",
        "/en/klustret/platser/",
        "/en/klustret/natverk/",
    ):
        public.goto(f"{live_server.url}{path}")
        assert axe_violations(public) == [], path
    assert axe_violations(page) == []  # the registration form, as the contributor sees it


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return violations
