"""Moderation of initiatives with reasons: a strategy editor approves, returns for changes or
rejects; the organisation is told (on the site and by mail) with the reason, changes a returned
initiative and submits it again; the history is kept for the editors and the organisation and
never shown to the public, on the pages or in the API."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from mineralstrategi.implementation import services
from mineralstrategi.implementation.models import (
    Decision,
    Initiative,
    Moderation,
    ModerationDecision,
)
from mineralstrategi.notifications.models import Notification
from mineralstrategi.organisations.models import Role

from .conftest import initiative_input

RETURN_REASON = "Beskriv finansieringen från regionen & ange <kontaktperson>."
REJECT_REASON = "Initiativet ligger utanför strategins område."


@pytest.fixture(autouse=True)
def tasks_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "tests.notifications.conftest.AtOnceBackend"}}
    settings.SITE_URL = "https://site.example"


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """with told(): … — runs the notifications' fan-out the writes queue on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def submitter(contributor):
    contributor.email = "anna@skelleftea.example"
    contributor.first_name, contributor.last_name = "Anna", "Nilsson"
    contributor.save()
    return contributor


@pytest.fixture
def initiative(register, section, submitter):
    return register(section("Insats 1.1.1"), user=submitter)


def edit(initiative, user, **changes):
    keys = [link.section_key for link in initiative.section_links.all()]
    return services.initiative_update(initiative, user=user, data=initiative_input(keys, **changes))


def state(initiative) -> str:
    return Initiative.objects.get(pk=initiative.pk).moderation_state


# --- Services -------------------------------------------------------------------------------------


def test_return_edit_resubmit_approve_keeps_the_history(initiative, editor, submitter):
    services.initiative_return(initiative, user=editor, reason=f"  {RETURN_REASON} ")
    assert state(initiative) == Moderation.RETURNED
    assert not Initiative.objects.get(pk=initiative.pk).is_approved

    edit(initiative, submitter, title="Elektrifierade gruvtruckar, med finansiering")
    services.initiative_resubmit(initiative, user=submitter)
    assert state(initiative) == Moderation.PENDING

    services.initiative_approve(initiative, user=editor, reason="Bra komplettering.")
    found = Initiative.objects.get(pk=initiative.pk)
    assert found.moderation_state == Moderation.APPROVED and found.approved_by == editor
    assert found.moderation == Moderation.APPROVED

    history = list(
        ModerationDecision.objects.filter(initiative=initiative).order_by("decided_at", "pk")
    )
    assert [(d.decision, d.reason, d.decided_by) for d in history] == [
        (Decision.RETURNED, RETURN_REASON, editor),
        (Decision.RESUBMITTED, "", submitter),
        (Decision.APPROVED, "Bra komplettering.", editor),
    ]
    # Audited as the other implementation models.
    assert history[0].history.get().history_user == editor


def test_reject_and_unlist(initiative, editor):
    services.initiative_reject(initiative, user=editor, reason=REJECT_REASON)
    assert state(initiative) == Moderation.REJECTED
    with pytest.raises(ValidationError, match="rejected"):
        services.initiative_approve(initiative, user=editor)
    with pytest.raises(ValidationError, match="rejected already"):
        services.initiative_reject(initiative, user=editor, reason="Igen.")


def test_an_approved_initiative_is_unlisted_before_it_is_rejected(initiative, editor):
    services.initiative_approve(initiative, user=editor)
    with pytest.raises(ValidationError, match="unlist it before"):
        services.initiative_reject(initiative, user=editor, reason=REJECT_REASON)
    with pytest.raises(ValidationError, match="Only an initiative awaiting approval"):
        services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    services.initiative_unlist(initiative, user=editor)
    assert state(initiative) == Moderation.PENDING
    assert initiative.moderation_decisions.first().decision == Decision.UNLISTED
    services.initiative_reject(initiative, user=editor, reason=REJECT_REASON)
    assert state(initiative) == Moderation.REJECTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_and_reject_require_a_reason(initiative, editor, reason):
    for decide in (services.initiative_return, services.initiative_reject):
        with pytest.raises(ValidationError) as raised:
            decide(initiative, user=editor, reason=reason)
        assert "reason is required" in raised.value.message_dict["reason"][0]
    assert state(initiative) == Moderation.PENDING
    assert not ModerationDecision.objects.exists()


