"""A strategy editor makes a personal API key in a real browser, as the handbook's API chapter
shows it: names the key, chooses its period and scopes, creates it, and sees it once."""

import pytest

from mineralstrategi.organisations.models import ApiToken, Role

from .conftest import logged_in_page
from .handbook import handbook_picture

pytestmark = [pytest.mark.e2e, pytest.mark.postgresql_in_ci]


def test_a_key_is_made_with_its_period_and_scopes_and_shown_once(
    browser, live_server, transactional_db, region_vasterbotten, make_member
):
    make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="analytiker")
    page = logged_in_page(
        browser, live_server, "analytiker", "/konto/api-nycklar/", bypass_csp=False
    )

    page.fill("#new-key input[name=name]", "Import från SCB")
    page.select_option("#new-key select[name=days]", "90")
    page.check("#new-key input[name=scopes][value=import]")
    page.click("#new-key button[type=submit]")
    key = page.locator("code.api-key").inner_text()
    handbook_picture(page, "api-ny-nyckel", full_page=True)

    token = ApiToken.objects.get()
    assert key.startswith(f"ms_{token.prefix}_")
    assert (token.name, token.scopes) == ("Import från SCB", ["import"])
    assert page.locator("#keys tbody tr").count() == 1
    page.goto(f"{live_server.url}/konto/api-nycklar/")
    assert page.locator("code.api-key").count() == 0  # shown once only
