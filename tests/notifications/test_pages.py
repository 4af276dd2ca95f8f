"""What a person sees: the bell, /notiser/, the settings page and the follow buttons; and what
others never see: someone else's notifications, or a bell in a page cached for visitors."""

from django.test import Client

from mineralstrategi.notifications import services
from mineralstrategi.notifications.models import Follow, MailChoice, Notification

from .conftest import edit, person


def bell(soup_page):
    return soup_page.select_one("a.notification-bell")


def test_the_bell_counts_unread_notifications_and_the_list_shows_them_in_both_languages(
    client, soup, following_reader, sections, editor, told
):
    with told():
        edit(sections["Inriktning 1"], editor)
    client.force_login(following_reader)

    page = soup(client.get("/"))
    assert bell(page).get_text(" ", strip=True) == "Notiser 1 olästa"
    listed = soup(client.get("/notiser/"))
    [item] = listed.select("li.notification.unread")
    assert "Avsnittet ”Inriktning 1” i Teststrategi för mineralnäringen ändrades." in item.text
    assert item.select_one("a")["href"].startswith("/strategi/teststrategi/utkast/#section-")
    english = soup(client.get("/en/notiser/"))
    assert "The section “Inriktning 1” of Teststrategi för mineralnäringen was changed." in (
        english.select_one("li.notification").text
    )


def test_marking_one_and_all_read(client, soup, following_reader, strategy, sections, editor, told):
    services.follow(following_reader, strategy)
    with told():
        edit(sections["Inriktning 1"], editor)
        edit(sections["Inriktning 2"], editor)
    client.force_login(following_reader)
    first = Notification.objects.filter(user=following_reader).first()

    client.post("/notiser/las/", {"notification": first.pk, "next": "/notiser/"})
    assert "Notiser 1" in bell(soup(client.get("/notiser/"))).get_text(" ", strip=True)
    answer = client.post("/notiser/las/", {"all": "1"}, follow=True)
    page = soup(answer)
    assert bell(page).select_one(".badge") is None
    assert page.select("li.notification.unread") == []
    assert "Alla dina notiser är markerade som lästa." in page.text


def test_nobody_sees_or_marks_anothers_notifications(
    client, soup, following_reader, sections, editor, told
):
    with told():
        edit(sections["Inriktning 1"], editor)
    notification = Notification.objects.get()
    other = person("other")
    client.force_login(other)

    page = soup(client.get("/notiser/"))
    assert page.select("li.notification") == []
    assert "Du har inga notiser." in page.text
    client.post("/notiser/las/", {"notification": notification.pk})
    client.post("/notiser/las/", {"all": "1"})
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_pages_are_a_persons_own_visitors_are_sent_to_log_in(client):
    assert client.get("/notiser/").url.startswith("/konto/login/")
    assert client.get("/notiser/installningar/").url.startswith("/konto/login/")
    assert client.post("/notiser/folj/", {"type": "1", "id": "1"}).url.startswith("/konto/login/")


def test_the_public_page_cache_never_shows_a_persons_bell_to_visitors(
    client, soup, following_reader, sections, editor, told
):
    with told():
        edit(sections["Inriktning 1"], editor)
    member = Client()
    member.force_login(following_reader)
    assert "1" in bell(soup(member.get("/strategi/teststrategi/"))).text

    first = client.get("/strategi/teststrategi/")
    again = client.get("/strategi/teststrategi/")
    assert again["X-Public-Cache"] == "hit"
    for answer in (first, again):
        page = soup(answer)
        assert bell(page) is None
        assert page.select_one(".follow-form") is None
        assert page.select_one(".follow-login a").text == "Logga in för att följa"
    # And the person still gets a fresh page with their own count.
    assert "1" in bell(soup(member.get("/strategi/teststrategi/"))).text


def test_following_and_unfollowing_from_a_page_without_javascript(client, soup, outsider, strategy):
    client.force_login(outsider)
    page = soup(client.get("/strategi/teststrategi/"))
    form = page.select_one("form.follow-form")
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert form.select_one("button").text.strip() == "Följ"

    answer = client.post(form["action"], fields | {"action": "follow"}, follow=True)
    assert answer.redirect_chain[-1][0] == "/strategi/teststrategi/"
    page = soup(answer)
    assert "Du följer ”Teststrategi för mineralnäringen”." in page.text
    assert page.select_one("form.follow-form button").text.strip() == "Följer – sluta följa"
    assert Follow.objects.filter(user=outsider).count() == 1

    client.post(form["action"], fields | {"action": "unfollow"})
    assert not Follow.objects.filter(user=outsider).exists()


