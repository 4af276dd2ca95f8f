"""The demo's annual wheel: this year's periods on the public page, the late owner's tasks and
the editors' overview, the invented reports labelled as example data."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from mineralstrategi.cycle.models import PeriodReport, WheelEntry
from mineralstrategi.demo.strategy import SLUG

pytestmark = (
    pytest.mark.sqlite_in_ci
)  # the demo's content, alike on either database: CI reads it once


def test_the_demo_wheel_has_a_period_past_with_one_owner_late(db, client, soup, demo_data):
    wheel = reverse("cycle:wheel", kwargs={"slug": SLUG})
    page = soup(client.get(wheel))
    days = " ".join(day.get_text(" ", strip=True) for day in page.select("li.wheel-day"))
    assert "Insatser," in days and "Helår" in days and "Partnerskapets genomgång" in days
    assert "Exempeldata" in days
    assert "Försenad" not in page.get_text()  # who is late is not public

    users = get_user_model().objects
    client.force_login(users.get(username="skelleftea"))
    mine = soup(client.get(wheel)).select("#my-reports-heading ~ div table tbody tr")
    assert mine and all("Försenad" in row.get_text() for row in mine)

    initiatives = WheelEntry.objects.get(strategy__slug=SLUG, asks="initiatives")
    client.force_login(users.get(username="redaktor"))
    overview = soup(
        client.get(reverse("cycle:overview", kwargs={"slug": SLUG, "pk": initiatives.pk}))
    )
    late = overview.select("tr.report-row-late")
    assert {row.select("td")[0].get_text(strip=True) for row in late} == {"Skellefteå kommun"}
    reported = overview.select("tr.report-row-submitted")
    assert len(reported) == PeriodReport.objects.filter(period=initiatives).count() - len(late)
    assert all("Exempeldata" in row.get_text() for row in reported)
    assert all(row.select("button") for row in late)  # "Remind"


def test_the_demo_shows_the_lights_of_its_past_period(db, client, soup, demo_data):
    initiatives = WheelEntry.objects.get(strategy__slug=SLUG, asks="initiatives")
    wheel = soup(client.get(reverse("cycle:wheel", kwargs={"slug": SLUG})))
    lights_url = reverse("cycle:lights", kwargs={"slug": SLUG, "pk": initiatives.pk})
    assert wheel.select(f'a[href="{lights_url}"]')
    text = " ".join(
        soup(client.get(lights_url)).select_one("main").get_text(" ", strip=True).split()
    )
    assert "försenade: 2" in text  # Skellefteå kommun's two reports, by number only
    assert "Ej rapporterad 2" in text and "Sammantaget:" in text
    assert "Skellefteå kommun" not in text


def test_the_wheels_adoption_of_the_yearly_report_leads_to_the_reports(db, client, soup, demo_data):
    page = soup(client.get(reverse("cycle:wheel", kwargs={"slug": SLUG})))
    (adoption,) = page.select("li.wheel-adoption")
    assert adoption.select_one("a")["href"] == reverse("reports:report", args=[SLUG])
    assert adoption.select_one("a").text.startswith("Årsrapporter")
