# ruff: noqa: T201 — a script run by hand reports through print
"""Parse time and peak memory of the ingest parsers on 1,000,000-row files (run by hand).

    python benchmarks/ingest_parse.py [--rows 1000000] [--dir /tmp/ingest-bench] [--collect]

Writes a long-layout CSV and a JSON-stat 2.0 dataset of ROWS observations, then parses each in a
fresh process (so the memory figures are the parser's own): once for the time and the peak
resident memory (ru_maxrss), once under tracemalloc for the peak of Python allocations. With
--collect it also keeps every record in a list (`parse_all`), to show what streaming saves.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from mineralstrategi.ingest.values import COUNTY_CODES

COUNTIES = sorted(COUNTY_CODES)


def geography_codes(count: int) -> list[str]:
    """Valid-looking municipality codes: a county code and two digits (not 00)."""
    return [f"{county}{number:02d}" for number in range(1, 100) for county in COUNTIES][:count]


def months(count: int) -> list[str]:
    return [f"{1900 + index // 12}M{index % 12 + 1:02d}" for index in range(count)]


def write_csv(path: Path, rows: int) -> None:
    geos, periods = geography_codes(250), months(1000)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("geo;period;value;status;sex\n")
        for index in range(rows):
            geo = geos[index % len(geos)]
            period = periods[(index // len(geos)) % len(periods)].replace("M", "-")
            status = "p" if index % 97 == 0 else ""
            handle.write(
                f"{geo};{period};{index % 10007},{index % 10};{status};{'KM'[index % 2]}\n"
            )


def write_jsonstat(path: Path, rows: int) -> None:
    geos, contents = geography_codes(250), ["A", "B", "C", "D"]
    periods = months(max(1, rows // (len(geos) * len(contents))))
    total = len(geos) * len(contents) * len(periods)
    head = {
        "version": "2.0",
        "class": "dataset",
        "label": "benchmark (example data)",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(geos), len(contents), len(periods)],
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"category": {"index": {code: i for i, code in enumerate(geos)}}},
            "ContentsCode": {"category": {"index": contents}},
            "Tid": {"category": {"index": periods}},
        },
    }
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(head)[:-1] + ', "value": [')
        for index in range(total):
            if index:
                handle.write(",")
            handle.write("null" if index % 101 == 0 else f"{index % 10007}.{index % 10}")
        handle.write("]}")


def measure(path: Path, format: str, collect: bool) -> dict:
    """Run in a fresh process: time and peak RSS, then the tracemalloc peak in a second pass."""
    from mineralstrategi.ingest import check, parse_all

    read = parse_all if collect else check
    start = time.perf_counter()
    result = read(path, format)
    seconds = time.perf_counter() - start
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    read(path, format)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "format": format,
        "records": result.record_count,
        "faults": result.error_count,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_rss / 1e6, 1),
        "tracemalloc_peak_mb": round(traced_peak / 1e6, 1),
        "mode": "collect" if collect else "stream",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--collect", action="store_true", help="also keep every record")
    parser.add_argument("--measure", nargs=2, metavar=("FILE", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--collect-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1], args.collect_one)))
        return
    folder = args.dir or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    files = {"csv": folder / "observations.csv", "jsonstat": folder / "observations.json"}
    for format, path in files.items():
        start = time.perf_counter()
        (write_csv if format == "csv" else write_jsonstat)(path, args.rows)
        size = path.stat().st_size / 1e6
        print(f"wrote {path} ({size:.1f} MB) in {time.perf_counter() - start:.1f} s", flush=True)
    modes = [False, True] if args.collect else [False]
    print(
        "| format | mode | records | faults | parse time (s) | peak RSS (MB) | tracemalloc peak (MB) |"
    )
    print("|---|---|---|---|---|---|---|")
    for format, path in files.items():
        for collect in modes:
            command = [sys.executable, __file__, "--measure", str(path), format]
            command += ["--collect-one"] if collect else []
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            row = json.loads(done.stdout)
            print(
                f"| {row['format']} | {row['mode']} | {row['records']:,} | {row['faults']} | "
                f"{row['seconds']} | {row['peak_rss_mb']} | {row['tracemalloc_peak_mb']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
