"""What a reader sees of the method: monthly indicators judged on calendar-year means (and the
true reason when they cannot be), the provisional band and years, the averaged base, percentage
points only for percentages, and every figure captioned, in Swedish and in English."""

import csv
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.filters.hp_filter import hpfilter

from mineralstrategi.indicators.models import (
    Commodity,
    ImportJob,
    Indicator,
    IndicatorLink,
    Observation,
    PricePoint,
)
from mineralstrategi.indicators.models import Target as TargetModel
from mineralstrategi.indicators.services import import_create, import_run
from mineralstrategi.reports.followup import latest_year
from mineralstrategi.strategy.models import Section, SectionKind

# Pages that render alike on either database: CI runs them once.
pytestmark = pytest.mark.sqlite_in_ci

DATA = Path(__file__).resolve().parents[1] / "data"
SCB_MONTHLY = DATA / "scb_pxwebapi2_TAB6471_population_monthly.json"
NBSP = "\u00a0"
PAGE = "/indikatorer/{code}/"
DASHBOARD = "/uppfoljning/{slug}/"


def _import(path: Path, indicator: Indicator) -> ImportJob:
    job = import_create(
        path=path, file_name=path.name, kind=ImportJob.Kind.OBSERVATIONS, indicator=indicator
    )
    job = import_run(job, path)
    assert job.status == ImportJob.Status.DONE, job.errors
    return job


