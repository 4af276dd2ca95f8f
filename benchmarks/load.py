"""Load benchmark: the public pages and API lists under 32 concurrent clients, against the limit.

    python benchmarks/load.py --data-dir DIR [--duration 60] [--clients 32]
    python benchmarks/load.py --database-url URL --redis-url URL [--duration 60] [--clients 32]

Starts `mineralstrategi serve` with production settings (a fresh SECRET_KEY, ALLOWED_HOSTS
127.0.0.1, DEBUG off; HTTPS off because it is loopback) on a free port, against a SQLite data folder
or PostgreSQL (+ Redis as the cache). The database must be migrated and filled beforehand (e.g. the
demo: `mineralstrategi demo --data-dir DIR`, or `mineralstrategi generate`). Then, with `wrk`
(Debian package `wrk`) as the client:

1. mix: all URLs at once for --duration seconds (after --warmup seconds unmeasured, so that the
   caches are filled as on a running site), the --clients connections shared out evenly over the
   URLs (one wrk process per URL, so that every URL gets its own latency distribution);
2. solo: each URL alone with all --clients connections for --solo-duration seconds: its throughput;
3. static: a static file of about the median page size, served by the same server (WhiteNoise),
   alone with all --clients connections: the limit of this stack. Each page's solo throughput is
   reported as a share of it.

Reported per URL: p50/p95/p99 latency, requests/s, errors (non-2xx answers and socket errors),
the ratio to the static file; per gunicorn worker the peak RSS (VmHWM) and the RSS at the end; the
client's own CPU use (so that it is seen not to be the bottleneck) and the load average.
Targets (issue 9): p99 <= 100 ms, 0 errors, every page >= 30 % of the static file, <= 300 MB a worker.
Run by hand, not in CI. Prints Markdown; --json FILE also writes the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from loadkit import logged_in_sessions

# wrk's Lua hooks: count non-2xx answers per thread and print the figures as one JSON line.
WRK_SCRIPT = r"""
local threads = {}
non2xx = 0
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"non2xx":%d,"socket_errors":%d,' ..
    '"timeouts":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, bad,
    e.connect + e.read + e.write + e.timeout, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""

TARGET_P99_MS = 100
TARGET_STATIC_SHARE = 0.30
TARGET_WORKER_MB = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 600, cookie: str | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        body = error.read()
        error.close()
        return error.code, body, dict(error.headers)


def server_env(args: argparse.Namespace, static_root: Path) -> dict:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "HTTPS", "DEBUG", "MINERALSTRATEGI_DEMO"):
        env.pop(name, None)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        ANONYMOUS_RENDERS_PER_MINUTE="0",  # every client comes from this one address
    )
    if args.data_dir:
        env["MINERALSTRATEGI_DATA_DIR"] = str(Path(args.data_dir).resolve())
    else:
        env["MINERALSTRATEGI_DATA_DIR"] = tempfile.mkdtemp(prefix="load-bench-data-")
        env["DATABASE_URL"] = args.database_url
        if args.redis_url:
            env["REDIS_URL"] = args.redis_url
    if args.workers:
        env["WEB_WORKERS"] = str(args.workers)
    if args.threads:
        env["WEB_THREADS"] = str(args.threads)
    env.update(dict(item.split("=", 1) for item in args.env))
    return env


