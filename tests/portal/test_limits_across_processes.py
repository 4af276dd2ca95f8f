"""The comment limit holds across processes: three web processes, each with its own memory and
no shared cache (no Redis), post comments from one address at the same moment against one
database; together they are let through exactly COMMENT_RATE_LIMIT, though each alone sends
fewer. (Counted in each process's cache, as it once was, each would have let all of its own
through.)

On PostgreSQL the processes use the test database itself; on SQLite, whose test database is in
this process's memory, a copy of it in a file (VACUUM INTO, as tests/ops/test_backup.py does).
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from mineralstrategi.portal import services
from mineralstrategi.portal.models import Comment

LIMIT = 5
PROCESSES = 3
EACH = 3  # fewer than LIMIT: no process alone would meet the limit; together they pass it
SRC = Path(__file__).resolve().parents[2] / "src"

# One web process: a test client against the database of DATABASE_URL. It warms up (imports,
# connection, templates), says it is ready and waits for the go, so that all post at once.
WEB_PROCESS = """
import sys, time
from pathlib import Path

import django

django.setup()
from django.test import Client

ready, go, url, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
client = Client()
assert client.get(url).status_code == 200
ready.touch()
while not go.exists():
    time.sleep(0.005)
for number in range(int(sys.argv[5])):
    answer = client.post(
        url, {"name": name, "email": f"{name}{number}@example.se", "body": "Bra!", "website": ""}
    )
    refused = "För många inskick på kort tid." in answer.content.decode()
    print(answer.status_code, "refused-in-swedish" if refused else "-", flush=True)
"""


def database_for_other_processes(tmp_path: Path) -> tuple[str, Path | None]:
    """(DATABASE_URL, SQLite file or None): the test database as other processes reach it."""
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        name = connection.settings_dict["NAME"]
        return urlunsplit(url._replace(path="/" + name)), None
    copy = tmp_path / "shared.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    database = sqlite3.connect(copy)
    database.execute("PRAGMA journal_mode=WAL")
    database.close()
    return f"sqlite:///{copy}", copy


def comments_stored(copy: Path | None) -> int:
    if copy is None:
        return Comment.objects.count()
    database = sqlite3.connect(copy)
    try:
        return database.execute("SELECT COUNT(*) FROM portal_comment").fetchone()[0]
    finally:
        database.close()


@pytest.mark.postgresql_in_ci  # processes start alike on either database; CI runs it once
@pytest.mark.django_db(transaction=True)
def test_three_processes_together_let_through_exactly_the_limit(editor, tmp_path):
    article = services.article_save(
        user=editor, title="Samråd om vatten", status="published", comments_open=True
    )
    url = article.get_absolute_url()
    database_url, copy = database_for_other_processes(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "MINERALSTRATEGI_DATA_DIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mineralstrategi.config.settings",
        PYTHONPATH=str(SRC),
        DATABASE_URL=database_url,
        MINERALSTRATEGI_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY="the same key in every process of the test",
        ALLOWED_HOSTS="testserver",
        COMMENT_RATE_LIMIT=str(LIMIT),
        COMMENT_RATE_WINDOW=str(600),
        COMMENT_MODERATION="post",
    )
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(PROCESSES)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WEB_PROCESS, str(ready[n]), str(go), url, f"p{n}", str(EACH)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all(path.exists() for path in ready):
            assert all(process.poll() is None for process in processes), [
                process.communicate()[1] for process in processes if process.poll() is not None
            ]
            assert time.monotonic() < deadline, "the processes did not start"
            time.sleep(0.05)
        go.touch()
        outputs = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()

    for process, (_, errors) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, errors
    answers = [line.split() for out, _ in outputs for line in out.splitlines()]
    assert len(answers) == PROCESSES * EACH
    accepted = [answer for answer in answers if answer[0] == "302"]
    refused = [answer for answer in answers if answer[0] == "429"]
    assert len(accepted) == LIMIT
    assert len(refused) == PROCESSES * EACH - LIMIT
    assert all(answer[1] == "refused-in-swedish" for answer in refused)
    assert comments_stored(copy) == LIMIT
