"""The operator's guide (docs/handbok/drift.md and docs/handbook/drift.md): every command in it
is run here, as an operator runs it, in a data folder of its own on SQLite, or, where it installs
system software or builds containers (which these machines do not), found in the Containerfile,
deploy/compose.yaml or .ci/run, which CI reads and runs.

The data folder starts from the suite's database schema with every migration recorded: a
`migrate` from nothing takes about 50 s of CPU (tests/demo/test_cli.py runs one); the guide's
`migrate` then checks the database and applies nothing, as after a release without new
migrations. The commands that do not depend on each other run side by side, and the long-running
ones (the servers, the task worker, the scheduler) are started, checked through `/healthz` and
their output, and stopped with SIGTERM, as systemd stops them.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from mineralstrategi.cli import build_parser
from tests.config.test_deployment_recipes import assert_command_exists
from tests.conftest import free_port
from tests.demo.test_cli import wait_for
from tests.docs import guide

# Fresh processes on SQLite, the same whatever database the suite runs on: CI runs them once.
pytestmark = pytest.mark.sqlite_in_ci

ROOT = guide.ROOT
SWEDISH, ENGLISH = guide.chapters("drift.md")
CONTAINERFILE = ROOT / "Containerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
CI = ROOT / ".ci" / "run"
# Set for the browser tests (tests/e2e/conftest.py) in the suite's process, never in production:
# `check --deploy` refuses it.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
BACKUPS = "/var/backups/mineralstrategi"  # the guide's folder of backups
BACKUP_NAME = re.compile(r"mineralstrategi-\d{8}T\d{6}Z\.sqlite3")
# What the machines of CI do not run: system packages and containers. Checked against the recipes.
ELSEWHERE = ("apt-get", "pip", "podman", "docker")
LONG_RUNNING = (
    "mineralstrategi serve",
    "mineralstrategi manage task_worker",
    "mineralstrategi manage scheduler",
)
PRODUCTION = {
    "HTTPS": "1",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "mineralstrategi.example.se",
    "SITE_URL": "https://mineralstrategi.example.se",
    "DATA_CONTROLLER": "Region Västerbotten",
    "PROXY_COUNT": "1",
}


def commands() -> list[guide.Command]:
    return guide.commands(SWEDISH)


def joined(text: str) -> str:
    """Shell text with its continued lines joined and its spaces collapsed."""
    return re.sub(r"\s+", " ", text.replace("\\\n", " "))


def test_both_languages_give_the_same_commands_and_outputs():
    assert guide.commands(SWEDISH) == guide.commands(ENGLISH)
    assert len(commands()) > 15


def test_every_variable_the_platform_reads_is_in_the_guides_tables():
    read = set()
    for path in ("src/mineralstrategi/config/settings.py", "src/mineralstrategi/cli.py"):
        read |= set(
            re.findall(
                r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']""",
                (ROOT / path).read_text(),
            )
        )
    read -= {"DJANGO_SETTINGS_MODULE"}  # the command line's own, never the operator's
    assert {"DATABASE_URL", "WEB_WORKERS", "WEB_TIMEOUT", "S3_BUCKET"} <= read
    for chapter in (SWEDISH, ENGLISH):
        listed = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", chapter.read_text(), re.MULTILINE))
        assert read - listed == set(), chapter.name


def test_what_installs_system_software_or_builds_containers_is_what_ci_and_the_recipes_run():
    containerfile = joined(CONTAINERFILE.read_text())
    ci = joined(CI.read_text())
    compose = COMPOSE.read_text()
    elsewhere = [c.line for c in commands() if c.line.split()[0] in ELSEWHERE]

    assert len(elsewhere) == 5
    for line in elsewhere:
        argv = shlex.split(line)
        if argv[0] == "apt-get":
            # The image installs exactly these; CI installs the same libraries when missing.
            assert f"RUN apt-get update && {line} &&" in containerfile
            packages = [word for word in argv[2:] if not word.startswith("-")]
            installed = re.search(r"apt_install --no-install-recommends ([^\n]+?) break", ci)
            assert set(packages) <= set(installed.group(1).split())
        elif argv[0] == "pip":
            # The image runs it; CI installs the same lock (uv, then the README's pip).
            assert f"RUN {line}" in containerfile
            assert "-c constraints.txt" in ci
        elif argv[0] == "podman":
            assert f"#   {line}" in CONTAINERFILE.read_text()  # the build the image names
        else:
            assert line in compose  # the sample deployment's own instructions
            if "mineralstrategi" in argv:
                assert_command_exists(argv[argv.index("mineralstrategi") :])


