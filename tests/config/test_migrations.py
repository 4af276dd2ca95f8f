"""The migrations, run as an operator runs them.

The suite builds its test database straight from the models (`--nomigrations` in
pyproject.toml) to keep the inner loop fast, so the migrations themselves run here: in a fresh
interpreter, on an empty database of the engine the suite runs on (SQLite, or a scratch
PostgreSQL database beside the test database), and `makemigrations --check` finds every model
change in a migration file.
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mineralstrategi.cli", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The environment of a process whose database is new and empty."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["MINERALSTRATEGI_DATA_DIR"] = str(tmp_path)
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        yield env  # SQLite: a new file in the data folder
        return
    import psycopg

    server = {
        "host": default["HOST"] or "127.0.0.1",
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"] or None,
    }
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['password']}" if server["password"] else ""
    env["DATABASE_URL"] = (
        f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    )
    try:
        yield env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_model_change_has_its_migration(empty_database):
    result = manage("makemigrations", "--check", "--dry-run", env=empty_database)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_migrations_build_an_empty_database_to_the_models(empty_database):
    migrated = manage("migrate", "-v0", env=empty_database)
    assert migrated.returncode == 0, migrated.stderr
    left = manage("migrate", "--check", env=empty_database)  # nothing left unapplied
    assert left.returncode == 0, left.stdout + left.stderr
