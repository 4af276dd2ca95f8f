import pytest

from mineralstrategi.indicators.models import ImportJob, Observation
from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.services import api_token_create, api_token_revoke


@pytest.fixture
def key(editor):
    return api_token_create(user=editor, name="import script")[1]


def post_file(client, path, key=None, **fields):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with path.open("rb") as handle:
        return client.post("/api/imports", {"file": handle, **fields}, headers=headers)


def test_a_key_imports_a_file_in_the_background(
    client, employment, key, write_csv, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, write_csv([["25", 2020, 5]]), key, indicator=employment.code)
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response.json()["status"] == "pending"

    run_tasks()

    status = client.get(f"/api/imports/{job_id}", headers={"Authorization": f"Bearer {key}"}).json()
    assert (status["status"], status["created"]) == ("done", 1)
    assert Observation.objects.count() == 1


def test_without_a_key_or_with_a_revoked_one_nothing_is_imported(
    client, employment, editor, key, write_csv
):
    path = write_csv([["25", 2020, 5]])
    assert post_file(client, path, indicator=employment.code).status_code == 401
    assert post_file(client, path, "ms_nothing_here", indicator=employment.code).status_code == 401
    api_token_revoke(token=editor.api_tokens.get())
    assert post_file(client, path, key, indicator=employment.code).status_code == 401
    assert not ImportJob.objects.exists()


def test_a_key_of_another_organisation_may_not_import_into_the_indicator(
    client, employment, kiruna, make_member, write_csv
):
    outsider_key = api_token_create(user=make_member(kiruna, Role.STRATEGY_EDITOR), name="x")[1]

    response = post_file(
        client, write_csv([["25", 2020, 5]]), outsider_key, indicator=employment.code
    )

    assert response.status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"indicator": "gruv-sysselsatta", "format": "docx"}, "format"), ({}, "indicator")],
)
def test_bad_requests_are_refused_with_the_field_named(
    client, employment, key, write_csv, fields, message
):
    response = post_file(client, write_csv([["25", 2020, 5]]), key, **fields)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["form", message]]


def test_an_import_is_visible_only_to_whoever_started_it(
    client, employment, key, region_vasterbotten, make_member, write_csv
):
    job_id = post_file(client, write_csv([["25", 2020, 5]]), key, indicator=employment.code).json()[
        "id"
    ]
    other_key = api_token_create(
        user=make_member(region_vasterbotten, Role.STRATEGY_EDITOR), name="y"
    )[1]

    assert (
        client.get(
            f"/api/imports/{job_id}", headers={"Authorization": f"Bearer {other_key}"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/imports/{job_id}").status_code == 401


def test_the_api_keys_page_shows_a_new_key_once_and_revokes(client, editor, soup):
    client.force_login(editor)
    page = soup(
        client.post("/konto/api-nycklar/", {"name": "skript", "days": "365", "scopes": ["import"]})
    )
    key = page.select_one("code.api-key").text
    assert key.startswith("ms_")
    assert editor.api_tokens.get().key_hash not in key

    token = editor.api_tokens.get()
    client.post("/konto/api-nycklar/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_key(client, editor, region_vasterbotten, make_member):
    token, _ = api_token_create(user=editor, name="mine")
    client.force_login(make_member(region_vasterbotten, Role.VIEWER))

    assert client.post("/konto/api-nycklar/", {"revoke": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_api_tells_a_refused_files_faults_in_english_text_as_before(
    client, employment, key, write_csv, django_capture_on_commit_callbacks, run_tasks
):
    path = write_csv([["25", 2020, 5], ["25", 2021, "många"], ["25", 2022, "många"]])
    with django_capture_on_commit_callbacks(execute=True):
        job_id = post_file(client, path, key, indicator=employment.code).json()["id"]
    run_tasks()

    headers = {"Authorization": f"Bearer {key}", "Accept-Language": "sv"}
    status = client.get(f"/api/imports/{job_id}", headers=headers).json()
    assert status["status"] == "rejected"
    assert status["errors"] == [
        "observations.csv, row 3, field 'value': 'många' is not a number",
        "observations.csv, field 'value': the same fault in 1 more rows (row 4): "
        "'många' is not a number",
    ]