@pytest.fixture
def schema_folder(transactional_db, tmp_path) -> Path:
    """A data folder holding the suite's schema (no rows) with every migration recorded."""
    if connection.vendor != "sqlite":
        pytest.skip("the guide's commands run on SQLite in a data folder")
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "mineralstrategi.sqlite3"
    with connection.cursor() as cursor:  # no transaction is open: VACUUM runs in none
        cursor.execute("VACUUM INTO %s", [str(database)])
    with override_settings(MIGRATION_MODULES={}):
        migrations = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    recorder_table = MigrationRecorder.Migration._meta.db_table
    db = sqlite3.connect(database)
    db.execute(
        f'CREATE TABLE IF NOT EXISTS "{recorder_table}" ("id" integer NOT NULL PRIMARY KEY '
        'AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, '
        '"applied" datetime NOT NULL)'
    )
    db.execute(f'DELETE FROM "{recorder_table}"')  # noqa: S608
    db.executemany(
        f'INSERT INTO "{recorder_table}" (app, name, applied) VALUES (?, ?, datetime())',  # noqa: S608
        sorted(migrations),
    )
    db.execute("PRAGMA journal_mode=WAL")
    db.commit()
    db.close()
    return folder


class Operator:
    """Runs the guide's commands in a folder of its own, as a shell would, and notes each one."""

    def __init__(self, tmp_path: Path, data: Path):
        self.cwd = tmp_path / "work"
        self.cwd.mkdir()
        self.backups = tmp_path / "backups"
        self.handbook = tmp_path / "handbook"
        (self.cwd / "docs").symlink_to(ROOT / "docs")  # run from the source code's folder
        self.ran: set[str] = set()
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "STATIC_ROOT", ASYNC_UNSAFE)
            },
            "DJANGO_SETTINGS_MODULE": "mineralstrategi.config.settings",
            "MINERALSTRATEGI_DATA_DIR": str(data),
            "HANDBOOK_DIR": str(self.handbook),
            "SECRET_KEY": PRODUCTION["SECRET_KEY"],
            "WEB_WORKERS": "1",
            "WEB_THREADS": "2",
        }

    def argv(self, line: str, env: dict) -> list[str]:
        """The command as a list, its leading VAR=value words moved into `env`, the guide's
        folder of backups and backup name replaced by this test's, `mineralstrategi` by this
        interpreter's."""
        line = line.replace(BACKUPS, str(self.backups))
        if match := BACKUP_NAME.search(line):
            (made,) = self.backups.glob("mineralstrategi-*.sqlite3")
            line = line.replace(match.group(0), made.name)
        words = shlex.split(line)
        while re.match(r"^[A-Z_]+=", words[0]):
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        if words[0] == "mineralstrategi":
            return [sys.executable, "-m", "mineralstrategi.cli", *words[1:]]
        return words

    def start(self, line: str, **extra) -> subprocess.Popen:
        self.ran.add(line)
        env = {**self.env, **extra}
        argv = self.argv(line, env)
        log = open(self.cwd / f"log-{len(self.ran)}-{secrets.token_hex(3)}.txt", "w+")  # noqa: SIM115
        process = subprocess.Popen(
            argv, cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, text=True,
        )  # fmt: skip
        process.log = log
        return process

    def finish(self, process: subprocess.Popen, timeout: float = 180) -> str:
        process.wait(timeout=timeout)
        process.log.seek(0)
        output = process.log.read()
        process.log.close()
        assert process.returncode == 0, output
        return output

    def run(self, line: str, **extra) -> str:
        return self.finish(self.start(line, **extra))

    def wait_for_output(self, process: subprocess.Popen, text: str, timeout: float = 90) -> None:
        """Until the running `process` has written `text` to its log (or `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            # Read through a file of its own: seeking the shared one would move the child's offset.
            if text in Path(process.log.name).read_text(errors="replace"):
                return
            time.sleep(0.3)

    def stop(self, process: subprocess.Popen) -> str:
        os.killpg(process.pid, signal.SIGTERM)
        return self.finish(process, timeout=60)


def test_every_command_the_prose_names_exists():
    """`mineralstrategi …` in the guides' running text: commands the parser (and Django's parser
    of a `manage` command) accepts."""
    for chapter in (SWEDISH, ENGLISH):
        named = set(re.findall(r"`(mineralstrategi [^`]+)`", chapter.read_text()))
        assert len(named) >= 8
        for line in named:
            words = shlex.split(line)
            if len(words) == 2:  # a command named by itself (`mineralstrategi backup`)
                assert words[1] in SUBCOMMANDS, line
            else:
                assert_command_exists(words)


SUBCOMMANDS = {
    name
    for action in build_parser()._subparsers._group_actions  # the parser's own list of commands
    for name in action.choices
}


def output_of(line: str) -> list[str]:
    (command,) = {c for c in commands() if c.line == line}
    return list(command.output)


def the(prefix: str) -> str:
    """The one command of the guide that starts so."""
    (line,) = {c.line for c in commands() if c.line.startswith(prefix)}
    return line


def test_the_guides_commands_run_as_it_says(schema_folder, tmp_path):
    operator = Operator(tmp_path, schema_folder)

    # Settings: a secret key, the example settings copied.
    key = operator.run(the("python3 -c")).strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{60,}", key)
    shutil.copy(ROOT / ".env.example", operator.cwd / ".env.example")
    operator.run(the("cp .env.example"))
    assert (operator.cwd / ".env").read_text() == (ROOT / ".env.example").read_text()

    # The database; then the geography and the first administrator, side by side.
    assert "No migrations to apply" in operator.run("mineralstrategi manage migrate")
    first = {
        line: operator.start(line)
        for line in ("mineralstrategi manage load_geography", the("DJANGO_SUPERUSER_PASSWORD="))
    }
    for line, process in first.items():
        assert operator.finish(process).splitlines() == output_of(line)

    # What reads or writes apart runs side by side: the production check, the static files of
    # the web server run apart, the search vectors, the housekeeping, a second factor's reset, a
    # backup and the handbook.
    deploy_check = operator.start("mineralstrategi manage check --deploy", **PRODUCTION)
    collect = operator.start(
        "mineralstrategi manage collectstatic --noinput", STATIC_ROOT=str(tmp_path / "apart")
    )
    apart = {
        line: operator.start(line)
        for line in (
            "mineralstrategi manage search_rebuild",
            "mineralstrategi manage housekeeping --now",
            "mineralstrategi manage two_step_reset drift",
            f"mineralstrategi backup {BACKUPS}",
            "mineralstrategi handbook --sources docs",
        )
    }
    assert operator.finish(deploy_check).splitlines() == output_of(
        "mineralstrategi manage check --deploy"
    )
    said = {line: operator.finish(process) for line, process in apart.items()}
    assert "only PostgreSQL stores search vectors" in said["mineralstrategi manage search_rebuild"]
    assert (
        "housekeeping clear_sessions: removed" in said["mineralstrategi manage housekeeping --now"]
    )
    assert "second factor(s) of drift" in said["mineralstrategi manage two_step_reset drift"]
    assert "integrity checked" in said[f"mineralstrategi backup {BACKUPS}"]
    operator.finish(collect)
    assert (tmp_path / "apart" / "staticfiles.json").exists()
    assert "Handbook built into" in said["mineralstrategi handbook --sources docs"]
    for language in ("sv", "en"):
        assert (operator.handbook / language / "drift" / "index.html").is_file()

    # One server as the first task starts it (collecting its own static files), and the three
    # parts apart as compose runs them; `curl /healthz` answers from both web servers.
    ports = free_port(), free_port()
    servers = [
        operator.start(
            "mineralstrategi serve", PORT=str(ports[0]), STATIC_ROOT=str(tmp_path / "static")
        ),
        operator.start(
            "mineralstrategi serve --no-worker --no-scheduler --no-collectstatic",
            PORT=str(ports[1]),
            STATIC_ROOT=str(tmp_path / "apart"),
        ),
        operator.start("mineralstrategi manage task_worker"),
        operator.start("mineralstrategi manage scheduler"),
    ]
    try:
        dry_run = operator.start(_restore(False))
        curl = the("curl ")
        operator.ran.add(curl)  # run below on each server's port instead of 8000
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/healthz")
            answer = operator.run(curl.replace(":8000/", f":{port}/"))
            shown = json.loads(output_of(curl)[0])
            assert json.loads(answer) == {**shown, "vendor": "sqlite"}
        assert "Dry run:" in operator.finish(dry_run)
        # Under load the task workers may still be starting when the web servers answer.
        for worker in (servers[0], servers[2]):
            operator.wait_for_output(worker, "Starting worker")
    finally:
        said = [operator.stop(process) for process in servers]
    assert "Starting worker" in said[0] and "Starting worker" in said[2]  # serve's and apart
    assert "housekeeping" in said[3] or "housekeeping" in said[0]

    # The restore for real, with the servers stopped.
    restored = operator.run(_restore(True))
    assert "every table now matches the manifest" in restored

    runnable = {c.line for c in commands() if c.line.split()[0] not in ELSEWHERE}
    assert runnable - operator.ran == set()


def _restore(for_real: bool) -> str:
    (line,) = {
        c.line
        for c in commands()
        if c.line.startswith("mineralstrategi restore")
        and c.line.endswith("--for-real") == for_real
    }
    return line
