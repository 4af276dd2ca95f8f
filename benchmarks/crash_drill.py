"""Crash drill: kill -9 the whole server (gunicorn master and workers, the task worker) in the
middle of a write load and of a large import, restart it, and check that nothing was lost
(run by hand; figures in RESULTS.md under "Crash drill").

    python benchmarks/crash_drill.py --db sqlite
    createdb -h 127.0.0.1 -U postgres ms_ops_drill
    python benchmarks/crash_drill.py --db postgres \\
        --database-url postgres://postgres@127.0.0.1:5432/ms_ops_drill --redis-url redis://127.0.0.1:6379/7

Checks after the restart: the database's integrity (SQLite `PRAGMA integrity_check`; PostgreSQL
`amcheck` over every B-tree index), every write that got a success answer is there (answers,
drafts, comments, imports), the import interrupted by the kill has all its rows or none, and the
imports queued but not yet run at the kill run after the restart.
"""

import argparse
import json
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import loadkit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--data-dir", help="data folder (default: a new temporary one)")
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--before", type=float, default=20, help="seconds of load before the kill")
    parser.add_argument("--after", type=float, default=20, help="seconds of load after restart")
    parser.add_argument("--big-import-rows", type=int, default=300000)
    parser.add_argument("--kill-delay", type=float, default=2.0,
                        help="seconds between the large import starting and the kill")  # fmt: skip
    parser.add_argument("--queued-imports", type=int, default=3)
    args = parser.parse_args()
    if args.db == "postgres" and not args.database_url:
        parser.error("--db postgres needs --database-url")
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="ms-crashdrill-"))
    env = loadkit.server_env(
        str(data_dir), args.database_url if args.db == "postgres" else None, args.redis_url
    )
    print(f"Preparing {args.db} in {data_dir} …", flush=True)
    # One officer more than clients: the drill's own client, for the large and the queued imports.
    setup = loadkit.run_prepare(env, args.clients + 1)
    port = loadkit.free_port()
    base = f"http://127.0.0.1:{port}"
    log = str(data_dir / "server.log")
    server = loadkit.start_server(env, port, args.workers, log)
    tally, stop = loadkit.Tally(), threading.Event()
    threads = loadkit.run_clients(base, setup, args.clients, stop, tally)
    report = {"db": args.db, "clients": args.clients}
    big, queued, pids, writes_before = None, [], [], 0
    try:
        time.sleep(args.before)
        drill = loadkit.Client(base, args.clients, setup, tally)
        big, queued = _upload_together(drill, args)
        running = _wait_one_running_one_pending([big, *queued], args, data_dir)
        big, queued = running, [i for i in [big, *queued] if i != running]
        writes_before = len(tally.writes)
        pids = loadkit.kill_hard(server)
        killed_at = time.monotonic()
        print(f"kill -9 of {len(pids)} processes {pids} with the import {big} running "
              f"and {len(queued)} queued", flush=True)  # fmt: skip
        time.sleep(2)
        report["integrity"] = _integrity(args.db, data_dir, args.database_url)
        report["interrupted_import_after_kill"] = {
            "status": _job_status(big, args.db, data_dir, args.database_url),
            "rows_in_db": _rows_of(big, args.db, data_dir, args.database_url),
        }
        print(f"integrity after the kill: {report['integrity']}", flush=True)
        server = loadkit.start_server(env, port, args.workers, log)
        report["downtime_s"] = round(time.monotonic() - killed_at, 1)
        time.sleep(args.after)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        try:
            verification = loadkit.run_verify(env, loadkit.writes_json(tally), str(data_dir))
            status = _import_states(env, [big, *queued], data_dir) if big else []
        finally:
            loadkit.stop_server(server)
    reclaimed = [line for line in Path(log).read_text().splitlines() if "interrupted task" in line]
    report.update({
        "processes_killed": len(pids),
        "writes_before_kill": writes_before,
        **loadkit.summarise(tally),
        "verification": {k: v for k, v in verification.items() if k != "missing"},
        "lost_writes": len(verification["missing"]),
        "lost_examples": verification["missing"][:5],
        "interrupted_import": status[0],
        "queued_imports": status[1:],
        "reclaimed": reclaimed,
    })  # fmt: skip
    print(json.dumps(report, indent=2))
    passed = (
        report["integrity"]["ok"]
        and not verification["missing"]
        and not verification["imports_partial"]
        and status
        and status[0]["all_or_nothing"]
        and _absent_or_complete(report["interrupted_import_after_kill"], status[0])
        and all(s["status"] == "done" for s in status)
    )
    print("PASSED" if passed else "FAILED")
    return 0 if passed else 1