def test_a_reason_has_a_limit(initiative, editor):
    with pytest.raises(ValidationError) as raised:
        services.initiative_return(initiative, user=editor, reason="x" * 2001)
    assert "2000" in raised.value.message_dict["reason"][0]


def test_only_a_returned_and_changed_initiative_is_submitted_again(initiative, editor, submitter):
    with pytest.raises(ValidationError, match="Only an initiative returned for changes"):
        services.initiative_resubmit(initiative, user=submitter)
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    with pytest.raises(ValidationError, match="has not been changed since it was returned"):
        services.initiative_resubmit(initiative, user=submitter)
    assert state(initiative) == Moderation.RETURNED


def test_who_may_moderate_and_resubmit(
    initiative, editor, submitter, viewer, other_contributor, kiruna, make_member
):
    outsider_editor = make_member(kiruna, Role.STRATEGY_EDITOR, username="kirunaeditor")
    for user in (submitter, viewer, other_contributor, outsider_editor):
        with pytest.raises(PermissionDenied):
            services.initiative_return(initiative, user=user, reason=RETURN_REASON)
        with pytest.raises(PermissionDenied):
            services.initiative_reject(initiative, user=user, reason=REJECT_REASON)
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    edit(initiative, submitter, title="Ändrad")
    for user in (viewer, other_contributor, outsider_editor):
        with pytest.raises(PermissionDenied):
            services.initiative_resubmit(initiative, user=user)
    assert state(initiative) == Moderation.RETURNED


# --- The submitter told -----------------------------------------------------------------------------


def test_the_submitter_gets_a_mail_with_the_decision_the_reason_and_a_link(
    initiative, editor, submitter, told
):
    with told():
        services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    [message] = mail.outbox
    assert message.to == ["anna@skelleftea.example"]
    assert message.subject == (
        "Initiativet ”Elektrifierade gruvtruckar” återsändes för ändringar: "
        f"{RETURN_REASON} Ändra det och skicka in det igen."
    )
    link = f"https://site.example{initiative.get_absolute_url()}"
    assert RETURN_REASON in message.body and link in message.body
    assert Notification.objects.get().user == submitter

    mail.outbox.clear()
    edit(initiative, submitter, title="Elektrifierade gruvtruckar 2")
    with told():
        services.initiative_resubmit(initiative, user=submitter)
        services.initiative_reject(initiative, user=editor, reason=REJECT_REASON)
    rejected = [m for m in mail.outbox if m.to == [submitter.email]]
    assert [m.subject for m in rejected] == [
        f"Initiativet ”Elektrifierade gruvtruckar 2” avslogs: {REJECT_REASON}"
    ]
    assert [m.subject for m in mail.outbox if m.to != [submitter.email]] == []  # editor: no mail


def test_the_editors_are_told_of_a_resubmission(initiative, editor, submitter, told):
    editor.email = "editor@region.example"
    editor.save()
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    edit(initiative, submitter, title="Ny titel")
    mail.outbox.clear()
    with told():
        services.initiative_resubmit(initiative, user=submitter)
    [message] = mail.outbox
    assert message.to == ["editor@region.example"]
    assert message.subject == (
        "Initiativet ”Ny titel” ändrades och skickades in igen för godkännande."
    )


