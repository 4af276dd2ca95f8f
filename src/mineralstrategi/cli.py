"""The `mineralstrategi` command: demo, serve, generate, import, manage, check, report, backup,
restore and handbook.

`demo` runs the whole platform with its demo data on SQLite; `serve` runs it for production from
environment variables; `generate` fills a database with a large generated example data set;
`manage` passes through to Django's management commands; `check` reads a statistics file and
reports its faults without importing anything; `report followup` writes a strategy's yearly
follow-up report as PDF; `handbook` builds the handbook that the platform serves at /hjalp/.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

WSGI_APP = "mineralstrategi.config.wsgi:application"


def _setup_django(data_dir: str | None = None) -> None:
    if data_dir:
        os.environ["MINERALSTRATEGI_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django
    from django.conf import settings

    # The settings make no folder (an image may be read-only); SQLite needs its database's.
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    django.setup()


def _run_processes(commands: dict[str, list[str]], log=None, started=None) -> int:
    """Start the processes, wait until one ends or Ctrl-C, then stop the rest cleanly. `log`, an
    open file, takes their output instead of the terminal; `started` is called once they run."""
    output = {"stdout": log, "stderr": subprocess.STDOUT} if log else {}
    processes = {name: subprocess.Popen(command, **output) for name, command in commands.items()}
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    try:
        if started:
            started()
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


def _server_commands(
    host: str,
    port: int,
    workers: int,
    with_worker: bool,
    threads: int = 1,
    with_scheduler: bool = True,
) -> dict:
    commands = {
        "web server": [
            sys.executable, "-m", "gunicorn", WSGI_APP,
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--threads", str(threads),
            # A threaded worker accepts greedily: one could hold every keep-alive connection while
            # the others idle. A cap per worker spreads the connections over the processes (see
            # benchmarks/RESULTS.md, "Load"); sync workers (1 thread) ignore it.
            "--worker-connections", os.environ.get("WEB_CONNECTIONS", str(4 * threads)),
            "--access-logfile", "-",
            "--graceful-timeout", "10",
            "--timeout", os.environ.get("WEB_TIMEOUT", "30"),
            # Load the application (and every view, see config/wsgi.py) once in the master:
            # a worker started after a crash or a timeout serves at once.
            "--preload",
            # No control socket (gunicornc is not used): its default path, ~/.gunicorn/gunicorn.ctl,
            # would be shared by every `serve` of the user, on one host or on a home shared by
            # several nodes, and needs a writable home.
            "--no-control-socket",
        ],
    }  # fmt: skip
    if with_worker:
        from mineralstrategi.ops.recovery import worker_id

        # Each task under a lease that any worker takes back once it expires (ops.leases).
        commands["task worker"] = [
            sys.executable, "-m", "mineralstrategi.cli", "manage", "task_worker",
            "--worker-id", worker_id(),
        ]  # fmt: skip
    if with_scheduler:
        # The daily housekeeping, claimed in the database: once for all servers (ops.housekeeping).
        commands["scheduler"] = [
            sys.executable, "-m", "mineralstrategi.cli", "manage", "scheduler",
        ]  # fmt: skip
    return commands


def demo(args: argparse.Namespace) -> int:
    """The platform with its demo data on SQLite. The terminal keeps what a first visitor needs:
    the address, the logins, the two-step key and three things to try, printed last once the
    site answers; the mails the platform sends go to files and the servers' logs to a log file
    in the data folder."""
    base_url = f"http://{args.host}:{args.port}"
    # The demo's mails link to the address it listens on, unless SITE_URL says otherwise.
    os.environ.setdefault("SITE_URL", base_url)
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    _setup_django(args.data_dir)
    from django.conf import settings
    from django.core.management import call_command

    from mineralstrategi.demo.loader import demo_load

    print(f"Data folder: {settings.DATA_DIR}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    _handbook_when_stale()
    result = demo_load()
    print(
        "Demo data loaded: "
        + (", ".join(f"{n} {what}" for what, n in result.created.items()) or "already up to date"),
        flush=True,
    )
    _reclaim_interrupted_tasks()
    log_path = Path(settings.DATA_DIR) / "logs" / "demo.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as log:
        return _run_processes(
            _server_commands(args.host, args.port, args.workers, True),
            log=log,
            started=lambda: _demo_welcome(base_url, log_path),
        )


def _demo_welcome(base_url: str, log_path: Path) -> None:
    """Once the site answers (or after a minute): where it runs, who may log in, what to try."""
    from django.conf import settings

    from mineralstrategi.demo.accounts import demo_totp_secret
    from mineralstrategi.demo.loader import demo_first_steps, demo_logins

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2):  # noqa: S310  # nosec B310 # our own http address
                break
        except OSError:
            time.sleep(0.3)
    key = demo_totp_secret()
    print(f"\nMineralstrategi runs at {base_url}/ (Ctrl-C stops it).")
    print(f"Mails it sends are files in {settings.EMAIL_FILE_PATH}; its logs go to {log_path}.")
    print("\nDemo logins (example accounts, demo only):")
    for username, password, what in demo_logins():
        print(f"  {username:<12} {password:<20} {what}")
    print(
        "Two-step verification (staff, superuser, organisation administrators): after the\n"
        f"password, type the code of the demo key {key} from an authenticator\n"
        f"app, or from: oathtool --totp -b {key}"
    )
    print("\nTry first:")
    for step in demo_first_steps(base_url):
        print(f"  {step}")
    print(flush=True)


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
    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    _handbook_when_stale()
    if not args.no_worker:
        _reclaim_interrupted_tasks()
    return _run_processes(
        _server_commands(
            args.host,
            args.port,
            args.workers,
            not args.no_worker,
            args.threads,
            with_scheduler=not args.no_scheduler,
        )
    )


def handbook(args: argparse.Namespace) -> int:
    """Build the handbook (docs/ of this checkout, or --sources) in both languages into
    HANDBOOK_DIR, or --output."""
    from mineralstrategi.help.build import HandbookError, handbook_build

    if args.output:  # no settings needed: the image builds it before it has any
        output = Path(args.output)
    else:
        _setup_django()
        from django.conf import settings

        output = Path(settings.HANDBOOK_DIR)
    try:
        handbook_build(output, Path(args.sources) if args.sources else None)
    except HandbookError as error:
        print(f"The handbook was not built: {error}", file=sys.stderr)
        return 1
    print(f"Handbook built into {output} (sv, en); the platform serves it at /hjalp/.")
    return 0


def _handbook_when_stale() -> None:
    """In a checkout, build the handbook when its sources changed since the last build; an
    installed package serves the pages built into it."""
    from django.conf import settings

    from mineralstrategi.help.build import (
        HandbookError,
        handbook_build,
        handbook_is_current,
        handbook_sources,
    )

    output = Path(settings.HANDBOOK_DIR)
    if handbook_sources() is None or handbook_is_current(output):
        return
    try:
        handbook_build(output)
        print(f"Handbook built into {output}.", flush=True)
    except HandbookError as error:
        print(f"The handbook was not built ({error}); /hjalp/ says so.", file=sys.stderr)


def _reclaim_interrupted_tasks() -> None:
    """Requeue at once the tasks a crashed worker of this host left half-done (see ops.recovery;
    the leases of ops.leases take them back anyway, from any host, once they expire)."""
    from mineralstrategi.ops.recovery import reclaim_interrupted_tasks

    if reclaimed := reclaim_interrupted_tasks():
        print(f"{_count(reclaimed, 'interrupted task')} put back in the queue.", flush=True)


def import_file(args: argparse.Namespace) -> int:
    """Import a statistics file into an indicator (or a new one made from the file's own
    metadata), or monthly metal prices, all or nothing."""
    _setup_django()
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from mineralstrategi.indicators import services
    from mineralstrategi.indicators.faults import fault_english
    from mineralstrategi.indicators.models import ImportJob, Indicator
    from mineralstrategi.organisations.models import Organisation

    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: there is no such file", file=sys.stderr)
        return 1
    indicator = new_indicator = None
    content = ""
    try:
        if args.indicator:
            indicator = Indicator.objects.filter(code=args.indicator).first()
            if indicator is None:
                raise ValidationError(f"there is no indicator with the code {args.indicator!r}")
        if args.new_indicator:
            owner = None
            if args.owner:
                owner = Organisation.objects.filter(slug=args.owner).first()
                if owner is None:
                    raise ValidationError(f"there is no organisation {args.owner!r} (its slug)")
            new_indicator = services.indicator_new_settings(
                code=args.new_indicator,
                owner=owner,
                name=args.name or "",
                dimension=args.dimension or "",
                desired_direction=args.direction or "",
            )
        if args.content:
            content = services.import_content_find(path, args.format, args.content)
    except ValidationError as error:
        print(f"{path.name}: {' '.join(error.messages)}", file=sys.stderr)
        return 1
    job = services.import_create(
        path=path.resolve(),
        file_name=path.name,
        kind=ImportJob.Kind.PRICES if args.commodity_prices else ImportJob.Kind.OBSERVATIONS,
        indicator=indicator,
        new_indicator=new_indicator,
        content=content,
        format=args.format,
        dry_run=args.dry_run,
    )
    job = services.import_run(
        job, path, progress=lambda n: print(f"\r{n} records read", end="", flush=True)
    )
    with translation.override("en"):
        print(f"\r{job.file_name}: {job.get_status_display()} (format {job.format})")
    print(
        f"  read {job.rows_read}, created {job.created}, updated {job.updated}, "
        f"unchanged {job.unchanged}, refused {job.refused}"
    )
    if job.indicator is not None:
        with translation.override("en"):
            _print_indicator(job)
    for error in job.errors:
        print(f"  {fault_english(error)}", file=sys.stderr)
    return 0 if job.status in (ImportJob.Status.DONE, ImportJob.Status.CHECKED) else 1


def _print_indicator(job) -> None:
    indicator = job.indicator
    indicator.refresh_from_db()  # its summary was written after the import
    made = "created" if job.new_indicator else "into"
    print(f"  indicator {indicator.code} ({made}): {indicator.name}")
    if job.new_indicator:
        print(
            f"    unit {indicator.unit or '-'}, source {indicator.source_organisation or '-'}"
            f"{', table ' + indicator.source_table if indicator.source_table else ''}, "
            f"responsible {indicator.owner.name}; dimension {indicator.dimension}, "
            f"{indicator.get_desired_direction_display().lower()} (change them on its page)"
        )
    series = len(indicator.series_counts)
    if series > 1:
        print(f"    {series} series; the page shows the headline first, the others on choice")
    print(
        f"    see /indikatorer/{indicator.code}/ and /api/indicators/{indicator.code}/observations"
    )


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
    for line in _price_file_lines(result.meta):
        print(f"  {line}")
    for error in result.errors:
        print(f"  {error}")
    if result.unlisted_error_count:
        print(f"  … and {result.unlisted_error_count} more faults, not listed")
    if result.ok:
        print("No faults: the file can be imported.")
        return 0
    print(f"{_count(result.error_count, 'fault')}: the file cannot be imported as it is.")
    return 1


def _price_file_lines(meta: dict) -> list[str]:
    """What a price file holds beyond its count: its series, edition and undescribed series."""
    lines = []
    if series := meta.get("series"):
        edition = f", updated {meta['updated']}" if meta.get("updated") else ""
        lines.append(f"{len(series)} price series{edition}")
    if note := meta.get("descriptions"):
        lines.append(f"note: {note}; groups and breaks fall back to the platform's own")
    if undescribed := meta.get("undescribed"):
        lines.append(f"note: no description in the workbook for {', '.join(undescribed)}")
    return lines


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


def backup(args: argparse.Namespace) -> int:
    """Write a consistent snapshot of the database and the uploaded files, with a manifest."""
    _setup_django(args.data_dir)
    from mineralstrategi.ops.backup import BackupError
    from mineralstrategi.ops.backup import backup as make_backup

    try:
        result = make_backup(Path(args.dir), with_media=not args.no_media)
    except BackupError as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    manifest = result.manifest
    rows = sum(table["rows"] for table in manifest["tables"].values())
    checked = "integrity checked" if manifest["engine"] == "sqlite" else "pg_dump of one snapshot"
    print(f"Database: {result.database_file} ({manifest['engine']}, {checked})")
    print(f"Manifest: {result.manifest_file} ({len(manifest['tables'])} tables, {rows} rows)")
    if result.media_file:
        print(f"Media:    {result.media_file} ({manifest['media_files']} files)")
    elif manifest["media_kept_in"]:
        print(
            f"Media:    not in this backup: they are kept in {manifest['media_kept_in']} "
            "(MEDIA_STORAGE); back the bucket up with the object store's own means "
            "(versioning, replication)"
        )
    else:
        print("Media:    no uploaded files to archive")
    if args.verbose:
        for name, table in manifest["tables"].items():
            print(f"  {name:<50} {table['rows']:>9}  {table['sha256'][:16]}")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Check a backup against the live database; replace the database only with --for-real."""
    _setup_django(args.data_dir)
    from mineralstrategi.ops.backup import BackupError, restore_plan
    from mineralstrategi.ops.backup import restore as do_restore

    try:
        plan = (do_restore if args.for_real else restore_plan)(Path(args.file))
    except BackupError as error:
        print(f"Restore refused: {error}", file=sys.stderr)
        return 1
    created = plan.manifest.get("created_at", "unknown time")
    print(f"Backup {plan.file} ({plan.engine}, made {created}) is valid.")
    changed = [d for d in plan.differences if not d[3]]
    for name, now, then, _same in changed:
        print(
            f"  {name:<50} now {now if now is not None else '-':>8}  backup {then if then is not None else '-':>8}"
        )
    print(f"{len(plan.differences) - len(changed)} tables identical, {len(changed)} differ.")
    kept_in = plan.manifest.get("media_kept_in")
    if plan.media_file:
        print(f"Media: {plan.media_file} replaces {_media_root()}")
    elif kept_in:
        print(f"Media: not in this backup; the rows name files kept in {kept_in}")
    if args.for_real:
        print(f"Restored into {plan.database}: every table now matches the manifest.")
        if plan.media_missing:
            print(
                f"WARNING: {len(plan.media_missing)} stored files the restored rows name are "
                f"missing from {kept_in or _media_root()}: {', '.join(plan.media_missing[:10])}",
                file=sys.stderr,
            )
        else:
            print("Media: every stored file the restored rows name is there.")
    else:
        print(f"Dry run: {plan.database} was not changed (add --for-real to replace it).")
    return 0


