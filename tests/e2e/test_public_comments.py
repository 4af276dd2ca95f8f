"""A visitor, in a real browser, reads the draft of a round open to the public, comments on a
section, confirms by the link mailed to them; the registrar publishes the comment; the visitor sees
it beside its section with the count; the registrar records a decision on it, and the comment is
in the compilation apart from the formal answers.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the pages.
"""

import re

import pytest
from django.core.cache import cache

from mineralstrategi.consultation import services
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.consultation.conftest import answer_with_comments, make_round
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import axe_violations
from .handbook import handbook_picture

PASSWORD = "a-long-test-password"
COMMENT = "Glöm inte besöksnäringen: <b>fjällturismen</b> berörs också."

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


@pytest.fixture
def public_round(
    transactional_db, live_server, settings, region_vasterbotten, skelleftea, make_member
):
    """An open round, open to the public, with Skellefteå's submitted answer."""
    settings.SITE_URL = live_server.url
    cache.clear()
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    strategy_services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    build_tree(strategy_services.strategy_draft(strategy), editor)
    version = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = make_round(version, editor)
    services.round_public_set(round_, user=editor, is_public=True)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultation_send(round_, user=editor)
    sections = {s.title: s for s in version.sections.all()}
    answer_with_comments(round_.consultees.get(), officer, sections, submit=True)
    return editor, round_, sections


def _sign_in(page, base, editor, next_path):
    page.goto(f"{base}/konto/login/?next={next_path}")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_a_visitor_comments_and_the_comment_is_published_decided_and_compiled(
    open_page, live_server, public_round, mailoutbox
):
    editor, round_, sections = public_round
    vision = sections["Vision"]
    base = live_server.url
    public_path = f"/remiss/{round_.pk}/forslaget/"
    section = f"section[data-section='{vision.key}']"

    # The visitor reads the proposal and comments on the vision.
    visitor = open_page(bypass_csp=True)  # bypass only to inject axe-core
    visitor.goto(base + public_path)
    assert visitor.locator(f"{section} h2 .comment-count").get_attribute("data-count") == "0"
    assert axe_violations(visitor) == []
    visitor.click(f"{section} details.public-comment-form > summary")
    # A wrong address is named, and what was typed stays.
    visitor.fill(f"#id_s{vision.pk}_name", "Sara Nilsson")
    visitor.fill(f"#id_s{vision.pk}_email", "sara-at-example")
    visitor.fill(f"#id_s{vision.pk}_body", COMMENT)
    visitor.click(f"{section} form button[type=submit]")
    summary = visitor.locator(".error-summary")
    assert "Din e-postadress" in summary.inner_text()
    assert visitor.input_value(f"#id_s{vision.pk}_body") == COMMENT
    assert axe_violations(visitor) == []
    visitor.fill(f"#id_s{vision.pk}_email", "sara@example.se")
    visitor.click(f"{section} form button[type=submit]")
    assert "mejlat" in visitor.locator(".message-success").inner_text()

    # The mailed link confirms it.
    (mail,) = mailoutbox
    assert mail.to == ["sara@example.se"]
    link = re.search(r"https?://\S+/remiss/synpunkt/bekrafta/\S+/", mail.body).group(0)
    assert link.startswith(base)
    visitor.goto(link)
    visitor.click("main form button[type=submit]")
    assert "bekräftad" in visitor.locator(".message-success").inner_text()
    # Not shown before a moderator has read it.
    assert visitor.locator(f"{section} .public-comment").count() == 0

    # The registrar sees one waiting, publishes it.
    registrar = open_page()
    _sign_in(registrar, base, editor, public_path)
    assert (
        "1 synpunkt väntar på granskning"
        in registrar.locator("[data-testid=pending-count]").inner_text()
    )
    registrar.goto(f"{base}/remiss/{round_.pk}/moderering/")
    pending = registrar.locator("article.moderated-comment[data-status=pending]")
    assert COMMENT in pending.inner_text()
    handbook_picture(registrar, "moderator-synpunkter")
    pending.locator("button[value=publish]").click()
    registrar.wait_for_selector("article.moderated-comment[data-status=published]")

    # The visitor sees it beside the vision, counted there and in the contents.
    visitor.goto(base + public_path)
    shown = visitor.locator(f"{section} .public-comment")
    assert shown.count() == 1
    assert COMMENT in shown.inner_text() and "Sara Nilsson" in shown.inner_text()
    assert visitor.locator(f"{section} h2 .comment-count").inner_text() == "(1 synpunkt)"
    assert visitor.locator(f"[data-toc-count='{vision.key}']").inner_text() == "(1 synpunkt)"
    assert visitor.locator("[data-testid=pending-count]").count() == 0

    # The registrar decides on it on the handling page, with the answers' form.
    registrar.goto(f"{base}/remiss/{round_.pk}/hantering/")
    handled = registrar.locator("section.public-handling article.handled-comment")
    assert COMMENT in handled.inner_text()
    handled.locator("select[name=decision]").select_option("partly_accepted")
    handled.locator("textarea[name=reason]").fill("Turismen nämns under inriktning 1.")
    handled.locator("button[type=submit]").click()
    registrar.wait_for_selector("section.public-handling [data-testid=decision]")

    # The compilation: apart from the formal answers, with its decision.
    registrar.goto(f"{base}/remiss/{round_.pk}/sammanstallning/")
    public = registrar.locator("section.compiled-public-comments")
    row = public.locator("tr[data-public-comment]")
    assert COMMENT in row.inner_text()
    assert (
        "Godtas delvis" in row.inner_text()
        and "Turismen nämns under inriktning 1." in row.inner_text()
    )
    answers = registrar.locator("section[aria-labelledby=by-section-heading]")
    assert "Bra vision." in answers.inner_text() and COMMENT not in answers.inner_text()