def test_followers_of_the_organisation_never_hear_a_reason(
    initiative, editor, skelleftea, told, db
):
    from mineralstrategi.notifications import services as notifications
    from tests.notifications.conftest import person

    follower = person("foljare")
    notifications.follow(follower, skelleftea)
    with told():
        services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    assert not Notification.objects.filter(user=follower).exists()
    with told():
        services.initiative_approve(initiative, user=editor, reason="Intern notering.")
    [told_follower] = Notification.objects.filter(user=follower)
    assert "reason" not in told_follower.event.params
    assert all("Intern notering" not in m.body for m in mail.outbox if m.to == [follower.email])


# --- Pages --------------------------------------------------------------------------------------


def page_url(initiative) -> str:
    return f"/genomforande/{initiative.strategy.slug}/insatser/{initiative.pk}/"


def moderation_url(strategy) -> str:
    return f"/genomforande/{strategy.slug}/granskning/"


def test_the_editor_returns_from_the_moderation_list_with_a_reason(
    client, initiative, editor, strategy, soup, told
):
    client.force_login(editor)
    page = soup(client.get(moderation_url(strategy)))
    assert page.h1.get_text() == "Granskning av initiativ"
    item = page.select_one("article.moderation-item")
    assert item.h3.get_text() == "Elektrifierade gruvtruckar"
    buttons = [b.get_text() for b in item.select("button")]
    assert buttons == ["Godkänn", "Återsänd för ändringar", "Avslå"]

    url = f"/genomforande/{strategy.slug}/insatser/{initiative.pk}/granska/"
    prefix = f"i{initiative.pk}"
    refused = client.post(url, {f"{prefix}-decision": "return", f"{prefix}-back": "moderation"})
    assert refused.status_code == 400
    summary = soup(refused).select_one(".error-summary")
    assert summary.h2.get_text() == "Något behöver rättas"
    assert summary.a["href"] == f"#id_{prefix}-reason"
    assert "Skriv vad organisationen ska ändra: en motivering krävs." in summary.get_text()
    assert state(initiative) == Moderation.PENDING

    with told():
        done = client.post(
            url,
            {
                f"{prefix}-decision": "return",
                f"{prefix}-reason": RETURN_REASON,
                f"{prefix}-back": "moderation",
            },
            follow=True,
        )
    text = soup(done).get_text()
    assert "Initiativet har återsänts för ändringar." in text
    assert "Anna Nilsson meddelas på webbplatsen, och via e-post enligt sina" in text
    assert len(mail.outbox) == 1  # what the page says is true: Anna was mailed
    assert state(initiative) == Moderation.RETURNED
    assert "Inget initiativ väntar på godkännande." in text
    assert RETURN_REASON in text  # under "Återsänd för ändringar"


def test_the_submitting_organisation_sees_the_reason_and_submits_again(
    client, initiative, editor, submitter, viewer, soup
):
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    client.force_login(submitter)
    page = soup(client.get(page_url(initiative)))
    box = page.select_one(".moderation-returned")
    assert box.p.get_text(" ", strip=True) == f"Återsänd för ändringar: {RETURN_REASON}"
    assert "&lt;kontaktperson&gt;" in str(box)  # escaped
    assert box.button.get_text() == "Skicka in igen"
    history = page.select("table.moderation-history tbody tr")
    assert [c.get_text() for c in history[0].select("td")][1:] == [
        "Återsänd för ändringar",
        editor.get_username(),
        RETURN_REASON,
    ]

    resubmit = f"{page_url(initiative)}skicka-in-igen/"
    early = client.post(resubmit, follow=True)
    assert "det har inte ändrats sedan det återsändes" in soup(early).get_text()
    assert state(initiative) == Moderation.RETURNED

    edit(initiative, submitter, title="Med finansiering")
    done = client.post(resubmit, follow=True)
    text = soup(done).get_text()
    assert "Initiativet har skickats in igen och väntar på godkännande." in text
    assert "Väntar på godkännande: syns bara" in text
    assert state(initiative) == Moderation.PENDING

    # A viewer of the organisation reads the reason and the history, but may not resubmit.
    services.initiative_return(initiative, user=editor, reason="Andra gången.")
    client.force_login(viewer)
    page = soup(client.get(page_url(initiative)))
    assert "Andra gången." in page.select_one(".moderation-returned").get_text()
    assert page.select_one(".moderation-returned button") is None
    assert len(page.select("table.moderation-history tbody tr")) == 3
    assert client.post(resubmit).status_code == 403


