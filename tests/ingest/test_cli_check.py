"""`mineralstrategi check FILE`: counts, every fault, exit code; no Django needed."""

import subprocess
import sys

import pytest
from ingest_helpers import DATA, METALS_CSV

from mineralstrategi import cli


def test_a_valid_file(capsys):
    assert cli.main(["check", str(METALS_CSV)]) == 0
    out = capsys.readouterr().out
    assert f"{METALS_CSV}: format prices-csv, 7790 records" in out
    assert "No faults: the file can be imported." in out


def test_a_file_with_faults_lists_each_one(tmp_path, capsys):
    path = tmp_path / "observations.csv"
    path.write_text(
        "Year;GeoCode;Value\n2021;25;1,5\n2022;Kiruna;2\n2023;25;n/a\n", encoding="utf-8"
    )
    assert cli.main(["check", str(path), "--format", "opensdg-csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: format opensdg-csv, 1 record"
    assert lines[1].startswith(
        "  observations.csv, row 3, field 'GeoCode': 'Kiruna' is not a Swedish"
    )
    assert lines[2] == "  observations.csv, row 4, field 'Value': 'n/a' is not a number"
    assert lines[3] == "2 faults: the file cannot be imported as it is."


def test_a_file_of_the_wrong_kind(tmp_path, capsys):
    path = tmp_path / "prices.xlsx"
    path.write_bytes(METALS_CSV.read_bytes())
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "prices.xlsx: the name says an .xlsx workbook (.xlsx) but the file is CSV text" in out
    assert "1 fault: the file cannot be imported as it is." in out


def test_an_unknown_format_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["check", str(METALS_CSV), "--format", "sdmx"])
    assert stopped.value.code == 2
    assert "invalid choice: 'sdmx'" in capsys.readouterr().err


def test_check_runs_without_django():
    """The command reads the file with the pure ingest package only: Django is never imported."""
    program = (
        "import sys; from mineralstrategi import cli; "
        f"code = cli.main(['check', {str(DATA / 'scb_population_jsonstat2.json')!r}]); "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'; "
        "sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "format jsonstat, 12 records" in done.stdout


def test_the_ingest_package_imports_nothing_of_django_or_other_apps():
    program = (
        "import sys, mineralstrategi.ingest; "
        "bad = [m for m in sys.modules if m.startswith('django') or "
        "(m.startswith('mineralstrategi.') and not m.startswith('mineralstrategi.ingest'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_faults_beyond_ten_thousand_are_counted(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    rows = "".join(f"25,2020,x{row}\n" for row in range(10_003))  # each fault its own
    path.write_text("geo,period,value\n" + rows, encoding="utf-8")
    assert cli.main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 10_000 + 2
    assert lines[-2] == "  … and 3 more faults, not listed"
    assert lines[-1] == "10003 faults: the file cannot be imported as it is."


def test_the_same_fault_on_many_rows_is_listed_once_and_summed_up(tmp_path, capsys):
    path = tmp_path / "foreign.csv"
    path.write_text("geo,period,value\n" + "K03000001,2020,1\n" * 400 + "25,2020,x\n")

    assert cli.main(["check", str(path)]) == 1

    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  foreign.csv, row 2, field 'geo': 'K03000001' is not a Swedish geography code "
        "(expected SE or 00 for the nation, a two-digit county code like 25, or a four-digit "
        "municipality code like 2580)",
        "  foreign.csv, row 402, field 'value': 'x' is not a number",
        "  foreign.csv, field 'geo': the same fault in 399 more rows (rows 3–401): 'K03000001' is "
        "not a Swedish geography code (expected SE or 00 for the nation, a two-digit county code "
        "like 25, or a four-digit municipality code like 2580)",
        "401 faults: the file cannot be imported as it is.",
    ]
