"""An editor, in a real browser and in Swedish, records the adoption of a version whose
consultation is closed and compiled: the form, one refused attempt (a decision date in the future)
with the error summary at the top and nothing typed lost, the confirmation naming the version and
what it supersedes, then the record. Anyone then sees "Antagen" with the decision on the version's
page, "Tidigare antagen" on the version it superseded, and the decision in the API.

Chromium from the system (/usr/bin/chromium) through Playwright, shared with the other browser
tests (tests/e2e/conftest.py); skipped where it is missing, except under CI.
"""

import datetime

import pytest
from django.utils import timezone

from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services
from tests.consultation.conftest import answer_with_comments, make_round
from tests.e2e.handbook import handbook_picture
from tests.strategy.conftest import adopt, build_tree, make_strategy

PASSWORD = "a-long-test-password"
REGISTRY_NUMBER = "RV 2025/17"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def compiled(transactional_db, region_vasterbotten, skelleftea, make_member):
    """Version 1 adopted earlier without a consultation; version 2 frozen, sent to Skellefteå,
    answered, every comment decided, the round closed and compiled: ready to be adopted."""
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    draft = services.strategy_draft(strategy)
    build_tree(draft, editor)
    first = services.version_freeze(strategy, user=editor, label="Första versionen")
    adopt(first, editor, reference="RF § 12")

    vision = draft.sections.get(title="Vision")
    services.section_update(
        vision,
        user=editor,
        expected_revision=vision.revision,
        title=vision.title,
        body_markdown="En reviderad vision.",
    )
    second = services.version_freeze(strategy, user=editor, label="Förslag till beslut")
    round_ = make_round(second, editor, number=REGISTRY_NUMBER)
    consultation_services.consultee_add(round_, user=editor, organisation=skelleftea)
    consultation_services.consultation_send(round_, user=editor)
    consultee = round_.consultees.get(organisation=skelleftea)
    sections = {section.title: section for section in second.sections.all()}
    answer = answer_with_comments(consultee, officer, sections, submit=True)
    for comment in answer.comments.all():
        consultation_services.disposition_record(
            comment, user=editor, decision="noted", reason="Synpunkten noteras."
        )
    consultation_services.round_status_set(round_, user=editor, status="closed")
    consultation_services.round_status_set(round_, user=editor, status="compiled")
    return strategy, editor


