"""The yearly report as a document of record: adopted by the strategy's editors, frozen, public
as HTML and PDF (made once by the worker); the live report of the year a draft for the
partnership only."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mineralstrategi.implementation.models import Initiative
from mineralstrategi.organisations.models import Role
from mineralstrategi.reports.models import AdoptedReport
from mineralstrategi.reports.services import YearlyReportDecision, yearly_report_adopt

pytestmark = pytest.mark.usefixtures("plain_draft")

YEAR = 2024  # the demo's latest year with data: a draft (the demo adopted 2023's report)
DECISION = YearlyReportDecision(
    body="Regionstyrelsen, Region Västerbotten",
    decided_on=datetime.date(2025, 4, 10),
    reference="RS § 45, RS 2025/112",
    note="Uppföljningen redovisad för nämnden.",
)


@pytest.fixture
def editor(demo):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="redaktor")


@pytest.fixture
def member(demo, make_member):
    """A viewer in one of the partnership's organisations: reads the draft, adopts nothing."""
    return make_member(demo.partnership.order_by("pk").first(), Role.VIEWER)


@pytest.fixture
def outsider(demo, make_member):
    from mineralstrategi.organisations.models import Organisation

    elsewhere = Organisation.objects.exclude(pk__in=demo.partnership.all()).first()
    return make_member(elsewhere, Role.STRATEGY_EDITOR)


def _report_url(demo) -> str:
    return reverse("reports:report", args=[demo.slug])


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _shown_initiative(report: AdoptedReport) -> Initiative:
    """An initiative named in the frozen report."""
    for initiative in Initiative.objects.filter(strategy=report.strategy):
        if initiative.title and f">{initiative.title}<" in report.content_html:
            return initiative
    raise AssertionError("no initiative is named in the report")


# --- The service ---------------------------------------------------------------------------------


