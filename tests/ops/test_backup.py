"""`mineralstrategi backup` and `restore` on real database files, through the real command.

pytest-django's SQLite test database lives in memory, so the module copies it once (with the
geography's rows) into a data folder with VACUUM INTO and takes one backup of that folder; each
SQLite test works on its own copy of the folder and runs the command in a subprocess, as an
operator would. A start of the command is most of a test's time, so the tests share that one
backup. The PostgreSQL tests run on the test database itself and are skipped on SQLite.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from mineralstrategi.ops.backup import (
    BackupError,
    live_sums,
    manifest_path,
    restore_plan,
    sqlite_table_sums,
)
from mineralstrategi.organisations.models import Municipality

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite backup runs on a SQLite database"
)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="set DATABASE_URL to a PostgreSQL database"
)


def run_cli(*args, env_extra=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")}
    env["DJANGO_SETTINGS_MODULE"] = "mineralstrategi.config.settings"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "mineralstrategi.cli", *map(str, args)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def sums_of(path: Path) -> dict:
    db = sqlite3.connect(path)
    try:
        return {name: (s.rows, s.sha256) for name, s in sqlite_table_sums(db).items()}
    finally:
        db.close()


@pytest.fixture
def migration_history(transactional_db):
    """The migration history table every real database has (restore looks for it): the suite
    builds its test database from the models, without migrations."""
    MigrationRecorder(connection).ensure_schema()


@pytest.fixture(scope="module")
def data_dir_as_built(django_db_setup, django_db_blocker, geography_rows, tmp_path_factory):
    """A data folder with a real SQLite file (the test database's schema and the geography's
    rows) and an uploaded file; tests copy it (`data_dir`) and never change it."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup runs on a SQLite database")
    from tests.demo_snapshot import rows_add

    folder = tmp_path_factory.mktemp("built") / "data"
    (folder / "media" / "consultation").mkdir(parents=True)
    (folder / "media" / "consultation" / "yttrande.pdf").write_bytes(b"%PDF-1.4 example\n")
    with django_db_blocker.unblock():
        MigrationRecorder(connection).ensure_schema()
        rows_add(geography_rows)  # committed: VACUUM cannot run inside a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(folder / "mineralstrategi.sqlite3")])
        finally:
            with transaction.atomic(), connection.cursor() as cursor:
                for table in reversed(list(geography_rows)):
                    cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608
    db = sqlite3.connect(folder / "mineralstrategi.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return folder


@pytest.fixture(scope="module")
def backup_as_made(data_dir_as_built, tmp_path_factory) -> tuple[Path, str]:
    """One backup of the built data folder, made by the command: its file and its output."""
    folder = tmp_path_factory.mktemp("backups")
    made = run_cli("backup", "--data-dir", data_dir_as_built, folder)
    assert made.returncode == 0, made.stderr
    return only_backup(folder), made.stdout


@pytest.fixture
def data_dir(data_dir_as_built, tmp_path) -> Path:
    """This test's own copy of the built data folder."""
    return Path(shutil.copytree(data_dir_as_built, tmp_path / "data"))


@pytest.fixture
def backup_file(backup_as_made, tmp_path) -> Path:
    """This test's own copy of the module's backup (database file, manifest, media archive)."""
    made, _output = backup_as_made
    folder = Path(shutil.copytree(made.parent, tmp_path / "backups"))
    return folder / made.name


def only_backup(folder: Path) -> Path:
    (path,) = folder.glob("*.sqlite3")
    return path


@sqlite_only
def test_a_round_trip_gives_identical_checksums_and_a_dry_run_changes_nothing(
    data_dir, backup_as_made, backup_file
):
    live = data_dir / "mineralstrategi.sqlite3"
    before = sums_of(live)
    _made, output = backup_as_made
    assert "integrity checked" in output
    assert "(1 files)" in output
    assert sums_of(backup_file) == before

    db = sqlite3.connect(live)
    db.execute("UPDATE organisations_municipality SET name = 'Ändrad' WHERE code = '2482'")
    db.execute("DELETE FROM organisations_municipality WHERE code = '2584'")
    db.commit()
    db.close()
    (data_dir / "media" / "consultation" / "yttrande.pdf").unlink()
    changed = sums_of(live)

    dry = run_cli("restore", "--data-dir", data_dir, backup_file)
    assert dry.returncode == 0, dry.stderr
    assert re.search(r"organisations_municipality +now +289 +backup +290", dry.stdout)
    assert "Dry run" in dry.stdout
    assert sums_of(live) == changed
    assert not (data_dir / "media" / "consultation" / "yttrande.pdf").exists()

    done = run_cli("restore", "--data-dir", data_dir, "--for-real", backup_file)
    assert done.returncode == 0, done.stderr
    assert sums_of(live) == before
    assert (data_dir / "media" / "consultation" / "yttrande.pdf").read_bytes().startswith(b"%PDF")
    assert "every stored file the restored rows name is there" in done.stdout


@sqlite_only
def test_with_media_in_a_bucket_the_backup_says_they_are_there_and_archives_no_folder(
    data_dir, s3_media, tmp_path
):
    """MEDIA_STORAGE=s3: the uploads live in the bucket, not in MEDIA_ROOT (whose stray file is
    not the media); the backup says so instead of archiving a folder that holds none of them."""
    storage = {"S3_BUCKET": s3_media.name, "S3_ENDPOINT_URL": s3_media.client.meta.endpoint_url}
    made = run_cli(
        "backup", "--data-dir", data_dir, tmp_path / "backups",
        env_extra={"MEDIA_STORAGE": "s3", **storage},
    )  # fmt: skip

    assert made.returncode == 0, made.stderr
    assert f"Media:    not in this backup: they are kept in s3://{s3_media.name}" in made.stdout
    manifest = json.loads(manifest_path(only_backup(tmp_path / "backups")).read_text())
    assert (manifest["media_file"], manifest["media_kept_in"]) == (None, f"s3://{s3_media.name}")
    assert not list((tmp_path / "backups").glob("*.tar.gz"))


def test_the_check_after_a_restore_names_the_files_the_bucket_no_longer_holds(
    region_vasterbotten, s3_media
):
    """With the media in a bucket the backup holds none of them: after a restore, every file the
    restored rows name is looked up in the bucket, and those missing are named."""
    from django.core.files.base import ContentFile

    from mineralstrategi.ops.backup import media_missing
    from mineralstrategi.reports.models import FollowupReport
    from tests.strategy.conftest import make_strategy

    report = FollowupReport(strategy=make_strategy(region_vasterbotten), year=2025)
    report.stored_file.save("uppfoljning-2025.pdf", ContentFile(b"%PDF-1.7 report"))
    kept = FollowupReport(strategy=report.strategy, year=2024)
    kept.stored_file.save("uppfoljning-2024.pdf", ContentFile(b"%PDF-1.7 report"))
    assert media_missing() == []

    s3_media.client.delete_object(Bucket=s3_media.name, Key=report.stored_file.name)

    assert media_missing() == [report.stored_file.name]


@sqlite_only
def test_a_damaged_file_is_refused_and_the_database_is_left_as_it_is(data_dir, backup_file):
    with backup_file.open("r+b") as handle:
        handle.seek(8192)
        handle.write(b"\xff" * 4096)
    live = data_dir / "mineralstrategi.sqlite3"
    before = sums_of(live)

    refused = run_cli("restore", "--data-dir", data_dir, "--for-real", backup_file)

    assert refused.returncode == 1
    assert "Restore refused" in refused.stderr
    assert "SHA-256 differs" in refused.stderr and backup_file.name in refused.stderr
    assert sums_of(live) == before


@sqlite_only
def test_files_that_are_not_our_backups_are_refused_with_the_reason(db, tmp_path):
    foreign = tmp_path / "other.sqlite3"
    other = sqlite3.connect(foreign)
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    other.commit()
    other.close()
    with pytest.raises(BackupError, match="not a Mineralstrategi database .*django_migrations"):
        restore_plan(foreign)

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 10)
    with pytest.raises(BackupError, match="neither a SQLite database nor a PostgreSQL"):
        restore_plan(garbage)

    dump = tmp_path / "x.pgdump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    with pytest.raises(BackupError, match="a postgresql backup cannot be restored into a sqlite"):
        restore_plan(dump)

    with pytest.raises(BackupError, match="there is no such file"):
        restore_plan(tmp_path / "missing.sqlite3")