def test_editor_adopts_a_compiled_version_and_everyone_sees_the_decision(
    open_page, live_server, compiled
):
    strategy, editor = compiled
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    version_path = f"/strategi/{strategy.slug}/version/2/"

    page = open_page()
    page.goto(f"{live_server.url}/konto/login/?next={version_path}")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{version_path}")

    page.get_by_role("link", name="Registrera antagandet av den här versionen").click()
    page.wait_for_url(f"**{version_path}anta/")
    assert page.inner_text("h1") == "Registrera antagandet av Version 2: Förslag till beslut"
    assert REGISTRY_NUMBER in page.inner_text("main dl.facts")
    assert page.locator("[name=without_consultation_reason]").count() == 0  # compiled

    # A decision dated tomorrow is refused: the summary at the top, everything typed still there.
    page.fill("#id_body", "Regionfullmäktige")
    page.select_option("#id_organisation", label="Region Västerbotten")
    page.fill("#id_decided_on", tomorrow.isoformat())
    page.fill("#id_reference", "RF § 112, RUN 2025/81")
    page.fill("#id_note", "Protokollet justerat.")
    page.get_by_role("button", name="Granska beslutet").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Något behöver rättas" in summary.inner_text()
    assert f"Beslutsdatumet {tomorrow.isoformat()} ligger i framtiden" in summary.inner_text()
    form_top = page.locator("main form.stacked-form").bounding_box()["y"]
    assert summary.bounding_box()["y"] < form_top
    assert page.input_value("#id_body") == "Regionfullmäktige"
    assert page.input_value("#id_decided_on") == tomorrow.isoformat()
    assert page.input_value("#id_reference") == "RF § 112, RUN 2025/81"
    assert page.input_value("#id_note") == "Protokollet justerat."
    assert page.locator("#id_organisation option:checked").inner_text() == "Region Västerbotten"
    # The summary's link leads to the field.
    assert summary.locator("a").first.get_attribute("href") == "#id_decided_on"

    # Corrected: the confirmation names the version and the one it supersedes.
    page.fill("#id_decided_on", today.isoformat())
    page.get_by_role("button", name="Granska beslutet").click()
    page.wait_for_selector("h1:has-text('Bekräfta antagandet')")
    handbook_picture(page, "strateg-bekrafta-antagande")
    basis = " ".join(page.inner_text("main dl.facts").split())
    assert "Version 2: Förslag till beslut" in basis
    assert "Version 1: Första versionen" in basis and "RF § 12" in basis
    assert "Den kommer att kallas ”tidigare antagen”." in basis
    assert REGISTRY_NUMBER in basis
    decision = " ".join(page.inner_text("[data-decision]").split())
    assert "Regionfullmäktige, Region Västerbotten" in decision
    assert today.isoformat() in decision and "RF § 112, RUN 2025/81" in decision
    page.get_by_role("button", name="Anta version 2").click()
    page.wait_for_url(f"**{version_path}")
    assert (
        f"Version 2 är antagen genom beslut av Regionfullmäktige, Region Västerbotten "
        f"{today.isoformat()} (RF § 112, RUN 2025/81)." in page.inner_text(".message-success")
    )

    # Anyone, signed out: the version page tells the decision.
    public = open_page()
    public.goto(f"{live_server.url}{version_path}")
    assert public.inner_text("header [data-adoption-state]") == "Antagen"
    adoption = public.locator("[data-adoption]")
    assert adoption.locator("h2").inner_text() == "Antagande"
    facts = _facts(adoption)
    assert facts["Antagen av"] == "Regionfullmäktige, Region Västerbotten"
    assert facts["Beslutsdatum"] == today.isoformat()
    assert facts["Referens"] == "RF § 112, RUN 2025/81"
    assert facts["Remiss"] == f"Remiss {REGISTRY_NUMBER}, stängd och sammanställd"
    assert facts["Anmärkning"] == "Protokollet justerat."

    # The version it superseded is "Tidigare antagen", with both dates.
    public.goto(f"{live_server.url}/strategi/{strategy.slug}/version/1/")
    state = public.locator("header [data-adoption-state]")
    assert state.inner_text() == "Tidigare antagen"
    assert f"antagen {today.isoformat()}, ersatt {today.isoformat()}" in public.inner_text(
        "header .adoption-dates"
    )
    superseded = _facts(public.locator("[data-adoption]"))
    assert superseded["Ersatt"] == (
        f"{today.isoformat()} av version 2 (Regionfullmäktige, Region Västerbotten, "
        "RF § 112, RUN 2025/81)"
    )

    # The API tells the same.
    api = f"{live_server.url}/api/strategies/{strategy.pk}/versions"
    adopted = public.request.get(f"{api}/2").json()
    assert adopted["is_adopted"] is True and adopted["adoption_state"] == "adopted"
    assert adopted["adoption"]["body"] == "Regionfullmäktige, Region Västerbotten"
    assert adopted["adoption"]["decided_on"] == today.isoformat()
    assert adopted["adoption"]["reference"] == "RF § 112, RUN 2025/81"
    assert adopted["adoption"]["consultation"] == REGISTRY_NUMBER
    assert adopted["adoption"]["without_consultation_reason"] == ""
    earlier = public.request.get(f"{api}/1").json()
    assert earlier["is_adopted"] is False and earlier["adoption_state"] == "superseded"
    assert earlier["adoption"]["superseded_by_version"] == 2
    assert earlier["adoption"]["superseded_on"] == today.isoformat()


def _facts(locator) -> dict[str, str]:
    """A definition list as {term: description}, each as a person reads it."""
    terms = [" ".join(text.split()) for text in locator.locator("dt").all_inner_texts()]
    details = [" ".join(text.split()) for text in locator.locator("dd").all_inner_texts()]
    return dict(zip(terms, details, strict=True))
