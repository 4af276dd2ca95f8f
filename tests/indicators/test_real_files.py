"""Real files, as statistics offices publish them, imported through the command line, the browser
and the API; each test asserts what a person then sees on the indicator's page and in the API.

The expected figures are read from the files here, independently of the parsers (row-major order
of JSON-stat, the CSV's own rows), so that a parser that reads a file wrongly cannot agree with
itself. The files and their sources: tests/data/real/SOURCES.md.
"""

import csv
import json
import math
from pathlib import Path

import pytest
from django.urls import reverse

from mineralstrategi import cli
from mineralstrategi.indicators import cycle
from mineralstrategi.indicators.models import ImportJob, Indicator, Observation
from mineralstrategi.indicators.services import (
    import_create,
    import_run,
    indicator_new_settings,
)
from mineralstrategi.organisations.models import Role

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
TAB6471 = REAL / "scb_pxwebapi2_TAB6471_population_monthly.json"
TAB3554 = REAL / "scb_v1_jsonstat2_TAB3554_HE0110_medianinkomst_kon_riket.json"
HS0301 = REAL / "scb_v1_jsonstat1_HS0301_doda_norrbotten_kon_alder.json"
DWELLINGS = REAL / "scb_v1_jsonstat1_bostader_kommun290_husbyggnadsperiod.json"


def cell(dataset: dict, **coordinates: str):
    """The value at the given category of each dimension, by JSON-stat's row-major order."""
    ids, sizes = dataset["id"], dataset["size"]
    position = 0
    for dimension_id, size in zip(ids, sizes, strict=True):
        index = dataset["dimension"][dimension_id]["category"]["index"]
        order = index if isinstance(index, list) else sorted(index, key=index.__getitem__)
        position = position * size + order.index(coordinates[dimension_id])
    return dataset["value"][position]


def bundle_dataset(path: Path) -> dict:
    """A JSON-stat 1.x bundle's dataset with id and size where 2.0 has them (for `cell`)."""
    dataset = json.loads(path.read_text(encoding="utf-8"))["dataset"]
    return {**dataset, "id": dataset["dimension"]["id"], "size": dataset["dimension"]["size"]}


def import_new(path: Path, code: str, owner, **options) -> ImportJob:
    job = import_create(
        path=path,
        file_name=path.name,
        kind=ImportJob.Kind.OBSERVATIONS,
        new_indicator=indicator_new_settings(code=code, owner=owner),
        **options,
    )
    return import_run(job, path)


def table(page, caption_start: str) -> dict[str, str]:
    """The rows of the table of values whose caption starts so, as {first cell: its value}."""
    for candidate in page.select("table.data-table"):
        caption = " ".join(candidate.caption.text.split()) if candidate.caption else ""
        headers = [th.text.strip() for th in candidate.select("thead th")]
        if caption.startswith(caption_start) and "Värde" in headers:
            value = headers.index("Värde")
            return {
                row.select("td, th")[0].text.strip(): row.select("td, th")[value].text.strip()
                for row in candidate.select("tbody tr")
            }
    captions = [" ".join(t.caption.text.split()) for t in page.select("table") if t.caption]
    raise AssertionError(f"no table captioned {caption_start!r} among {captions}")


def swedish(number: float) -> str:
    """A whole number as the pages print it (floatformat, no thousands separator)."""
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".replace(".", ",")


