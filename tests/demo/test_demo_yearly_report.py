"""The demo's yearly reports: the year before the latest adopted by Regionstyrelsen, frozen, its
PDF made and public; the latest year's report a draft the partnership reads."""

import subprocess

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from mineralstrategi.demo.strategy import SLUG
from mineralstrategi.reports.models import AdoptedReport


def test_the_demo_has_last_years_report_adopted_with_its_pdf(db, client, soup, demo_data, tmp_path):
    (adopted,) = AdoptedReport.objects.filter(strategy__slug=SLUG, state="adopted")
    assert (adopted.year, adopted.state, adopted.pdf_status) == (2023, "adopted", "done")
    assert adopted.is_example

    page = soup(client.get(reverse("reports:report", args=[SLUG])))
    row = page.select_one('tr[data-adopted-year="2023"]')
    assert "Regionstyrelsen, Region Västerbotten" in row.text and "RS § 64" in row.text
    assert not page.select("[data-draft-report]")  # the public get no draft
    download = client.get(row.select_one("a[data-adopted-pdf]")["href"])
    assert download["Content-Type"] == "application/pdf"
    path = tmp_path / "demo.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Årsrapport 2023" in text and "Regionstyrelsen, Region Västerbotten" in text
    assert "Exempeldata" in text

    frozen = soup(client.get(reverse("reports:adopted", args=[SLUG, 2023])))
    assert frozen.select_one('[data-report-state="adopted"]').text == "Antagen"
    assert "värdena till och med 2023" in frozen.select_one("[data-frozen-content]").text
    assert not frozen.select("[data-adopted-language]")  # adopted in Swedish, read in Swedish
    with translation.override("en"):
        english = soup(client.get(reverse("reports:adopted", args=[SLUG, 2023])))
    assert english.select_one("[data-adopted-language]").text == (
        "The report was adopted in Swedish: it is shown in the words of the decision."
    )
    assert english.select_one("[data-frozen-content]")["lang"] == "sv"


def test_the_demo_current_report_is_a_draft_for_the_partnership(db, client, soup, demo_data):
    client.force_login(get_user_model().objects.get(username="redaktor"))
    page = soup(client.get(reverse("reports:report", args=[SLUG])))

    draft = page.select_one("[data-draft-report]")
    assert draft.select_one("h2").text.startswith("Uppföljningsrapport 2024")
    assert draft.select_one('[data-report-state="draft"]').text == "Utkast – inte antagen"
    assert page.select_one("[data-adopt-report]")["href"] == reverse(
        "reports:adopt", args=[SLUG, 2024]
    )
    review = page.select_one("[data-report-review]")
    assert "Utkastet är ute på granskning" in review.select_one('[data-review-state="open"]').text
    (comment,) = review.select("[data-review-comments] li")
    assert "Region Västerbotten, Anna Lindqvist" in comment.text
    assert comment.text.count("Exempeltext:") == 1
    assert review.select_one("[data-send-review-comment]")
