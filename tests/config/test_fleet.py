"""Settings for a fleet of app servers: the deployment checks that warn about what one server
would keep to itself (config/checks.py), and settings that write nothing when imported, so that
they load from a read-only image."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mineralstrategi.config.checks import fleet_warnings
from mineralstrategi.config.settings import media_storage

SRC = Path(__file__).resolve().parents[2] / "src"

POSTGRESQL = {"default": {"ENGINE": "django.db.backends.postgresql"}}
SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
REDIS = {
    alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
    for alias in ("default", "pages", "shared", "progress")
}
NO_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    **{
        alias: {"BACKEND": "mineralstrategi.caching.backends.AtomicAddFileBasedCache"}
        for alias in ("pages", "shared", "progress")
    },
}
LOCAL_DISK = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
OBJECT_STORAGE = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}}


def warning_ids(**settings) -> list[str]:
    return [message.id for message in fleet_warnings(**settings)]


def test_postgresql_without_redis_is_warned_about():
    """Each server would keep its own generation token, page cache and counts."""
    ids = warning_ids(databases=POSTGRESQL, caches=NO_REDIS, storages=LOCAL_DISK, web_nodes=1)

    assert ids == ["mineralstrategi.W005"]
    message = fleet_warnings(
        databases=POSTGRESQL, caches=NO_REDIS, storages=LOCAL_DISK, web_nodes=1
    )[0].msg
    assert "default, pages, progress, shared" in message


def test_one_server_on_postgresql_and_redis_is_fine_and_so_is_the_embedded_set_up():
    assert warning_ids(databases=POSTGRESQL, caches=REDIS, storages=LOCAL_DISK, web_nodes=1) == []
    assert warning_ids(databases=SQLITE, caches=NO_REDIS, storages=LOCAL_DISK, web_nodes=1) == []


def test_several_servers_with_media_on_their_own_disks_are_warned_about():
    ids = warning_ids(databases=POSTGRESQL, caches=REDIS, storages=LOCAL_DISK, web_nodes=3)

    assert ids == ["mineralstrategi.W006"]
    assert (
        warning_ids(databases=POSTGRESQL, caches=REDIS, storages=OBJECT_STORAGE, web_nodes=3) == []
    )


def test_several_servers_on_sqlite_without_redis_hear_all_three():
    ids = warning_ids(databases=SQLITE, caches=NO_REDIS, storages=LOCAL_DISK, web_nodes=2)

    assert ids == ["mineralstrategi.W005", "mineralstrategi.W006", "mineralstrategi.W007"]


def test_media_in_a_bucket_count_as_shared_by_the_fleet():
    """MEDIA_STORAGE=s3 gives django-storages' S3 storage, which every server reaches."""
    in_a_bucket = {"default": media_storage({"MEDIA_STORAGE": "s3", "S3_BUCKET": "media"})}
    on_disk = {"default": media_storage({})}
    fleet = {"databases": POSTGRESQL, "caches": REDIS, "web_nodes": 3}

    assert warning_ids(storages=in_a_bucket, **fleet) == []
    assert warning_ids(storages=on_disk, **fleet) == ["mineralstrategi.W006"]
    (warning,) = fleet_warnings(storages=on_disk, **fleet)
    assert "MEDIA_STORAGE=s3" in warning.hint


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket's name"),
        ({"MEDIA_STORAGE": "nfs"}, "MEDIA_STORAGE is 'nfs': use one of local, s3"),
    ],
)
def test_media_storage_settings_that_cannot_work_are_refused_naming_the_variable(environ, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        media_storage(environ)


@pytest.mark.postgresql_in_ci  # fresh processes, alike on either database; CI runs it once
@pytest.mark.parametrize(
    "media", [{}, {"MEDIA_STORAGE": "s3", "S3_BUCKET": "media"}], ids=["local", "s3"]
)
def test_importing_the_settings_and_the_application_writes_nothing(tmp_path, media):
    """With SECRET_KEY set (as `serve` requires), loading the settings and the WSGI application
    makes no folder: the data folder named does not exist afterwards, and WhiteNoise does not
    complain that STATIC_ROOT is missing (the finders serve until collectstatic has run)."""
    data = tmp_path / "not-there"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "DJANGO_", "STATIC_", "MEDIA_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mineralstrategi.config.settings",
        SECRET_KEY="read-only-image-key-" + "x7Qk2vR9mZ4pL8wN3sT6yB1cF5hJ0dG",
        MINERALSTRATEGI_DATA_DIR=str(data),
        PYTHONPATH=os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
        **media,
    )
    probe = (
        "import mineralstrategi.config.settings as s\n"
        "import mineralstrategi.config.wsgi\n"
        "print(s.DATA_DIR, s.STATIC_ROOT, s.MEDIA_ROOT)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split()[0] == str(data)
    assert not data.exists()
    assert "No directory at" not in completed.stderr
