"""The follow-up dashboard, the report in HTML, and its PDF from the browser and from the CLI."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mineralstrategi import cli
from mineralstrategi.reports.models import FollowupReport
from tests.pdf_structure import accessibility

# Pages and PDFs that render alike on either database: CI runs them once.
pytestmark = pytest.mark.sqlite_in_ci


def test_the_dashboard_shows_raw_and_adjusted_verdicts_with_explanations(client, demo, soup):
    page = soup(client.get(f"/en/uppfoljning/{demo.slug}/", {"year": 2024}))

    directions = page.select("section.followup-direction h2")
    assert len(directions) == 5
    row = page.select_one('tr[data-indicator="gruv-investeringar"][data-geo="25"]')
    raw, adjusted = (badge.text for badge in row.select(".status-badge"))
    assert (raw, adjusted) == ("Progress made but acceleration needed", "On track")  # Open SDG
    assert "verdicts-differ" in row["class"]
    assert "iron ore price" in row.select("td")[-1].text
    assert page.select(".scenario-table tbody tr")
    assert page.select_one(".example-banner")


def test_the_followup_api_lists_directions_goals_and_verdicts(client, demo):
    data = client.get(f"/api/strategies/{demo.pk}/followup", {"year": 2024}).json()

    assert data["year"] == 2024 and data["places"] == ["24", "25"]
    goals = [goal for direction in data["directions"] for goal in direction["goals"]]
    assert goals and all(goal["kind"] == "goal" for goal in goals)
    places = [
        place
        for direction in data["directions"]
        for item in [direction, *direction["goals"]]
        for indicator in item["indicators"]
        for place in indicator["places"]
    ]
    assert any(p["raw_status"]["status"] != p["adjusted_status"]["status"] for p in places
               if p["adjusted_status"]["ok"])  # fmt: skip


def test_the_report_pdf_is_made_in_the_background_and_downloaded(
    run_tasks, client, demo, soup, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(_partner(demo))  # the year's live report is a draft: the partnership's
    html = soup(client.get(f"/en/uppfoljning/{demo.slug}/rapport/", {"year": 2024}))
    assert len(html.select(".report-chart svg")) >= 10
    assert "Norrbottens län, cycle-adjusted" in html.text
    swedish = soup(client.get(f"/uppfoljning/{demo.slug}/rapport/", {"year": 2024})).text
    assert "Norrbottens län, konjunkturjusterad" in swedish and "cycle-adjusted" not in swedish

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_request", args=[demo.slug]), {"year": 2024})
    report = FollowupReport.objects.get()
    assert response.url == reverse("reports:status", args=[report.token])
    run_tasks()

    report.refresh_from_db()
    assert report.status == FollowupReport.Status.DONE, report.error
    client.logout()  # a draft: without an account the link leads to the login
    assert "login" in client.get(reverse("reports:download", args=[report.token])).url
    client.force_login(_partner(demo))
    download = client.get(reverse("reports:download", args=[report.token]))
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    text = pdf_text(pdf)
    assert "2024" in text and "Norrbottens län" in text
    found = accessibility(pdf)  # tagged (PDF/UA), in the requester's language, with headers
    assert found.tagged and found.language == "sv" and found.title.startswith("Uppföljningsrapport")
    assert found.tags["H1"] >= 1 and found.tags["TH"] >= 1


def _partner(demo):
    """A member of the partnership, who reads the year's draft report."""
    return demo.partnership.first().memberships.first().user


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages[:4])


def test_an_anonymous_visitor_cannot_start_a_report(client, demo):
    response = client.post(reverse("reports:report_request", args=[demo.slug]), {"year": 2024})
    assert response.status_code == 302 and "login" in response.url
    assert not FollowupReport.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_the_cli_writes_the_report(demo, tmp_path, capsys):
    out = tmp_path / "uppfoljning.pdf"

    code = cli.main(
        ["report", "followup", "--strategy", str(demo.pk), "--year", "2023", "--out", str(out)]
    )

    assert code == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert cli.main(["report", "followup", "--strategy", "nope", "--year", "2023",
                     "--out", str(out)]) == 1  # fmt: skip


def test_the_dashboard_query_count_does_not_grow_with_the_links(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mineralstrategi.caching.until_a_write import forget_everything
    from mineralstrategi.indicators.models import Indicator, IndicatorLink

    url = f"/en/uppfoljning/{demo.slug}/"
    client.get(url)  # warm caches (sessions, content types)
    forget_everything()  # count the work after a write
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"year": 2024})
    for link in list(IndicatorLink.objects.filter(strategy=demo))[:5]:
        IndicatorLink.objects.get_or_create(
            indicator=Indicator.objects.exclude(pk=link.indicator_id).order_by("code").first(),
            strategy=demo,
            section_key=link.section_key,
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"year": 2024})
    assert len(after) == len(before) <= 30  # 25 before the lights of the two periods