class TestScbPxWebApi2MonthlyPopulation:
    """County × age (no total) × sex (total TotSa) × month, imported on the command line as a
    new indicator; every series is chosen on the page and listed by the API."""

    @pytest.fixture
    def population(self, db, region_vasterbotten, capsys):
        command = ["import", str(TAB6471), "--new-indicator", "folkmangd-manad"]
        assert cli.main(command) == 1  # no organisation is responsible for indicators yet
        assert "name its responsible organisation" in capsys.readouterr().err
        assert cli.main([*command, "--owner", region_vasterbotten.slug]) == 0
        output = capsys.readouterr().out
        assert "read 2772, created 2772" in output
        assert "indicator folkmangd-manad (created): Folkmängden per månad" in output
        return Indicator.objects.get(code="folkmangd-manad")

    def test_the_indicator_takes_the_files_metadata(self, population):
        assert (population.name, population.unit, population.source_organisation) == (
            "Folkmängden per månad",
            "antal",
            "SCB",
        )
        assert population.source_table == "TAB6471"
        assert population.source_updated.isoformat() == "2026-06-08T06:00:00+00:00"
        assert population.frequency == "monthly"
        assert (population.first_period, population.last_period) == ("2026-01", "2026-04")

    def test_the_page_offers_every_series_and_shows_the_chosen_one(self, client, population, soup):
        body = json.loads(TAB6471.read_text(encoding="utf-8"))
        page = soup(client.get(population.get_absolute_url()))

        ages = page.select("select[name='d.Alder'] option")
        sexes = page.select("select[name='d.Kon'] option")
        assert len(ages) == 11 and ages[0].text == "0-9 år"  # no total age in the file
        assert [o.text for o in sexes] == ["Totalt, samtliga män och kvinnor", "män", "kvinnor"]
        assert page.select_one("select[name='d.Kon'] option[selected]")["value"] == "_T"
        stockholm = cell(body, Region="01", Alder="0-9", Kon="TotSa", ContentsCode="000007SF", Tid="2026M04")  # fmt: skip
        assert table(page, "Folkmängden per månad (Ålder: 0-9 år) 2026-04")["Stockholms län"] == (
            swedish(stockholm)
        )

        women = soup(client.get(population.get_absolute_url(), {"d.Kon": "2", "d.Alder": "20-29", "period": "2026-02"}))  # fmt: skip
        expected = cell(body, Region="25", Alder="20-29", Kon="2", ContentsCode="000007SF", Tid="2026M02")  # fmt: skip
        rows = table(women, "Folkmängden per månad (Ålder: 20-29 år, Kön: kvinnor) 2026-02")
        assert rows["Norrbottens län"] == swedish(expected)
        assert len(rows) == 21
        assert (
            len(women.select("svg.choropleth path")) == 290
        )  # the counties, from their municipalities

    def test_the_api_lists_every_observation_with_its_breakdown(self, client, population):
        url = reverse("api:observations", args=[population.code])
        every = client.get(url).json()
        assert len(every) == 2772 == Observation.objects.filter(indicator=population).count()
        assert {json.dumps(o["breakdown"], sort_keys=True) for o in every} >= {
            '{"Alder": "0-9"}',
            '{"Alder": "100+10", "Kon": "2"}',
        }
        assert len(client.get(url, {"breakdown": "Kon=2"}).json()) == 21 * 11 * 4
        assert len(client.get(url, {"breakdown": "Kon=_T"}).json()) == 21 * 11 * 4
        assert client.get(url, {"breakdown": ""}).json() == []  # no total over all ages
        both = client.get(url, [("breakdown", "Kon=1"), ("breakdown", "Alder=20-29")]).json()
        assert {(o["geo"], o["period"]) for o in both} == {
            (code, f"2026-0{m}") for code in population_counties() for m in range(1, 5)
        }

        detail = client.get(reverse("api:indicator", args=[population.code])).json()
        assert [d["id"] for d in detail["disaggregations"]] == ["Alder", "Kon"]
        assert detail["disaggregations"][1]["total_label"] == "totalt, samtliga män och kvinnor"
        assert (detail["headline"], detail["series"]) == ({"Alder": "0-9"}, 33)


def population_counties() -> set[str]:
    body = json.loads(TAB6471.read_text(encoding="utf-8"))
    return set(body["dimension"]["Region"]["category"]["index"])


def test_scb_api_v1_national_median_income_by_sex(db, region_vasterbotten, client, soup):
    """The nation (no Region dimension), SCB's 1+2 total of sex and tot16+ of age."""
    body = json.loads(TAB3554.read_text(encoding="utf-8"))
    job = import_new(TAB3554, "medianinkomst", region_vasterbotten)
    assert job.status == ImportJob.Status.DONE, job.errors_english

    page = soup(client.get(job.indicator.get_absolute_url()))
    figures = table(page, "Medianinkomst, tkr, Sverige")
    total_2022 = cell(body, Kon="1+2", Alder="tot16+", ContentsCode="HE0110J8", Tid="2022")
    assert figures["2022"] == swedish(total_2022)
    assert [o.text for o in page.select("select[name='d.Kon'] option")] == ["Totalt", "män", "kvinnor"]  # fmt: skip

    women = soup(client.get(job.indicator.get_absolute_url(), {"d.Kon": "2"}))
    women_2020 = cell(body, Kon="2", Alder="tot16+", ContentsCode="HE0110J8", Tid="2020")
    assert table(women, "Medianinkomst, tkr, Sverige (Kön: kvinnor)")["2020"] == swedish(women_2020)
    status = client.get(reverse("api:status", args=["medianinkomst"]), {"breakdown": "Kon=2"})
    assert [(s["place"], s["breakdown"]) for s in status.json()] == [("Sverige", {"Kon": "2"})]


