import pytest

from mineralstrategi import cli
from mineralstrategi.indicators.models import Observation

from .test_import_service import PRICES


@pytest.fixture
def observed(employment):
    Observation.objects.bulk_create(
        Observation(indicator=employment, geo_level=level, geo_code=code, period=str(year), value=float(year))
        for level, code in [("county", "25"), ("municipality", "2584")]
        for year in range(2010, 2025)
    )  # fmt: skip
    return employment


def test_indicator_list_and_detail(client, observed):
    assert [i["code"] for i in client.get("/api/indicators").json()] == ["gruv-sysselsatta"]
    detail = client.get("/api/indicators/gruv-sysselsatta").json()
    assert (detail["unit"], detail["owner"]) == ("personer", "Region Västerbotten")


def test_observations_filtered_by_place_and_period(client, observed, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = client.get(
            "/api/indicators/gruv-sysselsatta/observations",
            {"geo": "2584", "from": "2020", "to": "2022"},
        ).json()
    assert [(r["geo"], r["period"], r["value"]) for r in rows] == [
        ("2584", "2020", 2020.0), ("2584", "2021", 2021.0), ("2584", "2022", 2022.0)
    ]  # fmt: skip


def test_status_per_place(client, observed):
    statuses = {s["geo"]: s for s in client.get("/api/indicators/gruv-sysselsatta/status").json()}
    assert statuses["25"]["ok"] and statuses["25"]["status"] in {
        "on_track",
        "limited_progress",
        "acceleration_needed",
    }


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/indicators/gruv-sysselsatta/observations?from=20x0", "from"),
        ("/api/indicators/gruv-sysselsatta/observations?level=planet", "level"),
        ("/api/commodities/copper/prices?to=2024-1", "to"),
        ("/api/indicators?dimension=fun", "dimension"),
    ],
)
def test_malformed_queries_give_422_naming_the_field(client, observed, url, field):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_unknown_indicator_gives_404(client, db):
    assert client.get("/api/indicators/nope/observations").status_code == 404


def test_cli_imports_prices_and_observations(db, employment, write_csv, capsys):
    assert cli.main(["import", str(PRICES), "--commodity-prices"]) == 0
    assert "created 7790" in capsys.readouterr().out

    assert (
        cli.main(["import", str(write_csv([["25", 2020, 1]])), "--indicator", "gruv-sysselsatta"])
        == 0
    )
    assert Observation.objects.count() == 1


def test_cli_refuses_a_faulty_file_and_names_the_row(db, employment, write_csv, capsys):
    path = write_csv([["25", 2020, 1], ["25", 2021, "ett"]])

    assert cli.main(["import", str(path), "--indicator", "gruv-sysselsatta"]) == 1
    assert "row 3" in capsys.readouterr().err
    assert not Observation.objects.exists()


def test_cli_dry_run_writes_nothing(db, employment, write_csv):
    path = write_csv([["25", 2020, 1]])
    assert cli.main(["import", str(path), "--indicator", "gruv-sysselsatta", "--dry-run"]) == 0
    assert not Observation.objects.exists()


def test_cli_unknown_indicator(db, write_csv, capsys):
    assert cli.main(["import", str(write_csv([["25", 2020, 1]])), "--indicator", "x"]) == 1
    assert "no indicator" in capsys.readouterr().err


def test_prices_api(client, db):
    cli.main(["import", str(PRICES), "--commodity-prices"])

    commodities = {c["code"]: c for c in client.get("/api/commodities").json()}
    assert commodities["iron_ore"]["unit"] == "USD/dmtu"
    prices = client.get("/api/commodities/copper/prices", {"from": "2024-10"}).json()
    assert prices == [
        {"period": "2024-10", "value": 9533.99},
        {"period": "2024-11", "value": 9075.73},
    ]
