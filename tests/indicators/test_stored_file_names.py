"""The data migrations of imports and follow-up reports: a file recorded by its absolute path
(before the files went through the storage) becomes a name in the default storage, so that its
preview, import and download read it on any server, and after a restore to another folder."""

import importlib

from django.apps import apps
from django.urls import reverse

from mineralstrategi.indicators.models import ImportJob
from mineralstrategi.organisations.models import Role
from mineralstrategi.reports.models import FollowupReport
from tests.strategy.conftest import make_strategy

CSV = "geo,period,value\n25,2020,100\n"


def migrate(app: str, module: str) -> None:
    migration = importlib.import_module(f"mineralstrategi.{app}.migrations.{module}")
    migration.paths_to_storage_names(apps, None)


def recorded_job(indicator, path, starter) -> ImportJob:
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.OBSERVATIONS,
        indicator=indicator,
        file_name="gammal.csv",
        sha256="0",
        started_by=starter,
    )
    ImportJob.objects.filter(pk=job.pk).update(stored_file=str(path))  # as it was recorded
    return job


def preview_rows(client, job, soup) -> list:
    return soup(client.get(reverse("indicators:import_preview", args=[job.pk]))).select(
        ".preview-records tbody tr"
    )


def test_paths_under_media_root_become_names_and_others_are_kept_readable(
    client, employment, editor, soup, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    inside = settings.MEDIA_ROOT / "imports" / "abc.csv"
    outside = tmp_path / "elsewhere" / "kolada.csv"
    outside.parent.mkdir()
    for path in (inside, outside):
        path.write_text(CSV, encoding="utf-8")
    jobs = [recorded_job(employment, path, editor) for path in (inside, outside)]
    lost = recorded_job(employment, tmp_path / "gone.csv", editor)

    migrate("indicators", "0010_alter_importjob_stored_file")

    names = [ImportJob.objects.get(pk=job.pk).stored_file.name for job in (*jobs, lost)]
    assert names[0] == "imports/abc.csv"
    assert names[1].startswith("imports/kolada") and (settings.MEDIA_ROOT / names[1]).is_file()
    assert names[2] == ""
    client.force_login(editor)
    for job in jobs:
        assert len(preview_rows(client, job, soup)) == 1


def test_in_a_bucket_the_old_files_are_copied_in_and_a_report_downloads(
    client, region_vasterbotten, make_member, s3_media, settings, tmp_path
):
    old_media = tmp_path / "old-media"
    (old_media / "reports").mkdir(parents=True)
    pdf = old_media / "reports" / "abc.pdf"
    pdf.write_bytes(b"%PDF-1.7 the old report\n")
    settings.MEDIA_ROOT = old_media
    report = FollowupReport.objects.create(
        strategy=make_strategy(region_vasterbotten),
        year=2025,
        status=FollowupReport.Status.DONE,
    )
    FollowupReport.objects.filter(pk=report.pk).update(stored_file=str(pdf))

    migrate("reports", "0003_alter_followupreport_stored_file")

    report.refresh_from_db()
    assert report.stored_file.name == "reports/abc.pdf" and s3_media.names() == ["reports/abc.pdf"]
    client.force_login(make_member(region_vasterbotten, Role.STRATEGY_EDITOR))
    download = client.get(reverse("reports:download", args=[report.token]))
    assert b"".join(download.streaming_content) == pdf.read_bytes()
