"""Follow-up report PDFs: one at a time per person, strategy and year (asking again while it is
being made shows that one), and at most FOLLOWUP_REPORTS_PER_HOUR new ones a person an hour
(then a page that says when, with 429)."""

import pytest
from django.urls import reverse

from mineralstrategi.reports import services
from mineralstrategi.reports.models import FollowupReport


@pytest.fixture
def member(demo):
    return demo.partnership.first().memberships.first().user


@pytest.fixture
def two_an_hour(settings):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "FOLLOWUP_REPORTS_PER_HOUR": 2}


def ask(client, demo, year, language=""):
    return client.post(
        language + reverse("reports:report_request", args=[demo.slug]), {"year": year}
    )


def test_asking_again_while_it_is_made_shows_the_same_report(
    client, demo, member, two_an_hour, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks() as queued:
        first = ask(client, demo, 2024)
    with django_capture_on_commit_callbacks() as queued_again:
        second = ask(client, demo, 2024)

    report = FollowupReport.objects.get()
    assert first.url == second.url == reverse("reports:status", args=[report.token])
    assert len(queued) >= 1 and queued_again == []  # nothing more for the worker
    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.RUNNING)
    assert ask(client, demo, 2024).url == first.url

    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.DONE)
    again = ask(client, demo, 2024)  # made: a new one may be asked for (the second this hour)
    assert again.status_code == 302 and again.url != first.url
    assert FollowupReport.objects.count() == 2


def test_over_the_persons_reports_an_hour_a_page_says_when_in_swedish(
    client, demo, member, two_an_hour, soup
):
    client.force_login(member)
    assert ask(client, demo, 2023).status_code == 302
    assert ask(client, demo, 2024).status_code == 302

    refused = ask(client, demo, 2022)

    assert refused.status_code == 429
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    page = soup(refused)
    assert page.select_one("h1").get_text() == "För många rapporter på en timme"
    assert page.select_one("[role=alert]").get_text(" ", strip=True) == (
        "Du har beställt 2 rapporter som PDF den senaste timmen, och fler än så får ingen "
        "beställa på en timme. Försök igen om 60 minuter."
    )
    assert page.select_one("main a[href*='year=2022']") is not None
    assert FollowupReport.objects.count() == 2
    english = soup(ask(client, demo, 2022, language="/en"))
    assert (
        english.select_one("[role=alert]")
        .get_text(" ", strip=True)
        .startswith("You have asked for 2 reports as PDF in the last hour")
    )


def test_the_limit_is_each_persons_own(demo, member, two_an_hour, django_user_model):
    for year in (2023, 2024):
        services.followup_report_request(strategy=demo, year=year, user=member)
    with pytest.raises(services.TooManyReports):
        services.followup_report_request(strategy=demo, year=2022, user=member)
    colleague = django_user_model.objects.create_superuser("kollega", password="x-long-enough")

    made = services.followup_report_request(strategy=demo, year=2022, user=colleague)

    assert made.requested_by == colleague
