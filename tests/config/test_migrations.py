"""The migrations: every model change has its migration.

The suite builds its test database straight from the models (`--nomigrations` in
pyproject.toml) to keep the inner loop fast. That the migrations build that schema on an empty
database, run as an operator runs them in a fresh process, is shown by the two tests that start
the platform from nothing: `mineralstrategi demo` migrates a new SQLite database
(tests/demo/test_cli.py, the SQLite run), and `manage migrate` before `serve` a new PostgreSQL
database (the same file, the PostgreSQL run); each full migration costs half a minute, so the
suite runs no third one. Here `makemigrations --check` finds every model change that lacks a
migration file (in the test's own process: it compares the models with the files).
"""

import io

import pytest
from django.core.management import call_command


def test_every_model_change_has_its_migration(db, settings):
    settings.MIGRATION_MODULES = {}  # the suite's --nomigrations hides them
    output = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=output)
    except SystemExit:
        pytest.fail(f"a model change has no migration:\n{output.getvalue()}")
