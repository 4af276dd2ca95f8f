"""A strategy editor of a region outside the demo sets up a strategy in a real browser: the guided
form at /strategi/ny/, with a Markdown outline, lands on the new strategy's working draft with the
outline's headings as sections."""

import pytest

from mineralstrategi.organisations.models import County, OrganisationKind, Role
from mineralstrategi.organisations.services import organisation_create
from mineralstrategi.strategy.models import Strategy
from tests.e2e.conftest import logged_in_page
from tests.e2e.handbook import handbook_picture

OUTLINE = """# Hållbar gruvdrift
Gruvor som tar hänsyn till rennäringen.
## Minskade utsläpp
### Elektrifierade transporter
# Kompetensförsörjning
""".encode()

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def jamtland_editor(transactional_db, geography, make_member):
    region = organisation_create(
        name="Region Jämtland Härjedalen",
        kind=OrganisationKind.REGION,
        county=County.objects.get(name="Jämtlands län"),
    )
    return make_member(region, Role.STRATEGY_EDITOR, username="jamtland")


def test_an_editor_sets_up_a_strategy_from_an_outline(browser, live_server, jamtland_editor):
    page = logged_in_page(browser, live_server, "jamtland", "/strategi/", bypass_csp=False)

    page.get_by_role("link", name="Lägg upp en strategi").click()
    page.wait_for_url("**/strategi/ny/")
    page.get_by_label("Strategins namn").fill("Mineralstrategi för Jämtlands län")
    page.get_by_label("Första år:").fill("2026")
    page.get_by_label("Sista år:").fill("2035")
    page.get_by_label("Jämtlands län").check()
    assert page.get_by_label("Huvudansvarig organisation").input_value()
    handbook_picture(page, "strateg-lagg-upp")
    page.get_by_label("En importerad disposition").check()
    page.set_input_files(
        "input[name=outline]",
        files=[{"name": "disposition.md", "mimeType": "text/markdown", "buffer": OUTLINE}],
    )
    page.get_by_role("button", name="Lägg upp strategin").click()

    strategy = Strategy.objects.get()
    page.wait_for_url(f"**/strategi/{strategy.slug}/utkast/")
    handbook_picture(page, "strateg-arbetsutkast")
    main = page.locator("main")
    assert "Mineralstrategi för Jämtlands län" in main.locator("h1").inner_text()
    text = main.inner_text()
    for title in (
        "Hållbar gruvdrift",
        "Minskade utsläpp",
        "Elektrifierade transporter",
        "Kompetensförsörjning",
    ):
        assert title in text
    page.get_by_role("link", name="Redigera Hållbar gruvdrift").click()
    assert page.locator("textarea[name=body_markdown]").input_value() == (
        "Gruvor som tar hänsyn till rennäringen."
    )
