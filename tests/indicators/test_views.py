import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mineralstrategi.indicators.models import ImportJob, Observation, Target
from mineralstrategi.organisations.models import Role


@pytest.fixture
def observed(employment):
    """Employment in Norrbotten and Kiruna 2010–2024 with a target for the county."""
    rows = [
        Observation(indicator=employment, geo_level=level, geo_code=code, period=str(year), value=value + 10 * (year - 2010))
        for level, code, value in [("county", "25", 5000), ("municipality", "2584", 2000), ("municipality", "2523", 1500)]
        for year in range(2010, 2025)
    ]  # fmt: skip
    Observation.objects.bulk_create(rows)
    Target.objects.create(
        indicator=employment, geo_level="county", geo_code="25", baseline_year=2015,
        baseline_value=5050, baseline_years_averaged=3, target_year=2030, target_value=6000,
    )  # fmt: skip
    return employment


def test_indicator_list_filters_by_dimension_and_search(client, observed, soup):
    def names(**query):
        page = soup(client.get("/indikatorer/", query))
        return [a.text for a in page.select("#indicator-results tbody th a")]

    assert names() == ["Sysselsatta i gruvnäringen"]
    assert names(dimension="environmental") == []
    assert names(q="sysselsatta") == ["Sysselsatta i gruvnäringen"]
    assert names(q="finns-inte") == []


def test_indicator_page_shows_status_chart_data_tables_and_map(client, observed, soup):
    page = soup(client.get(observed.get_absolute_url()))

    status_rows = page.select(".status-table tbody tr")
    assert [row.th.text for row in status_rows] == ["Norrbottens län"]
    assert status_rows[0].select_one(".status-badge")["class"][1].startswith("status-")
    chart = page.select_one("figure.development-chart svg.svg-chart-wide")
    assert chart["role"] == "img" and chart.title.text == "Sysselsatta i gruvnäringen"
    assert [p.title.text for p in chart.select("path.series")] == ["Norrbottens län"]
    shapes = page.select("svg.choropleth path")
    # The map covers the counties whose municipalities have values: Norrbotten's 14.
    assert len(shapes) == 14
    coloured = [s for s in shapes if s["fill"] != "#d9d9d9"]
    assert {s.title.text.split(":")[0] for s in coloured} == {"Kiruna", "Gällivare"}
    assert "SCB" in page.select_one("figcaption .source").text


def test_the_development_chart_is_server_svg_with_a_line_and_a_legend_entry_per_place(
    client, observed, soup
):
    Observation.objects.bulk_create(
        Observation(indicator=observed, geo_level="nation", geo_code="SE", period=str(year),
                    value=30000.5 + 100 * (year - 2010))
        for year in range(2012, 2025)
    )  # fmt: skip
    page = soup(client.get(observed.get_absolute_url()))

    figure = page.select_one("figure.development-chart")
    wide, narrow = figure.select("svg.svg-chart")  # one for wider screens, one for phones
    assert "svg-chart-wide" in wide["class"] and "svg-chart-narrow" in narrow["class"]
    for chart in (wide, narrow):
        assert chart["role"] == "img" and chart.desc.text.startswith("Diagram")
        places = ["Sverige", "Norrbottens län"]  # the nation first; municipalities on the map
        assert [p.title.text for p in chart.select("path.series")] == places
        assert [t.text for t in chart.select("text.legend-entry")] == places
        assert len({p["stroke"] for p in chart.select("path.series")}) == 2
        ticks = [t.text for t in chart.select("text") if t.text[:1].isdigit()]
        assert "2010" in ticks and "30\u00a0000" in ticks  # Swedish: a space groups thousands
        assert not any("," in t or "." in t for t in ticks)
    # the figures beside it, and no script drawing in the browser
    assert page.select("details.data-details table.data-table")
    assert not page.select("canvas, script#chart-data, script[src*='chart']")
    english = soup(client.get("/en" + observed.get_absolute_url()))
    ticks = [t.text for t in english.select(".development-chart svg text")]
    assert "30,000" in ticks and "30\u00a0000" not in ticks


@pytest.mark.parametrize("places", [3, 30])
def test_indicator_page_query_count_does_not_grow_with_the_data(
    client, employment, django_assert_num_queries, places
):
    codes = ["25", "24"] + [f"25{n:02d}" for n in range(places)]
    Observation.objects.bulk_create(
        Observation(indicator=employment, geo_level="municipality" if len(c) == 4 else "county", geo_code=c, period=str(y), value=1.0 + y)
        for c in codes for y in range(2000, 2025)
    )  # fmt: skip
    # indicator, observations, targets, county names, municipality names, linked strategy goals
    with django_assert_num_queries(6):
        assert client.get(employment.get_absolute_url()).status_code == 200


def test_unknown_indicator_is_404_in_the_layout(client, geography, soup):
    response = client.get("/indikatorer/finns-inte/")
    assert response.status_code == 404
    assert soup(response).select_one("a.skip-link")


