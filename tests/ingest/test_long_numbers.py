"""A JSON number of thousands of digits in an uploaded file: a fault of the file, never a crash.

ijson's C backend crashed the whole process (a segmentation fault) on an integer of more than
4,300 digits unless it parses numbers itself (`json_files.json_events` and its siblings), so
each reader runs here in a process of its own: a crash would fail the test rather than end the
test run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
DIGITS = "9" * 5000

READ = """
import json, sys
from pathlib import Path
from mineralstrategi import ingest
from mineralstrategi.ingest.estimate import estimate_records

path, format = Path(sys.argv[1]), sys.argv[2] or None
faults = [str(error) for error in ingest.check(path, format).errors]
print(json.dumps({"faults": faults, "estimate": estimate_records(path, format or "jsonstat")}))
"""


def jsonstat(where: str) -> str:
    body = {
        "version": "2.0", "class": "dataset", "id": ["Tid", "Region"], "size": [1, 1],
        "dimension": {
            "Tid": {"category": {"index": ["2024"]}},
            "Region": {"category": {"index": ["25"]}},
        },
        "value": [1], "status": ["p"],
    }  # fmt: skip
    text = json.dumps(body)
    marks = {"size": ('"size": [1, 1]', f'"size": [{DIGITS}, 1]'),
             "value": ('"value": [1]', f'"value": [{DIGITS}]'),
             "status": ('"status": ["p"]', f'"status": [{DIGITS}]'),
             "anywhere": ('"version"', f'"extension": {{"n": {DIGITS}}}, "version"')}  # fmt: skip
    old, new = marks[where]
    return text.replace(old, new)


KOLADA = '{"values": [{"kpi": "N00945", "municipality": "2584", "period": 2024, "values": ' + (
    f'[{{"gender": "T", "value": {DIGITS}}}]}}]}}'
)


@pytest.mark.parametrize(
    ("text", "format"),
    [
        (jsonstat("size"), ""),  # found from the content: the detection reads it first
        (jsonstat("size"), "jsonstat"),  # asked for: the estimate reads the sizes first
        (jsonstat("value"), "jsonstat"),
        (jsonstat("status"), "jsonstat"),
        (jsonstat("anywhere"), ""),
        (KOLADA, "kolada"),
    ],
)
def test_a_number_of_5000_digits_is_a_fault_of_the_file(tmp_path, text, format):
    path = tmp_path / "tal.json"
    path.write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }

    done = subprocess.run(
        [sys.executable, "-c", READ, str(path), format],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    result = json.loads(done.stdout)
    assert len(result["faults"]) == 1
    assert result["faults"][0].startswith("tal.json")
    assert "integer overflow" in result["faults"][0]
    assert result["estimate"] in (None, 1)  # the sizes, where they come before the number
