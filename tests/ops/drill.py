"""The test's hand on the drill's database: `python -m tests.ops.drill setup|enqueue`,
run in a process of its own with the drill's environment (its own database, as the workers')."""

import sys

from mineralstrategi.cli import _setup_django


class _NoMigrations(dict):
    """The tables straight from the models, as the test database is built (--nomigrations)."""

    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None


def setup() -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)


def enqueue(name: str, *args) -> None:
    from tests.ops import drill_tasks

    sys.stdout.write(f"{getattr(drill_tasks, name).enqueue(*args).id}\n")


if __name__ == "__main__":
    _setup_django()
    command, *arguments = sys.argv[1:]
    {"setup": setup, "enqueue": enqueue}[command](*arguments)
