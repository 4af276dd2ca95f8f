"""Input the fuzz test does not generate but a client can send: a NUL character, which PostgreSQL
cannot hold in a query. Each is refused with a 422 that names the parameter, on both databases."""

import pytest


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/api/indicators/%00", ["path", "code"]),
        ("/api/indicators/%00/observations", ["path", "code"]),
        ("/api/indicators/%00/status", ["path", "code"]),
        ("/api/indicators/%00/analysis?geo=25", ["path", "code"]),
        ("/api/indicators/x/analysis?geo=%00", ["query", "geo"]),
        ("/api/indicators/x/observations?geo=25&geo=%00", ["query", "filters", "geo", 1]),
        ("/api/commodities/%00/prices", ["path", "code"]),
        ("/api/initiatives?strategy=%00", ["query", "strategy"]),
        ("/api/initiatives?organisation=a%00b", ["query", "organisation"]),
        ("/api/action-plans?strategy=%00", ["query", "strategy"]),
        ("/api/search?q=%00", ["query", "q"]),
    ],
)
def test_a_nul_character_is_refused_naming_the_parameter(client, db, url, location):
    response = client.get(url)

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [location]


def test_a_nul_character_in_the_import_form_is_refused(client, db, django_user_model):
    from mineralstrategi.organisations.services import api_token_create

    user = django_user_model.objects.create_user("importer", password="a-long-test-password")
    key = api_token_create(user=user, name="test")[1]
    response = client.post(
        "/api/imports",
        {"indicator": "a\x00b", "file": _file()},
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["form", "indicator"]]


def test_a_malformed_api_key_is_not_looked_up(client, db):
    response = client.get("/api/imports/1", headers={"Authorization": "Bearer ms_\x00_secret"})

    assert response.status_code == 401


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.csv", b"geo,period,value\n25,2020,5\n", content_type="text/csv")
