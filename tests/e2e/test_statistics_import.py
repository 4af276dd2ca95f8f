"""An analyst, in a real browser, imports SCB's real PxWebApi 2 answer as a new indicator: sees in
the preview what each dimension becomes, imports, and on the indicator's page chooses women aged
20–29 and reads their figure for Norrbotten, the same as in the file.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the pages.
The pages are driven by form names and values, not by interface text.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from mineralstrategi.indicators.models import Indicator
from mineralstrategi.organisations.models import Role

from .conftest import axe_violations
from .handbook import handbook_picture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs

TAB6471 = Path(__file__).resolve().parents[1] / "data/real/scb_pxwebapi2_TAB6471_population_monthly.json"  # fmt: skip
PASSWORD = "a-long-test-password"


def figure(body: dict, **coordinates: str) -> float:
    """The file's value at the categories, by JSON-stat's row-major order (not our parser)."""
    position = 0
    for dimension_id, size in zip(body["id"], body["size"], strict=True):
        index = body["dimension"][dimension_id]["category"]["index"]
        order = index if isinstance(index, list) else sorted(index, key=index.__getitem__)
        position = position * size + order.index(coordinates[dimension_id])
    return body["value"][position]


@pytest.fixture
def analyst(transactional_db, live_server, settings, tmp_path, region_vasterbotten, make_member):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="analytiker")


def test_analyst_imports_a_real_scb_file_and_chooses_a_series(open_page, live_server, analyst):
    page = open_page(bypass_csp=True)  # bypass only to inject axe-core
    page.goto(f"{live_server.url}/indikatorer/import/")
    page.fill("input[name=username]", analyst.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/indikatorer/import/")

    page.set_input_files("input[name=file]", str(TAB6471))
    page.select_option("select[name=target]", "new")
    page.fill("input[name=new_code]", "folkmangd")
    page.select_option("select[name=new_owner]", str(analyst.memberships.get().organisation_id))
    page.select_option("select[name=new_dimension]", "social")
    handbook_picture(page, "statistik-las-in-data")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/forhandsgranska/")

    roles = page.locator(".dimension-table tbody tr").all_inner_texts()
    assert any(row.startswith("region") and "plats" in row for row in roles)
    assert any("Kön" in row or "kön" in row for row in roles if "TotSa" in row)
    assert "2772" in page.locator("#holds-heading + p").inner_text()
    page.evaluate("document.querySelector('#holds-heading').scrollIntoView()")
    handbook_picture(page, "statistik-forhandsgranskning")
    assert axe_violations(page) == []
    assert not Indicator.objects.filter(code="folkmangd").exists()

    with page.expect_navigation():
        page.click("main form button[type=submit]:not([name])")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.reload()
    assert "2772" in page.locator(".import-log").inner_text()
    handbook_picture(page, "statistik-importlogg")

    with page.expect_navigation():
        page.click("a[href='/indikatorer/folkmangd/']")
    assert axe_violations(page) == []
    page.select_option("select[name='d.Kon']", "2")
    page.select_option("select[name='d.Alder']", "20-29")
    with page.expect_navigation():
        page.click(".series-choice button[type=submit]")

    assert "d.Kon=2" in page.url and "d.Alder=20-29" in page.url
    body = json.loads(TAB6471.read_text(encoding="utf-8"))
    expected = figure(body, Region="25", Alder="20-29", Kon="2", ContentsCode="000007SF", Tid="2026M04")  # fmt: skip
    row = page.locator(".map-and-table tbody tr", has_text="Norrbottens län")
    assert row.locator("td").last.inner_text() == str(int(expected))
    assert "kvinnor" in page.locator(".map-and-table table caption").inner_text()
