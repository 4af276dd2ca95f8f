"""The migrations, run as an operator runs them.

The suite builds its test database straight from the models (`--nomigrations` in
pyproject.toml) to keep the inner loop fast, so the migrations themselves run here: in a fresh
interpreter, on an empty database of the engine the suite runs on (SQLite, or a scratch
PostgreSQL database beside the test database), and `makemigrations --check` finds every model
change in a migration file (in the test's own process: it compares the models with the files).
"""

import io
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

# `manage migrate`, then `manage migrate --check` (nothing left unapplied), in one process: its
# start-up is a good part of the time.
MIGRATE_THEN_CHECK = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("migrate", check_unapplied=True)
"""


def run_python(script: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
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


def test_every_model_change_has_its_migration(db, settings):
    settings.MIGRATION_MODULES = {}  # the suite's --nomigrations hides them
    output = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=output)
    except SystemExit:
        pytest.fail(f"a model change has no migration:\n{output.getvalue()}")


def test_the_migrations_build_an_empty_database_to_the_models(empty_database):
    empty_database["DJANGO_SETTINGS_MODULE"] = "mineralstrategi.config.settings"
    completed = run_python(MIGRATE_THEN_CHECK, empty_database)
    assert completed.returncode == 0, completed.stdout + completed.stderr
