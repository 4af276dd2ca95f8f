"""Failures the visitor may meet: what the platform answers when its database is gone."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
TEMPLATE_500 = SRC / "mineralstrategi" / "templates" / "500.html"

# Runs in a fresh interpreter so that settings are read from the environment given below.
REQUESTS_WITHOUT_DATABASE = """
import json
import django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
health = client.get("/healthz")
page = client.get("/organisationer/")
print(json.dumps({
    "health_status": health.status_code,
    "health_type": health["Content-Type"],
    "health_body": health.content.decode(),
    "page_status": page.status_code,
    "page_body": page.content.decode(),
}))
"""


def run_without_database(tmp_path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mineralstrategi.config.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        DATABASE_CONNECT_TIMEOUT="2",
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        MINERALSTRATEGI_DATA_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]),
    )
    completed = subprocess.run(
        [sys.executable, "-c", REQUESTS_WITHOUT_DATABASE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.sqlite_in_ci  # a fresh process; CI runs it once
def test_unreachable_database_gives_503_health_and_a_plain_error_page(tmp_path):
    result = run_without_database(tmp_path)

    assert result["health_status"] == 503
    assert result["health_type"] == "application/json"
    assert json.loads(result["health_body"]) == {
        "status": "unavailable",
        "database": "unreachable",
        "error": "OperationalError",
    }

    assert result["page_status"] == 500
    body = result["page_body"]
    assert "Traceback" not in body
    assert "OperationalError" not in body
    for text in texts_of_the_500_template():
        assert text in body


def texts_of_the_500_template() -> list[str]:
    """The headings and paragraphs of templates/500.html, which the error page must show."""
    texts = re.findall(r"<(?:h1|h2|p)[^>]*>([^<]+)</", TEMPLATE_500.read_text())
    assert len(texts) >= 2, "templates/500.html has lost its heading or its message"
    return texts