def _sv(value: float, decimals: int = 0) -> str:
    """A number as a Swedish reader sees it, written out here: 1 234,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",").replace("-", "\u2212")


def _en(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def _text(element) -> str:
    """The element's text with runs of spaces and line breaks made one space (a no-break space,
    which Swedish numbers use, is kept)."""
    return re.sub(r"[ \t\r\n]+", " ", element.get_text(" ", strip=True))


# --- a monthly indicator from a real SCB file: no complete year -------------------------------


@pytest.fixture
def scb_population(region_vasterbotten) -> Indicator:
    """SCB's PxWebApi 2 answer for 2026M01–M04, imported as it is. The file has no total over
    all ages, so the page shows first the youngest age group of both sexes."""
    indicator = Indicator.objects.create(
        code="befolkning-20-29", name="Folkmängd 20–29 år", definition="Folkmängden vid månadens slut.",
        unit="personer", dimension="social", desired_direction="increase",
        source_organisation="SCB", source_table="TAB6471", frequency="monthly",
        owner=region_vasterbotten,
    )  # fmt: skip
    _import(SCB_MONTHLY, indicator)
    indicator.refresh_from_db()
    assert indicator.headline_breakdown == '{"Alder":"0-9"}'
    assert Observation.objects.filter(indicator=indicator, breakdown='{"Alder":"0-9"}').count() == 21 * 4  # fmt: skip
    return indicator


def _status_row(page, place: str):
    return next(tr for tr in page.select(".status-table tbody tr") if tr.th.text == place)


def test_a_monthly_file_without_a_complete_year_says_exactly_that(client, scb_population, soup):
    swedish = soup(client.get(PAGE.format(code=scb_population.code)))
    english = soup(client.get("/en" + PAGE.format(code=scb_population.code)))

    row = _status_row(swedish, "Norrbottens län")
    assert row.select_one(".status-badge").text == "Kan inte bedömas"
    assert _text(row.select("td")[-1]) == (
        "Inget helt kalenderår: bara 4 av 12 månader av 2026. Ett kalenderårsmedelvärde kräver "
        "årets alla månader eller kvartal. Bedömningen gäller kalenderårsmedelvärden av "
        "månadsvärden."
    )
    row = _status_row(english, "Norrbottens län")
    assert row.select_one(".status-badge").text == "Unable to assess"
    assert _text(row.select("td")[-1]).startswith(
        "No complete calendar year: only 4 of 12 months of 2026."
    )
    assert "observation" not in _text(english.select_one(".status-table")).lower()


def test_the_status_api_gives_the_true_reason_and_the_months_it_has(client, scb_population):
    statuses = {s["geo"]: s for s in client.get(f"/api/indicators/{scb_population.code}/status").json()}  # fmt: skip
    norrbotten = statuses["25"]
    assert not norrbotten["ok"] and norrbotten["status"] is None
    assert "bara 4 av 12 månader av 2026" in norrbotten["explanation"]
    assert "no observations" not in norrbotten["explanation"].lower()
    assert norrbotten["calendar"] == {
        "observed_frequency": "monthly",
        "basis": "Bedömningen gäller kalenderårsmedelvärden av månadsvärden.",
        "years": [],
        "left_out": [
            {"year": 2026, "present": 4, "needed": 12, "frequency": "monthly",
             "text": "bara 4 av 12 månader av 2026"}
        ],
    }  # fmt: skip
    analysis = client.get(f"/api/indicators/{scb_population.code}/analysis", {"geo": "25"}).json()
    assert analysis["raw_status"]["explanation"].startswith(
        "No complete calendar year: only 4 of 12 months of 2026."
    )


# --- monthly values over complete years: judged on calendar-year means -------------------------


MONTHS = pd.period_range("2005-01", "2025-04", freq="M")


@pytest.fixture
def monthly_employment(demo, tmp_path) -> tuple[Indicator, dict]:
    """Invented monthly employment (example data) that follows the real iron ore price with a
    seasonal pattern, 2005-01..2025-04, imported from a CSV of months."""
    owner = Indicator.objects.get(code="gruv-investeringar").owner
    iron = Commodity.objects.get(code="iron_ore")
    indicator = Indicator.objects.create(
        code="gruv-sysselsatta-manad", name="Sysselsatta i gruvorna per månad",
        definition="Anställda vid månadens slut.", unit="personer", dimension="economic",
        desired_direction="increase", source_organisation="Gruvföretagen", frequency="monthly",
        exposed_to=iron, owner=owner, is_example=True,
    )  # fmt: skip
    prices = dict(PricePoint.objects.filter(commodity=iron).values_list("month", "value"))
    mean_price = np.mean([v for v in prices.values() if v])
    values = {}
    for place, level in (("25", 3000.0), ("24", 1200.0)):
        for t, month in enumerate(MONTHS):
            price = prices.get(str(month)) or mean_price
            season = 1 + 0.04 * math.sin(2 * math.pi * (month.month - 1) / 12)
            values[(place, str(month))] = round(
                level * 1.015 ** (t / 12) * (price / mean_price) ** 0.3 * season, 1
            )
    path = tmp_path / "manader.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["geo", "period", "value"])
        writer.writerows([place, month, value] for (place, month), value in values.items())
    _import(path, indicator)
    goal = Section.objects.filter(version__strategy=demo, kind=SectionKind.GOAL).first()
    IndicatorLink.objects.create(indicator=indicator, strategy=demo, section_key=goal.key)
    return indicator, values


def _calendar_means(values: dict, place: str) -> pd.Series:
    months = pd.Series({m: v for (p, m), v in values.items() if p == place})
    years = months.groupby(months.index.str[:4].astype(int))
    return years.mean()[years.count() == 12]


def test_a_monthly_indicator_is_judged_on_its_calendar_year_means(client, monthly_employment, soup):
    indicator, values = monthly_employment
    means = _calendar_means(values, "25")
    assert list(means.index) == list(range(2005, 2025))  # 2025 has four months
    # Open SDG without a target: the CAGR from 2015 against 1.5 % and 0.5 % a year
    observed = (means[2024] / means[2015]) ** (1 / 9) - 1
    expected = "on_track" if observed >= 0.015 else "acceleration_needed" if observed >= 0.005 else "limited_progress" if observed >= 0 else "deterioration"  # fmt: skip

    statuses = client.get(f"/api/indicators/{indicator.code}/status").json()
    norrbotten = next(s for s in statuses if s["geo"] == "25")
    assert norrbotten["ok"] and norrbotten["status"] == expected
    assert norrbotten["observed_rate"] == pytest.approx(observed, rel=1e-6)
    assert norrbotten["calendar"]["years"] == list(range(2005, 2025))

    swedish = soup(client.get(PAGE.format(code=indicator.code)))
    row = _status_row(swedish, "Norrbottens län")
    assert row.select_one(".status-badge").text != "Kan inte bedömas"
    explanation = _text(row.select("td")[-1])
    assert explanation.startswith(
        f"Norrbottens län gick från {_sv(means[2015])} år 2015 till {_sv(means[2024])} år 2024,"
    )
    assert explanation.endswith(
        "Bedömningen gäller kalenderårsmedelvärden av månadsvärden. Utelämnat, eftersom ett "
        "kalenderårsmedelvärde kräver årets alla perioder: bara 4 av 12 månader av 2025."
    )
    english = soup(client.get("/en" + PAGE.format(code=indicator.code)))
    explanation = _text(_status_row(english, "Norrbottens län").select("td")[-1])
    assert "The verdict is on calendar-year means of monthly values." in explanation
    assert "only 4 of 12 months of 2025" in explanation
    basis = english.select_one(".cycle-analysis dd.verdict-basis")
    assert basis is not None and "calendar-year means of monthly values" in basis.text


def test_the_analysis_api_and_the_dashboard_judge_the_monthly_indicator(
    client, demo, monthly_employment, soup
):
    indicator, values = monthly_employment
    data = client.get(f"/api/indicators/{indicator.code}/analysis", {"geo": "25"}).json()
    means = _calendar_means(values, "25")
    assert data["calendar"]["observed_frequency"] == "monthly"
    assert data["calendar"]["basis"] == "The verdict is on calendar-year means of monthly values."
    assert [y["text"] for y in data["calendar"]["left_out"]] == ["only 4 of 12 months of 2025"]
    assert data["period"] == [str(y) for y in means.index]
    assert data["observed"] == pytest.approx(list(means), rel=1e-12)
    assert data["raw_status"]["ok"] and data["adjusted_status"]["ok"]
    assert data["adjusted_revision"]["ok"] and data["adjusted_revision"]["provisional_years"]

    # its last value is for April 2025, but 2025 is no calendar year yet: the dashboard opens on 2024
    indicator.refresh_from_db()
    assert indicator.last_value_period == "2025-04"
    assert latest_year(demo) == 2024
    dashboard = soup(client.get("/en" + DASHBOARD.format(slug=demo.slug)))
    assert dashboard.select_one("#followup-year option[selected]")["value"] == "2024"
    row = dashboard.select_one(f'tr[data-indicator="{indicator.code}"][data-geo="25"]')
    assert [b.text for b in row.select(".status-badge")][0] != "Unable to assess"
    assert "calendar-year means of monthly values" in row.select_one(".verdict-basis").text


# --- the provisional band, the averaged base and the wording of changes (demo data) ------------


ADJUSTED = "/api/indicators/gruv-investeringar/analysis"


def test_the_trend_revisions_are_those_of_statsmodels_on_each_cut(client, demo):
    data = client.get(ADJUSTED, {"geo": "25"}).json()
    values = pd.Series(data["observed"], index=[int(p) for p in data["period"]])
    _, full = hpfilter(values.to_numpy(), 6.25)
    full = pd.Series(full, index=values.index)
    expected = [
        full[c] - hpfilter(values.loc[:c].to_numpy(), 6.25)[1][-1] for c in range(2019, 2024)
    ]
    revision = data["trend_revision"]
    assert revision["cuts"] == [2019, 2020, 2021, 2022, 2023]
    assert revision["end_revisions"] == pytest.approx(expected, abs=1e-6)
    assert revision["largest"] == pytest.approx(max(map(abs, expected)))
    assert revision["provisional_years"][-1] == 2024
    adjusted = data["adjusted_revision"]
    assert adjusted["ok"] and adjusted["largest"] == pytest.approx(
        max(map(abs, adjusted["end_revisions"]))
    )


def _band_sv(revision: dict, unit: str) -> str:
    years = revision["provisional_years"]
    return (
        f"Preliminärt {years[0]}–{years[-1]}: slutvärdet kan ännu ändras med "
        f"±{_sv(revision['largest'])} {unit} (±{_sv(revision['largest_percent'], 1)} %) när fler "
        "år kommer till."
    )


def _band_en(revision: dict, unit: str) -> str:
    years = revision["provisional_years"]
    return (
        f"Provisional {years[0]}–{years[-1]}: the end value may still move by "
        f"±{_en(revision['largest'])} {unit} (±{_en(revision['largest_percent'], 1)} %) as years "
        "are added."
    )


def test_the_provisional_band_is_shown_with_the_cycle_adjusted_verdict(client, demo, soup):
    revision = client.get(ADJUSTED, {"geo": "25"}).json()["adjusted_revision"]
    assert revision["largest"] >= 100  # written as a whole number in the sentence
    sv_band, en_band = _band_sv(revision, "miljoner kronor"), _band_en(revision, "miljoner kronor")

    swedish = soup(client.get(PAGE.format(code="gruv-investeringar"), {"geo": "25"}))
    english = soup(client.get("/en" + PAGE.format(code="gruv-investeringar"), {"geo": "25"}))
    for page, band in ((swedish, sv_band), (english, en_band)):
        row = next(
            tr
            for tr in page.select(".cycle-status-table tbody tr")
            if tr.th.text == "Norrbottens län"
        )
        assert _text(row.select_one(".provisional-band")) == band
        assert _text(page.select_one(".cycle-analysis .facts .provisional-band")) == band

    for url, band in (
        (DASHBOARD.format(slug=demo.slug), sv_band),
        ("/en" + DASHBOARD.format(slug=demo.slug), en_band),
        (DASHBOARD.format(slug=demo.slug) + "rapport/", sv_band),
    ):
        if url.endswith("rapport/"):  # the year's live report is a draft: the partnership's
            client.force_login(demo.partnership.first().memberships.first().user)
        page = soup(client.get(url, {"year": 2024}))
        row = page.select_one('tr[data-indicator="gruv-investeringar"][data-geo="25"]')
        assert _text(row.select_one(".provisional-band")) == band, url


def test_the_provisional_years_are_shaded_on_the_trend_chart(client, demo, soup):
    data = client.get(ADJUSTED, {"geo": "25"}).json()
    years = sorted(set(data["trend_revision"]["provisional_years"]) | set(data["adjusted_revision"]["provisional_years"]))  # fmt: skip
    span = f"{years[0]}–{years[-1]}"
    for prefix, legend, caption in (
        ("", f"Preliminära år ({span})", f"Skuggat: de preliminära åren ({span})"),
        ("/en", f"Provisional years ({span})", f"Shaded: the provisional years ({span})"),
    ):
        page = soup(client.get(prefix + PAGE.format(code="gruv-investeringar"), {"geo": "25"}))
        figure = page.select(".cycle-analysis figure")[0]
        shade = figure.select_one("svg rect.provisional-shade")
        assert shade is not None and shade.title.text == legend
        assert legend in [t.text for t in figure.select("svg text")]
        assert caption in _text(figure.figcaption)
        # the shade starts half a year before the first provisional year
        labels = [str(y) for y in range(int(data["period"][0]), int(data["period"][-1]) + 1)]
        plot_left, plot_right = 56, 640 - 12
        step = (plot_right - plot_left) / (len(labels) - 1)
        expected_x = plot_left + step * (labels.index(str(years[0])) - 0.5)
        assert float(shade["x"]) == pytest.approx(expected_x, abs=0.1)


def test_an_averaged_base_is_printed_as_the_average_of_its_years(client, demo, soup):
    target = TargetModel.objects.get(indicator__code="gruv-investeringar", geo_code="25")
    assert target.baseline_years_averaged > 1
    values = dict(
        Observation.objects.filter(
            indicator__code="gruv-investeringar", geo_code="25", breakdown=""
        ).values_list("period", "value")
    )
    years = sorted(int(p) for p in values if int(p) >= target.baseline_year)
    base = years[: target.baseline_years_averaged]
    average = np.mean([values[str(y)] for y in base])
    span = f"{base[0]}–{base[-1]}"

    swedish = soup(client.get(PAGE.format(code="gruv-investeringar")))
    english = soup(client.get("/en" + PAGE.format(code="gruv-investeringar")))
    sv = _text(_status_row(swedish, "Norrbottens län").select("td")[-1])
    en = _text(_status_row(english, "Norrbottens län").select("td")[-1])
    assert sv.startswith(f"Norrbottens län gick från snittet {span}, {_sv(average)}, till ")
    assert en.startswith(f"Norrbottens län went from the {span} average, {_en(average)}, to ")
    middle = str(base[len(base) // 2])
    assert f"({middle})" not in sv and f"år {middle}" not in sv and f"in {middle}" not in en


def test_percentage_points_only_for_an_indicator_in_per_cent(client, demo, soup):
    """The share of in-commuters (procent): differences in percentage points. Investments
    (miljoner kronor): per cent of the base level, never points."""
    for prefix, points, of_level in (
        ("", "procentenheter", "% av det snittet"),
        ("/en", "percentage points", "% of that average"),
    ):
        share = soup(client.get(prefix + PAGE.format(code="inpendling-andel"), {"geo": "25"}))
        money = soup(client.get(prefix + PAGE.format(code="gruv-investeringar"), {"geo": "25"}))
        share_sentences = [_text(tr.select("td")[-1]) for tr in share.select(".cycle-status-table tbody tr")]  # fmt: skip
        money_sentences = [_text(tr.select("td")[-1]) for tr in money.select(".cycle-status-table tbody tr")]  # fmt: skip
        assert all(points in s for s in share_sentences), share_sentences
        assert all(re.search(rf"[+−-]?\d[\d,]* {points}", s) for s in share_sentences)
        assert not any(points in s for s in money_sentences)
        assert any(of_level in s for s in money_sentences), money_sentences
        scenario = _text(share.select_one(".cycle-analysis .facts"))
        assert points in scenario.split("Scenario")[-1]


# --- the method as the page states it, and a caption on every figure ---------------------------


def test_the_method_names_the_filter_the_lambdas_and_the_lag_rule(client, demo, soup):
    swedish = _text(soup(client.get(PAGE.format(code="gruv-investeringar"))).select_one(".cycle-analysis details.method"))  # fmt: skip
    english = _text(soup(client.get("/en" + PAGE.format(code="gruv-investeringar"))).select_one(".cycle-analysis details.method"))  # fmt: skip
    assert (
        f"(Ravn och Uhlig 2002): 6,25 för årsserier, 1{NBSP}600 för kvartalsserier och "
        f"129{NBSP}600 för månadsserier"
    ) in swedish
    assert (
        "(Ravn and Uhlig 2002): 6.25 for annual, 1,600 for quarterly and 129,600 for monthly"
        in english
    )
    assert "minst 11 av sina 12 månader" in swedish and "at least 11 of its 12 months" in english
    assert "den av 0 till 3 år (priset först, eller samma år)" in swedish
    assert "the one of 0 to 3 years (the price leading, or the same year)" in english
    assert "sista 5 år" in swedish and "medelvärdet för varje helt kalenderår" in swedish


def _captions_say_source_unit_period(page, words: tuple[str, ...]) -> list[str]:
    captions = []
    for figure in page.select("main figure:not(.map-figure)"):
        caption = _text(figure.figcaption)
        assert all(word in caption for word in words), caption
        captions.append(caption)
    return captions


def test_every_figure_on_the_indicator_page_is_captioned(client, demo, soup):
    swedish = soup(client.get(PAGE.format(code="gruv-investeringar"), {"geo": "25"}))
    english = soup(client.get("/en" + PAGE.format(code="gruv-investeringar"), {"geo": "25"}))
    sv = _captions_say_source_unit_period(swedish, ("Källa: SCB", "Enhet:", "Period: 2000–2024", "Exempeldata"))  # fmt: skip
    en = _captions_say_source_unit_period(english, ("Source: SCB", "Unit:", "Period: 2000–2024", "Example data"))  # fmt: skip
    assert len(sv) == len(en) == 4  # trend, cycle, lag correlation, development
    # and the map of the counties, for the period it shows
    assert "Period: 2024." in _text(swedish.select_one(".map-figure figcaption"))
    assert "Källa: SCB" in _text(swedish.select_one(".map-figure figcaption"))
    lag_sv = next(c for c in sv if c.startswith("Korrelationen"))
    lag_en = next(c for c in en if c.startswith("Correlation"))
    assert (
        "Enhet: korrelationskoefficient (−1 till 1)." in lag_sv
        and "Pris: Järnmalm, World Bank" in lag_sv
    )
    assert (
        "Unit: correlation coefficient (−1 to 1)." in lag_en
        and "Price: Iron ore, World Bank" in lag_en
    )
    source = Commodity.objects.get(code="iron_ore").source
    for caption in sv:
        own_words = caption.replace(source, "")
        assert not re.search(r"\d\.\d", own_words), caption  # numbers in Swedish form
        assert not re.search(r"\b(Source|Unit|Example|Price|nominal|Observed)\b", own_words), (
            caption
        )
    svg_numbers = [
        t.text for t in swedish.select(".cycle-analysis svg text") if re.search(r"\d", t.text)
    ]
    assert svg_numbers and not any(re.search(r"\d\.\d", t) for t in svg_numbers)
    assert "0,5" in svg_numbers and "\u22120,5" in svg_numbers  # the lag chart's axis
    lag_chart = swedish.select(".cycle-analysis figure svg.svg-chart-wide")[2]
    labels = [t.text for t in lag_chart.select("text")]
    first = labels.index("\u22123")  # the bars' lags, after the axis: no "+0", Swedish minus
    assert labels[first : first + 7] == ["\u22123", "\u22122", "\u22121", "0", "+1", "+2", "+3"]


def test_the_report_figures_are_captioned(client, demo, soup):
    client.force_login(demo.partnership.first().memberships.first().user)  # the draft's readers
    report = soup(client.get(DASHBOARD.format(slug=demo.slug) + "rapport/", {"year": 2024}))
    captions = [_text(f.figcaption) for f in report.select(".report-chart")]
    assert len(captions) >= 10
    for caption in captions:
        assert all(w in caption for w in ("Källa:", "Enhet:", "Period:", "Exempeldata")), caption
