"""Imports with MEDIA_STORAGE=s3: the upload is kept in the bucket (never on the server's disk),
previewed and imported by the task from there, on whichever server each runs. Against a real
S3-protocol server (moto's, started by tests/conftest.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mineralstrategi.indicators.models import ImportJob
from mineralstrategi.organisations.services import api_token_create

CSV = b"geo,period,value\n25,2020,100\n2584,2020,40\n"


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("sysselsatta.csv", CSV, content_type="text/csv")


def test_an_import_uploaded_on_the_page_is_kept_in_the_bucket_previewed_and_imported(
    client,
    employment,
    editor,
    soup,
    s3_media,
    settings,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    client.force_login(editor)
    response = client.post(
        reverse("indicators:import"), {"file": upload(), "target": employment.code, "format": ""}
    )

    job = ImportJob.objects.get()
    assert response.url == reverse("indicators:import_preview", args=[job.pk])
    assert s3_media.names() == [job.stored_file.name]
    assert job.stored_file.name.startswith("imports/") and job.stored_file.name.endswith(".csv")
    assert s3_media.read(job.stored_file.name) == CSV
    assert not settings.MEDIA_ROOT.exists()  # nothing on this server's disk
    rows = soup(client.get(response.url)).select(".preview-records tbody tr")
    assert [td.text for td in rows[0].select("td")][:4] == ["county", "25", "2020", "100"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import_confirm", args=[job.pk]))
    run_tasks()

    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJob.Status.DONE, 2), job.errors
    page = soup(client.get(employment.get_absolute_url()))
    assert "100" in page.select_one("main").text and "40" in page.select_one("main").text


def test_an_import_posted_to_the_api_is_imported_from_the_bucket(
    client, employment, editor, s3_media, django_capture_on_commit_callbacks, run_tasks
):
    key = api_token_create(user=editor, name="script")[1]
    authorised = {"Authorization": f"Bearer {key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/imports", {"file": upload(), "indicator": employment.code}, headers=authorised
        )
    assert response.status_code == 202, response.content
    (name,) = s3_media.names()

    run_tasks()

    status = client.get(f"/api/imports/{response.json()['id']}", headers=authorised).json()
    assert (status["status"], status["created"], status["errors"]) == ("done", 2, [])
    assert ImportJob.objects.get().stored_file.name == name
    values = client.get(f"/api/indicators/{employment.code}/observations").json()
    assert sorted(item["value"] for item in values) == [40, 100]


def test_a_file_lost_from_the_bucket_fails_its_import_with_a_clear_message(
    client, employment, editor, s3_media, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(editor)
    client.post(
        reverse("indicators:import"), {"file": upload(), "target": employment.code, "format": ""}
    )
    job = ImportJob.objects.get()
    s3_media.client.delete_object(Bucket=s3_media.name, Key=job.stored_file.name)

    response = client.get(reverse("indicators:import_preview", args=[job.pk]))

    assert response.url == reverse("indicators:import_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    detail = client.get(response.url).content.decode()
    assert "sysselsatta.csv: the file is no longer kept; nothing was written" in detail
