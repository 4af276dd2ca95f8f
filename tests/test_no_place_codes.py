"""No county or municipality is written into the product: maps, lists, filters and reports take
their places from the strategy (its counties) or from the data. A string constant equal to a
county or municipality code from the reference data (organisations/data/*.csv) fails this test
anywhere in src/mineralstrategi outside the demo and the migrations, unless it is in ALLOWED,
each entry with the reason it is not a place."""

import ast
import csv
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mineralstrategi"
DATA = PACKAGE / "organisations" / "data"

#: (file under src/mineralstrategi, constant) -> why it is not a place.
ALLOWED = {
    ("cli.py", "10"): "gunicorn's graceful timeout in seconds",
    ("config/settings.py", "20"): "SQLITE_TIMEOUT's default in seconds",
    ("config/settings.py", "25"): "EMAIL_PORT's default, the SMTP port",
    ("reports/followup.py", "12"): "December, the last month of a year in a period 2025-12",
}


def place_codes() -> set[str]:
    codes = set()
    for name, column in [
        ("counties.csv", "county_code"),
        ("municipality_county.csv", "municipality_code"),
        ("municipality_names.csv", "municipality_code"),
    ]:
        with (DATA / name).open(encoding="utf-8", newline="") as file:
            codes |= {row[column] for row in csv.DictReader(file)}
    return codes


def product_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "demo" or "migrations" in relative.parts:
            continue
        yield relative.as_posix(), path


def place_literals() -> list[tuple[str, int, str]]:
    codes = place_codes()
    found = []
    for name, path in product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in codes:
                found.append((name, node.lineno, node.value))
    return found


def test_the_reference_data_is_read():
    codes = place_codes()
    assert len([code for code in codes if len(code) == 2]) == 21
    assert len([code for code in codes if len(code) == 4]) == 290


def test_no_county_or_municipality_code_is_written_into_the_product():
    written = [
        f"{name}:{line} {value!r}"
        for name, line, value in place_literals()
        if (name, value) not in ALLOWED
    ]
    assert not written, "Take places from the strategy or the data:\n" + "\n".join(written)


def test_every_allowed_constant_is_still_there():
    """An entry whose constant is gone is removed, so the list stays the short list it is."""
    present = {(name, value) for name, _, value in place_literals()}
    assert set(ALLOWED) <= present
