"""Write load: N clients for D seconds mixing reads with answer submissions, comments and imports
against `mineralstrategi serve`, then every write that got a success answer is looked up in the
database (run by hand; figures in RESULTS.md under "Write load").

    python benchmarks/write_load.py --db sqlite --clients 32 --duration 300
    createdb -h 127.0.0.1 -U postgres ms_ops
    python benchmarks/write_load.py --db postgres \\
        --database-url postgres://postgres@127.0.0.1:5432/ms_ops --redis-url redis://127.0.0.1:6379/7

Each client is a consultation officer of a consultee of its own (login with CSRF), comments
anonymously on strategy sections and imports small CSV files through `POST /api/imports` with an
API key into places and years no other client writes, so that every import's rows can be counted.
"""

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

import loadkit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--data-dir", help="data folder (default: a new temporary one)")
    parser.add_argument("--database-url", help="for --db postgres")
    parser.add_argument("--redis-url", help="for --db postgres")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=300, help="seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--mix", default="6,2,1,1", help="weights: read,answer,comment,import")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.db == "postgres" and not args.database_url:
        parser.error("--db postgres needs --database-url")
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="ms-writeload-")
    env = loadkit.server_env(
        data_dir, args.database_url if args.db == "postgres" else None, args.redis_url
    )
    print(f"Preparing {args.db} in {data_dir} …", flush=True)
    setup = loadkit.run_prepare(env, args.clients)
    port = args.port or loadkit.free_port()
    base = f"http://127.0.0.1:{port}"
    server = loadkit.start_server(env, port, args.workers, str(Path(data_dir) / "server.log"))
    tally = loadkit.Tally()
    try:
        print(f"{args.clients} clients for {args.duration:.0f} s against {base} …", flush=True)
        started = time.monotonic()
        mix = tuple(int(w) for w in args.mix.split(","))
        threads = loadkit.run_clients(
            base, setup, args.clients, started + args.duration, tally, mix=mix
        )
        _progress(tally, threads, started)
        elapsed = time.monotonic() - started
    finally:
        # Let the task worker finish the queued imports before the server stops.
        verification = loadkit.run_verify(env, loadkit.writes_json(tally), data_dir)
        loadkit.stop_server(server)
    summary = loadkit.summarise(tally)
    report = {
        "db": args.db,
        "clients": args.clients,
        "duration_s": round(elapsed),
        "requests_per_s": round((tally.reads + len(tally.writes)) / elapsed, 1),
        **summary,
        "verification": {k: v for k, v in verification.items() if k != "missing"},
        "lost_writes": len(verification["missing"]),
        "lost_examples": verification["missing"][:5],
    }
    print(json.dumps(report, indent=2))
    return 0 if not verification["missing"] and not verification["imports_partial"] else 1


def _progress(tally, threads: list[threading.Thread], started: float) -> None:
    while any(thread.is_alive() for thread in threads):
        time.sleep(15)
        with tally.lock:
            writes, failed = len(tally.writes), sum(not w.ok for w in tally.writes)
        print(f"  {time.monotonic() - started:5.0f} s: {tally.reads} reads, {writes} writes, "
              f"{failed} failed", flush=True)  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
