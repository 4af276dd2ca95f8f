"""A whole consultation round (remiss) in a real browser, as the people involved run it (issue 15):
the registrar plans and sends it to two municipalities, one without an e-mail address, and invites
that one again once it has an address; both officers answer through the answer form and one
corrects its answer; a member of the public comments on the draft and the registrar publishes it;
a samråd is planned and recorded; the registrar closes the round, decides on every comment (the
answers', the public's and the samråd's outcome), applies the accepted wording to the one sentence it rewrites and compiles the round (refused while a
comment is undecided); anyone reads the compilation; the next version is frozen and adopted by a
decision. At each step the test asserts that what the pages (Swedish, the default) and the API say
is true.

Chromium from the system through Playwright (tests/e2e/conftest.py). The same round through
Django's test client is tests/consultation/test_whole_round.py.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from mineralstrategi.consultation.models import ConsultationRound, Meeting
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.conftest import meeting_begun
from tests.e2e.handbook import handbook_picture
from tests.strategy.conftest import adopt, build_tree, make_strategy

PASSWORD = "a-long-test-password"
REGISTRY_NUMBER = "RV 2025/40"
SENTENCES = (
    "Regionen ska vara ledande inom hållbar gruvdrift.",
    "Prospekteringen ska öka med tio procent till 2030.",
    "Alla nya gruvor ska ha en plan för efterbehandling.",
)
PROPOSAL = "Prospekteringen ska öka med tjugo procent till 2030."
PUBLIC_COMMENT = "Visionen bör nämna rennäringen och samebyarna."

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql_in_ci,
]  # the browser walks share out between the CI runs


# --- Helpers ----------------------------------------------------------------------------------


def run_worker() -> None:
    """Run the queued background tasks (the invitations), as the task worker does."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def log_in(page, base: str, user, next_path: str) -> None:
    """Through the login page, then on to `next_path`."""
    page.goto(f"{base}/konto/login/?next={next_path}")
    submit_login(page, user, next_path)


def submit_login(page, user, next_path: str) -> None:
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def mail_to(outbox, address: str):
    """The last mail sent to `address`."""
    mails = [mail for mail in outbox if address in mail.to]
    assert mails, f"no mail to {address}"
    return mails[-1]


def link_in(mail, pattern: str = r"https?://\S+") -> str:
    return re.search(pattern, mail.body).group(0)


def text(locator) -> str:
    """A locator's text as a person reads it: whitespace collapsed."""
    return " ".join(locator.inner_text().split())


def facts(locator) -> dict[str, str]:
    """A definition list as {term: description}."""
    terms = [" ".join(t.split()) for t in locator.locator("dt").all_inner_texts()]
    details = [" ".join(d.split()) for d in locator.locator("dd").all_inner_texts()]
    return dict(zip(terms, details, strict=True))


def submit(page, button) -> None:
    """Click a form's button and wait for the page the POST leads to."""
    with page.expect_navigation():
        button.click()


def success(page) -> str:
    return text(page.locator(".message-success").first)


# --- The scene --------------------------------------------------------------------------------


