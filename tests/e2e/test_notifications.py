"""A person follows a section in a real browser, an editor changes it, the task worker runs, and
the person sees the bell's count and the notification."""

import pytest
from django.core.management import call_command

from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Section
from tests.e2e.conftest import logged_in_page
from tests.strategy.conftest import build_tree, make_strategy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def people(transactional_db, region_vasterbotten, make_member):
    return (
        make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor"),
        make_member(region_vasterbotten, Role.VIEWER, username="reader"),
    )


@pytest.fixture
def strategy(people, region_vasterbotten):
    services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, counties=())
    build_tree(services.strategy_draft(strategy), people[0])
    return strategy


def test_a_follower_is_told_of_a_change_by_the_worker(browser, live_server, strategy, people):
    editor, reader = people
    section = Section.objects.get(version__number__isnull=True, title="Inriktning 1")
    history_path = f"/en/strategi/{strategy.slug}/avsnitt/{section.pk}/historik/"

    mine = logged_in_page(
        browser, live_server, reader.username, history_path, language="/en", bypass_csp=False
    )
    mine.get_by_role("button", name="Follow").click()
    mine.wait_for_selector("text=You follow “Inriktning 1”.")
    assert mine.get_by_role("button", name="Following – stop following").is_visible()

    theirs = logged_in_page(
        browser,
        live_server,
        editor.username,
        f"/en/strategi/{strategy.slug}/avsnitt/{section.pk}/",
        language="/en",
        bypass_csp=False,
    )
    theirs.fill("textarea[name=body_markdown]", "En ny formulering om inriktningen.")
    theirs.get_by_role("button", name="Save").click()
    theirs.wait_for_selector("text=Saved “Inriktning 1”")

    mine.reload()
    assert mine.locator("a.notification-bell .badge").count() == 0  # not in the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker runs

    mine.reload()
    assert mine.locator("a.notification-bell .badge").inner_text().startswith("1")
    mine.locator("a.notification-bell").click()
    mine.wait_for_url("**/en/notiser/")
    item = mine.locator("li.notification.unread")
    assert "The section “Inriktning 1” of Teststrategi för mineralnäringen was changed." in (
        item.inner_text()
    )
    item.get_by_role("button", name="Mark read").click()
    mine.wait_for_selector("li.notification:not(.unread)")
    assert mine.locator("a.notification-bell .badge").count() == 0
