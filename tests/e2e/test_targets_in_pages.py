"""In a real browser, in Swedish (issue #22): a member of the organisation responsible for an
indicator adds a target with a decimal comma in the indicator's own pages (no /admin/), the public
sees it on the indicator's page, and a strategy editor links the indicator to a goal of the
strategy and finds it under that goal in the follow-up.

Chromium from the system through the shared browser fixture of tests/e2e/conftest.py.
"""

import pytest

from mineralstrategi.indicators import services as indicator_services
from mineralstrategi.indicators.models import IndicatorLink, Observation, Target
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.e2e.conftest import axe_violations, logged_in_page
from tests.strategy.conftest import build_tree, make_strategy

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_in_ci]


@pytest.fixture
def scene(transactional_db, employment, region_vasterbotten, skelleftea, make_member):
    """Region Västerbotten's indicator, observed in its county 2010–2024; a strategy editor of the
    region (who maintains the indicator, and edits no strategy), and a strategy editor of
    Skellefteå's strategy (who does not maintain the indicator)."""
    Observation.objects.bulk_create(
        Observation(indicator=employment, geo_level="county", geo_code="24", period=str(year),
                    value=5000 + 40 * (year - 2010))
        for year in range(2010, 2025)
    )  # fmt: skip
    indicator_services.indicator_summary_refresh(employment)
    make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="agare")
    editor = make_member(skelleftea, Role.STRATEGY_EDITOR, username="redaktor")
    strategy_services.frameworks_load()
    strategy = make_strategy(skelleftea)
    build_tree(strategy_services.strategy_draft(strategy), editor)
    return employment, strategy


def test_a_target_added_in_the_page_and_a_link_to_a_goal_show_where_they_are_read(
    browser, live_server, scene
):
    indicator, strategy = scene
    detail_path = f"/indikatorer/{indicator.code}/"

    # The indicator's owner opens the targets page from the indicator's page.
    owner = logged_in_page(browser, live_server, "agare", detail_path)
    owner.get_by_role("link", name="Mål och utgångsvärden").click()
    owner.wait_for_url(f"**{detail_path}mal/")
    assert owner.locator("h1").inner_text().startswith("Mål och utgångsvärden")
    assert axe_violations(owner) == []

    # A target year before the baseline is refused, naming the field.
    owner.get_by_role("combobox", name="Plats").select_option(label="Västerbottens län")
    owner.get_by_role("textbox", name="Basår").fill("2015")
    owner.get_by_role("textbox", name="Utgångsvärde").fill("5 200,5")
    owner.get_by_role("textbox", name="Målår").fill("2012")
    owner.get_by_role("textbox", name="Målvärde").fill("6 000,5")
    owner.get_by_role("button", name="Lägg till målet").click()
    owner.wait_for_selector(".error-summary")
    assert "Målår: Målåret (2012) måste komma efter basåret (2015)." in owner.inner_text(
        ".error-summary"
    )
    assert axe_violations(owner) == []
    owner.get_by_role("textbox", name="Målår").fill("2030")
    owner.get_by_role("button", name="Lägg till målet").click()
    owner.wait_for_selector("text=Målet för Västerbottens län är sparat.")
    row = owner.locator("table[data-targets] tbody tr", has_text="Västerbottens län")
    assert "6000,5" in row.inner_text() and "5200,5" in row.inner_text()
    target = Target.objects.get()
    assert (target.baseline_value, target.target_value) == (5200.5, 6000.5)

    # The public sees the target on the indicator's page, and no link to the targets page.
    public = browser.new_context().new_page()
    public.goto(live_server.url + detail_path)
    status = public.locator(".status-table tbody tr", has_text="Västerbottens län")
    assert "6000,5" in status.inner_text() and "2030" in status.inner_text()
    assert public.get_by_role("link", name="Mål och utgångsvärden").count() == 0

    # A strategy editor links the indicator to goal 1.1 of the strategy's draft.
    editor = logged_in_page(browser, live_server, "redaktor", f"{detail_path}strategimal/")
    assert axe_violations(editor) == []
    editor.get_by_role("combobox", name="Inriktning eller mål").select_option(
        label="Mål 1.1: Mål 1.1"
    )
    editor.get_by_role("button", name="Koppla indikatorn").click()
    editor.wait_for_selector("text=Indikatorn följer nu upp ”Mål 1.1”.")
    assert editor.locator("[data-links] li").inner_text().startswith("Mål: Mål 1.1")
    link = IndicatorLink.objects.get()
    assert link.strategy == strategy

    # … and finds it under the goal in the strategy's follow-up.
    editor.get_by_role("link", name="Mål: Mål 1.1").click()
    goal = editor.locator(".followup-goal", has_text="Mål 1.1")
    goal.locator("summary").click()
    assert indicator.name in goal.inner_text()
    assert axe_violations(editor) == []