@pytest.fixture
def scene(
    transactional_db, live_server, settings, tmp_path, region_vasterbotten, skelleftea, kiruna,
    make_member,
):  # fmt: skip
    """The registrar (a strategy editor of Region Västerbotten), the officers of Skellefteå (with
    an e-mail address) and Kiruna (none, and no contact either); a strategy whose version 1 was
    adopted earlier and whose version 2, frozen, is ready to be sent on remiss."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the public's rate limits
    registrar = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="registrator")
    skelleftea_officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="skelleftea")
    skelleftea_officer.email = "remiss@skelleftea.example"
    skelleftea_officer.save()
    kiruna_officer = make_member(kiruna, Role.CONSULTATION_OFFICER, username="kiruna")
    strategy_services.frameworks_load()
    strategy = make_strategy(region_vasterbotten, title="Teststrategi", counties=())
    draft = strategy_services.strategy_draft(strategy)
    build_tree(draft, registrar)
    first = strategy_services.version_freeze(strategy, user=registrar, label="Första versionen")
    adopt(first, registrar, reference="RF § 12")
    direction = draft.sections.get(title="Inriktning 1")
    strategy_services.section_update(
        direction,
        user=registrar,
        expected_revision=direction.revision,
        title=direction.title,
        body_markdown=" ".join(SENTENCES),
    )
    version = strategy_services.version_freeze(strategy, user=registrar, label="Remissversion")
    return {
        "registrar": registrar,
        "skelleftea_officer": skelleftea_officer,
        "kiruna_officer": kiruna_officer,
        "strategy": strategy,
        "version": version,
        "sections": {section.title: section for section in version.sections.all()},
        "skelleftea": skelleftea,
        "kiruna": kiruna,
    }


def test_a_whole_round_as_registrar_municipalities_and_public_see_it(
    open_page, live_server, scene, mailoutbox
):
    base = live_server.url
    registrar_user = scene["registrar"]
    strategy, version, sections = scene["strategy"], scene["version"], scene["sections"]
    vision, direction, goal = sections["Vision"], sections["Inriktning 1"], sections["Mål 1.1"]
    today = timezone.localdate()

    # 1. The registrar plans a round on the frozen version 2, open to the public, adds the two
    # municipalities and sends it.
    registrar = open_page()
    log_in(registrar, base, registrar_user, f"/strategi/{strategy.slug}/ny-remiss/")
    registrar.fill("#id_title", "Remiss av teststrategin")
    registrar.fill("#id_registry_number", REGISTRY_NUMBER)
    registrar.fill("#id_opens_on", today.isoformat())
    registrar.fill("#id_deadline", (today + datetime.timedelta(days=30)).isoformat())
    registrar.fill("#id_contact_name", "Anna Lindqvist")
    registrar.fill("#id_contact_email", "anna.lindqvist@regionvasterbotten.example")
    registrar.select_option("#id_version", str(version.pk))
    registrar.check("#id_is_public")
    registrar.get_by_role("button", name="Planera remissomgången").click()
    registrar.wait_for_url(re.compile(r".*/remiss/\d+/$"))
    round_ = ConsultationRound.objects.get(registry_number=REGISTRY_NUMBER)
    round_path = f"/remiss/{round_.pk}/"
    assert "Remissomgången är planerad" in success(registrar)
    round_facts = facts(registrar.locator("main dl.facts"))
    assert round_facts["Status"] == "Planerad"
    assert round_facts["Öppen för allmänheten"] == "Ja"
    assert round_facts["Remitterad version"] == "Version 2: Remissversion"

    for organisation in (scene["skelleftea"], scene["kiruna"]):
        registrar.select_option("#id_organisation", str(organisation.pk))
        registrar.click("button[name=action][value=add_organisation]")
        registrar.wait_for_selector(f"tr[data-consultee] >> text={organisation.name}")
    rows = registrar.locator("tr[data-consultee]")
    assert rows.count() == 2
    registrar.locator("#manage-heading").scroll_into_view_if_needed()
    handbook_picture(registrar, "remissansvarig-omgang")
    submit(registrar, registrar.locator("button[name=action][value=send]"))
    assert success(registrar) == "Remissomgången är öppen. Remissinbjudningarna skickas nu."
    assert facts(registrar.locator("main dl.facts"))["Status"] == "Öppen"
    run_worker()

    # The progress page: Skellefteå invited, Kiruna not (no address) and on the to-do list;
    # exactly one mail went out, to Skellefteå's officer.
    skelleftea = round_.consultees.get(organisation=scene["skelleftea"])
    kiruna = round_.consultees.get(organisation=scene["kiruna"])
    registrar.goto(f"{base}{round_path}lagesbild/")
    skelleftea_cell = registrar.locator(f"#consultee-{skelleftea.pk} [data-invitation]")
    kiruna_cell = registrar.locator(f"#consultee-{kiruna.pk} [data-invitation]")
    assert text(skelleftea_cell).startswith(f"Inbjuden {today.isoformat()}")
    assert "remiss@skelleftea.example" in text(skelleftea_cell)
    assert text(kiruna_cell).startswith("Inte inbjuden: ingen e-postadress")
    todo = registrar.locator(".to-do")
    assert "Att göra: 1 remissinstans har inte nåtts" in text(todo)
    assert todo.locator("[data-to-do]").all_inner_texts()[0].startswith("Kiruna kommun")
    assert registrar.inner_text("[data-count=not_reached]") == "1"
    handbook_picture(registrar, "remissansvarig-lagesbild")
    assert len(mailoutbox) == 1
    (invitation,) = mailoutbox
    assert invitation.to == ["remiss@skelleftea.example"]
    assert invitation.subject == f"Inbjudan att svara: Remiss av teststrategin ({REGISTRY_NUMBER})"

    # The registrar gives Kiruna an address and invites it again: now it is invited.
    todo.locator(f"#todo-email-{kiruna.pk}").fill("registrator@kiruna.example")
    submit(registrar, todo.locator("button[name=save_address]"))
    assert success(registrar) == "Adressen till Kiruna kommun är sparad."
    submit(registrar, registrar.locator(".to-do button[name=reinvite]"))
    assert success(registrar) == "Inbjudan till Kiruna kommun skickas."
    run_worker()
    registrar.reload()
    kiruna_cell = registrar.locator(f"#consultee-{kiruna.pk} [data-invitation]")
    assert text(kiruna_cell).startswith(f"Inbjuden {today.isoformat()}")
    assert "registrator@kiruna.example" in text(kiruna_cell)
    assert registrar.locator(".to-do").count() == 0
    assert registrar.inner_text("[data-count=not_reached]") == "0"
    assert len(mailoutbox) == 2
    assert mailoutbox[-1].to == ["registrator@kiruna.example"]

    api = registrar.request.get(f"{base}/api/consultations/{round_.pk}").json()
    assert api["status"] == "open" and api["is_public"] is True
    assert sorted((c["organisation"], c["state"]) for c in api["consultees"]) == [
        ("Kiruna kommun", "silent"),
        ("Skellefteå kommun", "silent"),
    ]

    # 2. Skellefteå's officer answers from the invitation link: an overall position and a
    # proposed new wording for one sentence of "Inriktning 1".
    officer = open_page()
    answer_link = link_in(invitation)
    officer.goto(answer_link)
    submit_login(officer, scene["skelleftea_officer"], urlsplit(answer_link).path)
    officer.select_option("select[name=position]", "support_with_changes")
    officer.fill("textarea[name=comment]", "Skellefteå kommun tillstyrker med en ändring.")
    officer.click(f"#avsnitt-{direction.pk} > summary")
    officer.select_option(f"select[name=stance_{direction.pk}]", "propose")
    officer.fill(f"textarea[name=comment_{direction.pk}]", "Målet för prospektering är för lågt.")
    officer.fill(f"textarea[name=proposed_{direction.pk}]", PROPOSAL)
    officer.locator(f"#avsnitt-{direction.pk}").scroll_into_view_if_needed()
    handbook_picture(officer, "remissinstans-svarsformular")
    officer.click("button[name=action][value=review]")
    officer.wait_for_url("**/sammanfattning/")
    assert "Tillstyrker förslaget med ändringar" in text(officer.locator(".review-list").first)
    officer.check("input[name=confirm]")
    officer.locator(".submit-block").scroll_into_view_if_needed()
    handbook_picture(officer, "remissinstans-sammanfattning")
    officer.click("main form button[type=submit]")
    assert officer.wait_for_selector(".registry-reference").inner_text() == "RV 2025/40-01"
    assert f"diarienummer {REGISTRY_NUMBER}-01" in success(officer)

    # Kiruna's officer (from the second invitation) objects to "Mål 1.1".
    kiruna_page = open_page()
    kiruna_link = link_in(mailoutbox[-1])
    assert urlsplit(kiruna_link).path == kiruna.get_answer_url()
    kiruna_page.goto(kiruna_link)
    submit_login(kiruna_page, scene["kiruna_officer"], urlsplit(kiruna_link).path)
    kiruna_page.select_option("select[name=position]", "object")
    kiruna_page.click(f"#avsnitt-{goal.pk} > summary")
    kiruna_page.select_option(f"select[name=stance_{goal.pk}]", "object")
    kiruna_page.fill(f"textarea[name=comment_{goal.pk}]", "Målet saknar finansiering.")
    kiruna_page.click("button[name=action][value=review]")
    kiruna_page.wait_for_url("**/sammanfattning/")
    kiruna_page.check("input[name=confirm]")
    kiruna_page.click("main form button[type=submit]")
    assert kiruna_page.wait_for_selector(".registry-reference").inner_text() == "RV 2025/40-02"
    kiruna_page.locator("button[name=action][value=correct]").scroll_into_view_if_needed()
    handbook_picture(kiruna_page, "remissinstans-inlamnat")

    # Kiruna corrects its answer: a new revision, whose summary shows what changed.
    kiruna_page.click("button[name=action][value=correct]")
    kiruna_page.wait_for_selector("#form-heading >> text=Rättelse (utkast)")
    kiruna_page.click(f"#avsnitt-{goal.pk} > summary")
    assert kiruna_page.input_value(f"textarea[name=comment_{goal.pk}]") == (
        "Målet saknar finansiering."
    )
    kiruna_page.fill(
        f"textarea[name=comment_{goal.pk}]", "Målet saknar finansiering och en tidsplan."
    )
    kiruna_page.click("button[name=action][value=review]")
    kiruna_page.wait_for_url("**/sammanfattning/")
    review_changes = kiruna_page.locator(".answer-changes")
    assert "Ändringar sedan revision 1 (RV 2025/40-02)" in text(review_changes)
    assert "och en tidsplan" in " ".join(review_changes.locator("ins").all_inner_texts())
    review_changes.scroll_into_view_if_needed()
    handbook_picture(kiruna_page, "remissinstans-rattelse")
    kiruna_page.check("input[name=confirm]")
    kiruna_page.click("main form button[type=submit]")
    corrected_reference = kiruna_page.wait_for_selector(".registry-reference >> nth=-1")
    assert corrected_reference.inner_text() == "RV 2025/40-02, revision 2"
    own_revisions = kiruna_page.locator("article.answer-document")
    assert "ersatt av en senare revision" in text(own_revisions.first)
    assert "ersatt av en senare revision" not in text(own_revisions.last)

    # The registrar's progress page and the API: both have answered.
    registrar.goto(f"{base}{round_path}lagesbild/")
    assert registrar.inner_text("[data-count=answered]") == "2"
    assert registrar.inner_text("[data-count=silent]") == "0"
    api = registrar.request.get(f"{base}/api/consultations/{round_.pk}").json()
    assert sorted((c["registry_reference"], c["state"]) for c in api["consultees"]) == [
        ("RV 2025/40-01", "answered"),
        ("RV 2025/40-02", "answered"),
    ]

    # The public answers page (anyone): both of Kiruna's revisions, the change marked.
    anonymous = open_page()
    anonymous.goto(f"{base}{round_path}yttranden/")
    documents = anonymous.locator("article.answer-document")
    assert documents.count() == 3
    kiruna_documents = anonymous.locator("article.answer-document:has-text('Kiruna kommun')")
    assert kiruna_documents.count() == 2
    first, second = kiruna_documents.nth(0), kiruna_documents.nth(1)
    assert "ersatt av en senare revision" in text(first)
    assert "rättar en tidigare revision" in text(second)
    assert "ersatt av en senare revision" not in text(second)
    assert first.locator(".answer-changes").count() == 0
    changes = second.locator(".answer-changes")
    assert "Ändringar sedan revision 1 (RV 2025/40-02)" in text(changes)
    assert "Mål 1.1" in text(changes) and "kommentaren ändrad" in text(changes)
    assert " ".join(changes.locator("ins").all_inner_texts()).split() == ["och", "en", "tidsplan"]
    assert changes.locator("del").count() == 0
    assert "Avstyrker förslaget" in text(second)

    # 3. A member of the public reads the draft on the round's public page and comments on the
    # vision; the comment waits for the mailed link, then for the moderator.
    public_path = f"{round_path}forslaget/"
    section = f"section[data-section='{vision.key}']"
    visitor = open_page()
    visitor.goto(base + public_path)
    assert "Regionen ska vara ledande inom hållbar gruvdrift." in text(
        visitor.locator(f"section[data-section='{direction.key}'] .section-text")
    )
    assert visitor.locator(f"{section} h2 .comment-count").inner_text() == "(0 synpunkter)"
    # Not the team's: no compilation while the round is open (nor in the API).
    assert visitor.locator("nav.sub-nav >> text=Remissammanställning").count() == 0
    closed_api = visitor.request.get(f"{base}/api/consultations/{round_.pk}/compilation")
    assert closed_api.status == 404
    visitor.click(f"{section} details.public-comment-form > summary")
    visitor.fill(f"#id_s{vision.pk}_name", "Sara Nilsson")
    visitor.fill(f"#id_s{vision.pk}_email", "sara@example.se")
    visitor.fill(f"#id_s{vision.pk}_body", PUBLIC_COMMENT)
    visitor.click(f"{section} form button[type=submit]")
    assert "mejlat" in success(visitor)
    confirmation = mail_to(mailoutbox, "sara@example.se")
    visitor.goto(link_in(confirmation, r"https?://\S+/remiss/synpunkt/bekrafta/\S+/"))
    visitor.click("main form button[type=submit]")
    assert "bekräftad" in success(visitor)
    assert visitor.locator(f"{section} .public-comment").count() == 0

    # The registrar publishes it on the moderation tab.
    registrar.goto(f"{base}{round_path}moderering/")
    pending = registrar.locator("article.moderated-comment[data-status=pending]")
    assert pending.count() == 1 and PUBLIC_COMMENT in text(pending)
    pending.locator("button[value=publish]").click()
    registrar.wait_for_selector("article.moderated-comment[data-status=published]")
    assert success(registrar) == "Synpunkten är publicerad."

    # The public page shows it beside its section, with the count.
    visitor.goto(base + public_path)
    shown = visitor.locator(f"{section} .public-comment")
    assert shown.count() == 1
    assert PUBLIC_COMMENT in text(shown) and "Sara Nilsson" in text(shown)
    assert visitor.locator(f"{section} h2 .comment-count").inner_text() == "(1 synpunkt)"
    assert visitor.locator(f"[data-toc-count='{vision.key}']").inner_text() == "(1 synpunkt)"

    # 4. The registrar plans a samråd with Skellefteå kommun and a person, then records it as
    # held, with minutes and an outcome about "Inriktning 1".
    tomorrow = today + datetime.timedelta(days=1)
    registrar.goto(f"{base}{round_path}samrad/ny/")
    registrar.fill("input[name=title]", "Samråd om prospekteringen")
    registrar.fill("input[name=held_at]", f"{tomorrow.isoformat()}T10:00")
    registrar.fill("input[name=ends_at]", f"{tomorrow.isoformat()}T12:00")
    registrar.fill("input[name=place]", "Stadshuset, Skellefteå")
    registrar.fill("textarea[name=agenda]", "1. Prospekteringsmålet\n2. Övriga frågor")
    registrar.select_option("select[name=invited_organisations]", str(scene["skelleftea"].pk))
    registrar.fill("textarea[name=people]", "Erik Berg; erik.berg@example.se; Skellefteå kommun")
    registrar.get_by_role("button", name="Planera mötet").click()
    registrar.wait_for_selector("[data-meeting-status]")
    meeting = Meeting.objects.get()
    assert registrar.url.endswith(meeting.get_absolute_url())
    assert registrar.inner_text("[data-meeting-status]") == "Planerat"
    erik = registrar.locator('tr[data-person="Erik Berg"] [data-invitation]')
    assert erik.get_attribute("data-invitation") == "sent"
    assert mail_to(mailoutbox, "erik.berg@example.se").attachments  # the .ics

    meeting_begun(meeting)  # the meeting's time comes: its minutes can be recorded
    held = timezone.localtime(meeting.held_at)
    registrar.goto(f"{base}{round_path}samrad/{meeting.pk}/protokoll/")
    registrar.fill("textarea[name=notes]", "Protokoll: prospekteringsmålet diskuterades.")
    registrar.locator("input[name=participant_people]").first.check()
    registrar.fill("textarea[name=outcome-0-text]", "Målet för prospektering höjs.")
    registrar.select_option("select[name=outcome-0-section]", str(direction.pk))
    registrar.get_by_role("button", name="Spara protokollet").click()
    registrar.wait_for_selector("[data-outcome]")
    assert registrar.inner_text("[data-meeting-status]") == "Genomfört; protokollet är registrerat"
    outcome = registrar.locator("[data-outcome]")
    assert text(outcome) == "Målet för prospektering höjs. (gäller Inriktning 1)"
    assert "Erik Berg, Skellefteå kommun" in text(registrar.locator(".meeting-participants"))
    registrar.goto(base + round_path)
    assert text(registrar.locator("#meetings-held + ul")) == (
        f"Samråd om prospekteringen – {held:%Y-%m-%d %H:%M}, Stadshuset, Skellefteå "
        "(genomfört, 1 utfall)"
    )

    # 5. The registrar closes the round and decides on every comment on the handling page: the
    # answers' section comments, the public comment and the samråd's outcome.
    submit(registrar, registrar.locator("button[name=action][value=closed]"))
    assert success(registrar) == "Statusen har ändrats."
    assert facts(registrar.locator("main dl.facts"))["Status"] == "Stängd"
    handling_path = f"{round_path}hantering/"
    registrar.goto(base + handling_path)
    handled = registrar.locator("article.handled-comment")
    assert handled.count() == 4
    handbook_picture(registrar, "remissansvarig-hantering")
    assert text(registrar.locator("main > p").first) == (
        "4 av 4 kommentarer har inget beslut ännu. "
        "1 av de 4 kommentarerna är en publicerad synpunkt från allmänheten. "
        "1 av de 4 kommentarerna är ett utfall av ett samråd."
    )
    proposal = registrar.locator("article.handled-comment:has(blockquote.proposal)")
    objection = registrar.locator("article.handled-comment:has-text('Kiruna kommun')")
    public = registrar.locator("section.public-handling article.handled-comment")
    samrad = registrar.locator("section.outcome-handling article.handled-comment")
    assert text(samrad.locator("h3")) == (
        f"Samråd om prospekteringen · Inriktning 1 {held.date().isoformat()}"
    )
    assert "och en tidsplan" in text(objection)  # the corrected revision's comment

    def decide(article, decision: str, reason: str) -> None:
        article.locator("select[name=decision]").select_option(decision)
        article.locator("textarea[name=reason]").fill(reason)
        submit(registrar, article.locator("button[type=submit]"))
        assert success(registrar) == "Beslutet har sparats."

    decide(proposal, "accepted", "Målet höjs enligt förslaget.")
    assert text(proposal.locator("[data-testid=decision]")) == (
        "Godtas: Målet höjs enligt förslaget."
    )

    # The accepted wording is applied to the one sentence it rewrites.
    proposal.get_by_role("link", name="Granska och för in den föreslagna lydelsen …").click()
    registrar.wait_for_url("**/infor/")
    placement = text(registrar.locator("[data-testid=placement]"))
    assert placement == (
        "Förslaget ersätter det här stycket i avsnittet; resten av texten står kvar: "
        f"{SENTENCES[1]}"
    )
    assert registrar.inner_text("[data-testid=placement] q") == SENTENCES[1]
    diff = registrar.locator("[data-testid=apply-diff]")
    assert diff.locator("del").all_inner_texts() == ["tio"]
    assert diff.locator("ins").all_inner_texts() == ["tjugo"]
    expected = " ".join((SENTENCES[0], PROPOSAL, SENTENCES[2]))
    assert registrar.input_value("textarea[name=body_markdown]") == expected
    submit(registrar, registrar.get_by_role("button", name="För in i arbetsutkastet"))
    assert success(registrar) == "Den föreslagna lydelsen finns nu i arbetsutkastet."
    assert text(proposal.locator("[data-testid=decision]")) == (
        f"Godtas: Målet höjs enligt förslaget. · infört i arbetsutkastet {today.isoformat()}"
    )
    assert proposal.get_by_role("link", name="Granska och för in").count() == 0
    working = strategy_services.strategy_draft(strategy).sections.get(key=direction.key)
    assert working.body_markdown == expected  # the first and last sentences unchanged

    decide(public, "noted", "Rennäringen behandlas i inriktning 2.")
    decide(samrad, "accepted", "Målet höjs, se Skellefteå kommuns förslag.")
    assert text(samrad.locator("[data-testid=decision]")) == (
        "Godtas: Målet höjs, se Skellefteå kommuns förslag."
    )

    # One comment is still undecided: the round page lists it and offers no plain "compile".
    registrar.goto(base + round_path)
    undecided = registrar.locator("#undecided")
    assert "1 synpunkt saknar beslut än." in text(undecided)
    assert undecided.locator("li").count() == 1
    assert "RV 2025/40-02, revision 2 – 1.1 Mål 1.1 (Kiruna kommun)" in text(undecided)
    assert registrar.get_by_role("button", name="Markera som sammanställd", exact=True).count() == 0
    # Asked anyway (a stale form, say), the compile action is refused with the reason.
    token = registrar.locator("#undecided input[name=csrfmiddlewaretoken]").input_value()
    refused = registrar.request.post(
        f"{base}{round_path}atgard/",
        form={"csrfmiddlewaretoken": token, "action": "compiled"},
        headers={"Referer": base + round_path},
    )
    assert refused.ok
    assert "1 synpunkt saknar beslut. Fatta beslutet" in refused.text()
    round_.refresh_from_db()
    assert round_.status == "closed"

    # The last decision; then the round is compiled.
    registrar.goto(base + handling_path)
    decide(objection, "not_accepted", "Finansieringen beslutas i budgeten.")
    assert text(registrar.locator("main > p").first).startswith(
        "0 av 4 kommentarer har inget beslut ännu."
    )
    registrar.goto(base + round_path)
    assert registrar.locator("#undecided").count() == 0
    submit(registrar, registrar.get_by_role("button", name="Markera som sammanställd"))
    assert success(registrar) == "Statusen har ändrats."
    assert facts(registrar.locator("main dl.facts"))["Status"] == "Sammanställd"

    # 6. Anyone reads the compilation once the round is compiled: each consultee's overall
    # position, the decisions, the public comment apart from the formal answers.
    anonymous.goto(f"{base}{round_path}sammanstallning/")
    assert anonymous.locator("nav.sub-nav >> text=Remissammanställning").count() == 1
    handbook_picture(anonymous, "remissansvarig-sammanstallning")
    overall = {
        text(row.locator("td").nth(0)): text(row.locator("td").nth(1))
        for row in anonymous.locator("tr[data-overall]").all()
    }
    assert overall == {
        "Skellefteå kommun RV 2025/40-01": "Tillstyrker förslaget med ändringar",
        "Kiruna kommun RV 2025/40-02, revision 2": "Avstyrker förslaget",
    }
    answers = anonymous.locator("section[aria-labelledby=by-section-heading]")
    compiled = {
        text(row.locator("td").nth(0)): (
            text(row.locator("td").nth(3)),
            text(row.locator("td").nth(4)),
        )
        for row in answers.locator("tr[data-comment]").all()
    }
    assert compiled == {
        "Skellefteå kommun RV 2025/40-01": ("Godtas", "Målet höjs enligt förslaget."),
        "Kiruna kommun RV 2025/40-02, revision 2": (
            "Godtas inte",
            "Finansieringen beslutas i budgeten.",
        ),
    }
    assert PUBLIC_COMMENT not in text(answers)
    public_section = anonymous.locator("section.compiled-public-comments")
    (public_row,) = public_section.locator("tr[data-public-comment]").all()
    assert PUBLIC_COMMENT in text(public_row) and "Sara Nilsson" in text(public_row)
    assert "Noteras" in text(public_row)
    assert "Rennäringen behandlas i inriktning 2." in text(public_row)
    assert anonymous.inner_text("[data-total=undecided]") == "0"
    assert anonymous.inner_text("[data-public-total=undecided]") == "0"
    assert anonymous.inner_text("[data-total=accepted]") == "1"
    (change,) = anonymous.locator("[data-change]").all()
    assert "Skellefteå kommun (RV 2025/40-01)" in text(change)
    # The samråd with its outcome and the decision on it.
    compiled_meeting = anonymous.locator(
        "section[aria-labelledby=meetings-heading] article.meeting"
    )
    assert "Samråd om prospekteringen" in text(compiled_meeting)
    assert text(compiled_meeting.locator("[data-testid=outcome-decision]")) == (
        "Godtas: Målet höjs, se Skellefteå kommuns förslag."
    )

    compilation_api = anonymous.request.get(f"{base}/api/consultations/{round_.pk}/compilation")
    assert compilation_api.ok
    data = compilation_api.json()
    assert data["round"]["status"] == "compiled"
    assert {c["organisation"]: c["position"] for c in data["consultees"]} == {
        "Skellefteå kommun": "support_with_changes",
        "Kiruna kommun": "object",
    }
    assert data["undecided"] == 0 and data["public_undecided"] == 0
    assert {c["organisation"]: c["disposition"]["decision"] for c in data["comments"]} == {
        "Skellefteå kommun": "accepted",
        "Kiruna kommun": "not_accepted",
    }
    (public_api,) = data["public_comments"]
    assert public_api["comment"] == PUBLIC_COMMENT
    assert public_api["disposition"]["decision"] == "noted"
    (outcome_api,) = data["samrad_outcomes"]
    assert outcome_api["outcome"] == "Målet för prospektering höjs."
    assert outcome_api["section_title"] == "Inriktning 1"
    assert outcome_api["disposition"]["decision"] == "accepted"
    assert data["samrad_undecided"] == 0

    # 7. The registrar freezes the next version and adopts it by a decision, through the
    # confirmation step.
    version_path = f"/strategi/{strategy.slug}/version/3/"
    registrar.goto(f"{base}/strategi/{strategy.slug}/utkast/")
    registrar.fill("form[action$='/frys/'] input[name=label]", "Förslag till beslut")
    registrar.get_by_role("button", name="Lås utkastet som en ny version").click()
    registrar.wait_for_url(f"**{version_path}")
    assert "Utkastet har låsts som version 3." in success(registrar)
    registrar.get_by_role("link", name="Registrera antagandet av den här versionen").click()
    registrar.wait_for_url(f"**{version_path}anta/")
    registrar.fill("#id_body", "Regionfullmäktige")
    registrar.select_option("#id_organisation", label="Region Västerbotten")
    registrar.fill("#id_decided_on", today.isoformat())
    registrar.fill("#id_reference", "RF § 112, RUN 2025/81")
    registrar.get_by_role("button", name="Granska beslutet").click()
    registrar.wait_for_selector("h1:has-text('Bekräfta antagandet')")
    basis = facts(registrar.locator("main dl.facts").first)
    assert basis["Version som antas"].startswith("Version 3: Förslag till beslut")
    assert "Version 1: Första versionen" in basis["Ersätter"] and "RF § 12" in basis["Ersätter"]
    assert "Den kommer att kallas ”tidigare antagen”." in basis["Ersätter"]
    assert basis["Remiss"].startswith(REGISTRY_NUMBER)
    decision = text(registrar.locator("[data-decision]"))
    assert "Regionfullmäktige, Region Västerbotten" in decision
    assert today.isoformat() in decision and "RF § 112, RUN 2025/81" in decision
    registrar.get_by_role("button", name="Anta version 3").click()
    registrar.wait_for_url(f"**{version_path}")

    # The public strategy page: version 3 adopted with its date, version 1 "tidigare antagen".
    anonymous.goto(f"{base}/strategi/{strategy.slug}/")
    versions = {
        text(row.locator("td").first.locator("a")): text(row.locator("td").first)
        for row in anonymous.locator("section[aria-labelledby=versions-heading] tbody tr").all()
    }
    assert versions["Version 3: Förslag till beslut"].endswith(f"Antagen {today.isoformat()}")
    assert versions["Version 1: Första versionen"].endswith(
        f"Tidigare antagen antagen {today.isoformat()}, ersatt {today.isoformat()}"
    )
    assert "antagen" not in versions["Version 2: Remissversion"].lower()
    # The adopted version's page: the decision with its date and reference, the new sentence.
    anonymous.goto(base + version_path)
    assert anonymous.inner_text("header [data-adoption-state]") == "Antagen"
    adoption = facts(anonymous.locator("[data-adoption]"))
    assert adoption["Antagen av"] == "Regionfullmäktige, Region Västerbotten"
    assert adoption["Beslutsdatum"] == today.isoformat()
    assert adoption["Referens"] == "RF § 112, RUN 2025/81"
    assert adoption["Remiss"] == f"Remiss {REGISTRY_NUMBER}, stängd och sammanställd"
    assert expected in text(anonymous.locator("main"))
    anonymous.goto(f"{base}/strategi/{strategy.slug}/version/1/")
    assert anonymous.inner_text("header [data-adoption-state]") == "Tidigare antagen"

    adopted = anonymous.request.get(f"{base}/api/strategies/{strategy.pk}/versions/3").json()
    assert adopted["adoption_state"] == "adopted"
    assert adopted["adoption"]["reference"] == "RF § 112, RUN 2025/81"
    assert adopted["adoption"]["decided_on"] == today.isoformat()
    assert adopted["adoption"]["consultation"] == REGISTRY_NUMBER
    earlier = anonymous.request.get(f"{base}/api/strategies/{strategy.pk}/versions/1").json()
    assert earlier["adoption_state"] == "superseded"

    for page in (registrar, officer, kiruna_page, visitor, anonymous):
        assert page.log.page_errors == []