def start_server(args: argparse.Namespace, port: int, workdir: Path) -> subprocess.Popen:
    static_root = Path(args.static_root)
    command = [args.mineralstrategi, "serve", "--port", str(port), "--no-worker"]
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 - closed with the process
    args.server_environment = server_env(args, static_root)  # its SECRET_KEY signs sessions
    server = subprocess.Popen(
        command,
        env=args.server_environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server.log_file = log
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped:\n{(workdir / 'server.log').read_text()[-3000:]}")
        try:
            if fetch(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    sys.exit("the server did not answer /healthz within 600 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
    server.log_file.close()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def gunicorn_workers(server_pid: int) -> list[int]:
    """The worker processes: children of the gunicorn master, itself a child of `serve`."""
    workers = []
    for pid in children(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in cmdline:
            workers.extend(children(pid))
    return sorted(workers)


def memory_mb(pid: int) -> dict:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    fields = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
    return {name: int(kb) / 1024 for name, kb in fields.items()}


def discover_urls(base: str) -> dict[str, str]:
    """The benchmarked paths, named, found through the API: the first strategy and indicator."""
    strategies = json.loads(fetch(f"{base}/api/strategies")[1])
    strategies = strategies.get("items", strategies) if isinstance(strategies, dict) else strategies
    slug = strategies[0]["slug"]
    indicators = json.loads(fetch(f"{base}/api/indicators")[1])
    indicators = indicators.get("items", indicators) if isinstance(indicators, dict) else indicators
    return benchmark_paths(slug, indicators[0]["code"])


def benchmark_paths(slug: str, code: str) -> dict[str, str]:
    """The benchmarked paths, named, for a strategy's slug and an indicator's code."""
    return {
        "strategy page": f"/strategi/{slug}/",
        "indicator list": "/indikatorer/",
        "indicator page": f"/indikatorer/{code}/",
        "follow-up dashboard": f"/uppfoljning/{slug}/",
        "initiatives list": f"/genomforande/{slug}/insatser/",
        "news list": "/nyheter/",
        "API strategies": "/api/strategies",
        "API indicators": "/api/indicators",
        "API initiatives": "/api/initiatives",
        "API organisations": "/api/organisations",
        "API news": "/api/news",
    }


def static_file_like(static_root: Path, size: int) -> str:
    """The collected static file (not a compressed twin) whose size is nearest to `size`."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    candidates = [
        (abs((static_root / name).stat().st_size - size), name) for name in manifest.values()
    ]
    return "/static/" + min(candidates)[1]


def run_wrk(
    urls: list[str],
    connections: int,
    duration: int,
    script: Path,
    cookies: dict[str, str] | None = None,
) -> tuple[list, float]:
    """One wrk per URL, all at once, `connections` shared out (at least one each, so that with
    fewer connections than URLs there are more); returns figures and client CPU s. `cookies`: the
    Cookie header to send for a URL (a logged-in session)."""
    share = [
        max(1, connections // len(urls) + (i < connections % len(urls))) for i in range(len(urls))
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    processes = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{n}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                *(["-H", f"Cookie: {cookies[url]}"] if cookies and url in cookies else []),
                url,
            ],  # fmt: skip
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url, n in zip(urls, share, strict=True)
        if n > 0
    ]
    results = []
    for process in processes:
        out, err = process.communicate()
        line = [row for row in out.splitlines() if row.startswith("{")]
        if not line:
            sys.exit(f"wrk failed: {out}\n{err}")
        results.append(json.loads(line[-1]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return results, cpu


def drain(base: str) -> None:
    """Wait until the requests queued by the last phase are served (wrk leaves them behind)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        start = time.monotonic()
        fetch(f"{base}/healthz", timeout=300)
        if time.monotonic() - start < 0.05:
            return
        time.sleep(0.5)


MARK_NEWS = (
    "from django.db.models import F, Value; from django.db.models.functions import Concat, Replace; "
    "from mineralstrategi.portal.models import NewsArticle as A; "
    "latest = A.objects.published().values('pk')[:1]; "
    "A.objects.filter(pk__in=latest).update(title={})"
)


def check_invalidation(args, base: str, reads: int = 20) -> str:
    """A write in another process (the command line, as the task worker would) must be seen by
    the very next reads, whichever worker serves them: the news list before and after a title
    change through `mineralstrategi manage shell`, then the change undone."""
    url = f"{base}/nyheter/"
    marker = f"Cachekontroll-{secrets.token_hex(4)}"
    env = server_env(args, Path(args.static_root))

    def shell(expression: str) -> None:
        code = MARK_NEWS.format(expression)
        command = [args.mineralstrategi, "manage", "shell", "-v", "0", "-c", code]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

    def seen() -> int:
        return sum(marker in fetch(url)[1].decode() for _ in range(reads))

    before = seen()
    shell(f"Concat(F('title'), Value(' {marker}'))")
    after_write = seen()
    shell(f"Replace(F('title'), Value(' {marker}'), Value(''))")
    after_undo = seen()
    ok = (before, after_write, after_undo) == (0, reads, 0)
    return (
        f"{'ok' if ok else 'FAILED'}: {after_write}/{reads} reads after a write in another "
        f"process saw it, {reads - after_undo}/{reads} after it was undone"
    )


def figures(result: dict) -> dict:
    seconds = result["duration_us"] / 1e6
    return {
        "rps": result["requests"] / seconds,
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["non2xx"] + result["socket_errors"],
        "requests": result["requests"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", help="SQLite: the data folder (migrated and filled)")
    target.add_argument("--database-url", help="PostgreSQL: postgres://… (migrated and filled)")
    parser.add_argument("--redis-url", help="Redis as the cache (with --database-url)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of the mixed load")
    parser.add_argument(
        "--warmup", type=int, default=5, help="seconds of the mix before measuring (0: none)"
    )
    parser.add_argument("--solo-duration", type=int, default=10, help="seconds per URL alone")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: serve's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: serve's)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    parser.add_argument(
        "--mineralstrategi",
        default=shutil.which("mineralstrategi", path=str(Path(sys.executable).parent)),
        help="the mineralstrategi command to run (default: next to this Python)",
    )
    parser.add_argument(
        "--static-root",
        default=str(Path(tempfile.gettempdir()) / "mineralstrategi-load-static"),
        help="where `serve` collects the static files (kept between runs)",
    )
    parser.add_argument(
        "--check-invalidation",
        action="store_true",
        help="at the end, change a news title from another process and check the next reads "
        "(writes to the database, and undoes it)",
    )
    parser.add_argument(
        "--logged-in",
        action="store_true",
        help="the pages people logged in use (editor, consultee: logged_in_cpu.pages), each "
        "with a session of its own, instead of the public pages",
    )
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    script = workdir / "stats.lua"
    script.write_text(WRK_SCRIPT)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args, port, workdir)
    try:
        report = benchmark(args, server, base, workdir, script)
    finally:
        stop_server(server)
    print_report(args, report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


def logged_in_urls(args) -> tuple[dict[str, str], dict[str, str]]:
    """The pages of `logged_in_cpu.pages` (named "page (who)") and, by path, the cookie of a
    session made for its person in the server's database, signed with the server's key."""
    found = logged_in_sessions(args.server_environment, args)
    urls = {f"{page['name']} ({page['who']})": page["path"] for page in found}
    return urls, {page["path"]: page["cookie"] for page in found}


def benchmark(args, server, base: str, workdir: Path, script: Path) -> dict:
    if args.logged_in:
        urls, by_path = logged_in_urls(args)
    else:
        urls, by_path = discover_urls(base), {}
    cookies = {base + path: cookie for path, cookie in by_path.items()}
    sizes = {}
    for name, path in urls.items():
        status, body, _ = fetch(base + path, cookie=by_path.get(path))
        if status != 200:
            sys.exit(f"{name} {path} answered {status}")
        sizes[name] = len(body)
    static = static_file_like(Path(args.static_root), int(statistics.median(sizes.values())))
    sizes["static file"] = len(fetch(base + static)[1])
    load_start = os.getloadavg()

    every = [base + p for p in urls.values()]
    if args.warmup:
        run_wrk(every, args.clients, args.warmup, script, cookies)
    drain(base)
    mix, mix_cpu = run_wrk(every, args.clients, args.duration, script, cookies)
    solo = {}
    for name, path in urls.items():
        drain(base)
        solo[name] = run_wrk([base + path], args.clients, args.solo_duration, script, cookies)[0][0]
    drain(base)
    static_result, static_cpu = run_wrk([base + static], args.clients, args.solo_duration, script)
    memory = {pid: memory_mb(pid) for pid in gunicorn_workers(server.pid)}
    invalidation = check_invalidation(args, base) if args.check_invalidation else "not checked"
    return {
        "urls": {**urls, "static file": static},
        "sizes": sizes,
        "mix": {name: figures(r) for name, r in zip(urls, mix, strict=True)},
        "mix_client_cpu_s": mix_cpu,
        "solo": {name: figures(r) for name, r in solo.items()},
        "static": figures(static_result[0]),
        "static_client_cpu_s": static_cpu,
        "workers": memory,
        "invalidation": invalidation,
        "load_average_start": load_start,
        "load_average_end": os.getloadavg(),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def print_report(args, report: dict) -> None:
    static = report["static"]
    database = f"SQLite {args.data_dir}" if args.data_dir else f"{args.database_url}"
    if args.redis_url:
        database += f" + Redis {args.redis_url}"
    print(
        f"\n{database}; {args.clients} clients; mix {args.duration} s, solo {args.solo_duration} s"
    )
    print(f"machine: {report['machine']}")
    load = report["load_average_start"], report["load_average_end"]
    print(f"load average (1, 5, 15 min) at start {load[0]}, at end {load[1]}\n")
    print("| URL | bytes | mix p50 ms | p95 | p99 | mix req/s | errors | solo req/s | / static |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, path in report["urls"].items():
        if name == "static file":
            continue
        m, s = report["mix"][name], report["solo"][name]
        print(
            f"| {name} `{path}` | {report['sizes'][name]:,} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} "
            f"| {m['p99_ms']:.1f} | {m['rps']:.1f} | {m['errors'] + s['errors']} | {s['rps']:.1f} "
            f"| {s['rps'] / max(static['rps'], 1e-9):.0%} |"
        )
    total = sum(m["rps"] for m in report["mix"].values())
    print(
        f"| static file `{report['urls']['static file']}` | {report['sizes']['static file']:,} "
        f"| {static['p50_ms']:.1f} | {static['p95_ms']:.1f} | {static['p99_ms']:.1f} | – "
        f"| {static['errors']} | {static['rps']:.0f} | 100% |"
    )
    print(f"\nmix total: {total:.0f} req/s ({total / static['rps']:.0%} of the static file)")
    mix_share = report["mix_client_cpu_s"] / args.duration
    static_share = report["static_client_cpu_s"] / args.solo_duration
    print(
        f"client (wrk) CPU: {mix_share:.0%} of one core during the mix, "
        f"{static_share:.0%} during the static file"
    )
    workers = ", ".join(
        f"{pid}: peak {m.get('VmHWM', 0):.0f} MB (now {m.get('VmRSS', 0):.0f})"
        for pid, m in report["workers"].items()
    )
    print(f"gunicorn workers' RSS: {workers}")
    print(f"invalidation across processes: {report['invalidation']}")
    missed = []
    worst_p99 = max(m["p99_ms"] for m in report["mix"].values())
    if worst_p99 > TARGET_P99_MS:
        missed.append(f"p99 {worst_p99:.0f} ms > {TARGET_P99_MS} ms")
    errors = sum(m["errors"] for m in [*report["mix"].values(), *report["solo"].values()])
    if errors:
        missed.append(f"{errors} errors")
    lowest = min(s["rps"] for s in report["solo"].values()) / static["rps"]
    if lowest < TARGET_STATIC_SHARE:
        missed.append(f"slowest page at {lowest:.0%} of the static file")
    peak = max((m.get("VmHWM", 0) for m in report["workers"].values()), default=0)
    if peak > TARGET_WORKER_MB:
        missed.append(f"a worker peaked at {peak:.0f} MB")
    print("targets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))


if __name__ == "__main__":
    main()
