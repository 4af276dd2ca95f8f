"""In a real browser, in Swedish: a strategy editor returns an initiative with a reason, its
submitter reads the reason, changes the initiative and submits it again, the editor approves it,
and the public sees it (never the reason).

Chromium from the system through the shared browser fixture of tests/e2e/conftest.py.
"""

import pytest

from mineralstrategi.implementation import services as implementation
from mineralstrategi.implementation.models import Initiative, Moderation
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services
from tests.e2e.conftest import axe_violations, logged_in_page
from tests.e2e.handbook import handbook_picture
from tests.implementation.conftest import initiative_input
from tests.strategy.conftest import build_tree, make_strategy

REASON = "Ange hur regionens medfinansiering är tänkt."

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_in_ci]


@pytest.fixture
def initiative(transactional_db, region_vasterbotten, skelleftea, make_member):
    contributor = make_member(skelleftea, Role.CONTRIBUTOR, username="contributor")
    contributor.email = "contributor@skelleftea.example"
    contributor.save()
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    services.frameworks_load()
    strategy = make_strategy(region_vasterbotten)
    sections = build_tree(services.strategy_draft(strategy), editor)
    served = next(s for s in sections if s.title == "Insats 1.1.1")
    return implementation.initiative_create(
        strategy=strategy,
        organisation=skelleftea,
        user=contributor,
        data=initiative_input([served.key], title="Vätgas i pelletsverket"),
    )


def test_returned_with_a_reason_changed_submitted_again_and_approved(
    browser, live_server, initiative, run_tasks, mailoutbox, settings
):
    settings.SITE_URL = "https://site.example"
    slug = initiative.strategy.slug
    moderation_path = f"/genomforande/{slug}/granskning/"
    initiative_path = f"/genomforande/{slug}/insatser/{initiative.pk}/"

    # The editor returns it from the moderation list: first without a reason (refused).
    editor = logged_in_page(browser, live_server, "editor", moderation_path)
    handbook_picture(editor, "moderator-initiativ")
    item = editor.locator("article.moderation-item", has_text="Vätgas i pelletsverket")
    item.get_by_role("button", name="Återsänd för ändringar").click()
    editor.wait_for_selector(".error-summary")
    assert "Skriv vad organisationen ska ändra" in editor.inner_text(".error-summary")
    assert axe_violations(editor) == []
    item = editor.locator("article.moderation-item", has_text="Vätgas i pelletsverket")
    item.get_by_label("Motivering").fill(REASON)
    item.get_by_role("button", name="Återsänd för ändringar").click()
    editor.wait_for_selector("text=Initiativet har återsänts för ändringar.")
    assert "contributor meddelas på webbplatsen, och via e-post" in editor.inner_text("main")
    run_tasks()  # the worker tells the submitter, by mail as the page said
    [mailed] = [m for m in mailoutbox if m.to == ["contributor@skelleftea.example"]]
    assert REASON in mailed.subject
    assert f"https://site.example{initiative_path}" in mailed.body
    assert Initiative.objects.get().moderation_state == Moderation.RETURNED

    # The public does not see it.
    public = browser.new_context().new_page()
    assert public.goto(f"{live_server.url}{initiative_path}").status == 404

    # The submitter reads the reason, changes the initiative and submits it again.
    submitter = logged_in_page(browser, live_server, "contributor", initiative_path)
    box = submitter.locator(".moderation-returned")
    assert f"Återsänd för ändringar: {REASON}" in box.inner_text()
    assert axe_violations(submitter) == []
    box.get_by_role("link", name="Ändra initiativet").click()
    submitter.fill("input[name=budget]", "1500000")
    submitter.fill("input[name=funding-0-amount]", "500000")
    submitter.get_by_role("button", name="Spara").click()
    submitter.wait_for_url(f"**{initiative_path}")
    submitter.get_by_role("button", name="Skicka in igen").click()
    submitter.wait_for_selector("text=Initiativet har skickats in igen och väntar på godkännande.")
    assert "Granskningshistorik" in submitter.inner_text("main")

    # The editor approves it.
    editor.goto(f"{live_server.url}{moderation_path}")
    item = editor.locator("article.moderation-item", has_text="Vätgas i pelletsverket")
    assert "Inskickad igen" in item.inner_text()
    item.get_by_role("button", name="Godkänn").click()
    editor.wait_for_selector("text=Initiativet har godkänts och visas nu i strategins lista.")
    assert "Inget initiativ väntar på godkännande." in editor.inner_text("main")

    # The public sees it, without the reason or the history.
    public.goto(f"{live_server.url}/genomforande/{slug}/insatser/")
    assert "Vätgas i pelletsverket" in public.inner_text("main")
    public.goto(f"{live_server.url}{initiative_path}")
    text = public.inner_text("main")
    assert "1 500 000" in text or "1500000" in text.replace("\xa0", "").replace(" ", "")
    assert REASON not in text and "Granskningshistorik" not in text
