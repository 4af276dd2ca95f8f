"""Real worker and scheduler processes (`manage task_worker`, `manage scheduler`) sharing a
database of their own, SQLite in a file or PostgreSQL when DATABASE_URL names it: a worker killed
with kill -9 in the middle of a task loses it to the other, which finishes it as the second
attempt; a task that kills every worker running it ends failed after TASK_MAX_ATTEMPTS, with the
reason; two schedulers started together run each due housekeeping job once between them."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

# Minutes of process start-ups: CI runs them once, in its PostgreSQL run (the fleet's database);
# the leases' own rules run on both databases (test_leases.py).
pytestmark = pytest.mark.postgresql_in_ci

LEASE_SECONDS = 2
MAX_ATTEMPTS = 2  # the fewest that still shows a task taken up again and then failed


@pytest.fixture(scope="module")
def drill_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leases")
    env = {
        **os.environ,
        "SECRET_KEY": "s" * 50,
        "MINERALSTRATEGI_DATA_DIR": str(folder),
        "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
        "TASK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])),
    }
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith("postgres"):
        name = f"{database.rsplit('/', 1)[1]}_leases_drill"
        env["DATABASE_URL"] = f"{database.rsplit('/', 1)[0]}/{name}"
        server = f"{database.rsplit('/', 1)[0]}/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", server, "-qc", sql], check=True)
    drill(env, "setup")
    return env


def drill(env, *arguments) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tests.ops.drill", *arguments],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def query(env, sql: str, parameters=()) -> list:
    """Rows read straight from the drill's database (a Django process more would take seconds
    to start on a busy machine); `sql` with {} for each parameter's placeholder."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as connection:
            return connection.execute(sql.format(*["%s"] * len(parameters)), parameters).fetchall()
    path = Path(env["MINERALSTRATEGI_DATA_DIR"]) / "mineralstrategi.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql.format(*["?"] * len(parameters)), parameters).fetchall()


def state(env, task_id: str) -> dict:
    """The task's row and its lease."""
    from django_tasks_db.models import DBTaskResult

    from mineralstrategi.ops.models import TaskLease

    sql = (
        "SELECT t.status, t.worker_ids, t.return_value, t.traceback, l.attempt "
        f"FROM {DBTaskResult._meta.db_table} t "
        f"LEFT JOIN {TaskLease._meta.db_table} l ON l.task_id = t.id WHERE t.id = {{}}"
    )
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    (row,) = query(env, sql, [task_id if postgres else uuid.UUID(task_id).hex])
    status, worker_ids, return_value, traceback, attempt = row
    as_json = lambda value: json.loads(value) if isinstance(value, str) else value  # noqa: E731
    return {
        "status": status,
        "worker_ids": as_json(worker_ids),
        "return_value": as_json(return_value),
        "traceback": traceback,
        "attempt": attempt,
    }


class Workers:
    """Task workers started, and killed, by the test; each one's output in a file."""

    def __init__(self, env, folder: Path):
        self.env, self.folder, self.started, self.logs = env, folder, [], []

    def start(self, worker_id: str) -> subprocess.Popen:
        log = (self.folder / f"{worker_id}.log").open("w")
        self.logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable, "-m", "mineralstrategi.cli", "manage", "task_worker",
                "--worker-id", worker_id, "--interval", "0.2", "--no-startup-delay",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
        for log in self.logs:
            log.close()


@pytest.fixture
def workers(drill_env, tmp_path):
    started = Workers(drill_env, tmp_path)
    yield started
    started.stop_all()


def wait_until(condition, timeout: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_task_of_a_worker_killed_mid_task_is_finished_by_the_other(drill_env, workers, tmp_path):
    both = {workers.start("host-a-1").pid: "host-a-1", workers.start("host-b-1").pid: "host-b-1"}
    task_id = drill(drill_env, "enqueue", "slow", str(tmp_path), "4")
    wait_until(lambda: list(tmp_path.glob("started-*")), what="a worker to take the task")
    first = int(next(tmp_path.glob("started-*")).name.split("-")[1])
    (second,) = set(both) - {first}

    os.kill(first, signal.SIGKILL)

    wait_until(lambda: (tmp_path / f"finished-{second}").exists(), what="the other to finish")
    wait_until(lambda: state(drill_env, task_id)["status"] == "SUCCESSFUL", what="its result")
    result = state(drill_env, task_id)
    assert result["attempt"] == 2
    assert result["worker_ids"] == [both[first], both[second]]
    assert result["return_value"] == second
    assert not (tmp_path / f"finished-{first}").exists()


def test_a_task_that_kills_every_worker_fails_after_the_last_attempt(drill_env, workers, tmp_path):
    """One worker for each attempt, and one more, which finds the last lease expired."""
    for number in range(MAX_ATTEMPTS + 1):
        workers.start(f"host-{number}")
    task_id = drill(drill_env, "enqueue", "fatal", str(tmp_path))

    wait_until(
        lambda: state(drill_env, task_id)["status"] == "FAILED", timeout=300, what="the failure"
    )

    result = state(drill_env, task_id)
    assert result["attempt"] == MAX_ATTEMPTS
    assert len(list(tmp_path.glob("attempt-*"))) == MAX_ATTEMPTS
    assert f"stopped during every attempt ({MAX_ATTEMPTS}:" in result["traceback"]
    assert sum(process.poll() is None for process in workers.started) == 1
    time.sleep(LEASE_SECONDS * 2)  # the worker left takes it up no more
    assert len(list(tmp_path.glob("attempt-*"))) == MAX_ATTEMPTS
    assert state(drill_env, task_id)["status"] == "FAILED"


def test_two_schedulers_started_together_run_each_due_job_once(drill_env, tmp_path):
    from mineralstrategi.ops.housekeeping import JOBS
    from mineralstrategi.ops.models import ScheduledJob

    schedulers = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mineralstrategi.cli",
                "manage",
                "scheduler",
                "--once",
                "--id",
                name,
            ],
            env=drill_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for name in ("host-a-scheduler", "host-b-scheduler")
    }
    logs = {name: process.communicate(timeout=300)[0] for name, process in schedulers.items()}

    rows = query(drill_env, f"SELECT name, last_run_by FROM {ScheduledJob._meta.db_table}")
    assert {name for name, _ in rows} == set(JOBS)
    for job, ran_by in rows:
        assert ran_by in schedulers
        assert f"housekeeping {job}: removed" in logs[ran_by]
        (other,) = set(schedulers) - {ran_by}
        assert f"housekeeping {job}:" not in logs[other]