def test_the_indicator_page_names_the_goals_it_follows_up_and_both_verdicts(client, demo, soup):
    page = soup(client.get("/en/indikatorer/inpendling-andel/", {"geo": "25"}))

    follows = [a.text for a in page.select(".facts .plain-list a")]
    assert follows == ["Goal: Gruvorternas befolkning och service är stabil genom konjunkturerna"]
    dashboard = soup(client.get(page.select_one(".facts .plain-list a")["href"]))
    anchor = page.select_one(".facts .plain-list a")["href"].split("#")[1]
    assert dashboard.find(id=anchor) is not None
    row = next(
        tr for tr in page.select(".cycle-status-table tbody tr") if tr.th.text == "Norrbottens län"
    )
    # At the annual lambda 6.25 (Ravn–Uhlig; it was 100) the elasticity to the iron ore price is
    # 0.58 (was 0.74): of the 1.9-point fall since the 2010–2012 average the price accounts for
    # 1.7 points and the structural trend for a 0.2-point fall, so the adjusted verdict is limited
    # progress, no longer deterioration. The numbers are the analysis API's (tested against the
    # analysis package in test_analysis_api).
    api = client.get("/api/indicators/inpendling-andel/analysis", {"geo": "25"}).json()
    assert (api["raw_status"]["status"], api["adjusted_status"]["status"]) == (
        "limited_progress",
        "limited_progress",
    )
    assert [b.text for b in row.select(".status-badge")] == ["Limited progress", "Limited progress"]
    assert len(page.select(".cycle-analysis svg.svg-chart-wide")) == 3  # and as many narrow
    assert page.select(".cycle-analysis .data-details table tbody tr")


def test_admin_shows_indicator_links_and_the_report_log(client, demo, superuser):
    from mineralstrategi.indicators.models import Indicator

    client.force_login(superuser)
    indicator = Indicator.objects.get(code="gruv-investeringar")

    assert client.get(f"/admin/indicators/indicator/{indicator.pk}/change/").status_code == 200
    assert client.get("/admin/reports/followupreport/").status_code == 200


def test_the_status_page_shows_progress_and_polls_until_done(client, demo):
    report = FollowupReport.objects.create(strategy=demo, year=2024)
    url = reverse("reports:status", args=[report.token])

    partial = client.get(url, headers={"HX-Request": "true"})
    assert b"<progress" in partial.content and b"hx-get" in partial.content
    assert b"<html" not in partial.content

    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.FAILED,
                                                       error="WeasyPrint: no fonts")  # fmt: skip
    page = client.get("/en" + url)
    assert b"no fonts" in page.content and b"hx-get" not in page.content
    client.force_login(_partner(demo))  # the draft's PDF is the partnership's
    assert client.get(reverse("reports:download", args=[report.token])).status_code == 404


def test_a_zero_price_makes_the_dashboard_say_why_not_judge_wrongly(client, demo, soup):
    from mineralstrategi.indicators.models import PricePoint

    PricePoint.objects.filter(commodity__code="iron_ore", month="2015-03").update(value=0)

    page = soup(client.get(f"/en/uppfoljning/{demo.slug}/", {"year": 2024}))

    row = page.select_one('tr[data-indicator="gruv-investeringar"][data-geo="25"]')
    raw, adjusted = (badge.text for badge in row.select(".status-badge"))
    assert adjusted == "Unable to assess" and raw != "Unable to assess"  # Open SDG's name
    assert "2015-03" in row.select("td")[-1].text
    iron_rows = [
        tr
        for tr in page.select(".scenario-table tbody tr")
        if "iron" in tr.select("td")[1].text.lower()
    ]
    assert iron_rows
    for tr in iron_rows:
        assert "2015-03" in tr.select_one("td.cannot-judge").text


def test_the_dashboard_shows_ten_initiatives_a_section_and_links_to_the_rest(client, demo, soup):
    from mineralstrategi.implementation.models import Initiative, InitiativeSection
    from mineralstrategi.strategy.models import Section, SectionKind

    goal = Section.objects.filter(
        version__strategy=demo, version__number=1, kind=SectionKind.GOAL
    ).first()
    serving = Initiative.objects.filter(strategy=demo).approved().active_in(2024).order_by("pk")
    InitiativeSection.objects.filter(section_key=goal.key).delete()
    InitiativeSection.objects.bulk_create(
        InitiativeSection(initiative=i, section_key=goal.key) for i in serving[:14]
    )
    assert serving.count() >= 14

    page = soup(client.get(f"/en/uppfoljning/{demo.slug}/", {"year": 2024}))
    heading = page.find(id=f"section-{goal.key}")
    block = heading.find_parent("div", class_="followup-goal")
    assert len(block.select("ul.initiatives li")) == 10
    more = block.select_one(".more-initiatives")
    assert "The first 10 of 14 are shown." in more.text
    assert more.a["href"] == (
        f"/en/genomforande/{demo.slug}/insatser/?section={goal.key}&period=2024"
    )
    client.force_login(_partner(demo))
    report = soup(client.get(f"/en/uppfoljning/{demo.slug}/rapport/", {"year": 2024}))
    listed = {a["href"] for a in report.select("ul.initiatives a")}
    assert {i.get_absolute_url() for i in serving[:14]} <= listed  # the report lists them all
    assert not report.select(".more-initiatives")


