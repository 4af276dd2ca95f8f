from pathlib import Path

import pytest

from mineralstrategi.indicators.models import Commodity, ImportJob, Observation, PricePoint
from mineralstrategi.indicators.services import import_create, import_run
from mineralstrategi.organisations.geography import read_municipalities

PRICES = (
    Path(__file__).resolve().parents[2]
    / "src/mineralstrategi/demo/data/CMO-Historical-Data-Monthly_metals.csv"
)


def run(path, indicator=None, kind=ImportJob.Kind.OBSERVATIONS, **options):
    job = import_create(path=path, file_name=path.name, kind=kind, indicator=indicator, **options)
    return import_run(job, path)


def values(indicator):
    return dict(Observation.objects.filter(indicator=indicator).values_list("geo_code", "value"))


def test_import_creates_observations_and_logs_the_counts(employment, write_csv):
    job = run(write_csv([["25", 2020, 100], ["2584", 2020, 40], ["SE", 2020, 900]]), employment)

    assert job.status == ImportJob.Status.DONE
    assert (job.rows_read, job.created, job.updated, job.unchanged) == (3, 3, 0, 0)
    levels = set(Observation.objects.values_list("geo_level", "geo_code"))
    assert levels == {("county", "25"), ("municipality", "2584"), ("nation", "SE")}


def test_the_same_file_twice_changes_nothing(employment, write_csv):
    path = write_csv([["25", 2020, 100], ["25", 2021, 110]])
    run(path, employment)

    second = run(path, employment)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Observation.objects.count() == 2


def test_a_changed_value_is_updated_and_counted(employment, write_csv):
    run(write_csv([["25", 2020, 100], ["25", 2021, 110]]), employment)

    job = run(
        write_csv([["25", 2020, 100], ["25", 2021, 115], ["25", 2022, 120]], "v2.csv"), employment
    )

    assert (job.created, job.updated, job.unchanged) == (1, 1, 1)
    assert Observation.objects.get(period="2021").value == 115


def test_the_indicator_keeps_a_summary_of_its_observations_for_the_lists(employment, write_csv):
    run(write_csv([["25", 2020, 100], ["25", 2021, 110]]), employment)
    run(write_csv([["25", 2021, 111], ["2584", 2019, 7], ["x", 2030, 1]], "bad.csv"), employment)
    run(write_csv([["25", 2022, 120], ["2584", 2019, 7]], "v2.csv"), employment)

    employment.refresh_from_db()
    assert employment.observation_count == Observation.objects.filter(indicator=employment).count()
    assert (employment.observation_count, employment.first_period, employment.last_period) == (
        4,
        "2019",
        "2022",
    )


def test_text_in_the_value_column_deep_in_a_large_file_writes_nothing(employment, write_csv):
    codes = [m.code for m in read_municipalities()]
    rows = [[codes[i % 290], 1950 + i // 290, i] for i in range(12_000)]
    rows[9810][2] = "n/a"  # the header is line 1, so this is line 9,812 of the file
    path = write_csv(rows, "large.csv")

    job = run(path, employment)

    assert job.status == ImportJob.Status.REJECTED
    assert Observation.objects.count() == 0
    assert job.created == 0
    assert len(job.errors_english) == 1
    assert (
        "large.csv" in job.errors_english[0]
        and "row 9812" in job.errors_english[0]
        and "value" in job.errors_english[0]
    )


def test_every_bad_row_is_reported_not_only_the_first(employment, write_csv):
    rows = [["25", 2000 + i, i] for i in range(20)]
    rows[3][2] = "x"
    rows[15][1] = "tjugo"

    job = run(write_csv(rows), employment)

    assert job.refused == 2
    assert [e.split(",")[1].strip() for e in job.errors_english] == ["row 5", "row 17"]


def test_a_dry_run_checks_the_whole_file_and_writes_nothing(employment, write_csv):
    job = run(write_csv([["25", 2020, 100]]), employment, dry_run=True)

    assert job.status == ImportJob.Status.CHECKED
    assert job.rows_read == 1
    assert not Observation.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(employment, tmp_path):
    fake = tmp_path / "data.csv"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 200)

    job = run(fake, employment)

    assert job.status == ImportJob.Status.REJECTED
    assert job.errors_english and "data.csv" in job.errors_english[0]
    assert not Observation.objects.exists()


def test_prices_are_refused_as_indicator_observations(employment):
    job = run(PRICES, employment)

    assert job.status == ImportJob.Status.REJECTED
    assert "commodity prices" in job.errors_english[0]
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_world_bank_prices_import_with_their_names_and_breaks():
    job = run(PRICES, kind=ImportJob.Kind.PRICES)

    assert (job.status, job.created) == (ImportJob.Status.DONE, 7790)
    iron_ore = Commodity.objects.get(code="iron_ore")
    assert iron_ore.unit == "USD/dmtu"
    assert iron_ore.break_months == ["2006-01", "2008-12"]
    assert "World Bank" in iron_ore.source
    assert PricePoint.objects.get(commodity__code="copper", month="2024-11").value == 9075.73

    again = run(PRICES, kind=ImportJob.Kind.PRICES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7790)


def test_a_failure_that_is_no_fault_of_the_file_fails_the_job_with_its_reason(
    employment, region_vasterbotten, kiruna, write_csv
):
    """The responsible organisation of a new indicator is deleted while its import waits: the
    import fails, says why, leaves nothing behind and is not left running."""
    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.indicators.services import indicator_new_settings

    path = write_csv([["25", 2020, 1]])
    job = import_create(
        path=path,
        file_name=path.name,
        kind=ImportJob.Kind.OBSERVATIONS,
        new_indicator=indicator_new_settings(code="ny", owner=kiruna),
    )
    kiruna.delete()

    job = import_run(job, path)

    assert job.status == ImportJob.Status.FAILED
    assert job.errors_english == [
        "observations.csv: the import failed and nothing was written: "
        "Organisation matching query does not exist."
    ]
    assert not Indicator.objects.filter(code="ny").exists() and not Observation.objects.exists()
    assert job.finished_at is not None and job.indicator is None


def test_an_import_whose_worker_stopped_is_failed_once_it_shows_no_progress(
    employment, write_csv, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from mineralstrategi.indicators.progress import progress_report
    from mineralstrategi.indicators.services import import_stalled_fail

    path = write_csv([["25", 2020, 1]])
    job = import_create(path=path, file_name=path.name, kind="observations", indicator=employment)
    job.status, job.running_since = ImportJob.Status.RUNNING, timezone.now() - timedelta(hours=1)
    job.save()
    progress_report(job.pk, 5000)  # the worker reported a minute ago: still alive

    assert not import_stalled_fail(job, after_seconds=900)
    assert job.status == ImportJob.Status.RUNNING

    assert import_stalled_fail(job, after_seconds=0)
    assert job.status == ImportJob.Status.FAILED
    assert "the worker stopped during the import" in job.errors_english[0]
    assert job.history.first().status == ImportJob.Status.FAILED  # audited