def test_the_organisations_page_lists_its_returned_initiative_for_its_members_only(
    client, initiative, editor, submitter, other_contributor, soup
):
    """The lead organisation finds what waits for it on its own page, marked; others never."""
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    with translation.override("sv"):
        organisation_url = initiative.lead_organisation.get_absolute_url()
    client.force_login(submitter)
    rows = soup(client.get(organisation_url)).select("#profile-initiatives ~ div tbody tr")
    (row,) = [r for r in rows if initiative.title in r.get_text()]
    assert row.select_one(".status-badge").get_text() == "återsänd för ändringar"
    assert row.a["href"] == page_url(initiative)

    client.force_login(other_contributor)
    assert initiative.title not in client.get(organisation_url).content.decode()


def test_others_never_see_a_returned_or_rejected_initiative_or_the_reasons(
    client, initiative, register, section, editor, other_contributor, strategy
):
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    rejected = register(section("Insats 2.1.1"), title="Avslaget initiativ")
    services.initiative_reject(rejected, user=editor, reason=REJECT_REASON)
    approved = register(section("Insats 2.1.1"), title="Godkänt initiativ")
    services.initiative_return(approved, user=editor, reason="Hemlig motivering.")
    edit(approved, approved.created_by, title="Godkänt initiativ")
    services.initiative_resubmit(approved, user=approved.created_by)
    services.initiative_approve(approved, user=editor)

    for user in (None, other_contributor):
        visitor = Client()
        if user:
            visitor.force_login(user)
        assert visitor.get(page_url(initiative)).status_code == 404
        assert visitor.get(page_url(rejected)).status_code == 404
        shown = visitor.get(page_url(approved)).content.decode()
        assert "Godkänt initiativ" in shown
        assert "Hemlig motivering" not in shown and "Granskningshistorik" not in shown
        listed = visitor.get(f"/genomforande/{strategy.slug}/insatser/").content.decode()
        assert "Godkänt initiativ" in listed
        assert "Elektrifierade" not in listed and "Avslaget initiativ" not in listed
        assert visitor.get(moderation_url(strategy)).status_code == (403 if user else 302)
        # The API, too.
        titles = {i["title"] for i in visitor.get("/api/initiatives").json()["items"]}
        assert titles == {"Godkänt initiativ"}
        assert visitor.get(f"/api/initiatives/{initiative.pk}").status_code == 404
        assert visitor.get(f"/api/initiatives/{rejected.pk}").status_code == 404
        assert "Hemlig" not in visitor.get(f"/api/initiatives/{approved.pk}").content.decode()


def test_the_editor_decides_on_the_initiative_page(client, initiative, editor, soup, strategy):
    client.force_login(editor)
    page = soup(client.get(page_url(initiative)))
    form = page.select_one("form.moderation-form")
    assert [b.get_text() for b in form.select("button")] == [
        "Godkänn",
        "Återsänd för ändringar",
        "Avslå",
    ]
    prefix = f"i{initiative.pk}"
    url = f"/genomforande/{strategy.slug}/insatser/{initiative.pk}/granska/"
    refused = client.post(url, {f"{prefix}-decision": "reject", f"{prefix}-back": "initiative"})
    assert refused.status_code == 400
    assert "Skriv varför initiativet avslås" in soup(refused).select_one(".error-summary").text

    client.post(url, {f"{prefix}-decision": "reject", f"{prefix}-reason": REJECT_REASON})
    page = soup(client.get(page_url(initiative)))
    assert page.select_one(".moderation-rejected").p.get_text(" ", strip=True) == (
        f"Avslagen: {REJECT_REASON}"
    )
    assert page.select_one("form.moderation-form") is None


