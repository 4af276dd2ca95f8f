"""The partnership's review of a year's draft report before its adoption: the strategy's editors
put it to review with a last day, the partnership's members are told and comment on the report's
page, the editors are told of each comment, and the adoption shows and keeps the review."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.organisations.models import Organisation, Role
from mineralstrategi.reports.models import AdoptedReport, ReviewComment

pytestmark = pytest.mark.usefixtures("plain_draft")

YEAR = 2024  # the demo's latest year with data, a draft (2023's report is adopted)


@pytest.fixture
def editor(demo):
    return get_user_model().objects.get(username="redaktor")


@pytest.fixture
def member(demo, make_member):
    """A viewer of a partner organisation: reads the draft and comments, adopts nothing."""
    return make_member(demo.partnership.order_by("name").first(), Role.VIEWER, username="läsare")


@pytest.fixture
def outsider(demo, make_member):
    elsewhere = Organisation.objects.exclude(pk__in=demo.partnership.all()).first()
    return make_member(elsewhere, Role.STRATEGY_EDITOR, username="utanför")


def report_url(demo) -> str:
    return f"{reverse('reports:report', args=[demo.slug])}?year={YEAR}"


def open_url(demo) -> str:
    return reverse("reports:review_open", args=[demo.slug, YEAR])


def comment_url(demo) -> str:
    return reverse("reports:review_comment", args=[demo.slug, YEAR])


def in_a_week() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=7)


def put_to_review(client, demo, editor, closes_on=None):
    client.force_login(editor)
    closes_on = closes_on or in_a_week()
    return client.post(open_url(demo), {"closes_on": closes_on.isoformat()})


def test_a_review_is_opened_the_partnership_told_and_a_member_comments(
    client, demo, editor, member, soup, run_tasks, django_capture_on_commit_callbacks
):
    closes_on = in_a_week()
    with django_capture_on_commit_callbacks(execute=True):
        answer = put_to_review(client, demo, editor, closes_on)
    assert answer.status_code == 302 and answer["Location"].endswith(f"?year={YEAR}#review")
    run_tasks()  # the notifications' fan-out

    client.force_login(member)
    notices = soup(client.get(reverse("notifications:list"))).text
    assert (
        f"Årsrapporten {YEAR} för {demo.title} är ute på granskning i partnerskapet till "
        f"{closes_on.isoformat()}." in notices
    )
    page = soup(client.get(report_url(demo)))
    assert page.select_one('[data-report-state="review"]').text == (
        f"Under granskning till {closes_on.isoformat()}"
    )
    assert (
        "ute på granskning i partnerskapet från" in page.select_one("[data-review-state=open]").text
    )
    assert not page.select("[data-open-review]")  # a member comments; editors open reviews

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            comment_url(demo), {"body": "Avsnittet om vatten saknar 2024 års mätningar."}
        )
    assert answer.status_code == 302
    page = soup(client.get(report_url(demo)))
    comments = page.select("[data-review-comments] li")
    assert len(comments) == 1
    assert "Avsnittet om vatten saknar 2024 års mätningar." in comments[0].text
    assert member.memberships.first().organisation.name in comments[0].text

    run_tasks()
    client.force_login(editor)
    notices = soup(client.get(reverse("notifications:list"))).text
    organisation = member.memberships.first().organisation.name
    assert f"{organisation} har lämnat synpunkter på utkastet till årsrapporten {YEAR}" in notices
    assert ReviewComment.history.filter(history_user=member).exists()  # audited
    assert AdoptedReport.history.filter(year=YEAR, history_user=editor).exists()


def test_the_adoption_shows_and_keeps_the_review(client, demo, editor, member, soup):
    put_to_review(client, demo, editor)
    client.force_login(member)
    client.post(comment_url(demo), {"body": "Bra rapport."})
    client.force_login(editor)
    decision = {
        "body": "Regionstyrelsen, Region Västerbotten",
        "decided_on": timezone.localdate().isoformat(),
        "reference": "RS § 12",
        "note": "",
    }
    confirm = soup(client.post(reverse("reports:adopt", args=[demo.slug, YEAR]),
                               decision | {"action": "review"}))  # fmt: skip
    summary = confirm.select_one("[data-review-summary]").text
    assert "1 synpunkt" in summary and "Granskningen pågår fortfarande" in summary
    client.post(reverse("reports:adopt", args=[demo.slug, YEAR]), decision | {"action": "confirm"})

    public = soup(client.__class__().get(reverse("reports:adopted", args=[demo.slug, YEAR])))
    today = timezone.localdate().isoformat()
    assert public.select_one("[data-review-period]").text == f"{today} – {today}"  # ended early
    assert "Bra rapport." not in public.text  # the comments stay with the partnership
    client.force_login(member)
    refused = client.post(comment_url(demo), {"body": "Sent."})
    assert refused.status_code == 400  # the year is adopted: no longer under review


def test_bad_input_is_named_and_nothing_is_written(client, demo, editor, member, soup):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    answer = put_to_review(client, demo, editor, closes_on=yesterday)
    assert answer.status_code == 400
    summary = soup(answer).select_one("[data-error-summary]").text
    assert (
        f"Sista dag för synpunkter: Sista dagen för synpunkter, {yesterday.isoformat()}, har passerat"
        in summary
    )
    assert not AdoptedReport.objects.filter(year=YEAR).exists()

    client.force_login(member)
    answer = client.post(comment_url(demo), {"body": "För tidigt."})
    assert answer.status_code == 400
    assert (
        f"Årsrapporten för {YEAR} är inte ute på granskning"
        in soup(answer).select_one("[data-error-summary]").text
    )

    put_to_review(client, demo, editor)
    client.force_login(member)
    answer = client.post(comment_url(demo), {"body": "   "})
    assert answer.status_code == 400
    assert "Din synpunkt på utkastet" in soup(answer).select_one("[data-error-summary]").text
    assert not ReviewComment.objects.exists()

    again = put_to_review(client, demo, editor)
    assert again.status_code == 400
    assert "är redan ute på granskning" in soup(again).select_one("[data-error-summary]").text


def test_only_editors_open_and_only_the_partnership_comments(
    client, demo, editor, member, outsider
):
    client.force_login(member)
    assert client.post(open_url(demo), {"closes_on": in_a_week().isoformat()}).status_code == 403
    client.force_login(outsider)
    assert client.post(open_url(demo), {"closes_on": in_a_week().isoformat()}).status_code == 403
    assert not AdoptedReport.objects.filter(year=YEAR).exists()

    put_to_review(client, demo, editor)
    client.force_login(outsider)
    assert client.post(comment_url(demo), {"body": "Utifrån."}).status_code == 403
    client.logout()
    anonymous = client.post(comment_url(demo), {"body": "Anonym."})
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
    assert not ReviewComment.objects.exists()
    # The review is not a public state: the public page and the API list adopted reports only.
    assert (
        "granskning" not in client.get(reverse("reports:report", args=[demo.slug])).content.decode()
    )
    listed = client.get(f"/api/strategies/{demo.pk}/adopted-reports").json()
    assert [item["year"] for item in listed] == [2023]
