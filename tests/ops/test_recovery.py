"""After a crash, `serve` puts the tasks its dead worker left RUNNING back in the queue, and an
import interrupted mid-way runs again from the start (its rows were rolled back with it)."""

import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mineralstrategi.indicators.models import ImportJob, Indicator, Observation
from mineralstrategi.indicators.services import import_create, import_store_upload
from mineralstrategi.indicators.tasks import import_file
from mineralstrategi.ops.recovery import reclaim_interrupted_tasks, worker_id


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running_task(job_id: int, worker: str) -> DBTaskResult:
    task = DBTaskResult.objects.get(pk=import_file.enqueue(job_id).id)
    task.claim(worker)
    return task


def an_import(indicator, tmp_path, name) -> ImportJob:
    upload = SimpleUploadedFile(f"{name}.csv", b"geo,period,value\n2482,2020,10\n2584,2020,20\n")
    return import_create(
        stored_file=import_store_upload(upload),
        file_name=upload.name,
        kind=ImportJob.Kind.OBSERVATIONS,
        indicator=indicator,
    )


def test_the_tasks_of_a_crashed_worker_of_this_host_are_requeued_and_rerun(
    region_vasterbotten, tmp_path
):
    indicator = Indicator.objects.create(
        code="test-ind", name="Test", unit="st", owner=region_vasterbotten
    )
    interrupted = an_import(indicator, tmp_path, "interrupted")
    interrupted.status = ImportJob.Status.RUNNING  # as import_run leaves it when killed
    interrupted.save()
    crashed = running_task(interrupted.pk, worker_id(dead_pid()))
    still_running = running_task(an_import(indicator, tmp_path, "alive").pk, worker_id())
    elsewhere = running_task(an_import(indicator, tmp_path, "other").pk, "another-host-12345")

    assert reclaim_interrupted_tasks() == 1

    crashed.refresh_from_db()
    assert crashed.status == TaskResultStatus.READY
    for task in (still_running, elsewhere):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    assert import_file.call(interrupted.pk) == ImportJob.Status.DONE
    assert Observation.objects.filter(import_job=interrupted).count() == 2


def test_a_finished_import_delivered_again_is_not_run_twice(region_vasterbotten, tmp_path):
    indicator = Indicator.objects.create(
        code="test-ind", name="Test", unit="st", owner=region_vasterbotten
    )
    job = an_import(indicator, tmp_path, "once")
    assert import_file.call(job.pk) == ImportJob.Status.DONE
    Observation.objects.filter(import_job=job).delete()

    assert import_file.call(job.pk) == ImportJob.Status.DONE
    assert not Observation.objects.filter(import_job=job).exists()
