"""Every municipality name the product shows is the official one, as listed in
`organisations/data/municipality_names.csv`: in the database after the geography load, on the
municipality pages, in the API and in the demo's own texts."""

import csv
import re
from pathlib import Path

import pytest

from mineralstrategi.organisations.models import Municipality, Organisation, OrganisationKind
from mineralstrategi.organisations.services import geography_load

DATA = Path(__file__).resolve().parents[2] / "src" / "mineralstrategi" / "organisations" / "data"


def official_names() -> dict[str, str]:
    with (DATA / "municipality_names.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["municipality_code"]: row["municipality_name"] for row in csv.DictReader(handle)
        }


OFFICIAL = official_names()


def test_the_list_has_every_municipality_of_the_geography_file_once():
    with (DATA / "municipality_county.csv").open(encoding="utf-8", newline="") as handle:
        codes = [row["municipality_code"] for row in csv.DictReader(handle)]
    assert len(OFFICIAL) == len(codes) == 290
    assert set(OFFICIAL) == set(codes)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("0880", "Kalmar kommun"),
        ("2080", "Falu kommun"),
        ("0980", "Region Gotland"),
        ("2514", "Kalix kommun"),
        ("2513", "Överkalix kommun"),
        ("2401", "Nordmalings kommun"),
        ("2482", "Skellefteå kommun"),
    ],
)
def test_the_list_spells_the_irregular_names_officially(code, name):
    assert OFFICIAL[code] == name


def test_the_misspellings_of_the_source_file_are_gone():
    names = set(OFFICIAL.values())
    assert not names & {"Kalmars kommun", "Faluns kommun", "Kalixs kommun", "Överkalixs kommun"}
    assert "Gotlands kommun" not in names


def test_the_database_holds_the_official_names(geography):
    assert dict(Municipality.objects.values_list("code", "name")) == OFFICIAL
    municipal = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    assert dict(municipal.values_list("municipality__code", "name")) == OFFICIAL


def test_a_database_loaded_before_gets_the_official_names_and_keeps_its_addresses(geography):
    Municipality.objects.filter(code="0880").update(name="Kalmars kommun")
    Organisation.objects.filter(municipality__code="0880").update(
        name="Kalmars kommun", slug="kalmars-kommun-0880"
    )

    result = geography_load()

    assert (result.municipalities_updated, result.organisations_renamed) == (1, 1)
    kalmar = Organisation.objects.get(municipality__code="0880")
    assert (kalmar.name, kalmar.slug) == ("Kalmar kommun", "kalmars-kommun-0880")
    assert kalmar.history.first().name == "Kalmar kommun"
    assert not geography_load().changed


def _heading_name(soup, response) -> str:
    heading = soup(response).select_one("h1")
    return heading.contents[0].strip()


@pytest.mark.sqlite_in_ci  # 290 pages that render alike on either database
def test_every_municipality_page_shows_the_official_name(client, geography, soup):
    shown = {}
    for code in OFFICIAL:
        response = client.get(f"/kommuner/{code}/")
        assert response.status_code == 200, code
        page = soup(response)
        shown[code] = page.select_one("h1").contents[0].strip()
        organisation_link = page.select("dl.facts dd a")[-1]
        assert organisation_link.get_text(strip=True) == OFFICIAL[code], code
    assert shown == OFFICIAL


@pytest.mark.parametrize("code", ["0880", "0980", "2080", "2514"])
def test_the_english_municipality_pages_show_the_swedish_official_name(
    client, geography, soup, code
):
    response = client.get(f"/en/kommuner/{code}/")
    assert _heading_name(soup, response) == OFFICIAL[code]


def test_the_api_gives_the_official_names(client, geography):
    municipalities = client.get("/api/municipalities").json()
    assert {m["code"]: m["name"] for m in municipalities} == OFFICIAL

    names = {}
    for offset in range(0, 290, 100):
        page = client.get(f"/api/organisations?kind=municipality&limit=100&offset={offset}").json()
        names.update({o["municipality_code"]: o["name"] for o in page["items"]})
    assert names == OFFICIAL


# A capitalised place name followed by "kommun", or "Region" and a name: how the demo's texts name
# a municipality (e.g. "Nordmalings kommun avstår", "Välkommen – Skellefteå kommun").
MUNICIPALITY_MENTION = re.compile(r"\b[A-ZÅÄÖ][\w-]*(?: [A-ZÅÄÖ][\w-]*)? kommun\b")


def _demo_texts(demo_snapshot) -> str:
    parts = []
    for contents in demo_snapshot.values():
        if contents.copy_data:
            parts.append(contents.copy_data.decode("utf-8"))
        parts.extend(str(value) for row in contents.rows for value in row if isinstance(value, str))
    return "\n".join(parts)


def test_every_municipality_the_demo_names_is_named_officially(db, demo_snapshot):
    mentioned = set(MUNICIPALITY_MENTION.findall(_demo_texts(demo_snapshot)))
    assert "Nordmalings kommun" in mentioned  # the demo does name municipalities in its texts
    assert mentioned <= set(OFFICIAL.values()), mentioned - set(OFFICIAL.values())