@sqlite_only
def test_a_backup_taken_while_writes_run_is_a_consistent_snapshot(data_dir, tmp_path):
    """A writer adds pairs of rows in one transaction each during the backup: the copy holds a
    prefix of the pairs, never half a pair, and its checksums are its manifest's (which a restore
    checks: the round trip above)."""
    live = data_dir / "mineralstrategi.sqlite3"
    stop, written = threading.Event(), []

    def writer():
        db = sqlite3.connect(live, timeout=30, isolation_level=None)
        n = 0
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO auth_group (name) VALUES (?)", [f"w-{n:06d}-a"])
            db.execute("INSERT INTO auth_group (name) VALUES (?)", [f"w-{n:06d}-b"])
            db.execute("COMMIT")
            n += 1
            written.append(n)
        db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        made = run_cli("backup", "--data-dir", data_dir, tmp_path / "b")
    finally:
        stop.set()
        thread.join()
    assert made.returncode == 0, made.stderr
    backup_file = only_backup(tmp_path / "b")

    copy = sqlite3.connect(backup_file)
    names = [row[0] for row in copy.execute("SELECT name FROM auth_group ORDER BY name")]
    copy.close()
    pairs = len(names) // 2
    assert names == [f"w-{n:06d}-{half}" for n in range(pairs) for half in "ab"]
    assert 0 < pairs < len(written), "the writer must have run before and after the snapshot"
    manifest = json.loads(manifest_path(backup_file).read_text())["tables"]
    assert {name: (t["rows"], t["sha256"]) for name, t in manifest.items()} == sums_of(backup_file)