def _media_root() -> str:
    from django.conf import settings

    return str(settings.MEDIA_ROOT)


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
    # For the 2-core standard machine: 3 processes of 4 threads (gunicorn's gthread workers). The
    # threads keep connections alive and overlap the waits on the database and Redis; more than
    # one process per core lets the other requests go on while one process renders a page that
    # is not cached (which holds its interpreter lock). See benchmarks/RESULTS.md, "Load".
    serve_parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", "3")),
        help="web worker processes (default 3, or WEB_WORKERS)",
    )
    serve_parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("WEB_THREADS", "4")),
        help="threads per web worker (default 4, or WEB_THREADS; 1: gunicorn's sync workers)",
    )
    serve_parser.add_argument("--no-worker", action="store_true", help="no background-task worker")
    serve_parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="no housekeeping scheduler (it runs each job once for all servers, so one per "
        "server is harmless; leave it out where `manage scheduler` runs apart)",
    )
    serve_parser.add_argument(
        "--no-collectstatic",
        action="store_true",
        help="serve the static files collected before (e.g. when the image was built)",
    )
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
        "--new-indicator",
        metavar="CODE",
        help="create an indicator with this code from the file's own metadata (label, unit, "
        "source, table, updated date) and import into it",
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
    import_parser.add_argument(
        "--content",
        help="of a file with several contents, the one to import: its code (000007SF), "
        "dimension=code (ContentsCode=000007SF) or label",
    )
    new = import_parser.add_argument_group("with --new-indicator")
    new.add_argument("--name", help="the indicator's name (default: from the file)")
    new.add_argument(
        "--owner",
        metavar="SLUG",
        help="the responsible organisation's slug (default: the one responsible for most "
        "indicators)",
    )
    new.add_argument(
        "--dimension",
        choices=["economic", "environmental", "social", "innovation"],
        help="default: economic",
    )
    new.add_argument(
        "--direction", choices=["increase", "decrease"], help="which way is better (default: up)"
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

    backup_parser = commands.add_parser(
        "backup", help="write a consistent backup of the database and uploaded files to DIR"
    )
    backup_parser.add_argument("dir", help="folder for the backup files")
    backup_parser.add_argument("--data-dir", help="the data folder (embedded SQLite set-up)")
    backup_parser.add_argument("--no-media", action="store_true", help="leave out MEDIA_ROOT")
    backup_parser.add_argument("-v", "--verbose", action="store_true", help="list every table")
    backup_parser.set_defaults(handler=backup)

    restore_parser = commands.add_parser(
        "restore", help="check a backup against the database; replace it with --for-real"
    )
    restore_parser.add_argument("file", help="the .sqlite3 or .pgdump file written by backup")
    restore_parser.add_argument("--data-dir", help="the data folder (embedded SQLite set-up)")
    restore_parser.add_argument(
        "--for-real", action="store_true", help="replace the database (stop the server first)"
    )
    restore_parser.set_defaults(handler=restore)

    handbook_parser = commands.add_parser(
        "handbook", help="build the handbook (docs/) that the platform serves at /hjalp/"
    )
    handbook_parser.add_argument("--output", help="folder to build into (default HANDBOOK_DIR)")
    handbook_parser.add_argument(
        "--sources", help="the docs/ folder of a checkout (default: this checkout's, if any)"
    )
    handbook_parser.set_defaults(handler=handbook)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
