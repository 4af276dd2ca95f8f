"""A strategy editor, in a real browser, drafts with a colleague (and meets the edit conflict),
links a section to a framework, freezes a version, compares versions and opens the publication
and its PDF.

Chromium from the system (/usr/bin/chromium) through Playwright, shared with the other browser
tests (tests/e2e/conftest.py); skipped where it is missing, except under CI.
"""

import re

import pytest
from django.utils import timezone

from mineralstrategi.organisations.models import Role
from mineralstrategi.printing.models import PrintedDocument
from mineralstrategi.printing.services import document_print
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Section
from tests.e2e.conftest import logged_in_page
from tests.strategy.conftest import build_tree, make_strategy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def editors(transactional_db, region_vasterbotten, make_member):
    return (
        make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor"),
        make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="colleague"),
    )


@pytest.fixture
def strategy(editors, region_vasterbotten):
    """A strategy of Region Västerbotten with a small tree, frozen once as the consultation draft."""
    services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, counties=())
    build_tree(services.strategy_draft(strategy), editors[0])
    services.version_freeze(strategy, user=editors[0], label="Remissversion")
    return strategy


def test_editor_drafts_with_a_colleague_freezes_and_compares(
    browser, live_server, strategy, editors, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # where the PDF is kept
    editor, colleague = editors
    draft_path = f"/en/strategi/{strategy.slug}/utkast/"
    section = Section.objects.get(version__number__isnull=True, title="Inriktning 1")
    edit_path = f"/en/strategi/{strategy.slug}/avsnitt/{section.pk}/"

    mine = logged_in_page(
        browser, live_server, editor.username, draft_path, language="/en", bypass_csp=False
    )
    theirs = logged_in_page(
        browser, live_server, colleague.username, draft_path, language="/en", bypass_csp=False
    )

    # Both open the same section from the draft.
    for page in (mine, theirs):
        page.get_by_role("link", name="Edit Inriktning 1").click()
        page.wait_for_url(f"**{edit_path}")

    # The colleague saves first.
    theirs.fill("textarea[name=body_markdown]", "Kollegans formulering om inriktningen.")
    theirs.get_by_role("button", name="Save").click()
    theirs.wait_for_selector("text=Saved “Inriktning 1”")

    # My save is refused: both texts are shown and mine is still in the form.
    my_text = "Min formulering om gruvregionernas framtid."
    mine.fill("textarea[name=body_markdown]", my_text)
    mine.get_by_role("button", name="Save").click()
    mine.wait_for_selector(".conflict")
    assert "Kollegans formulering om inriktningen." in mine.inner_text("[data-testid=their-text]")
    assert mine.input_value("textarea[name=body_markdown]") == my_text

    # I merge and save deliberately.
    merged = "Kollegans formulering om inriktningen. Min formulering om gruvregionernas framtid."
    mine.fill("textarea[name=body_markdown]", merged)
    mine.get_by_role("button", name="Save my merged text").click()
    mine.wait_for_selector("text=Saved “Inriktning 1”")
    section.refresh_from_db()
    assert section.body_markdown == merged

    # Link the section to a UN target and comment for the colleague.
    mine.select_option(
        "select[name=item]", label="9.5 Stärk forskning och teknisk kapacitet i industrin"
    )
    mine.get_by_role("button", name="Add link").click()
    mine.wait_for_selector("text=The link was added.")
    mine.fill("textarea[name=body]", "Jag har slagit ihop våra texter.")
    mine.get_by_role("button", name="Add comment").click()
    mine.wait_for_selector("text=Jag har slagit ihop våra texter.")

    # Freeze the draft as version 2.
    mine.goto(f"{live_server.url}{draft_path}")
    mine.fill("input[name=label]", "Förslag till beslut")
    mine.get_by_role("button", name="Freeze the draft as a new version").click()
    mine.wait_for_url(f"**/en/strategi/{strategy.slug}/version/2/")
    assert "Min formulering om gruvregionernas framtid." in mine.inner_text("main")

    # Compare version 1 with version 2: the new words are marked as inserted.
    mine.get_by_role("link", name="Compare with another version").click()
    mine.select_option("#compare-from", value="1")
    mine.select_option("#compare-to", value="2")
    with mine.expect_navigation():
        mine.get_by_role("button", name="Compare").click()
    inserted = " ".join(mine.locator("main ins").all_inner_texts())
    assert "gruvregionernas framtid" in inserted
    # The link by its framework's name, not its code ("sdg:9.5"); the text without Markdown.
    assert "9.5" in inserted and "sdg:" not in inserted
    assert "**" not in mine.locator("main .diff-text").first.inner_text()

    # Adopt version 2, then open the publication and its PDF.
    # No consultation was held on this test strategy: the reason is recorded with the decision.
    mine.goto(f"{live_server.url}/en/strategi/{strategy.slug}/version/2/")
    mine.get_by_role("link", name="Record the adoption of this version").click()
    mine.fill("#id_body", "Regionfullmäktige")
    mine.fill("#id_decided_on", timezone.localdate().isoformat())
    mine.fill("#id_reference", "RF § 112")
    mine.fill("#id_without_consultation_reason", "Ingen remiss: ett test.")
    mine.get_by_role("button", name="Review the decision").click()
    mine.wait_for_selector("h1:has-text('Confirm the adoption')")
    mine.get_by_role("button", name="Adopt version 2").click()
    mine.wait_for_selector("text=Version 2 is adopted by decision of Regionfullmäktige")
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/en/strategi/{strategy.slug}/publicerad/")
    assert re.search(r"/version/2/$", public.url)
    toc_link = public.locator(".toc a", has_text="Inriktning 1").first
    anchor = toc_link.get_attribute("href").split("#")[1]
    assert public.locator(f"section#{anchor}").count() == 1
    pdf_url = f"{live_server.url}/strategi/{strategy.slug}/version/2/pdf/"
    public.goto(pdf_url)  # the first asker is told the PDF is being made; the worker makes it
    assert public.locator("h1").inner_text() == "PDF-filen görs i ordning"
    for document in PrintedDocument.objects.filter(status=PrintedDocument.Status.PENDING):
        document_print(document)
    pdf = public.request.get(pdf_url)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