def pg_env(tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )
    env = {"DATABASE_URL": url, "MINERALSTRATEGI_DATA_DIR": str(tmp_path / "data")}
    return url, env


@postgres_only
def test_a_postgresql_round_trip_gives_identical_checksums(migration_history, geography, tmp_path):
    _url, env = pg_env(tmp_path)
    name = Municipality.objects.get(code="2482").name
    before = live_sums()

    made = run_cli("backup", tmp_path / "b", env_extra=env)
    assert made.returncode == 0, made.stderr
    (backup_file,) = (tmp_path / "b").glob("*.pgdump")

    Municipality.objects.filter(code="2482").update(name="Ändrad")
    dry = run_cli("restore", backup_file, env_extra=env)
    assert dry.returncode == 0, dry.stderr
    assert "organisations_municipality" in dry.stdout and "Dry run" in dry.stdout
    assert Municipality.objects.get(code="2482").name == "Ändrad"

    done = run_cli("restore", "--for-real", backup_file, env_extra=env)
    assert done.returncode == 0, done.stderr
    connection.close()
    assert live_sums() == before
    assert Municipality.objects.get(code="2482").name == name


@postgres_only
def test_a_postgresql_backup_while_writes_run_matches_its_snapshot(migration_history, tmp_path):
    """pg_dump and the manifest read one exported snapshot: the dump restores to exactly the
    manifest's checksums although a writer commits pairs of rows all along."""
    import psycopg

    url, env = pg_env(tmp_path)
    stop = threading.Event()

    def writer():
        with psycopg.connect(url) as db:
            n = 0
            while not stop.is_set():
                with db.transaction():
                    db.execute("INSERT INTO auth_group (name) VALUES (%s)", [f"w-{n:06d}-a"])
                    db.execute("INSERT INTO auth_group (name) VALUES (%s)", [f"w-{n:06d}-b"])
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        made = run_cli("backup", tmp_path / "b", env_extra=env)
    finally:
        stop.set()
        thread.join()
    assert made.returncode == 0, made.stderr
    (backup_file,) = (tmp_path / "b").glob("*.pgdump")
    rows_at_backup = json.loads(manifest_path(backup_file).read_text())["tables"]["auth_group"]
    assert rows_at_backup["rows"] % 2 == 0
    assert 0 < rows_at_backup["rows"] < Group.objects.count()

    done = run_cli("restore", "--for-real", backup_file, env_extra=env)
    assert done.returncode == 0, done.stderr
    connection.close()
    assert Group.objects.count() == rows_at_backup["rows"]