def test_observations_download_as_csv_and_xlsx(client, observed):
    csv_text = client.get(observed.get_absolute_url(), {"export": "csv"}).content.decode(
        "utf-8-sig"
    )
    lines = csv_text.strip().splitlines()
    assert lines[0] == "indicator,level,code,place,period,value,unit,provisional,estimated"
    assert len(lines) == 1 + 45

    response = client.get(observed.get_absolute_url(), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 46
    assert sheet["D2"].value == "Norrbottens län"


def test_list_download(client, observed):
    response = client.get("/indikatorer/", {"export": "csv"})
    assert "gruv-sysselsatta" in response.content.decode("utf-8-sig")


class TestImportInTheBrowser:
    def upload(self, client, path, target):
        with path.open("rb") as handle:
            return client.post(
                reverse("indicators:import"), {"file": handle, "target": target, "format": ""}
            )

    def test_editor_uploads_previews_imports_and_sees_the_log(
        self,
        client,
        employment,
        editor,
        write_csv,
        soup,
        django_capture_on_commit_callbacks,
        run_tasks,
    ):
        capture_on_commit = django_capture_on_commit_callbacks
        client.force_login(editor)
        path = write_csv([["25", 2020, 100], ["2584", 2020, 40]])

        response = self.upload(client, path, employment.code)
        job = ImportJob.objects.get()
        assert response.url == reverse("indicators:import_preview", args=[job.pk])
        preview = soup(client.get(response.url))
        assert [td.text for td in preview.select(".preview-records tbody tr")[0].select("td")][
            :4
        ] == [
            "county",
            "25",
            "2020",
            "100",
        ]
        assert not Observation.objects.exists()

        with capture_on_commit(execute=True):
            client.post(reverse("indicators:import_confirm", args=[job.pk]))
        run_tasks()

        log = soup(client.get(reverse("indicators:import_detail", args=[job.pk])))
        read, created, updated, unchanged, faults = (td.text for td in log.select(".import-log td"))
        assert (read, created, updated, unchanged, faults) == ("2", "2", "0", "0", "0")
        assert Observation.objects.count() == 2

    def test_a_faulty_file_is_refused_whole_with_the_row_named(
        self,
        client,
        employment,
        editor,
        write_csv,
        soup,
        django_capture_on_commit_callbacks,
        run_tasks,
    ):
        capture_on_commit = django_capture_on_commit_callbacks
        client.force_login(editor)
        job_url = self.upload(
            client, write_csv([["25", 2020, 100], ["25", 2021, "många"]]), employment.code
        ).url
        job = ImportJob.objects.get()
        assert "rad 3" in soup(client.get(job_url)).select_one(".form-errors").text

        with capture_on_commit(execute=True):
            client.post(reverse("indicators:import_confirm", args=[job.pk]))
        run_tasks()

        job.refresh_from_db()
        assert job.status == ImportJob.Status.REJECTED and not Observation.objects.exists()

    def test_a_member_of_another_organisation_cannot_import_into_the_indicator(
        self, client, employment, kiruna, make_member, write_csv, soup
    ):
        client.force_login(make_member(kiruna, Role.STRATEGY_EDITOR))
        # Kiruna's editor may create indicators for Kiruna kommun, so the page opens; but
        # Region Västerbotten's indicator is not offered, and a post naming it is refused.
        page = soup(client.get(reverse("indicators:import")))
        offered = [option["value"] for option in page.select("#id_target option")]
        assert offered == ["new"]
        assert [o.text for o in page.select("#id_new_owner option") if o["value"]] == [kiruna.name]
        response = self.upload(client, write_csv([["25", 2020, 1]]), employment.code)
        assert "id_target" in str(soup(response).select_one(".field-error").find_previous("select"))
        assert not ImportJob.objects.exists()

    def test_a_person_without_a_role_may_not_import(self, client, employment, make_member, kiruna):
        client.force_login(make_member(kiruna, Role.CONTRIBUTOR))
        assert client.get(reverse("indicators:import")).status_code == 403

    def test_nobody_else_sees_an_import(
        self, client, employment, editor, region_vasterbotten, make_member, write_csv
    ):
        client.force_login(editor)
        self.upload(client, write_csv([["25", 2020, 1]]), employment.code)
        job = ImportJob.objects.get()

        client.force_login(make_member(region_vasterbotten, Role.STRATEGY_EDITOR))
        assert client.get(reverse("indicators:import_detail", args=[job.pk])).status_code == 404
        assert client.post(reverse("indicators:import_confirm", args=[job.pk])).status_code == 404

    def test_anonymous_visitors_are_sent_to_log_in(self, client, employment):
        response = client.get(reverse("indicators:import"))
        assert response.status_code == 302 and "/konto/login/" in response.url


INGEST_DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"


@pytest.mark.parametrize(
    ("file_name", "expected_format"),
    [
        ("long_mining_employment.csv", "csv"),
        ("opensdg_8-5-2_unemployment.csv", "opensdg-csv"),
        ("scb_population_jsonstat2.json", "jsonstat"),
        ("kolada_N00945.json", "kolada"),
    ],
)
def test_each_format_imports_through_the_browser(
    client,
    employment,
    editor,
    soup,
    django_capture_on_commit_callbacks,
    run_tasks,
    file_name,
    expected_format,
):
    client.force_login(editor)
    with (INGEST_DATA / file_name).open("rb") as handle:
        client.post(reverse("indicators:import"), {"file": handle, "target": employment.code})
    job = ImportJob.objects.get()
    assert soup(client.get(reverse("indicators:import_preview", args=[job.pk]))).select("tbody tr")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import_confirm", args=[job.pk]))
    run_tasks()

    job.refresh_from_db()
    assert (job.status, job.format, job.errors) == ("done", expected_format, [])
    assert job.created == Observation.objects.count() > 0
    assert job.expected_records == job.rows_read or expected_format == "kolada"


def test_a_running_import_shows_its_progress(client, employment, editor, write_csv, soup):
    from mineralstrategi.indicators.progress import progress_report

    client.force_login(editor)
    path = write_csv([["25", 2000 + i, i] for i in range(40)])
    with path.open("rb") as handle:
        client.post(reverse("indicators:import"), {"file": handle, "target": employment.code})
    job = ImportJob.objects.get()
    assert job.expected_records == 40
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    progress_report(job.pk, 10)

    fragment = soup(
        client.get(reverse("indicators:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    )

    assert fragment.select_one("progress")["value"] == "25"
    assert fragment.select_one("#import-status")["hx-trigger"] == "every 1s"


def test_metal_prices_list_page_and_download(client, db, soup):
    from mineralstrategi.indicators.models import Commodity, PricePoint

    copper = Commodity.objects.create(
        code="copper", name="Koppar", unit="USD/mt", source="World Bank"
    )
    PricePoint.objects.bulk_create(
        PricePoint(commodity=copper, month=f"2024-{m:02d}", value=9000.0 + m) for m in (1, 2)
    )

    rows = soup(client.get("/metallpriser/")).select("tbody tr")
    assert [td.text for td in rows[0].select("td")][:3] == ["Koppar", "USD/mt", "2024-01–2024-02"]
    download = (
        client.get("/metallpriser/", {"export": "csv"}).content.decode("utf-8-sig").splitlines()
    )
    assert download[1].startswith("copper,Koppar,USD/mt,2024-01,2024-02")
    detail = soup(client.get("/metallpriser/copper/"))
    assert [td.text for td in detail.select("tbody tr")[1].select("td")] == [
        "2024-02",
        "9002,0",
        "",
    ]


def test_the_map_is_valid_svg_in_swedish_too(client, observed, soup):
    """Swedish number formatting (a decimal comma) must not reach SVG geometry."""
    svg = soup(client.get(observed.get_absolute_url())).select_one("svg.choropleth")
    numbers = svg["viewbox"].split()
    assert len(numbers) == 4 and all(n.replace(".", "", 1).isdigit() for n in numbers)


def test_the_shared_part_of_the_page_is_kept_and_new_figures_show_on_the_next_read(
    client, observed, editor, soup
):
    """Issue #19: all but the follow button and the import link is the same for every reader and
    rendered once; new figures show on the very next read of a logged-in person, and the person's
    own parts stay theirs."""
    from mineralstrategi.caching.until_a_write import KEPT_FRAGMENTS

    client.force_login(editor)
    url = observed.get_absolute_url()

    def kiruna_2024() -> str:
        page = soup(client.get(url, {"period": "2024"}))
        rows = {r.td.text: r.select("td")[1].text for r in page.select(".map-and-table tbody tr")}
        return rows["Kiruna"]

    assert kiruna_2024() == "2140"
    hits = KEPT_FRAGMENTS.hits
    assert kiruna_2024() == "2140" and KEPT_FRAGMENTS.hits == hits + 1
    editor_page = soup(client.get(url))
    assert editor_page.select_one('a[href^="/indikatorer/import/"]') is not None

    Observation.objects.filter(geo_code="2584", period="2024").update(value=2500)

    assert kiruna_2024() == "2500"
    client.logout()
    visitor_page = soup(client.get(url))
    assert visitor_page.select_one('a[href^="/indikatorer/import/"]') is None


def test_the_import_link_shows_to_those_who_may_import(client, make_member, kiruna, soup):
    """Under the indicator list: for an organisation's administrators and strategy editors, not
    for its other members (the page would refuse them) nor for visitors."""

    def import_link(user=None):
        client.logout()
        if user is not None:
            client.force_login(user)
        page = soup(client.get(reverse("indicators:list")))
        return page.select_one(f"main a[href='{reverse('indicators:import')}']")

    assert import_link() is None
    viewer = make_member(kiruna, Role.VIEWER)
    assert import_link(viewer) is None
    assert client.get(reverse("indicators:import")).status_code == 403
    for role in (Role.ADMINISTRATOR, Role.STRATEGY_EDITOR):
        maintainer = make_member(kiruna, role)
        assert import_link(maintainer) is not None, role
        assert client.get(reverse("indicators:import")).status_code == 200
