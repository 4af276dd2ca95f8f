"""The `mineralstrategi` command: demo, serve, generate, import, manage, check and report.

`demo` runs the whole platform with its demo data on SQLite; `serve` runs it for production from
environment variables; `generate` fills a database with a large generated example data set;
`manage` passes through to Django's management commands; `check` reads a statistics file and
reports its faults without importing anything; `report followup` writes a strategy's yearly
follow-up report as PDF.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

WSGI_APP = "mineralstrategi.config.wsgi:application"


def _setup_django(data_dir: str | None = None, *, demo: bool = False) -> None:
    if data_dir:
        os.environ["MINERALSTRATEGI_DATA_DIR"] = str(Path(data_dir).resolve())
    if demo:
        os.environ["MINERALSTRATEGI_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()


def _run_processes(commands: dict[str, list[str]]) -> int:
    """Start the processes, wait until one ends or Ctrl-C, then stop the rest cleanly."""
    processes = {name: subprocess.Popen(command) for name, command in commands.items()}
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped (exit code {process.returncode}); stopping the rest.")
                    exit_code = process.returncode or 1
                    stopping = True
            time.sleep(0.2)
    finally:
        print("Stopping …", flush=True)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    print("Stopped.")
    return exit_code


def _server_commands(host: str, port: int, workers: int, with_worker: bool) -> dict:
    commands = {
        "web server": [
            sys.executable, "-m", "gunicorn", WSGI_APP,
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "--graceful-timeout", "10",
        ],
    }  # fmt: skip
    if with_worker:
        commands["task worker"] = [
            sys.executable,
            "-m",
            "mineralstrategi.cli",
            "manage",
            "db_worker",
        ]
    return commands


def demo(args: argparse.Namespace) -> int:
    _setup_django(args.data_dir, demo=True)
    from django.conf import settings
    from django.core.management import call_command

    from mineralstrategi.demo.accounts import demo_totp_secret
    from mineralstrategi.demo.loader import demo_load, demo_logins

    print(f"Data folder: {settings.DATA_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    result = demo_load()
    print(
        "Demo data loaded: "
        + (", ".join(f"{n} {what}" for what, n in result.created.items()) or "already up to date")
    )
    print(f"\nMineralstrategi runs at http://{args.host}:{args.port}/ (Ctrl-C stops it).")
    print("Demo logins (example accounts, demo only):")
    for username, password, what in demo_logins():
        print(f"  {username:<12} {password:<20} {what}")
    print(
        "Two-step verification (staff, superuser, organisation administrators): after the\n"
        f"password, type the code of the demo key {demo_totp_secret()} from an authenticator\n"
        f"app, or from: oathtool --totp -b {demo_totp_secret()}"
    )
    print(flush=True)
    return _run_processes(_server_commands(args.host, args.port, args.workers, True))


def generate(args: argparse.Namespace) -> int:
    """Fill the database (DATABASE_URL, else the data folder's SQLite) with a generated data set."""
    _setup_django(None if os.environ.get("DATABASE_URL") else args.data_dir)
    from django.core.management import call_command

    from mineralstrategi.demo.generate import GeneratedDataExists, database_label, thousands
    from mineralstrategi.demo.generate import generate as generate_data

    print(f"Database: {database_label()}; scale {args.scale}, seed {args.seed}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    try:
        result = generate_data(args.scale, args.seed, out=lambda line: print(line, flush=True))
    except GeneratedDataExists as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Generated the {result.scale} data set (seed {result.seed}) in {result.elapsed:.1f} s:")
    for what, number in result.counts.items():
        print(f"  {thousands(number):>10} {what}")
    return 0


def serve(args: argparse.Namespace) -> int:
    if not os.environ.get("SECRET_KEY"):
        print(
            "SECRET_KEY is not set: `serve` is for production (see .env.example).", file=sys.stderr
        )
        return 2
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        print(
            f"{len(pending)} migrations are not applied; run `mineralstrategi manage migrate` first.",
            file=sys.stderr,
        )
        return 2
    call_command("collectstatic", interactive=False, verbosity=0)
    return _run_processes(_server_commands(args.host, args.port, args.workers, not args.no_worker))


def import_file(args: argparse.Namespace) -> int:
    """Import a statistics file into an indicator, or monthly metal prices, all or nothing."""
    _setup_django()
    from mineralstrategi.indicators.models import ImportJob, Indicator
    from mineralstrategi.indicators.services import import_create, import_run

    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: there is no such file", file=sys.stderr)
        return 1
    indicator = None
    if not args.commodity_prices:
        indicator = Indicator.objects.filter(code=args.indicator).first()
        if indicator is None:
            print(f"There is no indicator with the code {args.indicator!r}.", file=sys.stderr)
            return 1
    job = import_create(
        path=path.resolve(),
        file_name=path.name,
        kind=ImportJob.Kind.PRICES if args.commodity_prices else ImportJob.Kind.OBSERVATIONS,
        indicator=indicator,
        format=args.format,
        dry_run=args.dry_run,
    )
    job = import_run(job, path, progress=lambda n: print(f"\r{n} records read", end="", flush=True))
    print(f"\r{job.file_name}: {job.get_status_display()} (format {job.format})")
    print(
        f"  read {job.rows_read}, created {job.created}, updated {job.updated}, "
        f"unchanged {job.unchanged}, refused {job.refused}"
    )
    for error in job.errors:
        print(f"  {error}", file=sys.stderr)
    return 0 if job.status in (ImportJob.Status.DONE, ImportJob.Status.CHECKED) else 1


def manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mineralstrategi manage", *args.arguments])
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def check(args: argparse.Namespace) -> int:
    """Parse and validate one file without importing it (no Django, no database)."""
    from mineralstrategi.ingest import check as check_file

    result = check_file(args.file, args.format)
    print(f"{args.file}: format {result.format}, {_count(result.record_count, 'record')}")
    for error in result.errors:
        print(f"  {error}")
    if result.error_count > len(result.errors):
        print(f"  … and {result.unlisted_error_count} more faults, not listed")
    if result.ok:
        print("No faults: the file can be imported.")
        return 0
    print(f"{_count(result.error_count, 'fault')}: the file cannot be imported as it is.")
    return 1


def report_followup(args: argparse.Namespace) -> int:
    """Write the yearly follow-up report of a strategy as PDF."""
    _setup_django()
    from django.utils import translation

    from mineralstrategi.reports.services import followup_pdf
    from mineralstrategi.strategy.models import Strategy

    lookup = {"pk": int(args.strategy)} if args.strategy.isdigit() else {"slug": args.strategy}
    strategy = Strategy.objects.filter(**lookup).first()
    if strategy is None:
        print(f"There is no strategy {args.strategy!r} (give its id or slug).", file=sys.stderr)
        return 1
    with translation.override(args.language):
        pdf = followup_pdf(
            strategy,
            args.year,
            progress=lambda percent: print(f"\r{percent} %", end="", flush=True),
        )
    Path(args.out).write_bytes(pdf)
    print(f"\r{args.out}: follow-up report {args.year} of {strategy.slug}, {len(pdf)} bytes")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from mineralstrategi.ingest import FORMATS

    parser = argparse.ArgumentParser(prog="mineralstrategi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo_parser = commands.add_parser("demo", help="run the platform with its demo data on SQLite")
    demo_parser.add_argument("--port", type=int, default=8000)
    demo_parser.add_argument("--host", default="127.0.0.1")
    demo_parser.add_argument("--workers", type=int, default=2)
    demo_parser.add_argument(
        "--data-dir", default="mineralstrategi-data", help="folder for the database and files"
    )
    demo_parser.set_defaults(handler=demo)

    generate_parser = commands.add_parser(
        "generate", help="fill the database with a large generated example data set"
    )
    generate_parser.add_argument(
        "--scale", choices=["demo", "regional", "national"], default="demo"
    )
    generate_parser.add_argument(
        "--data-dir",
        default="mineralstrategi-data",
        help="folder of the SQLite database (ignored when DATABASE_URL is set)",
    )
    generate_parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
    generate_parser.set_defaults(handler=generate)

    serve_parser = commands.add_parser("serve", help="run the platform for production")
    serve_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve_parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve_parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2"))
    )
    serve_parser.add_argument("--no-worker", action="store_true", help="no background-task worker")
    serve_parser.set_defaults(handler=serve)

    import_parser = commands.add_parser(
        "import", help="import a statistics file into an indicator, or metal prices"
    )
    import_parser.add_argument("file")
    target = import_parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--indicator", metavar="CODE", help="the indicator the file's values are of"
    )
    target.add_argument(
        "--commodity-prices", action="store_true", help="the file holds monthly metal prices"
    )
    import_parser.add_argument(
        "--format", help="the file's format (default: found from its content)"
    )
    import_parser.add_argument(
        "--dry-run", action="store_true", help="read and check the whole file, write nothing"
    )
    import_parser.set_defaults(handler=import_file)

    manage_parser = commands.add_parser("manage", help="Django's management commands")
    manage_parser.add_argument("arguments", nargs=argparse.REMAINDER)
    manage_parser.set_defaults(handler=manage)

    check_parser = commands.add_parser(
        "check",
        help="read a statistics file and list its faults, importing nothing",
        description="Formats: " + "; ".join(f"{name}: {what}" for name, what in FORMATS.items()),
    )
    check_parser.add_argument("file", help="the file to check")
    check_parser.add_argument(
        "--format",
        choices=list(FORMATS),
        help="the file's format (default: found from its content)",
    )
    check_parser.set_defaults(handler=check)

    report_parser = commands.add_parser("report", help="make a report as PDF")
    reports = report_parser.add_subparsers(dest="report", required=True)
    followup_parser = reports.add_parser("followup", help="the yearly follow-up report")
    followup_parser.add_argument("--strategy", required=True, help="the strategy's id or slug")
    followup_parser.add_argument("--year", type=int, required=True, help="values up to this year")
    followup_parser.add_argument("--out", required=True, help="the PDF file to write")
    followup_parser.add_argument("--language", default="sv", choices=["sv", "en"])
    followup_parser.set_defaults(handler=report_followup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