def test_the_initiative_list_links_the_editors_to_the_moderation_page(
    client, initiative, editor, strategy, soup
):
    client.force_login(editor)
    page = soup(client.get(f"/genomforande/{strategy.slug}/insatser/"))
    link = page.select_one("#awaiting-heading").find_parent("section").select_one("a.button-link")
    assert link["href"] == moderation_url(strategy)
    assert link.get_text() == "Godkänn, återsänd eller avslå dem"


def test_a_decision_made_twice_is_refused_clearly(client, initiative, editor, strategy, soup):
    services.initiative_reject(initiative, user=editor, reason=REJECT_REASON)
    client.force_login(editor)
    prefix = f"i{initiative.pk}"
    response = client.post(
        f"/genomforande/{strategy.slug}/insatser/{initiative.pk}/granska/",
        {f"{prefix}-decision": "approve", f"{prefix}-back": "initiative"},
    )
    assert response.status_code == 400
    assert (
        "ett avslaget initiativ godkänns inte" in soup(response).select_one(".error-summary").text
    )


def test_the_page_says_who_is_told_and_how(
    client, register, section, editor, contributor, viewer, skelleftea, strategy, soup
):
    """Without an address the page says the site only; without anyone to tell, that no one is."""
    contributor.first_name, contributor.last_name = "Utan", "Adress"
    contributor.save()
    initiative = register(section("Insats 1.1.1"))
    client.force_login(editor)
    prefix = f"i{initiative.pk}"
    url = f"/genomforande/{strategy.slug}/insatser/{initiative.pk}/granska/"
    done = client.post(
        url, {f"{prefix}-decision": "return", f"{prefix}-reason": RETURN_REASON}, follow=True
    )
    assert "Utan Adress har ingen e-postadress och meddelas bara på webbplatsen." in (
        soup(done).get_text()
    )

    contributor.is_active = False
    contributor.save()
    done = client.post(
        url, {f"{prefix}-decision": "reject", f"{prefix}-reason": REJECT_REASON}, follow=True
    )
    assert (
        "Ingen meddelas: Skellefteå kommun har ingen annan aktiv medlem som får ändra initiativet."
        in soup(done).get_text()
    )


def test_the_moderation_pages_speak_swedish_only(
    client, register, section, initiative, editor, submitter, strategy
):
    from tests.config.test_pages_speak_one_language import (
        ENGLISH_WORDS,
        found_in_running_text,
        sentences,
        visible_page,
    )

    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    register(section("Insats 2.1.1"), title="Väntande initiativ")
    english, _ = sentences()
    wrong = english | {word: word for word in ENGLISH_WORDS}
    prefix = f"i{initiative.pk}"
    for user, path, data in (
        (editor, moderation_url(strategy), None),
        (editor, page_url(initiative), None),
        (
            editor,
            f"/genomforande/{strategy.slug}/insatser/{initiative.pk}/granska/",
            {f"{prefix}-decision": "reject", f"{prefix}-back": "moderation"},
        ),
        (submitter, page_url(initiative), None),
    ):
        client.force_login(user)
        response = client.post(path, data) if data else client.get(path)
        assert response.status_code in (200, 400), path
        assert found_in_running_text(wrong, visible_page(response.content.decode())) == [], path


def test_the_organisation_reads_the_state_in_the_api_but_no_reason(
    client, initiative, editor, submitter
):
    services.initiative_return(initiative, user=editor, reason=RETURN_REASON)
    client.force_login(submitter)
    found = client.get(f"/api/initiatives/{initiative.pk}")
    assert found.json()["moderation"] == "returned" and found.json()["approved"] is False
    assert RETURN_REASON not in found.content.decode()
    [listed] = client.get("/api/initiatives").json()["items"]
    assert listed["moderation"] == "returned"