def _upload_together(client: loadkit.Client, args) -> tuple[int, list[int]]:
    """Upload the large file and the small ones at once (threads): the task worker takes one,
    the others wait in the queue."""
    sizes = [args.big_import_rows] + [None] * args.queued_imports
    results = [None] * len(sizes)

    def upload(index):
        time.sleep(0.3 * index)
        results[index] = _import(client, sizes[index])

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(sizes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if None in results:
        raise SystemExit("an import upload failed")
    return results[0], results[1:]


def _wait_one_running_one_pending(ids: list[int], args, data_dir: Path) -> int:
    """Wait (reading the database, not the busy server) until the worker is inside one of the
    imports while another still waits; return the running one."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        states = {i: _job_status(i, args.db, data_dir, args.database_url) for i in ids}
        running = [i for i, state in states.items() if state == "running"]
        if states[ids[0]] not in ("done", "rejected"):
            running = [i for i in running if i == ids[0]]  # the large one, once it runs
        if running and "pending" in states.values():
            time.sleep(args.kill_delay if running[0] == ids[0] else 0.2)
            return running[0]
        if all(state in ("done", "rejected") for state in states.values()):
            raise SystemExit("every import ended before the kill; use more rows")
        time.sleep(0.05)
    raise SystemExit("no import started within 600 s")


def _absent_or_complete(after_kill: dict, final: dict) -> bool:
    """Right after the kill the import's rows are all there (it had finished) or none are."""
    if after_kill["status"] == "done":
        return after_kill["rows_in_db"] == final["created"]
    return after_kill["rows_in_db"] == 0


def _rows_of(job_id: int, db: str, data_dir: Path, database_url: str | None) -> int:
    query = "SELECT count(*) FROM indicators_observation WHERE import_job_id = %s"
    return _scalar(query, job_id, db, data_dir, database_url)


def _job_status(job_id: int, db: str, data_dir: Path, database_url: str | None) -> str:
    query = "SELECT status FROM indicators_importjob WHERE id = %s"
    return _scalar(query, job_id, db, data_dir, database_url)


def _scalar(query: str, job_id: int, db: str, data_dir: Path, database_url: str | None):
    """The one value `query` (with one %s for the job id) reads, opened read-only on SQLite."""
    if db == "sqlite":
        connection = sqlite3.connect(f"file:{data_dir / 'mineralstrategi.sqlite3'}?mode=ro",
                                     uri=True, timeout=30)  # fmt: skip
        try:
            return connection.execute(query.replace("%s", "?"), [job_id]).fetchone()[0]
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(query, [job_id]).fetchone()[0]


def _import(client: loadkit.Client, rows: int | None) -> int:
    write = client.import_file(rows)
    if not write.ok:
        raise SystemExit(f"an import upload failed: {write.status} {write.error}")
    return int(write.ref)


def _integrity(db: str, data_dir: Path, database_url: str | None) -> dict:
    if db == "sqlite":
        connection = sqlite3.connect(data_dir / "mineralstrategi.sqlite3")
        try:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            fk = connection.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            connection.close()
        return {"ok": result == ["ok"] and not fk, "integrity_check": result[:3],
                "foreign_key_faults": len(fk)}  # fmt: skip
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = connection.execute(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
        ).fetchall()
        faults = []
        for (index,) in indexes:
            try:
                connection.execute("SELECT bt_index_check(%s::regclass, true)", [index])
            except psycopg.Error as error:
                faults.append(f"{index}: {error}")
    return {"ok": not faults, "btree_indexes_checked": len(indexes), "faults": faults[:3]}


def _import_states(env: dict, ids: list[int], data_dir: Path) -> list[dict]:
    """Status and row count of the drill's imports (after the worker drained the queue)."""
    import subprocess
    import sys

    code = (
        "import json,sys; from loadkit import _django; _django();"
        "from mineralstrategi.indicators.models import ImportJob, Observation;"
        "ids=json.loads(sys.argv[1]); jobs={j.pk: j for j in ImportJob.objects.filter(pk__in=ids)};"
        "print(json.dumps([{'id': i, 'status': jobs[i].status, 'rows_read': jobs[i].rows_read,"
        "'created': jobs[i].created, 'rows_in_db': Observation.objects.filter(import_job_id=i).count()}"
        " for i in ids]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(ids)], env=env, capture_output=True, text=True,
        cwd=Path(__file__).parent, check=True,
    )  # fmt: skip
    states = json.loads(done.stdout.strip().splitlines()[-1])
    for state in states:
        state["all_or_nothing"] = state["rows_in_db"] in (0, state["created"]) and (
            state["status"] == "done" or state["rows_in_db"] == 0
        )
    return states


if __name__ == "__main__":
    raise SystemExit(main())