def test_the_default_year_is_the_latest_with_a_value_not_a_gap_announced_later(client, demo):
    from mineralstrategi.indicators.models import Indicator, Observation
    from mineralstrategi.indicators.services import indicator_summary_refresh
    from mineralstrategi.reports.followup import latest_year

    latest = latest_year(demo)
    indicator = Indicator.objects.filter(links__strategy=demo).first()
    Observation.objects.create(
        indicator=indicator, geo_level="county", geo_code="25", period=str(latest + 2), value=None
    )
    indicator_summary_refresh(indicator)
    assert latest_year(demo) == latest

    Observation.objects.create(
        indicator=indicator, geo_level="county", geo_code="25", period=str(latest + 1), value=5.0
    )
    indicator_summary_refresh(indicator)
    assert latest_year(demo) == latest + 1
    page = client.get(f"/en/uppfoljning/{demo.slug}/")
    assert f'<option value="{latest + 1}" selected' in page.content.decode()


def test_the_dashboard_has_a_contents_list_and_folds_each_goal(client, demo, soup):
    page = soup(client.get(f"/uppfoljning/{demo.slug}/", {"year": 2024}))

    directions = page.select("section.followup-direction > h2")
    contents = page.select("nav.toc ol.outline a")
    assert [a["href"] for a in contents[:-1]] == [f"#{h2['id']}" for h2 in directions]
    assert contents[-1]["href"] == "#scenario-heading"
    goals = page.select(".followup-goal > details")
    assert goals and not any(goal.has_attr("open") for goal in goals)
    assert all(goal.select_one("summary > h3[id]") for goal in goals)


def test_the_followup_is_kept_until_the_next_write_for_people_logged_in_too(client, demo, soup):
    """Issue #19: the follow-up behind the dashboard is the same for everybody and is kept
    between requests; a write to the data shows on the very next read, for a logged-in person
    (never served from the page cache) as for a visitor."""
    from django.contrib.auth import get_user_model

    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.reports.followup import FOLLOWUPS

    client.force_login(get_user_model().objects.get(username="strateg"))  # the demo's editor
    url = f"/en/uppfoljning/{demo.slug}/"
    indicator = Indicator.objects.get(code="gruv-investeringar")
    client.get(url, {"year": 2024})
    hits = FOLLOWUPS.hits

    again = soup(client.get(url, {"year": 2024}))
    assert FOLLOWUPS.hits == hits + 1
    assert indicator.name in again.select_one('tr[data-indicator="gruv-investeringar"]').text

    Indicator.objects.filter(pk=indicator.pk).update(name="Investeringar i gruvor, omdöpt")
    renamed = soup(client.get(url, {"year": 2024}))

    row = renamed.select_one('tr[data-indicator="gruv-investeringar"]')
    assert "Investeringar i gruvor, omdöpt" in row.text
    assert FOLLOWUPS.hits == hits + 1  # computed again, not kept across the write


def test_the_report_page_has_a_contents_list_and_sections_that_fold(client, demo, soup):
    client.force_login(_partner(demo))
    page = soup(client.get(f"/uppfoljning/{demo.slug}/rapport/", {"year": 2024}))

    contents = [a["href"] for a in page.select("nav.toc ol.outline a")]
    sections = page.select("[data-draft-report] > section:not([data-report-review])")
    # The summary, the verdicts per direction, the five directions, the scenario, the annex.
    assert len(contents) == len(sections) == 2 + 5 + 2
    for href, section in zip(contents, sections, strict=True):
        heading = page.find(id=href.removeprefix("#"))  # every link leads to its section's heading
        assert heading is not None and heading.name == "h2", href
        assert section["aria-labelledby"] == heading["id"]
        fold = section.find("details", recursive=False)  # the whole section folds under it
        assert fold is not None and heading.parent == fold.find("summary", recursive=False)
    opened = [s["aria-labelledby"] for s in sections if s.details.has_attr("open")]
    assert opened == ["summary", "verdicts"]  # the overview open, the long parts folded


def test_the_pdf_of_the_report_folds_nothing_and_has_no_contents_list(demo):
    from django.template.loader import render_to_string

    from mineralstrategi.reports.services import report_context

    context = report_context(demo, 2024) | {"pdf": True}
    html = render_to_string("reports/followup_pdf.html", context)

    assert "<details" not in html and "<summary" not in html and 'class="toc"' not in html
    assert html.count('<section class="report-direction"') == 5