class TestScbJsonStat1Deaths:
    """A JSON-stat 1.x bundle as SCB's database saved it: Norrbotten by age and sex, no totals."""

    def test_uploaded_previewed_imported_and_judged_in_the_browser(
        self,
        client,
        region_vasterbotten,
        make_member,
        soup,
        django_capture_on_commit_callbacks,
        run_tasks,
    ):
        client.force_login(make_member(region_vasterbotten, Role.STRATEGY_EDITOR))
        with HS0301.open("rb") as handle:
            response = client.post(
                reverse("indicators:import"),
                {
                    "file": handle,
                    "target": "new",
                    "new_code": "doda-norrbotten",
                    "new_owner": region_vasterbotten.pk,
                    "new_dimension": "social",
                    "new_direction": "decrease",
                    "format": "",
                },
            )
        job = ImportJob.objects.get()
        preview = soup(client.get(response.url))
        roles = {
            row.th.text.split()[0]: row.select("td")[0].text
            for row in preview.select(".dimension-table tbody tr")
        }
        assert roles["region"] == "plats" and roles["år"] == "period"
        assert roles["ålder"].startswith("uppdelning")
        totals = [row.select("td")[-1].text for row in preview.select(".dimension-table tbody tr")]
        # neither age nor sex has a total, nor the one cause of death the table was made for
        assert totals.count("ingen i filen") == 3
        assert "1120 värden" in preview.select_one("#holds-heading").find_next("p").text
        assert not Indicator.objects.filter(code="doda-norrbotten").exists()

        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("indicators:import_confirm", args=[job.pk]))
        run_tasks()

        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.errors_english
        indicator = Indicator.objects.get(code="doda-norrbotten")
        assert (indicator.owner, indicator.desired_direction) == (region_vasterbotten, "decrease")
        page = soup(client.get(indicator.get_absolute_url()))
        dataset = bundle_dataset(HS0301)
        first_age = dataset["dimension"]["Alder"]["category"]["index"]
        first_age = (
            min(first_age, key=first_age.get) if isinstance(first_age, dict) else first_age[0]
        )
        figures = table(page, f"{indicator.name}, Norrbottens län")
        assert len(figures) == 28  # 1969–1996
        expected = cell(dataset, Region="25", Dodsorsak=_only(dataset, "Dodsorsak"), Alder=first_age, Kon="1", ContentsCode=_only(dataset, "ContentsCode"), Tid="1996")  # fmt: skip
        assert figures["1996"] == swedish(expected)
        # 1969–1996: before Open SDG's base year 2015, so unjudged without a base of its own
        unjudged = page.select_one(".status-table tbody tr")
        assert "no observation in or after the base year 2015" in unjudged.text

    def test_the_follow_up_reads_the_series_shown_first(self, db, region_vasterbotten):
        job = import_new(HS0301, "doda", region_vasterbotten)
        indicator = Indicator.objects.get(pk=job.indicator.pk)
        assert indicator.headline_breakdown  # no total: the first categories' series
        (analysis,) = cycle.analyses_for_indicators([indicator], geo_codes=["25"])[indicator.pk]
        assert analysis.years == list(range(1969, 1997))


def _only(dataset: dict, dimension_id: str) -> str:
    index = dataset["dimension"][dimension_id]["category"]["index"]
    return next(iter(index))


def test_scb_website_export_of_every_municipality(db, region_vasterbotten, client, soup):
    """All 290 municipalities: every value can be seen, a period at a time, on the map's table."""
    job = import_new(DWELLINGS, "bostader", region_vasterbotten)
    assert (job.status, job.created) == (ImportJob.Status.DONE, 38_280)
    dataset = bundle_dataset(DWELLINGS)

    page = soup(client.get(job.indicator.get_absolute_url(), {"period": "2013"}))
    assert [o.text for o in page.select("#map-period option")] == [str(y) for y in range(2018, 2012, -1)]  # fmt: skip
    assert len(page.select("svg.choropleth path")) == 290
    rows = table(page, f"{job.indicator.name} (")
    assert len(rows) == 290
    kiruna = cell(dataset, Region="2584", Hustyp="SMÅHUS", Byggnadsperiod="-1930", Tid="2013")
    assert rows["Kiruna"] == swedish(kiruna)
    names = list(rows)
    assert names.index("Östra Göinge") > names.index("Ängelholm") > names.index("Åre")


