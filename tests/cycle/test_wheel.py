"""The annual wheel through its pages: what the public and the editors see, the entries the
editors add, and the calendar file."""

import datetime

from django.urls import reverse

from mineralstrategi.cycle.models import WheelEntry, today_in_stockholm

from .conftest import entry


def _wheel(client, cycle, **query):
    return client.get(reverse("cycle:wheel", kwargs={"slug": cycle.strategy.slug}), query)


def test_the_public_reads_the_wheel_of_a_published_strategy(client, cycle, soup):
    today = today_in_stockholm()
    entry(cycle, title="Insatser, höst")
    entry(
        cycle, kind="review", title="Partnerskapets genomgång", date=today, deadline=None, asks=""
    )
    response = _wheel(client, cycle)
    assert response.status_code == 200
    page = soup(response)
    texts = [item.get_text(" ", strip=True) for item in page.select("li.wheel-day")]
    assert any("Rapporteringen öppnar" in text and "Insatser, höst" in text for text in texts)
    assert any("Sista dag att rapportera" in text for text in texts)
    assert any("Granskningsmöte" in text and "Partnerskapets genomgång" in text for text in texts)
    assert len(page.select("ol.wheel > li")) == 12
    # Editors' tools are not shown to the public.
    assert "Lägg till i årshjulet" not in response.content.decode()
    assert not page.select("form[action*='oppna']")


def test_a_draft_strategy_s_wheel_is_the_partnership_s(client, region_vasterbotten, make_member):
    from tests.strategy.conftest import make_strategy

    strategy = make_strategy(region_vasterbotten, slug="utkast")
    url = reverse("cycle:wheel", kwargs={"slug": strategy.slug})
    assert client.get(url).status_code == 302  # sent to log in
    client.force_login(make_member(region_vasterbotten))
    assert client.get(url).status_code == 200


def test_an_editor_adds_a_period_through_the_page_and_sees_it(client, cycle, soup):
    client.force_login(cycle.editor)
    add = reverse("cycle:entry_create", kwargs={"slug": cycle.strategy.slug})
    year = today_in_stockholm().year
    response = client.post(
        add,
        {
            "kind": "period",
            "title": f"Helår {year}",
            "date": f"{year}-01-10",
            "deadline": f"{year}-02-28",
            "asks": "indicators",
            "description": "Indikatorägarna rapporterar årets värden.",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = soup(_wheel(client, cycle, year=year))
    january = page.select("ol.wheel > li")[0].get_text(" ", strip=True)
    assert f"Helår {year}" in january and "ägare av indikatorerna" in january
    assert f"Helår {year}" in page.select("ol.wheel > li")[1].get_text(" ", strip=True)
    assert page.select("form[action*='oppna'] button")
    entry_ = WheelEntry.objects.get(title=f"Helår {year}")
    assert entry_.history.first().history_user == cycle.editor


def test_a_period_without_a_deadline_is_refused_with_a_message(client, cycle, soup):
    client.force_login(cycle.editor)
    add = reverse("cycle:entry_create", kwargs={"slug": cycle.strategy.slug})
    response = client.post(
        add,
        {
            "kind": "period",
            "title": "Vår",
            "date": "2026-03-01",
            "deadline": "2026-02-01",
            "asks": "",
        },
    )
    assert response.status_code == 400
    errors = soup(response).select(".errorlist")
    text = " ".join(error.get_text() for error in errors)
    assert "Sista dagen kommer före" in text and "Ange vem som rapporterar" in text
    assert not WheelEntry.objects.exists()


def test_the_wheel_as_a_calendar_file(client, cycle):
    today = today_in_stockholm()
    entry(cycle, title="Insatser, höst")
    entry(cycle, kind="adoption", title="Årsrapporten antas", date=today, deadline=None, asks="")
    response = client.get(reverse("cycle:ical", kwargs={"slug": cycle.strategy.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    opens = today - datetime.timedelta(days=30)
    after_deadline = today + datetime.timedelta(days=11)
    assert f"DTSTART;VALUE=DATE:{opens:%Y%m%d}" in body
    assert f"DTEND;VALUE=DATE:{after_deadline:%Y%m%d}" in body
    assert "Antagande av årsrapporten: Årsrapporten antas" in body