def test_the_follow_form_needs_its_csrf_token_and_a_followable_thing(outsider, strategy):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(outsider)
    assert strict.post("/notiser/folj/", {"type": "1", "id": strategy.pk}).status_code == 403

    client = Client()
    client.force_login(outsider)
    answer = client.post("/notiser/folj/", {"type": "x", "id": "1", "next": "/"}, follow=True)
    assert "Det här går inte att följa." in answer.content.decode()
    answer = client.post(
        "/notiser/folj/", {"type": "1", "id": "1", "next": "https://evil.example/"}
    )
    assert answer.url == "/"
    assert not Follow.objects.exists()


def test_the_settings_page_keeps_the_mail_choice_and_lists_what_one_follows(
    client, soup, reader, strategy, sections
):
    services.follow(reader, strategy)
    services.follow(reader, sections["Inriktning 1"])
    client.force_login(reader)

    page = soup(client.get("/notiser/installningar/"))
    assert [row.select("td")[1].text for row in page.select("tbody tr")] == [
        "Inriktning 1",
        "Teststrategi för mineralnäringen",
    ]
    assert page.select_one("input[name=mail][checked]")["value"] == MailChoice.IMMEDIATELY

    client.post("/en/notiser/installningar/", {"mail": "weekly"})
    choice = services.settings_for(reader)
    assert (choice.mail, choice.language) == ("weekly", "en")
    bad = client.post("/notiser/installningar/", {"mail": "hourly"})
    assert bad.status_code == 400
    assert "Välj hur du vill få e-post." in bad.content.decode()

    follow = Follow.objects.get(user=reader, object_id=strategy.pk)
    client.post("/notiser/installningar/", {"unfollow": follow.pk})
    assert (
        list(Follow.objects.filter(user=reader)) != []
        and not Follow.objects.filter(pk=follow.pk).exists()
    )
    # Another's follow is not removed through one's own page.
    theirs = services.follow(person("other"), strategy)
    client.post("/notiser/installningar/", {"unfollow": theirs.pk})
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_every_followable_page_has_its_follow_button(
    client, soup, outsider, strategy, sections, editor, region_vasterbotten
):
    import datetime

    from mineralstrategi.consultation import services as consultation
    from mineralstrategi.consultation.models import today_in_stockholm
    from mineralstrategi.implementation import services as implementation
    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.strategy import services as strategy_services
    from tests.implementation.conftest import initiative_input

    version = strategy_services.version_freeze(strategy, user=editor)
    round_ = consultation.round_create(
        version=version,
        user=editor,
        title="Remiss av teststrategin",
        registry_number="RV 2025/17",
        opens_on=today_in_stockholm(),
        deadline=today_in_stockholm() + datetime.timedelta(days=30),
    )
    consultation.consultee_add(round_, user=editor, organisation=region_vasterbotten)
    consultation.consultation_send(round_, user=editor)
    initiative = implementation.initiative_create(
        strategy=strategy,
        organisation=region_vasterbotten,
        user=editor,
        data=initiative_input([sections["Insats 1.1.1"].key]),
    )
    implementation.initiative_approve(initiative, user=editor)
    indicator = Indicator.objects.create(
        code="gruv-sysselsatta",
        name="Sysselsatta i gruvnäringen",
        definition="Antal sysselsatta.",
        unit="personer",
        dimension="economic",
        desired_direction="increase",
        source_organisation="SCB",
        owner=region_vasterbotten,
    )
    frozen_section = version.sections.get(title="Inriktning 1")
    followed = {
        frozen_section.get_absolute_url(): sections["Inriktning 1"],  # followed in the draft
        indicator.get_absolute_url(): indicator,
        initiative.get_absolute_url(): initiative,
        round_.get_absolute_url(): round_,
        region_vasterbotten.get_absolute_url(): region_vasterbotten,
    }
    client.force_login(outsider)
    for path, target in followed.items():
        page = soup(client.get(path))
        form = page.select_one("form.follow-form")
        assert form is not None, path
        fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
        client.post(form["action"], fields | {"action": "follow"})
        assert Follow.objects.filter(user=outsider, object_id=target.pk).exists(), path
        assert soup(client.get(path)).select_one("form.follow-form button[aria-pressed=true]")
    assert Follow.objects.filter(user=outsider).count() == len(followed)