class TestOpenSdg:
    def test_uk_renewables_total_and_its_sources(self, db, region_vasterbotten, client, soup):
        with REAL.joinpath("opensdg_uk_indicator_7-2-1.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        job = import_new(REAL / "opensdg_uk_indicator_7-2-1.csv", "fornybar", region_vasterbotten)
        assert job.status == ImportJob.Status.DONE, job.errors_english
        indicator = Indicator.objects.get(pk=job.indicator.pk)
        assert (indicator.unit, indicator.headline_breakdown) == ("Percentage (%)", "")

        page = soup(client.get(indicator.get_absolute_url()))
        total = {r["Year"]: r["Value"] for r in rows if not r["Renewable and waste source"]}
        assert table(page, f"{indicator.name}, Sverige")["2021"] == swedish(float(total["2021"]))
        sources = page.select("select[name='d.Renewable and waste source'] option")
        assert len(sources) == 1 + 17 and sources[0].text == "Totalt"

        url = reverse("api:observations", args=["fornybar"])
        assert len(client.get(url, {"breakdown": ""}).json()) == len(total) == 32
        wind = client.get(url, {"breakdown": "Renewable and waste source=Wind, wave, tidal"}).json()
        assert len(wind) == 32

    def test_moldova_several_contents_are_named_and_one_is_chosen(
        self, db, region_vasterbotten, capsys
    ):
        path = REAL / "opensdg_moldova_indicator_4-1-2.csv"
        owner = ["--owner", region_vasterbotten.slug]
        assert cli.main(["import", str(path), "--new-indicator", "sdg-4-1-2", *owner]) == 1
        refusal = capsys.readouterr().err
        assert "the file holds 3 contents" in refusal and "(65 values)" in refusal
        assert not Indicator.objects.filter(code="sdg-4-1-2").exists()

        series = "Proportion of persons aged of 18-20 year who have completed lower secondary education (gimnasium)"  # fmt: skip
        assert cli.main(["import", str(path), "--new-indicator", "sdg-4-1-2", "--content", series, *owner]) == 0  # fmt: skip
        indicator = Indicator.objects.get(code="sdg-4-1-2")
        assert (indicator.name, indicator.unit) == (series, "Percent")
        assert indicator.observation_count == 65
        # Area of residence's "Total" and an empty sex are the same total: one headline series.
        assert indicator.headline_breakdown == ""
        assert len(indicator.series_counts) == 1 + 2 + 2  # total, urban/rural, men/women

    def test_malta_literal_totals_and_iceland_without_totals(self, db, region_vasterbotten):
        malta = import_new(REAL / "opensdg_malta_indicator_8-5-2.csv", "malta", region_vasterbotten)
        assert malta.status == ImportJob.Status.DONE, malta.errors
        malta.indicator.refresh_from_db()
        assert malta.indicator.unit == "Percent (%)"
        assert all('"Sex"' not in key for key in malta.indicator.series_counts if "Total" in key)
        assert json.loads(malta.indicator.headline_breakdown) == {"Age group": "15-74"}

        iceland = import_new(REAL / "opensdg_iceland_indicator_5-3-1.csv", "island", region_vasterbotten)  # fmt: skip
        iceland.indicator.refresh_from_db()
        assert json.loads(iceland.indicator.headline_breakdown) == {
            "Age": "16 years",
            "Sex": "Males",
        }
        assert len(iceland.indicator.series_counts) == 6


def test_greenlands_answer_with_an_undeclared_dimension_imports(db, region_vasterbotten):
    job = import_new(REAL / "pxweb_v1_jsonstat2_statgl_UDXUMG3_no_metric_role.json", "gl", region_vasterbotten)  # fmt: skip
    assert (job.status, job.created) == (ImportJob.Status.DONE, 108)


@pytest.mark.parametrize(
    ("name", "fault"),
    [
        (
            "pxweb_v1_jsonstat2_ssb_07221_boligprisindeks_region_kvartal.json",
            "field 'dimension.Region': category '001': '001' is not a Swedish geography code",
        ),
        (
            "opensdg_uk_indicator_3-6-1.csv",
            "field 'GeoCode': the same fault in 263 more rows (rows 15–433): 'K03000001' is not a "
            "Swedish geography code",
        ),
        (
            "scb_pxwebapi2_TAB6471_metadata_region312.json",
            "field 'value': the dataset has no values: this is PxWeb's metadata answer",
        ),
        (
            "jsonstat2_collection_oecd-canada-col.json",
            "field 'link.item[0].dimension.area': category 'AU'",
        ),
    ],
)
def test_files_that_cannot_be_imported_say_why_and_write_nothing(
    db, region_vasterbotten, name, fault
):
    job = import_new(REAL / name, "refused", region_vasterbotten)
    assert job.status == ImportJob.Status.REJECTED
    assert any(fault in error for error in job.errors_english), job.errors_english
    assert not Indicator.objects.filter(code="refused").exists()
    assert job.indicator is None and not Observation.objects.exists()


def test_a_collection_of_two_real_scb_datasets_reads_both(tmp_path, db, region_vasterbotten):
    """A JSON-stat collection embedding SCB's two answers: each is a content of its own."""
    items = [json.loads(path.read_text(encoding="utf-8")) for path in (TAB3554, TAB6471)]
    collection = tmp_path / "scb-collection.json"
    collection.write_text(
        json.dumps({"version": "2.0", "class": "collection", "link": {"item": items}}),
        encoding="utf-8",
    )
    refused = import_new(collection, "samling", region_vasterbotten)
    assert "the file holds 2 contents" in refused.errors_english[0]

    chosen = import_create(
        path=collection,
        file_name=collection.name,
        kind=ImportJob.Kind.OBSERVATIONS,
        new_indicator=indicator_new_settings(code="samling", owner=region_vasterbotten),
        content=json.dumps(
            {"ContentsCode": "HE0110J8", "dataset": items[0]["label"]},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
    )
    job = import_run(chosen, collection)
    assert (job.status, job.created) == (ImportJob.Status.DONE, 9), job.errors_english
    assert math.isclose(
        Observation.objects.get(period="2022", breakdown="").value,
        cell(items[0], Kon="1+2", Alder="tot16+", ContentsCode="HE0110J8", Tid="2022"),
    )


OBSERVATION_FIELDS = ("geo_level", "geo_code", "breakdown", "period", "value", "provisional", "estimated")  # fmt: skip


@pytest.mark.parametrize("export", ["jsonstat", "opensdg"])
@pytest.mark.parametrize(
    "name",
    [
        "scb_pxwebapi2_TAB6471_population_monthly.json",
        "scb_v1_jsonstat1_HS0301_doda_norrbotten_kon_alder.json",
        "opensdg_uk_indicator_7-2-1.csv",
        "opensdg_moldova_indicator_4-1-2.csv",
    ],
)
def test_our_exports_import_back_into_identical_observations(
    db, region_vasterbotten, client, tmp_path, name, export
):
    """Each indicator downloads as JSON-stat 2.0 and as an Open SDG data file, and either one,
    imported into an empty indicator, gives the very same observations."""
    path = REAL / name
    content = {}
    if "moldova" in name:
        series = "Proportion of persons aged of 21-23 year who have completed upper secondary education"  # fmt: skip
        content = {"content": json.dumps({"Series": series, "Units": "Percent"}, separators=(",", ":"))}  # fmt: skip
    original = import_new(path, "original", region_vasterbotten, **content)
    assert original.status == ImportJob.Status.DONE, original.errors

    response = client.get(original.indicator.get_absolute_url(), {"export": export})
    assert response.status_code == 200
    if export == "jsonstat":
        api = client.get(reverse("api:indicator_jsonstat", args=["original"])).json()
        assert api == json.loads(response.content)
    exported = tmp_path / ("export.json" if export == "jsonstat" else "export.csv")
    exported.write_bytes(response.content)
    copy = import_new(exported, "copy", region_vasterbotten)

    assert copy.status == ImportJob.Status.DONE, copy.errors
    rows = {
        code: sorted(
            Observation.objects.filter(indicator__code=code).values_list(*OBSERVATION_FIELDS)
        )
        for code in ("original", "copy")
    }
    assert rows["copy"] == rows["original"] and len(rows["copy"]) == original.created
    copied = Indicator.objects.get(code="copy")
    assert (copied.unit, copied.headline_breakdown) == (
        original.indicator.unit,
        Indicator.objects.get(code="original").headline_breakdown,
    )
