"""`.env.example` is the operator's list of settings: every variable the settings read is in it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""(?:environ\.get|environ\[|env_bool|env_int)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
LISTED = re.compile(r"^#? ?([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def test_every_variable_the_settings_read_is_in_the_example():
    read = set(READ.findall((ROOT / "src/mineralstrategi/config/settings.py").read_text()))
    listed = set(LISTED.findall((ROOT / ".env.example").read_text()))
    assert "DATABASE_URL" in read and "SITE_URL" in read  # the pattern finds what it should
    assert read - listed == set()
