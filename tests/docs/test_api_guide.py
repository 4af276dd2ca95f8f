"""The API chapter (docs/handbok/api.md and docs/handbook/api.md): its curl commands and Python
programs, run as a reader runs them against a live server, with a real personal key in `MS_KEY`
and the chapter's address replaced by the server's. What the chapter shows under a command or a
program is what it prints; a command shown without output answers JSON that is no error.

The example data is the chapter's: the indicator gruv-sysselsatta of Region Västerbotten, whose
strategy editor holds the key, and the file sysselsatta.csv the chapter shows, imported first by
the Python program (2 values created) and then again with curl (2 unchanged). Background tasks run
as they are queued, in the server's own thread, so that the import finishes while it is polled.
"""

import datetime
import json
import os
import re
import subprocess
import sys

import pytest
from django.utils import timezone

from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.services import api_token_create
from tests.docs import guide

# A live server and processes, the same on either database: CI runs them once.
pytestmark = pytest.mark.postgresql_in_ci

SWEDISH, ENGLISH = guide.chapters("api.md")
BASE = "https://mineralstrategi.example.se"
IMPORT_POLL = re.compile(r"/api/imports/1$")


def test_both_languages_give_the_same_examples():
    def examples(path):
        return [(b.language, b.lines) for b in guide.blocks(path)]

    assert examples(SWEDISH) == examples(ENGLISH)
    assert guide.commands(SWEDISH) == guide.commands(ENGLISH)


def python_programs() -> list[tuple[str, list[str]]]:
    """Each Python program of the chapter with the lines the chapter says it prints."""
    blocks = guide.blocks(SWEDISH)
    programs = []
    for block, after in zip(blocks, blocks[1:], strict=False):
        if block.language == "python":
            assert after.language == "text", "a program without what it prints"
            programs.append(("\n".join(block.lines), list(after.lines)))
    return programs


@pytest.fixture
def editor_key(employment, region_vasterbotten, make_member):
    """The strategy editor of the indicator's organisation and a key of theirs (every scope)."""
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR)
    return editor, api_token_create(user=editor, name="the handbook's examples")[1]


@pytest.fixture
def reader(settings, tmp_path, editor_key, live_server):
    """run(kind, text) -> what a curl command or a Python program of the chapter prints, run in
    a folder holding the chapter's file with a real key of the indicator's editor."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    _editor, key = editor_key
    (csv,) = [b for b in guide.blocks(SWEDISH) if b.language == "csv"]
    (tmp_path / "sysselsatta.csv").write_text("\n".join(csv.lines) + "\n")
    env = {**os.environ, "MS_KEY": key}

    def run(argv: list[str]) -> str:
        done = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def curl(line: str) -> str:
        assert line.startswith("curl -s ")
        return run(["bash", "-c", line.replace(BASE, live_server.url)])

    def python(program: str) -> str:
        return run([sys.executable, "-c", program.replace(BASE, live_server.url)])

    return curl, python


def test_the_examples_answer_as_the_chapter_shows(reader):
    curl, python = reader
    (reads, imports) = python_programs()
    commands = guide.commands(SWEDISH)
    import_line = next(c.line for c in commands if "-F file=@" in c.line)
    poll_line = next(c.line for c in commands if IMPORT_POLL.search(c.line) and "MS_KEY" in c.line)

    # The import in Python, first: both values are new.
    program, prints = imports
    assert python(program).splitlines() == prints

    # The same file with curl: queued, then done with nothing changed.
    queued = json.loads(curl(import_line))
    assert queued["status"] == "pending" and queued["indicator"] == "gruv-sysselsatta"
    done = json.loads(curl(IMPORT_POLL.sub(f"/api/imports/{queued['id']}", poll_line)))
    assert (done["status"], done["created"], done["unchanged"]) == ("done", 0, 2)

    # Every other command: what the chapter shows, or JSON that is no error.
    for command in commands:
        if command.line in (import_line, poll_line):
            continue
        answer = curl(command.line)
        if command.output:
            assert json.loads(answer) == json.loads("\n".join(command.output)), command.line
        else:
            data = json.loads(answer)
            assert not (isinstance(data, dict) and "detail" in data), (command.line, data)
            if "limit=2" in command.line:
                assert len(data["items"]) == 2 and data["count"] > 2

    # The reading program prints the values the import wrote.
    program, prints = reads
    assert python(program).splitlines() == prints


def test_the_errors_table_words_the_refusals_as_the_api_does(client, editor_key, tmp_path):
    """The refusals of keys the errors table quotes: made here and compared."""
    editor, key = editor_key
    text = SWEDISH.read_text()

    path = tmp_path / "values.csv"
    path.write_text("geo,period,value\n2482,2023,1\n")

    def refusal(key_text):
        with path.open("rb") as handle:
            response = client.post(
                "/api/imports",
                {"file": handle, "indicator": "gruv-sysselsatta"},
                headers={"Authorization": f"Bearer {key_text}"},
            )
        return response.status_code, response.json()["detail"]

    read_only = api_token_create(user=editor, name="read", scopes=["read"])[1]
    status, detail = refusal(read_only)
    assert status == 403 and f'`{{"detail": "{detail}"}}`' in text

    token = editor.api_tokens.get(name="the handbook's examples")
    token.expires_at = timezone.now() - datetime.timedelta(days=1)
    token.save()
    status, detail = refusal(key)
    assert status == 401
    assert detail.startswith("API key expired on ")
    assert detail.split(": ", 1)[1] in text  # "renew it or make a new one on /konto/api-nycklar/"

    assert client.get("/api/imports/1").json() == {"detail": "Unauthorized"}
    assert '`{"detail": "Unauthorized"}`' in text
    fault = client.get("/api/organisations", {"limit": 1000}).json()["detail"][0]
    assert set(fault) >= {"type", "loc", "msg"}