@pytest.mark.sqlite_in_ci  # a PDF made: the same on either database; CI makes it once
def test_an_adopted_report_is_frozen_against_later_data(
    demo, editor, run_tasks, client, soup, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report = yearly_report_adopt(demo, YEAR, user=editor, decision=DECISION)
    initiative = _shown_initiative(report)
    old_title = initiative.title
    Initiative.objects.filter(pk=initiative.pk).update(title="Ett helt nytt namn efter beslutet")
    run_tasks()  # the PDF is made after the change: from the frozen document

    page = soup(client.get(reverse("reports:adopted", args=[demo.slug, YEAR])))
    frozen = page.select_one("[data-frozen-content]").text
    assert old_title in frozen and "Ett helt nytt namn efter beslutet" not in frozen
    report.refresh_from_db()
    assert report.pdf_status == AdoptedReport.PdfStatus.DONE, report.pdf_error
    pdf = b"".join(
        client.get(reverse("reports:adopted_pdf", args=[demo.slug, YEAR])).streaming_content
    )
    text = _pdf_text(pdf, tmp_path)
    assert "Ett helt nytt namn" not in text
    # The live report of the year, read by the partnership, has the new name.
    client.force_login(editor)
    live = client.get(_report_url(demo), {"year": YEAR})
    assert "Ett helt nytt namn efter beslutet" not in live.content.decode()  # adopted: no draft
    assert AdoptedReport.history.filter(year=YEAR, history_user=editor).exists()


def test_a_year_is_adopted_once(demo, editor):
    yearly_report_adopt(demo, YEAR, user=editor, decision=DECISION)
    with pytest.raises(ValidationError) as refused:
        yearly_report_adopt(demo, YEAR, user=editor, decision=DECISION)
    assert "är redan antagen" in str(refused.value)
    assert AdoptedReport.objects.filter(strategy=demo, year=YEAR).count() == 1


def test_a_decision_in_the_future_is_refused(demo, editor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        yearly_report_adopt(
            demo,
            YEAR,
            user=editor,
            decision=YearlyReportDecision("Regionstyrelsen", tomorrow, "§ 1"),
        )
    assert "decided_on" in refused.value.error_dict
    assert not AdoptedReport.objects.filter(year=YEAR).exists()


def test_only_the_strategys_editors_adopt(demo, member, outsider):
    for user in (member, outsider):
        with pytest.raises(PermissionDenied):
            yearly_report_adopt(demo, YEAR, user=user, decision=DECISION)
    assert not AdoptedReport.objects.filter(year=YEAR).exists()


# --- The pages -----------------------------------------------------------------------------------


def test_the_public_gets_the_adopted_reports_and_not_the_draft(client, demo, soup):
    page = soup(client.get(_report_url(demo)))

    assert page.select_one("#adopted-heading").text == "Antagna årsrapporter"
    row = page.select_one('tr[data-adopted-year="2023"]')
    cells = [cell.text.strip() for cell in row.select("th, td")]
    assert cells[:4] == ["2023", "Regionstyrelsen, Region Västerbotten", "2024-04-24",
                         "RS § 64, RUN 2024/0187"]  # fmt: skip
    assert row.select_one("a")["href"] == reverse("reports:adopted", args=[demo.slug, 2023])
    assert row.select_one("a[data-adopted-pdf]")  # the demo made its PDF
    assert not page.select("[data-draft-report]")
    assert "Utkast – inte antagen" not in page.text
    assert not page.select(".report-chart")  # no live report for the public
    # Asking for the draft's year changes nothing.
    again = soup(client.get(_report_url(demo), {"year": YEAR}))
    assert not again.select("[data-draft-report]")


def test_the_partnership_reads_the_draft_labelled_and_only_editors_may_adopt(
    client, demo, member, editor, soup
):
    client.force_login(member)
    page = soup(client.get(_report_url(demo), {"year": YEAR}))
    draft = page.select_one("[data-draft-report]")
    assert draft.select_one('[data-report-state="draft"]').text == "Utkast – inte antagen"
    assert draft.select(".report-chart svg")
    assert not page.select("[data-adopt-report]")
    assert client.get(reverse("reports:adopt", args=[demo.slug, YEAR])).status_code == 403

    client.force_login(editor)
    page = soup(client.get(_report_url(demo), {"year": YEAR}))
    assert page.select_one("[data-adopt-report]").text == "Anta årsrapporten"


def test_an_editor_adopts_through_the_form_with_a_confirmation(
    client, demo, editor, soup, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = reverse("reports:adopt", args=[demo.slug, YEAR])
    data = {"body": DECISION.body, "decided_on": "2025-04-10", "reference": DECISION.reference,
            "note": DECISION.note}  # fmt: skip
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    refused = client.post(url, data | {"decided_on": future, "action": "review"})
    assert refused.status_code == 400
    assert "i framtiden" in soup(refused).select_one("#id_decided_on_error").text

    review = soup(client.post(url, data | {"action": "review"}))
    assert review.select_one("h1").text == "Bekräfta antagandet"
    assert "RS § 45, RS 2025/112" in review.select_one("[data-decision]").text
    assert not AdoptedReport.objects.filter(year=YEAR).exists()

    with django_capture_on_commit_callbacks(execute=False):
        done = client.post(url, data | {"action": "confirm"}, follow=True)
    page = soup(done)
    assert page.select_one("h1").text.startswith("Årsrapport 2024")
    assert "PDF:en tas fram" in page.select_one("[data-decision]").text
    assert not page.select("a[data-adopted-pdf]")  # no dead link before the worker

    again = client.post(url, data | {"action": "confirm"})
    assert again.status_code == 400
    assert "är redan antagen" in soup(again).text


@pytest.mark.sqlite_in_ci  # a PDF made: the same on either database; CI makes it once
def test_the_adopted_pdf_is_served_to_anonymous_visitors(
    demo, editor, run_tasks, client, soup, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        yearly_report_adopt(demo, YEAR, user=editor, decision=DECISION)
    pdf_url = reverse("reports:adopted_pdf", args=[demo.slug, YEAR])
    waiting = client.get(pdf_url)
    assert waiting.status_code == 202 and "PDF:en tas fram" in waiting.content.decode()
    page = soup(client.get(_report_url(demo)))
    row = page.select_one(f'tr[data-adopted-year="{YEAR}"]')
    assert "PDF:en tas fram" in row.text and not row.select("a[data-adopted-pdf]")

    run_tasks()

    page = soup(client.get(_report_url(demo)))
    link = page.select_one(f'tr[data-adopted-year="{YEAR}"] a[data-adopted-pdf]')
    assert link["href"] == pdf_url
    download = client.get(link["href"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(download.streaming_content), tmp_path)
    assert "Årsrapport 2024" in text
    assert "Regionstyrelsen, Region Västerbotten" in text and "RS § 45, RS 2025/112" in text
    assert "2025-04-10" in text


def test_the_draft_pdf_is_the_partnerships(client, demo, outsider):
    client.force_login(outsider)
    response = client.post(reverse("reports:report_request", args=[demo.slug]), {"year": YEAR})
    assert response.status_code == 403


def test_the_list_of_adopted_reports_takes_the_same_queries_for_more_reports(client, demo, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_report_url(demo)).status_code == 200
        return len(queries)

    one = count()
    for year in (2019, 2020, 2021):
        yearly_report_adopt(demo, year, user=editor, decision=DECISION)
    assert count() == one


def test_the_api_lists_the_adopted_reports(client, demo):
    data = client.get(f"/api/strategies/{demo.pk}/adopted-reports").json()

    (report,) = data
    assert report["year"] == 2023
    assert report["body"] == "Regionstyrelsen, Region Västerbotten"
    assert report["decided_on"] == "2024-04-24"
    assert report["html_url"].endswith(f"/uppfoljning/{demo.slug}/rapport/2023/")
    assert report["pdf_url"].endswith(f"/uppfoljning/{demo.slug}/rapport/2023/pdf/")
    one = client.get(f"/api/strategies/{demo.pk}/adopted-reports/2023").json()
    assert "Sammanfattning" in one["content_html"]
    assert client.get(f"/api/strategies/{demo.pk}/adopted-reports/2024").status_code == 404


@pytest.mark.sqlite_in_ci  # a PDF made: the same on either database; CI makes it once
def test_a_failed_pdf_is_said_and_tried_again_when_asked_for(
    demo, editor, run_tasks, client, soup, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    report = yearly_report_adopt(demo, YEAR, user=editor, decision=DECISION)
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    AdoptedReport.objects.filter(pk=report.pk).update(
        pdf_status=AdoptedReport.PdfStatus.FAILED, pdf_error="WeasyPrint: no fonts",
        pdf_made_at=long_ago,
    )  # fmt: skip
    row = soup(client.get(_report_url(demo))).select_one(f'tr[data-adopted-year="{YEAR}"]')
    assert "PDF:en kunde inte tas fram ännu." in row.text and "no fonts" not in row.text

    pdf_url = reverse("reports:adopted_pdf", args=[demo.slug, YEAR])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(pdf_url)
    assert waiting.status_code == 202 and "PDF:en tas fram" in waiting.content.decode()
    run_tasks()
    made = client.get(pdf_url)
    assert made["Content-Type"] == "application/pdf"
    made.close()


def test_an_adopted_year_is_said_on_its_form_and_a_year_not_begun_is_refused(
    client, demo, editor, soup
):
    client.force_login(editor)
    page = soup(client.get(reverse("reports:adopt", args=[demo.slug, 2023])))  # the demo's
    note = page.select_one("[data-already-adopted]").text
    assert "Årsrapporten för 2023 är redan antagen" in note and "RS § 64" in note
    assert not page.select("form.stacked-form")

    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as refused:
        yearly_report_adopt(demo, next_year, user=editor, decision=DECISION)
    assert f"Året {next_year} har inte börjat" in str(refused.value)
