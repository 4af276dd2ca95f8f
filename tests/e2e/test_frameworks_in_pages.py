"""A strategy editor of a region keeps a framework in the pages, in Swedish, in a real browser:
adds the county's regional development strategy with two items (one typed, one pasted), links a
section of the strategy's working draft to one of them, and the public framework page shows the
item with the linking section (to the partnership at once, to everyone once the draft is frozen).
axe-core checks each new page."""

import pytest

from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Section
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import axe_violations, logged_in_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sqlite_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def editor(transactional_db, region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")


@pytest.fixture
def strategy(editor, region_vasterbotten):
    strategy = make_strategy(region_vasterbotten, counties=())
    build_tree(services.strategy_draft(strategy), editor)
    return strategy


def test_an_editor_adds_a_framework_and_links_a_section_to_its_item(
    browser,
    live_server,
    editor,
    strategy,
):
    page = logged_in_page(browser, live_server, editor.username, "/ramverk/")

    # The framework, from the list of frameworks.
    page.get_by_role("link", name="Lägg till ett ramverk").click()
    page.wait_for_url("**/ramverk/ny/")
    assert axe_violations(page) == []
    assert page.input_value("select[name=owner]")  # the editor's only organisation, chosen
    page.fill("input[name=code]", "rus-vasterbotten-2030")
    page.fill("input[name=name]", "Regional utvecklingsstrategi för Västerbotten 2030")
    page.select_option("select[name=kind]", "regional")
    page.fill("input[name=url]", "https://example.org/rus")
    page.get_by_role("button", name="Lägg till ramverket").click()
    page.wait_for_url("**/ramverk/rus-vasterbotten-2030/redigera/")
    page.wait_for_selector("text=Lägg till dess punkter nedan.")
    assert axe_violations(page) == []

    # Two items: one typed, one pasted.
    page.fill("input[name=item-code]", "1")
    page.fill("input[name=item-title_sv]", "Attraktiva livsmiljöer i hela länet")
    page.fill("input[name=item-title_en]", "Attractive places to live")
    page.get_by_role("button", name="Lägg till punkten").click()
    page.wait_for_selector("text=”1 Attraktiva livsmiljöer i hela länet” har lagts till.")
    page.fill("textarea[name=paste-text]", "2\tHållbar tillväxt och kompetensförsörjning")
    page.get_by_role("button", name="Lägg till punkterna").click()
    page.wait_for_selector("text=1 punkt har lagts till.")
    codes = page.locator("table.framework-edit-items tbody tr strong").all_inner_texts()
    assert codes == ["1", "2"]
    page.get_by_role("link", name="Ändra 2").click()
    page.wait_for_selector("h1:has-text('Ändra punkt 2')")
    assert axe_violations(page) == []

    # The item is offered at once where the draft's sections are linked.
    section = Section.objects.get(version__number__isnull=True, title="Inriktning 1")
    page.goto(f"{live_server.url}/strategi/{strategy.slug}/avsnitt/{section.pk}/")
    page.select_option("select[name=item]", label="1 Attraktiva livsmiljöer i hela länet")
    page.get_by_role("button", name="Lägg till koppling").click()
    page.wait_for_selector("text=Kopplingen har lagts till.")

    # The framework's page shows the item and the section that links to it: the partnership
    # sees the working draft's section.
    page.goto(f"{live_server.url}/ramverk/rus-vasterbotten-2030/")
    item = page.locator(".framework-items > li").first
    assert "Attraktiva livsmiljöer i hela länet" in item.inner_text()
    assert "Inriktning 1" in item.locator(".framework-linking").inner_text()
    assert "arbetsutkast" in item.locator(".framework-linking").inner_text()
    assert axe_violations(page) == []

    # Frozen, the version is everyone's: a visitor sees the section too, and follows it.
    services.version_freeze(strategy, user=editor, label="Remissversion")
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/ramverk/rus-vasterbotten-2030/")
    linking = visitor.locator(".framework-items > li").first.locator(".framework-linking")
    assert "Inriktning 1" in linking.inner_text() and "version 1" in linking.inner_text()
    linking.get_by_role("link", name="Inriktning 1").click()
    visitor.wait_for_url(f"**/strategi/{strategy.slug}/version/1/#section-{section.key}")

    # Linked from a frozen version, the framework stays: its removal page says why.
    page.goto(f"{live_server.url}/ramverk/rus-vasterbotten-2030/redigera/")
    page.get_by_role("link", name="Ta bort ramverket").click()
    page.wait_for_url("**/ramverk/rus-vasterbotten-2030/ta-bort/")
    held = page.locator("[data-framework-links]").inner_text()
    assert held.startswith("2 avsnitt i strategier är kopplade till dess punkter")  # frozen, draft
    assert page.locator("[data-remove-framework]").count() == 0
    assert axe_violations(page) == []
