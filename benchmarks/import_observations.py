"""Import throughput: 1,000,000 observations from CSV and from JSON-stat, against a bare bulk insert.

Run by hand (not in CI), on SQLite (default: a fresh data folder) or PostgreSQL (DATABASE_URL):

    python benchmarks/import_observations.py --rows 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_bench python benchmarks/import_observations.py

Each measurement runs in its own process into an empty indicator, so its peak RSS is its own.
"bulk insert" builds the same rows as model objects (no file, no parsing, no lookups) and writes
them with `bulk_create` in batches of 5,000 inside one transaction: the floor for this database.
The imports go through the real service (`import_run`): parse, validate, look up existing rows,
write, all in one transaction.
"""

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()


def codes() -> list[str]:
    from mineralstrategi.organisations.geography import read_counties, read_municipalities

    return [c.code for c in read_counties()] + [m.code for m in read_municipalities()]


def months(count: int) -> list[str]:
    return [f"{1800 + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def keys(rows: int):
    places = codes()
    periods = months(rows // len(places) + 1)
    for index in range(rows):
        yield places[index % len(places)], periods[index // len(places)], float(index % 10007)


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("geo,period,value\n")
        for geo, period, value in keys(rows):
            handle.write(f"{geo},{period},{value}\n")


def write_jsonstat(path: Path, rows: int) -> None:
    spec = importlib.util.spec_from_file_location("ingest_parse", HERE / "ingest_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_jsonstat(path, rows)


def fresh_indicator(name: str):
    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.organisations.models import Organisation
    from mineralstrategi.organisations.services import geography_load

    geography_load()
    owner = Organisation.objects.order_by("pk").first()
    Indicator.objects.filter(code=name).delete()
    return Indicator.objects.create(
        code=name, name=name, definition="benchmark", unit="x", dimension="economic",
        desired_direction="increase", source_organisation="benchmark", owner=owner,
    )  # fmt: skip


def run_bulk(rows: int) -> dict:
    from django.db import transaction

    from mineralstrategi.indicators.models import Observation

    indicator = fresh_indicator("bench-bulk")
    level = {2: "county", 4: "municipality"}
    started = time.perf_counter()
    with transaction.atomic():
        batch = []
        for geo, period, value in keys(rows):
            batch.append(
                Observation(
                    indicator=indicator,
                    geo_level=level[len(geo)],
                    geo_code=geo,
                    period=period,
                    value=value,
                )
            )
            if len(batch) == 5000:
                Observation.objects.bulk_create(batch)
                batch = []
        Observation.objects.bulk_create(batch)
    return {"seconds": time.perf_counter() - started, "rows": rows}


def run_import(path: Path, format: str, again: bool) -> dict:
    from mineralstrategi.indicators.models import ImportJob
    from mineralstrategi.indicators.services import import_create, import_run

    indicator = fresh_indicator(f"bench-{format}")
    result = {}
    for attempt in ("first", "again") if again else ("first",):
        job = import_create(
            path=path,
            file_name=path.name,
            kind=ImportJob.Kind.OBSERVATIONS,
            indicator=indicator,
            format=format,
        )
        started = time.perf_counter()
        job = import_run(job, path)
        result[attempt] = {
            "seconds": time.perf_counter() - started, "status": job.status, "read": job.rows_read,
            "created": job.created, "unchanged": job.unchanged, "faults": job.errors[:3],
        }  # fmt: skip
    return result


def child(args) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.child == "bulk":
        result = run_bulk(args.rows)
    else:
        result = run_import(Path(args.file), args.child, args.again)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["database"] = connection.vendor
    print(json.dumps(result))


def measure(kind: str, rows: int, env: dict, file: Path | None = None, again: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--rows", str(rows)]
    if file:
        command += ["--file", str(file)]
    if again:
        command.append("--again")
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--again", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        env = dict(os.environ)
        env.setdefault("MINERALSTRATEGI_DATA_DIR", str(folder / "data"))
        csv_path, jsonstat_path = folder / "observations.csv", folder / "observations.json"
        write_csv(csv_path, args.rows)
        write_jsonstat(jsonstat_path, args.rows)
        bulk = measure("bulk", args.rows, env)
        print(f"database: {bulk['database']}, rows: {args.rows:,}")
        print(
            f"bare bulk insert      {bulk['seconds']:7.1f} s   peak RSS {bulk['peak_rss_mb']:6.0f} MB"
        )
        for format, path in (("csv", csv_path), ("jsonstat", jsonstat_path)):
            result = measure(format, args.rows, env, path, again=True)
            first, again = result["first"], result["again"]
            ratio = first["seconds"] / bulk["seconds"]
            print(
                f"import {format:<9}      {first['seconds']:7.1f} s   peak RSS {result['peak_rss_mb']:6.0f} MB"
                f"   {ratio:.2f}× the bulk insert   ({first['status']}, created {first['created']:,})"
            )
            print(
                f"  same file again     {again['seconds']:7.1f} s   ({again['status']}, unchanged {again['unchanged']:,})"
            )


if __name__ == "__main__":
    main()
