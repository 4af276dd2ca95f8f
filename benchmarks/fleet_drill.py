"""Fleet drill (issue #20): two `serve` nodes behind HAProxy sharing PostgreSQL, Redis and an
S3-protocol server; a load of reads and writes at 32 clients; kill -9 of one node's whole process
group in the middle, then its restart (run by hand, never in CI; figures in RESULTS.md under
"Fleet drill (issue #20)").

    apt-get install -y haproxy
    python benchmarks/fleet_drill.py                 # 5 minutes
    python benchmarks/fleet_drill.py --duration 90   # a quick run

The drill makes a scratch PostgreSQL database (--database-url, dropped and made anew) loaded with
the demo, uses a spare Redis db (--redis-url) and starts moto's S3 server with a bucket of its
own. Checks afterwards: the errors clients saw (and on which node HAProxy says they were), every
acknowledged write in the database (loadkit's verify), every import done with all its rows or
none and none left running, every task done or failed with a reason once the lease time has
passed, every report PDF made, and a draft saved through one node's port shown at once by the
other node's.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import loadkit

VENV_BIN = Path(sys.executable).parent
HAPROXY_CONFIG = """global
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout check 10s
    retries 3
    option redispatch
    retry-on conn-failure empty-response response-timeout 502 503 504
frontend drill
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server check inter 2s fall 3 rise 2
{servers}
"""


def main() -> int:
    args = _arguments()
    folder = Path(tempfile.mkdtemp(prefix="ms-fleetdrill-"))
    _fresh_database(args.database_url)
    env = _fleet_env(folder, args)
    moto, endpoint = _start_moto(folder, env)
    env.update(_s3_env(endpoint))
    print(f"Preparing {args.database_url} (demo, {args.clients + 1} officers) …", flush=True)
    setup = loadkit.run_prepare(env, args.clients + 1)
    nodes = [_Node(name, env, folder, args.workers) for name in ("n1", "n2")]
    haproxy = None
    try:
        for node in nodes:
            node.start(scheduler=node.name == "n1")
        haproxy, front = _start_haproxy(nodes, folder)
        report = _drill(args, setup, nodes, front, env, folder)
        report["haproxy"] = _haproxy_errors(folder / "haproxy.log")
    finally:
        for process in (haproxy, moto):
            if process:
                loadkit.stop_server(process)
        for node in nodes:
            node.stop()
    return _report(report, args)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300, help="seconds of load")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="web workers per node")
    parser.add_argument("--down", type=float, default=10, help="seconds the killed node stays down")
    parser.add_argument("--lease-seconds", type=int, default=20)
    parser.add_argument("--report-every", type=float, default=20, help="seconds between PDFs")
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/ms_fleet_drill")  # fmt: skip
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    return parser.parse_args()


# --- The fleet ---------------------------------------------------------------------------------


def _fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _start_moto(folder: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """moto's standalone S3 server on a free loopback port, with the drill's bucket."""
    import boto3
    from botocore.exceptions import BotoCoreError

    port = loadkit.free_port()
    log = open(folder / "moto.log", "ab")  # noqa: SIM115 - the server writes to it until it ends
    moto = subprocess.Popen([VENV_BIN / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            boto3.client("s3", endpoint_url=endpoint, region_name="eu-north-1",
                         aws_access_key_id="drill", aws_secret_access_key="drill").create_bucket(
                Bucket="fleet-drill",
                CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
            )  # fmt: skip
            return moto, endpoint
        except (BotoCoreError, OSError):
            if moto.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("moto's S3 server did not start") from None
            time.sleep(0.3)


def _fleet_env(folder: Path, args) -> dict:
    """One environment for every process the drill starts (the same SECRET_KEY on every node),
    short leases; without PYTHONDONTWRITEBYTECODE (`loadkit.server_env` drops it: with it every
    process compiled all the modules afresh, and the restarted node came back minutes late)."""
    env = loadkit.server_env(str(folder / "prepare"), args.database_url, args.redis_url)
    env.update({
        "TASK_LEASE_SECONDS": str(args.lease_seconds), "FOLLOWUP_REPORTS_PER_HOUR": "100000",
        # One API key uploads every client's imports: at 32 clients its 300 writes an hour ran
        # out in the fourth minute (run 8, 429 with Retry-After), so the limit is lifted.
        "API_WRITES_PER_HOUR": "1000000",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1] / "src"),
                                       env.get("PYTHONPATH", "")]),
    })  # fmt: skip
    return env


def _s3_env(endpoint: str) -> dict:
    """Media in the drill's bucket on moto's server."""
    return {"MEDIA_STORAGE": "s3", "S3_BUCKET": "fleet-drill", "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "eu-north-1", "S3_ACCESS_KEY_ID": "drill",
            "S3_SECRET_ACCESS_KEY": "drill"}  # fmt: skip


class _Node:
    """One `serve` (web + task worker, and the scheduler on n1) with a data folder of its own."""

    def __init__(self, name: str, env: dict, folder: Path, workers: int):
        self.name, self.workers = name, workers
        self.port = loadkit.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "MINERALSTRATEGI_DATA_DIR": str(folder / name)}
        self.log = str(folder / f"{name}.log")
        self.process = None
        self.extra = ()
        self.down = False  # from the moment of the kill until it is healthy again

    def start(self, scheduler: bool | None = None, collectstatic: bool = True) -> None:
        """Start (or restart, serving the static files it collected before) the node."""
        if scheduler is not None:
            self.extra = () if scheduler else ("--no-scheduler",)
        extra = self.extra if collectstatic else (*self.extra, "--no-collectstatic")
        self.process = loadkit.start_server(self.env, self.port, self.workers, self.log, extra)
        self.down = False

    def kill(self) -> list[int]:
        self.down = True
        pids = loadkit.kill_hard(self.process)
        self.process = None
        return pids

    def stop(self) -> None:
        if self.process:
            loadkit.stop_server(self.process)
            self.process = None


def _start_haproxy(nodes: list[_Node], folder: Path) -> tuple[subprocess.Popen, str]:
    port = loadkit.free_port()
    servers = "\n".join(f"    server {n.name} 127.0.0.1:{n.port}" for n in nodes)
    config = folder / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    log = open(folder / "haproxy.log", "ab")  # noqa: SIM115 - HAProxy writes to it until it ends
    haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    front = f"http://127.0.0.1:{port}"
    loadkit.wait_healthy(front, haproxy, timeout=30)
    return haproxy, front


# --- The drill ---------------------------------------------------------------------------------


def _drill(args, setup, nodes, front, env, folder) -> dict:
    """The load through HAProxy, the probes, the kill of n2 half-way and its restart."""
    tally, stop = TimedTally(), threading.Event()
    probe = _Probe(nodes, setup, args.clients)
    reports = _Reports(front, setup, args.clients)
    threads = loadkit.run_clients(front, setup, args.clients, stop, tally)
    threads += [_thread(probe.run, stop), _thread(reports.run, args.report_every, stop)]
    started = time.monotonic()
    time.sleep(args.duration / 2)
    victim = nodes[1]
    killed_at = time.time()  # before the kill: a request it cuts may be answered (502) at once
    pids = victim.kill()
    print(f"kill -9 of {victim.name}'s {len(pids)} processes {pids}", flush=True)
    time.sleep(args.down)
    restarted_at = time.time()
    victim.start(collectstatic=False)
    back_at = time.time()
    print(f"{victim.name} healthy again after {back_at - killed_at:.1f} s "
          f"({back_at - restarted_at:.1f} s from its start)", flush=True)  # fmt: skip
    time.sleep(max(0.0, started + args.duration - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    print("Load over; waiting for the queue and the leases, then verifying …", flush=True)
    tasks = _wait_tasks(args.database_url, args.lease_seconds * 3 + 120)
    fetched = reports.fetch(timeout=120)
    verification = loadkit.run_verify(env, loadkit.writes_json(tally), str(folder), 60)
    return {
        "clients": args.clients, "duration_s": args.duration,
        "processes_killed": len(pids), "restart_s": round(back_at - killed_at, 1),
        "start_to_healthy_s": round(back_at - restarted_at, 1),
        **loadkit.summarise(tally),
        "client_errors": tally.errors_around(killed_at, back_at),
        "verification": {k: v for k, v in verification.items() if k != "missing"},
        "lost_writes": len(verification["missing"]), "lost_examples": verification["missing"][:5],
        "imports_running_or_pending": _scalar(args.database_url, "SELECT count(*) FROM "
                                              "indicators_importjob WHERE status IN "
                                              "('running', 'pending')"),
        "tasks": tasks,
        "reports": {**_reports(args.database_url, reports.tokens), **fetched,
                    "answers": reports.answers},
        "cross_node_reads": probe.figures(),
    }  # fmt: skip


def _thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


class TimedTally(loadkit.Tally):
    """loadkit's tally that also keeps when each failure a server or the network caused (no answer,
    or 5xx; not a refusal such as a correction that could not be opened) was seen."""

    def __init__(self):
        super().__init__()
        self.failures: list[float] = []

    def add(self, write) -> None:
        super().add(write)
        if not write.ok and (write.status == 0 or write.status >= 500):
            self.failures.append(write.started + write.elapsed)

    def read(self, ok: bool, what: str) -> None:
        super().read(ok, what)
        if not ok:
            self.failures.append(time.time())

    def errors_around(self, killed_at: float, back_at: float) -> dict:
        """Failures seen before the kill, within 5 s of it (requests in flight on the killed
        node, or sent there before HAProxy's health check marked it down), later while it was
        down, and after its restart."""
        spans = {"before_kill": 0, "within_5s_of_kill": 0, "while_down": 0, "after_restart": 0}
        for seen in self.failures:
            if seen < killed_at:
                spans["before_kill"] += 1
            elif seen < killed_at + 5:
                spans["within_5s_of_kill"] += 1
            elif seen < back_at:
                spans["while_down"] += 1
            else:
                spans["after_restart"] += 1
        return {"total": len(self.failures), **spans}


class _Probe:
    """Saves a draft answer through one node's own port (acknowledged: the page it leads to shows
    "the draft is saved"), then reads the answer page through the other node's port at once: the
    draft must be there. A try is skipped ("node_down") only while a node is down (killed, not
    yet healthy again); any other failure is counted by its kind, not taken for a node down."""

    def __init__(self, nodes, setup, number):
        self.nodes = nodes
        self.client = loadkit.Client(nodes[0].base, number, setup, loadkit.Tally())
        self.results = {"visible": 0, "not_visible": 0, "write_not_acknowledged": 0,
                        "node_down": 0}  # fmt: skip
        self.errors: dict = {}
        self.logged_in = False
        self.lock = threading.Lock()

    def run(self, stop: threading.Event) -> None:
        turn = 0
        while not stop.wait(1.0):
            writer, reader = self.nodes[turn % 2], self.nodes[(turn + 1) % 2]
            turn += 1
            outcome = self._once(writer, reader)
            with self.lock:
                self.results[outcome] = self.results.get(outcome, 0) + 1

    def _once(self, writer, reader) -> str:
        if writer.down or reader.down:
            return "node_down"
        url, marker = self.client.officer["answer_url"], self.client.marker("probe")
        fields = {"action": "save", "position": "support", "comment": marker}
        try:
            self.client.base = writer.base
            if not self.logged_in:
                self.client.login()
                self.logged_in = True
            self.client.post_form(url, {"action": "correct"})  # if its answer was submitted
            self.client.request("GET", url)  # the page that shows (and consumes) that message
            status, body, _ = self.client.post_confirmed(url, fields, loadkit.DRAFT_SAVED)
            if status != 302:
                self._error(f"save {status} {body[:80].decode('utf-8', 'replace')}")
                return "write_not_acknowledged"
            self.client.base = reader.base
            status, page, _ = self.client.request("GET", url)
        except loadkit.NETWORK_ERRORS as error:
            if writer.down or reader.down:
                return "node_down"  # killed while the probe was under way
            self._error(f"{type(error).__name__}: {error}"[:120])
            return "request_failed"
        if status != 200:
            self._error(f"read {status}")
        return "visible" if marker in page.decode("utf-8", "replace") else "not_visible"

    def _error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1

    def figures(self) -> dict:
        with self.lock:
            return {**self.results, "failures": dict(self.errors)}


class _Reports:
    """A follow-up report PDF through HAProxy every `--report-every` seconds, asked for by a
    strategy editor of a partner organisation (the live report is the partnership's), each
    token taken from the status page the request redirects to (/uppfoljning/rapporter/<token>/);
    after the load, each PDF is fetched through HAProxy until it is there."""

    TOKEN = re.compile(
        r"/rapporter/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
    )

    def __init__(self, front: str, setup: dict, number: int):
        self.client = loadkit.Client(front, number, setup, loadkit.Tally())
        self.client.officer = setup["reporter"]
        self.slug = setup["reporter"]["strategy"]
        self.tokens: list[str] = []
        self.answers: dict = {}
        self.logged_in = False

    def run(self, every: float, stop: threading.Event) -> None:
        while not stop.wait(every):
            try:
                if not self.logged_in:
                    self.client.login()
                    self.logged_in = True
                status, _, headers = self.client.post_form(
                    f"/uppfoljning/{self.slug}/rapport/pdf/", {}
                )
            except loadkit.NETWORK_ERRORS as error:
                self._answer(type(error).__name__)
                continue
            token = self.TOKEN.search(headers.get("Location", ""))
            if status == 302 and token:
                self._answer("302 to its status page")
                if token.group(1) not in self.tokens:  # a report still being made is shown again
                    self.tokens.append(token.group(1))
            else:
                self._answer(f"{status} {headers.get('Location', '')}".strip())

    def _answer(self, what: str) -> None:
        self.answers[what] = self.answers.get(what, 0) + 1

    def fetch(self, timeout: float) -> dict:
        """GET each PDF through HAProxy until it comes (a PDF) or `timeout` has passed."""
        fetched, failures, deadline = 0, {}, time.monotonic() + timeout
        for token in self.tokens:
            while True:
                try:
                    status, body, _ = self.client.request(
                        "GET", f"/uppfoljning/rapporter/{token}/pdf/"
                    )
                except loadkit.NETWORK_ERRORS as error:
                    status, body = type(error).__name__, b""
                if status == 200 and body.startswith(b"%PDF"):
                    fetched += 1
                    break
                if time.monotonic() > deadline:
                    failures[str(status)] = failures.get(str(status), 0) + 1
                    break
                time.sleep(2)
        return {"pdf_fetched": fetched, "pdf_not_fetched": failures}


# --- After the load ----------------------------------------------------------------------------


def _wait_tasks(database_url: str, timeout: float) -> dict:
    """Wait until no task is running or overdue (expired leases are taken back by the workers;
    reminders queued for a later day are not due); the counts by status, and the failed ones'
    reasons."""
    table = _scalar(database_url, "SELECT tablename FROM pg_tables "
                                  "WHERE tablename LIKE '%%dbtaskresult'")  # fmt: skip
    open_tasks = (f"SELECT count(*) FROM {table} WHERE status = 'RUNNING' "
                  "OR (status = 'READY' AND run_after <= now())")  # fmt: skip
    deadline = time.monotonic() + timeout
    while _scalar(database_url, open_tasks) and time.monotonic() < deadline:
        time.sleep(2)
    import psycopg

    with psycopg.connect(database_url) as connection:
        counts = dict(connection.execute(f"SELECT status, count(*) FROM {table} GROUP BY status"))
        failed = connection.execute(
            f"SELECT exception_class_path, count(*) FROM {table} WHERE status = 'FAILED' GROUP BY 1"
        ).fetchall()
    return {"by_status": counts, "stuck": _scalar(database_url, open_tasks),
            "failed_reasons": dict(failed)}  # fmt: skip


def _reports(database_url: str, tokens: list[str]) -> dict:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT status, stored_file <> '' FROM reports_followupreport WHERE token = ANY(%s)",
            [[uuid.UUID(t) for t in tokens]],
        ).fetchall()
    done = sum(1 for status, stored in rows if status == "done" and stored)
    return {"requested": len(tokens), "found": len(rows), "done_with_file": done,
            "other": [status for status, stored in rows if status != "done"]}  # fmt: skip


def _scalar(database_url: str, query: str):
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(query).fetchone()[0]


def _haproxy_errors(log: Path) -> dict:
    """HAProxy's answers of 5xx or cut connections, by the node that had the request, and the
    requests it retried or redispatched (the `+` before the retry count)."""
    by_server, retried = {}, 0
    pattern = re.compile(
        r" nodes/(\S+) \S+ (-?\d+) -?\d+ \S+ \S+ (\S{4}) \d+/\d+/\d+/\d+/(\+?\d+) "
    )
    for line in log.read_text(errors="replace").splitlines():
        found = pattern.search(line)
        if not found:
            continue
        server, status, termination, retries = found.groups()
        if retries.lstrip("+") != "0":
            retried += 1
        if int(status) >= 500 or int(status) == -1:
            key = f"{server} {status} {termination[:2]}"
            by_server[key] = by_server.get(key, 0) + 1
    return {"errors_by_node_status_termination": by_server, "requests_retried": retried}


def _report(report: dict, args) -> int:
    report["load_average"] = os.getloadavg()
    print(json.dumps(report, indent=2, default=str))
    verification = report["verification"]
    passed = (
        report["lost_writes"] == 0
        and not verification["imports_partial"]
        and not verification["imports_not_done"]
        and report["imports_running_or_pending"] == 0
        and report["tasks"]["stuck"] == 0
        and report["cross_node_reads"]["not_visible"] == 0
        and report["reports"]["done_with_file"] == report["reports"]["requested"]
        and report["reports"]["pdf_fetched"] == report["reports"]["requested"]
    )
    # A check that counted nothing proves nothing: say so rather than pass it.
    unmeasured = [
        name
        for name, count in [
            ("cross-node reads", report["cross_node_reads"]["visible"]),
            ("report PDFs", report["reports"]["requested"]),
        ]
        if count == 0
    ]
    if passed and unmeasured:
        print(f"INCOMPLETE: nothing measured for {', '.join(unmeasured)}")
        return 2
    print("PASSED" if passed else "FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
