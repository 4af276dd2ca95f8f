"""A municipal consultation officer, in a real browser, follows the invitation link from the mail,
signs in, comments section by section, submits, and sees the answer's registry reference.

Chromium from the system through Playwright (tests/e2e/conftest.py); axe-core checks the page.
The page is driven by form names and values, not by interface text, so that the Swedish
translation does not break it.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import Answer
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.consultation.conftest import make_round
from tests.strategy.conftest import build_tree, make_strategy

from .conftest import axe_violations

PASSWORD = "a-long-test-password"

pytestmark = pytest.mark.e2e


@pytest.fixture
def invitation(
    transactional_db,
    live_server,
    settings,
    tmp_path,
    region_vasterbotten,
    skelleftea,
    make_member,
    mailoutbox,
):
    """An open round; Skellefteå's officer has the invitation mail (sent by the task worker)."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    officer.email = "officer@skelleftea.example"
    officer.save()
    strategy_services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    build_tree(strategy_services.strategy_draft(strategy), editor)
    version = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    round_ = make_round(version, editor)
    services.consultee_add(round_, user=editor, organisation=skelleftea)
    services.consultation_send(round_, user=editor)  # the invitations are enqueued on commit
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (mail,) = mailoutbox
    return officer, version, re.search(r"https?://\S+", mail.body).group(0)


def test_officer_answers_from_the_invitation_link(open_page, invitation):
    officer, version, link = invitation
    vision = version.sections.get(title="Vision")
    direction = version.sections.get(title="Inriktning 1")

    page = open_page(bypass_csp=True)  # bypass only to inject axe-core
    page.goto(link)
    # Not signed in: the link leads through the login and back.
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{urlsplit(link).path}")

    assert axe_violations(page) == []

    page.select_option("select[name=position]", "support_with_changes")
    page.fill("textarea[name=comment]", "Skellefteå kommun stöder strategin med ändringar.")
    page.select_option(f"select[name=stance_{vision.pk}]", "support")
    page.fill(f"textarea[name=comment_{vision.pk}]", "En tydlig vision.")
    page.select_option(f"select[name=stance_{direction.pk}]", "propose")
    page.fill(f"textarea[name=comment_{direction.pk}]", "Lyft batterivärdekedjan.")
    page.fill(f"textarea[name=proposed_{direction.pk}]", "Ny lydelse om batterivärdekedjan.")
    page.click("button[name=action][value=save]")
    page.wait_for_selector(".message-success")
    assert page.input_value(f"textarea[name=comment_{vision.pk}]") == "En tydlig vision."

    page.click("button[name=action][value=submit]")
    reference = page.wait_for_selector(".registry-reference")
    assert reference.inner_text() == "RV 2025/17-01"
    assert axe_violations(page) == []
    answer = Answer.objects.get()
    assert answer.is_submitted and answer.comments.count() == 2
    assert answer.submitted_by == officer
