"""The README's commands, run as a user runs them: a real process, a real port, Ctrl-C."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from mineralstrategi import cli
from tests.conftest import free_port


def wait_for(url: str, timeout: float = 180) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


# The demo runs on SQLite whatever DATABASE_URL says; CI runs it once, in its PostgreSQL run,
# which has more room (the SQLite run has the browser tests of what pages render).
@pytest.mark.postgresql_in_ci
def test_demo_serves_the_platform_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    process = subprocess.Popen(
        [sys.executable, "-m", "mineralstrategi.cli", "demo", "--port", str(port), "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    log = tmp_path / "logs" / "demo.log"
    try:
        health = json.loads(wait_for(f"http://127.0.0.1:{port}/healthz"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            "Starting worker" in _text(log) and any("3. Run the year's" in line for line in lines)
        ):
            time.sleep(0.2)
        home = wait_for(f"http://127.0.0.1:{port}/").decode()
        script = re.search(r'src="(/static/mineralstrategi/js/site\.[0-9a-f]{12}\.js)"', home)
        static = wait_for(f"http://127.0.0.1:{port}{script.group(1)}")
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        process.wait(timeout=30)
        reader.join(timeout=5)
        process.stdout.close()
    output = "".join(lines)

    assert health == {"status": "ok", "database": "ok", "vendor": "sqlite"}
    assert "Norrbottens län" in home
    assert b"speechSynthesis" in static
    # What a first visitor needs is printed last, after the servers' start, and stays in view:
    # the logins, the two-step key and three things to try; the mails and logs went to files.
    welcome = output[output.index("Mineralstrategi runs at") : output.index("Stopping")]
    assert "skelleftea" in welcome and "mineral-demo-2014" in welcome  # the demo logins
    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in welcome  # the demo's two-step key
    assert f"log in as redaktor, then http://127.0.0.1:{port}/uppfoljning/" in welcome
    assert len(output.splitlines()) < 40, output
    assert "Content-Type:" not in output and "Starting worker" not in output
    assert "Starting worker" in _text(log)  # the background-task worker ran
    assert list((tmp_path / "mail").glob("*.log"))  # the demo's invitation mails, as files
    assert process.returncode == 0
    time.sleep(0.5)
    assert not group_alive(process.pid), "a server or worker process outlived Ctrl-C"
    assert (tmp_path / "mineralstrategi.sqlite3").exists()


def _text(path) -> str:
    return path.read_text() if path.exists() else ""


def test_serve_refuses_to_start_without_a_secret_key(monkeypatch, capsys):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    assert cli.main(["serve"]) == 2
    assert "SECRET_KEY" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["--help"], "backup"),
        (["demo", "--help"], "--data-dir"),
        (["manage", "help"], "migrate"),
    ],
)
def test_the_commands_explain_themselves(argv, text, capsys):
    try:
        status = cli.main(argv)
    except SystemExit as exit:  # argparse's --help ends the program
        status = exit.code
    assert status in (0, None)
    assert text in capsys.readouterr().out


@pytest.mark.postgresql_in_ci  # CI runs it once, in the PostgreSQL run (production's database)
def test_serve_runs_the_production_server_from_environment_settings(tmp_path):
    """With the production variables (and on PostgreSQL when DATABASE_URL names it, as in CI):
    refused before the database is migrated, then served."""
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "s" * 50,
        "MINERALSTRATEGI_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
    }
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith("postgres"):
        env["DATABASE_URL"] = database.rsplit("/", 1)[0] + "/mineralstrategi_serve_test"
        subprocess.run(
            ["psql", database, "-qc", "DROP DATABASE IF EXISTS mineralstrategi_serve_test"],
            check=True,
        )
        subprocess.run(
            ["psql", database, "-qc", "CREATE DATABASE mineralstrategi_serve_test"], check=True
        )
    # Not migrated yet: serve refuses and says what to run, rather than migrating on its own.
    refused = subprocess.run(
        [sys.executable, "-m", "mineralstrategi.cli", "serve", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "mineralstrategi manage migrate" in refused.stderr
    subprocess.run(
        [sys.executable, "-m", "mineralstrategi.cli", "manage", "migrate", "-v0"],
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mineralstrategi.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-collectstatic",  # collected in the demo's test (half a minute under CI's load)
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        health = json.loads(wait_for(f"http://127.0.0.1:{port}/healthz"))
        home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    assert health["status"] == "ok"
    assert health["vendor"] == ("postgresql" if database.startswith("postgres") else "sqlite")
    assert "Content-Security-Policy" in home.headers
    assert process.returncode == 0


def test_serve_caps_the_connections_a_web_worker_holds(monkeypatch):
    """So that one threaded worker cannot take every keep-alive connection (benchmarks/RESULTS.md)."""
    from mineralstrategi.cli import _server_commands

    def option(command, name):
        return command[command.index(name) + 1]

    web = _server_commands("127.0.0.1", 8000, 3, False, 4)["web server"]
    assert option(web, "--worker-connections") == "16"
    monkeypatch.setenv("WEB_CONNECTIONS", "40")
    web = _server_commands("127.0.0.1", 8000, 3, False, 4)["web server"]
    assert option(web, "--worker-connections") == "40"


def test_serve_runs_the_task_worker_with_leases_and_the_scheduler_unless_told_not_to():
    from mineralstrategi.cli import _server_commands, build_parser

    commands = _server_commands("127.0.0.1", 8000, 3, True, 4)
    assert commands["task worker"][3:5] == ["manage", "task_worker"]
    assert commands["scheduler"][3:] == ["manage", "scheduler"]
    alone = _server_commands("127.0.0.1", 8000, 3, False, 4, with_scheduler=False)
    assert set(alone) == {"web server"}
    assert build_parser().parse_args(["serve", "--no-scheduler"]).no_scheduler
