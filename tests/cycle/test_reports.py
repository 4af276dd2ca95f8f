"""Owners asked to report: opening a period makes the tasks and tells the owners; an owner's
member reports through the form; the editors' overview shows who has reported and who is late."""

from django.urls import reverse

from mineralstrategi.cycle import services
from mineralstrategi.cycle.models import PeriodReport
from mineralstrategi.notifications.models import Notification
from mineralstrategi.organisations.models import Role

from .conftest import entry, fan_out_all, late_period

REPORT = {
    "progress_status": "at_risk",
    "progress": "55",
    "done": "Tre leverantörsträffar hölls.",
    "risks": "Få deltagare från små företag.",
    "next_steps": "En träff i Boliden i vår.",
    "figures": "Deltagare: 48",
}


def _overview(client, period):
    return client.get(
        reverse("cycle:overview", kwargs={"slug": period.strategy.slug, "pk": period.pk})
    )


def _rows(soup, response) -> dict[str, str]:
    return {
        row.select("td")[1].get_text(" ", strip=True): row.get_text(" ", strip=True)
        for row in soup(response).select("tr.report-row")
    }


def test_the_editor_opens_a_period_through_the_page_and_the_owners_are_told(client, cycle):
    period = entry(cycle)
    client.force_login(cycle.editor)
    response = client.post(
        reverse("cycle:open", kwargs={"slug": cycle.strategy.slug, "pk": period.pk}), follow=True
    )
    assert "2 rapporter efterfrågas" in response.content.decode()
    reports = PeriodReport.objects.filter(period=period)
    assert {(r.organisation, r.initiative) for r in reports} == {
        (cycle.skelleftea, cycle.own_initiative),
        (cycle.kiruna, cycle.kiruna_initiative),
    }
    fan_out_all()
    told = Notification.objects.filter(event__kind="report_requested")
    assert {n.user for n in told} == {cycle.skelleftea_reporter, cycle.kiruna_reporter}
    # Opening twice asks nobody twice.
    client.post(reverse("cycle:open", kwargs={"slug": cycle.strategy.slug, "pk": period.pk}))
    assert PeriodReport.objects.filter(period=period).count() == 2


def test_an_indicator_period_asks_the_owner_of_each_linked_indicator(cycle):
    period = entry(cycle, asks="indicators", title="Helår")
    (report,) = services.period_open(period, user=cycle.editor)
    assert (report.indicator, report.organisation) == (cycle.indicator, cycle.skelleftea)


def test_an_owner_reports_and_the_overview_shows_it(client, cycle, soup):
    period = entry(cycle)
    services.period_open(period, user=cycle.editor)
    client.force_login(cycle.skelleftea_reporter)
    wheel = client.get(reverse("cycle:wheel", kwargs={"slug": cycle.strategy.slug}))
    (task,) = soup(wheel).select("#my-reports-heading ~ div table tbody tr")
    assert "Lokala leverantörer" in task.get_text() and "Att rapportera" in task.get_text()
    form_url = task.select_one("a")["href"]
    response = client.post(form_url, REPORT, follow=True)
    assert "Rapporten om ”Lokala leverantörer” är inlämnad" in response.content.decode()

    client.force_login(cycle.editor)
    rows = _rows(soup, _overview(client, period))
    assert "Rapporterad" in rows["Lokala leverantörer"]
    assert "I riskzonen" in rows["Lokala leverantörer"] and "55" in rows["Lokala leverantörer"]
    assert "Att rapportera" in rows["Stadsflytten"]
    summary = soup(_overview(client, period)).select_one(".report-summary").get_text(" ")
    assert "1 har rapporterat, 1 ska ännu rapportera, 0 är försenade" in " ".join(summary.split())
    report = PeriodReport.objects.get(initiative=cycle.own_initiative)
    assert report.history.first().history_user == cycle.skelleftea_reporter


def test_a_report_with_bad_values_is_refused_with_a_message(client, cycle, soup):
    period = entry(cycle)
    (report, _) = services.period_open(period, user=cycle.editor)
    client.force_login(report.organisation.memberships.get(role=Role.CONTRIBUTOR).user)
    response = client.post(
        report.get_absolute_url(), {**REPORT, "progress": "150", "progress_status": ""}
    )
    assert response.status_code == 400
    errors = " ".join(e.get_text() for e in soup(response).select(".errorlist"))
    assert "mindre än eller lika med 100" in errors and "måste fyllas i" in errors
    assert PeriodReport.objects.get(pk=report.pk).status == "due"


def test_others_may_not_report_for_an_owner(client, cycle, make_member):
    period = entry(cycle)
    services.period_open(period, user=cycle.editor)
    report = PeriodReport.objects.get(initiative=cycle.own_initiative)
    for user in (cycle.kiruna_reporter, make_member(cycle.skelleftea, Role.VIEWER)):
        client.force_login(user)
        response = client.post(report.get_absolute_url(), REPORT)
        assert response.status_code == 403
    assert PeriodReport.objects.get(pk=report.pk).status == "due"


def test_the_overview_is_the_editors(client, cycle):
    period = late_period(cycle)
    client.force_login(cycle.skelleftea_reporter)
    assert _overview(client, period).status_code == 403
    client.logout()
    assert _overview(client, period).status_code == 302
    client.force_login(cycle.editor)
    assert _overview(client, period).status_code == 200
