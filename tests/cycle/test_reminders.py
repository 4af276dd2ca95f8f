"""Reminders: the automatic ones before and after the deadline go out once each; an editor
reminds a late owner by hand, not twice in a row, and the overview says what was really sent."""

import datetime

from django.core.management import call_command
from django.urls import reverse

from mineralstrategi.cycle import services
from mineralstrategi.cycle.models import PeriodReport, ReportReminder
from mineralstrategi.notifications.models import Notification
from mineralstrategi.organisations.models import Membership

from .conftest import entry, fan_out_all, late_period


def test_the_reminders_before_and_after_the_deadline_go_out_once(cycle):
    period = entry(cycle)
    services.period_open(period, user=cycle.editor)
    deadline = period.deadline
    early = deadline - datetime.timedelta(days=services.REMINDER_DAYS_BEFORE + 1)
    assert services.reminders_send_due(early) == services.RemindersSent(0, 0)
    week_before = deadline - datetime.timedelta(days=services.REMINDER_DAYS_BEFORE)
    assert services.reminders_send_due(week_before) == services.RemindersSent(before=2)
    assert services.reminders_send_due(week_before) == services.RemindersSent(0, 0)
    assert services.reminders_send_due(deadline) == services.RemindersSent(0, 0)
    # Kiruna reports in time; Skellefteå does not and is reminded after the deadline.
    services.report_submit(
        PeriodReport.objects.get(initiative=cycle.kiruna_initiative),
        user=cycle.kiruna_reporter,
        data={
            "progress_status": "on_track",
            "progress": 70,
            "done": "Flytten av kulturhuset klar.",
            "risks": "",
            "next_steps": "",
            "figures": "",
        },
    )
    after = deadline + datetime.timedelta(days=1)
    assert services.reminders_send_due(after) == services.RemindersSent(after=1)
    assert services.reminders_send_due(after) == services.RemindersSent(0, 0)
    fan_out_all()
    late = Notification.objects.get(event__kind="report_late")
    assert late.user == cycle.skelleftea_reporter
    assert Notification.objects.filter(event__kind="report_due").count() == 2


def test_the_command_sends_the_due_reminders_once(cycle, capsys):
    late_period(cycle)
    call_command("send_report_reminders")
    call_command("send_report_reminders")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "0 reminder(s) before and 2 after the deadline.",
        "0 reminder(s) before and 0 after the deadline.",
    ]


def _remind(client, period, report):
    return client.post(
        reverse(
            "cycle:remind",
            kwargs={"slug": period.strategy.slug, "pk": period.pk, "report": report.pk},
        ),
        follow=True,
    )


def test_an_editor_reminds_a_late_owner_and_the_overview_says_so(client, cycle, soup):
    period = late_period(cycle)
    report = PeriodReport.objects.get(initiative=cycle.own_initiative)
    client.force_login(cycle.editor)
    response = _remind(client, period, report)
    assert "Skellefteå kommun är påmind" in response.content.decode()
    row = soup(response).select_one(f"form[action$='/paminn/{report.pk}/']").find_parent("tr")
    assert "Påminnelsen" in row.get_text() and "skickas" in row.get_text()  # not yet made
    fan_out_all()
    page = client.get(response.request["PATH_INFO"])
    row = soup(page).select_one(f"form[action$='/paminn/{report.pk}/']").find_parent("tr")
    assert "1 person fick besked" in row.get_text()
    notification = Notification.objects.get(
        user=cycle.skelleftea_reporter, event__kind="report_late"
    )
    assert "Lokala leverantörer" in notification.event.params["subject"]

    # Again at once: refused with a message; nothing more is sent.
    again = _remind(client, period, report)
    assert "påmindes nyss" in again.content.decode()
    assert ReportReminder.objects.filter(report=report).count() == 1


def test_an_owner_without_reporters_is_not_said_to_be_reminded(client, cycle, soup):
    period = late_period(cycle)
    Membership.objects.filter(organisation=cycle.kiruna).delete()
    report = PeriodReport.objects.get(initiative=cycle.kiruna_initiative)
    client.force_login(cycle.editor)
    response = _remind(client, period, report)
    assert "det finns ingen att påminna" in response.content.decode()
    assert not ReportReminder.objects.filter(report=report).exists()
    row = soup(response).select_one(f"form[action$='/paminn/{report.pk}/']").find_parent("tr")
    assert "Påmind" not in row.get_text()


def test_a_report_not_late_is_not_reminded_by_hand(client, cycle):
    period = entry(cycle)
    services.period_open(period, user=cycle.editor)
    report = PeriodReport.objects.get(initiative=cycle.own_initiative)
    client.force_login(cycle.editor)
    response = _remind(client, period, report)
    assert "Bara en försenad rapport" in response.content.decode()
    assert not ReportReminder.objects.exists()
