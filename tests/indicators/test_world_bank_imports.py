"""The World Bank's price workbook as published, through every path a user imports it by: the
command line, the browser, the API; again, and as a later edition."""

import pytest
from django.urls import reverse
from django.utils import translation

from mineralstrategi import cli
from mineralstrategi.indicators.models import Commodity, ImportJob
from mineralstrategi.indicators.models import PricePoint as StoredPrice
from mineralstrategi.ingest import parse_all
from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.services import api_token_create

from .test_import_service import PRICES, run
from .workbook import (
    JUNE_2021_WORKBOOK,
    MONTHS,
    PRICES_IN_WORKBOOK,
    REAL_WORKBOOK,
    SERIES,
    write_edition,
)

# Large imports; CI runs them once, in the PostgreSQL run (the production database).
pytestmark = pytest.mark.postgresql_in_ci


def test_check_reads_the_workbook_and_says_what_it_holds(capsys):
    assert cli.main(["check", str(REAL_WORKBOOK)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{REAL_WORKBOOK}: format pinksheet, {PRICES_IN_WORKBOOK} records",
        "  71 price series, updated 2025-12-02",
        "No faults: the file can be imported.",
    ]


def test_import_writes_every_price_and_a_second_import_changes_nothing(db, capsys):
    assert cli.main(["import", str(REAL_WORKBOOK), "--commodity-prices"]) == 0
    out = capsys.readouterr().out
    assert f"read {PRICES_IN_WORKBOOK}, created {PRICES_IN_WORKBOOK}, updated 0, unchanged 0" in out
    stored = list(Commodity.objects.order_by("code").values())

    assert cli.main(["import", str(REAL_WORKBOOK), "--commodity-prices"]) == 0
    out = capsys.readouterr().out
    assert f"created 0, updated 0, unchanged {PRICES_IN_WORKBOOK}" in out
    assert list(Commodity.objects.order_by("code").values()) == stored


def test_the_browser_import_previews_and_imports_the_workbook(
    client, superuser, soup, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(superuser)
    translation.activate("sv")  # the Swedish pages (another test may have left English active)
    with REAL_WORKBOOK.open("rb") as handle:
        response = client.post(reverse("indicators:import"), {"file": handle, "target": "prices"})
    job = ImportJob.objects.get()
    preview = soup(client.get(response.url))
    facts = dict(zip((dt.text for dt in preview.select("dl dt")), (dd.text for dd in preview.select("dl dd")), strict=True))  # fmt: skip
    assert (facts["Format"], facts["Utgåva (uppdaterad)"]) == ("pinksheet", "2025-12-02")
    assert facts["Blad"] == str(["AFOSHEET", "Monthly Prices", "Monthly Indices", "Description", "Index Weights"])  # fmt: skip
    first = [td.text for td in preview.select("tbody tr")[0].select("td")]
    assert first == ["crude_petro (Crude oil, average)", "1960-01", "1,63", "USD/bbl"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import_confirm", args=[job.pk]))
    run_tasks()

    job.refresh_from_db()
    assert (job.status, job.created, job.errors) == ("done", PRICES_IN_WORKBOOK, [])
    log = soup(client.get(reverse("indicators:import_detail", args=[job.pk])))
    assert [td.text for td in log.select(".import-log td")][:2] == [str(PRICES_IN_WORKBOOK)] * 2


def test_the_api_imports_the_workbook(
    client, region_vasterbotten, make_member, django_capture_on_commit_callbacks, run_tasks
):
    administrator = make_member(region_vasterbotten, Role.ADMINISTRATOR)
    key = api_token_create(user=administrator, name="prices")[1]
    headers = {"Authorization": f"Bearer {key}"}
    with django_capture_on_commit_callbacks(execute=True), REAL_WORKBOOK.open("rb") as handle:
        response = client.post(
            "/api/imports", {"file": handle, "commodity_prices": "true"}, headers=headers
        )
    assert response.status_code == 202
    run_tasks()

    status = client.get(f"/api/imports/{response.json()['id']}", headers=headers).json()
    assert (status["status"], status["format"], status["created"]) == (
        "done",
        "pinksheet",
        PRICES_IN_WORKBOOK,
    )
    assert len(client.get("/api/commodities").json()) == 10


def test_a_later_edition_adds_its_new_month_and_updates_revised_ones(db, tmp_path):
    earlier = write_edition(
        tmp_path / "CMO-Historical-Data-Monthly-2025-11.xlsx",
        last_month="2025-10",
        edits={("2025-10", "COPPER"): 10500.0, ("2025-09", "GOLD"): 3600.0},
    )
    first = run(earlier, kind=ImportJob.Kind.PRICES)
    assert (first.status, first.created) == ("done", SERIES * (MONTHS - 1))

    later = run(REAL_WORKBOOK, kind=ImportJob.Kind.PRICES)

    # openpyxl writes 16 significant digits, so the earlier edition also differs from the real
    # file in the 17th digit of a few prices: those count as revised too.
    before, after = prices_in(earlier), prices_in(REAL_WORKBOOK)
    revised = {key for key in before if before[key] != after[key]}
    assert {("copper", "2025-10"), ("gold", "2025-09")} <= revised
    assert all(abs(before[k] - after[k]) < 1e-9 for k in revised - {("copper", "2025-10"), ("gold", "2025-09")})  # fmt: skip
    assert (later.created, later.updated) == (SERIES, len(revised))
    assert later.unchanged == SERIES * (MONTHS - 1) - len(revised)
    copper = StoredPrice.objects.get(commodity__code="copper", month="2025-10")
    assert (copper.value, copper.import_job) == (10739.91, later)
    assert StoredPrice.objects.get(commodity__code="copper", month="2025-11").value == 10812.03


def prices_in(path) -> dict:
    return {(p.commodity, p.month): p.value for p in parse_all(path).records}


def test_the_workbook_describes_the_series_the_demo_prices_made(db):
    """Prices first loaded from the tidy CSV (as the demo does) keep their rows and their links;
    the workbook brings its names, groups, descriptions and break wording."""
    run(PRICES, kind=ImportJob.Kind.PRICES)
    ids = dict(Commodity.objects.values_list("code", "pk"))
    csv_iron_ore = Commodity.objects.get(code="iron_ore")
    assert (csv_iron_ore.group, csv_iron_ore.break_months) == (
        "metals_and_minerals",
        ["2006-01", "2008-12"],
    )

    job = run(REAL_WORKBOOK, kind=ImportJob.Kind.PRICES)

    assert (job.updated, job.unchanged) == (0, 7790)
    iron_ore = Commodity.objects.get(code="iron_ore")
    assert iron_ore.pk == ids["iron_ore"]
    assert (iron_ore.name, iron_ore.group_name) == ("Iron ore, cfr spot", "Metals and Minerals")
    assert [b["text"][:9] for b in iron_ore.method_breaks] == ["during 20", "For years"]
    assert {
        code: pk for code, pk in Commodity.objects.values_list("code", "pk") if code in ids
    } == ids


def test_the_december_2025_edition_revises_the_june_2021_one(client, db, soup):
    """Two real editions: the later one adds 54 months, revises thousands of earlier prices, and
    brings its own names, descriptions and breaks for the same series."""
    earlier = run(JUNE_2021_WORKBOOK, kind=ImportJob.Kind.PRICES)
    assert (earlier.status, earlier.created) == ("done", SERIES * 737)
    gold = soup(client.get("/metallpriser/gold/"))
    assert not gold.select("tr.method-break")
    assert Commodity.objects.get(code="chicken").name == "Meat, chicken"

    later = run(REAL_WORKBOOK, kind=ImportJob.Kind.PRICES)

    before, after = prices_in(JUNE_2021_WORKBOOK), prices_in(REAL_WORKBOOK)
    revised = sum(1 for key in before if before[key] != after[key])
    assert revised == 6486
    assert (later.created, later.updated) == (SERIES * (MONTHS - 737), revised)
    assert later.unchanged == SERIES * 737 - revised
    brent = StoredPrice.objects.get(commodity__code="crude_brent", month="1960-01")
    assert brent.value == after[("crude_brent", "1960-01")]
    assert Commodity.objects.get(code="chicken").name == "Chicken"
    gold = soup(client.get("/metallpriser/gold/"))
    assert [row.td.text for row in gold.select("tr.method-break")] == ["2025-06"]
    assert gold.h1.text == "Guld"
