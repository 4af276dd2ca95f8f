"""Shared parts of the write-load benchmark and the crash drill (run by hand, stdlib only).

Three roles, each run in the environment of the server under test (DATABASE_URL or
MINERALSTRATEGI_DATA_DIR):

- `python benchmarks/loadkit.py prepare --clients N`: migrate, load the demo data, and make one
  consultation officer per client (each for a consultee of its own in the open round, so clients
  never compete for one answer), an API key for imports and the list of commentable sections.
  Prints JSON.
- the `Client` class: a browser-like HTTP client (cookies, CSRF) that performs the writes and
  records every one that got a success answer (2xx, or the 302 a form sends after a success).
- `python benchmarks/loadkit.py verify WRITES.json`: look up every recorded write in the database
  and check imports are all-or-nothing. Prints JSON.
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field

# What a request may raise while the server is killed, restarted or overloaded.
NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError, RuntimeError, KeyError)
# The success messages of the answer form (Swedish, the default language) and any message.
DRAFT_SAVED = re.compile(r"Utkastet har sparats")
SUBMITTED = re.compile(r"Svaret har lämnats in med diarienummer ([^<]+?)\.?\s*<")
MESSAGE = re.compile(r'class="[^"]*message[^"]*"[^>]*>\s*([^<]{1,200})')
PASSWORD = "load-officer-password-2014"
GEOS_PER_CLIENT = 9


# --- Client side (no Django) --------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Write:
    kind: str  # answer_draft, answer_submit, comment, import
    client: int
    marker: str
    status: int
    ok: bool
    ref: str = ""  # the import's id, the answer's consultee
    started: float = 0.0
    elapsed: float = 0.0
    error: str = ""


@dataclass
class Tally:
    writes: list[Write] = field(default_factory=list)
    reads: int = 0
    read_errors: int = 0
    errors: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)
            if not write.ok:
                key = f"{write.kind} {write.status} {write.error[:80]}"
                self.errors[key] = self.errors.get(key, 0) + 1

    def read(self, ok: bool, what: str) -> None:
        with self.lock:
            self.reads += 1
            if not ok:
                self.read_errors += 1
                self.errors[what] = self.errors.get(what, 0) + 1


class Client:
    """One simulated user: an officer's session for answers, anonymous comments, an API key."""

    def __init__(self, base: str, number: int, setup: dict, tally: Tally, timeout: float = 60):
        self.base = base.rstrip("/")
        self.number = number
        self.setup = setup
        self.officer = setup["officers"][number % len(setup["officers"])]
        self.tally = tally
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        self.seq = 0
        self.imports = 0
        self.lock = threading.Lock()
        self.random = random.Random(number)

    # HTTP ----------------------------------------------------------------------------------------
    def request(self, method, path, data=None, headers=None):
        """(status, body, headers). The headers are looked up without regard to case (an
        `http.client.HTTPMessage`, not a dict): HTTP's header names are case-insensitive, and
        HAProxy sends them in lower case (`location:`), where a dict's "Location" finds nothing."""
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            body = error.read()
            error.close()
            return error.code, body, error.headers

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def post_form(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.csrf(),
            "Referer": self.base + path,
        }
        return self.request("POST", path, data, headers)

    def login(self) -> None:
        self.request("GET", "/konto/login/")
        status, _, headers = self.post_form(
            "/konto/login/", {"username": self.officer["username"], "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login of {self.officer['username']} failed: HTTP {status}")

    def marker(self, kind: str) -> str:
        self.seq += 1
        return f"load-{kind}-{self.number}-{self.seq}-{uuid.uuid4().hex[:8]}"

    def _timed(self, kind, marker, call, ok_statuses, ref=""):
        started = time.time()
        try:
            status, body, headers = call()
            error = "" if status in ok_statuses else body[:200].decode("utf-8", "replace")
        except (
            NETWORK_ERRORS
        ) as exc:  # a reset connection during a crash is a failed write, not a bug
            status, body, error = 0, b"", f"{type(exc).__name__}: {exc}"
        ok = status in ok_statuses
        if ok and kind == "import":
            ref = str(json.loads(body)["id"])
        elif ok and kind == "answer_submit":
            ref = body.decode()
        write = Write(
            kind, self.number, marker, status, ok, ref, started, time.time() - started, error
        )
        self.tally.add(write)
        return write

    # Writes --------------------------------------------------------------------------------------
    def answer_cycle(self) -> None:
        """Open a correction (if submitted), save a draft, then submit it: each a real write.

        A form answers 302 also when it changed nothing (e.g. "already submitted" when the
        correction could not be opened), so the page it leads to must show the success message
        (for a submit, with the registry reference) for the write to count as done."""
        url = self.officer["answer_url"]
        status, _, _ = self.request("GET", url)
        self.tally.read(status == 200, f"GET answer page {status}")
        self.post_form(url, {"action": "correct"})
        self.request("GET", url)  # the page that shows (and consumes) the message
        draft = self.marker("draft")
        fields = {"action": "save", "position": "support", "comment": draft}
        saved = self._timed("answer_draft", draft,
                            lambda: self.post_confirmed(url, fields, DRAFT_SAVED), {302},
                            str(self.officer["consultee"]))  # fmt: skip
        if saved.ok:
            submit = self.marker("submit")
            self._timed("answer_submit", submit,
                        lambda: self.submit_reviewed(url, submit), {302})  # fmt: skip

    def submit_reviewed(self, url, comment):
        """Submit as the form does: the draft goes to the summary page (a 302 there), where the
        officer confirms that the answer is given for the organisation."""
        fields = {"action": "submit", "position": "support", "comment": comment}
        status, body, headers = self.post_form(url, fields)
        if status != 302:
            return status, body, headers
        summary = headers.get("Location", "")
        if summary.split("?")[0] in ("", url):  # e.g. "already submitted": not on to the summary
            return 409, b"not sent on to the summary page", headers
        return self.post_confirmed(summary, {"confirm": "on"}, SUBMITTED)

    def post_confirmed(self, url, fields, confirmation: re.Pattern):
        """POST a form; a 302 counts only if the next page shows the success message. The
        message's first group (a registry reference) is returned as the write's reference."""
        status, body, headers = self.post_form(url, fields)
        if status != 302:
            return status, body, headers
        try:
            _, page, _ = self.request("GET", headers.get("Location", url))
        except NETWORK_ERRORS:
            return status, b"", {}  # the server answered success; the database will tell
        found = confirmation.search(page.decode("utf-8", "replace"))
        if found is None:
            other = MESSAGE.search(page.decode("utf-8", "replace"))
            return 409, (other.group(1) if other else "no message").encode(), headers
        return status, (found.group(1) if found.groups() else "").encode(), headers

    def comment(self) -> None:
        url = self.random.choice(self.setup["comment_urls"])
        status, _, _ = self.request("GET", url)
        self.tally.read(status == 200, f"GET comment page {status}")
        body = self.marker("comment")
        fields = {"name": f"Lasttest {self.number}", "email": f"load{self.number}@example.se",
                  "body": body, "website": ""}  # fmt: skip
        self._timed("comment", body, lambda: self.post_form(url, fields), {302})

    def import_file(self, rows: int | None = None) -> None:
        """Upload a CSV of this client's own places and a year of its own: keys no one else writes."""
        with self.lock:  # the crash drill uploads from several threads with one client
            marker = self.marker("import")
            self.imports += 1
            year = 1800 + self.imports
        geos = self.officer["geos"]
        lines = ["geo,period,value"]
        if rows is None:  # a year of its own (1800 + n) for each of this client's places
            lines += [f"{geo},{year}-{month:02d},{self.random.randint(1, 999)}"
                      for month in range(1, 13) for geo in geos]  # fmt: skip
        else:  # a large file: places no client writes (years from 1800 on)
            geos = self.setup["spare_geos"]
            per_year = 12 * len(geos)
            lines += [f"{geos[i % len(geos)]},{1800 + i // per_year}-{(i // len(geos)) % 12 + 1:02d},{i}"
                      for i in range(rows)]  # fmt: skip
        boundary = uuid.uuid4().hex
        parts = [
            ("indicator", self.setup["indicator"]),
        ]
        body = b""
        for name, value in parts:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()  # fmt: skip
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"{marker}.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()  # fmt: skip
        body += ("\n".join(lines) + "\n").encode() + f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Bearer {self.setup['api_key']}",
        }
        return self._timed(
            "import", marker, lambda: self.request("POST", "/api/imports", body, headers), {202}
        )

    def read(self) -> None:
        path = self.random.choice(self.setup["read_paths"])
        started = time.time()
        try:
            status, _, _ = self.request("GET", path)
        except NETWORK_ERRORS as exc:
            status = f"{type(exc).__name__}"
            time.sleep(0.5)  # the server is down (the crash drill): do not spin
        self.tally.read(status == 200, f"GET {path} {status}")
        return time.time() - started


def run_clients(base, setup, clients, stop_at, tally, mix=(6, 2, 1, 1), on_error=None):
    """Threads that loop reads, answer cycles, comments and imports (weights in `mix`) until
    stop_at (a monotonic time) or until `stop_at` is an Event that is set."""
    actions = ("read", "answer_cycle", "comment", "import_file")

    def worker(number):
        client = Client(base, number, setup, tally)
        time.sleep(number * 0.25)  # users sign in one after another, not all in one instant
        try:
            client.login()
        except NETWORK_ERRORS as exc:
            tally.read(False, f"login {exc}")
            return
        while not _stopped(stop_at):
            action = client.random.choices(actions, weights=mix)[0]
            try:
                getattr(client, action)()
            except NETWORK_ERRORS as exc:
                tally.read(False, f"{action} {type(exc).__name__}: {exc}"[:120])
                if on_error:
                    on_error(exc)
                time.sleep(0.2)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def _stopped(stop_at) -> bool:
    if isinstance(stop_at, threading.Event):
        return stop_at.is_set()
    return time.monotonic() >= stop_at


def writes_json(tally: Tally) -> list[dict]:
    return [asdict(w) for w in tally.writes]


# --- The server under test -----------------------------------------------------------------


def database_arguments(parser: argparse.ArgumentParser) -> None:
    """--data-dir (SQLite) or --database-url (PostgreSQL), and --redis-url: the data a benchmark
    that runs Django in its own process reads (see `use_database`)."""
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir")
    target.add_argument("--database-url")
    parser.add_argument("--redis-url")


def use_database(args: argparse.Namespace) -> None:
    """Point this process's Django settings at the data of `database_arguments`."""
    if args.data_dir:
        os.environ["MINERALSTRATEGI_DATA_DIR"] = os.path.abspath(args.data_dir)
    else:
        os.environ["DATABASE_URL"] = args.database_url
        if args.redis_url:
            os.environ["REDIS_URL"] = args.redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")


def logged_in_sessions(env: dict, args: argparse.Namespace) -> list[dict]:
    """The pages of `logged_in_cpu.pages`, each with the Cookie header of a new session of its
    person ({name, who, path, cookie}), made in the database of `database_arguments` by a
    process with the server's environment `env`, so that its SECRET_KEY signs the sessions."""
    target = (
        ["--data-dir", args.data_dir] if args.data_dir else ["--database-url", args.database_url]
    )
    here = os.path.dirname(os.path.abspath(__file__))
    done = subprocess.run(
        [sys.executable, os.path.join(here, "logged_in_cpu.py"), *target, "--sessions"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(data_dir: str, database_url: str | None, redis_url: str | None) -> dict:
    """A production-like environment: no DEBUG, a secret key, no comment rate limit."""
    env = dict(os.environ)
    # PYTHONDONTWRITEBYTECODE (set on some machines) makes every process this starts (the
    # server, its workers, prepare, verify) compile all the platform's modules afresh: seconds of
    # CPU each, and a restarted node coming back minutes late on a loaded machine.
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "MINERALSTRATEGI_DEMO",
                 "PYTHONDONTWRITEBYTECODE"):  # fmt: skip
        env.pop(name, None)
    env.update({
        "SECRET_KEY": "load-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MINERALSTRATEGI_DATA_DIR": str(data_dir),
        "COMMENT_RATE_LIMIT": "1000000000",
        "ANONYMOUS_RENDERS_PER_MINUTE": "0",  # every client comes from this one address
        "LOG_LEVEL": "ERROR",
    })  # fmt: skip
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run_prepare(env: dict, clients: int) -> dict:
    here = os.path.dirname(os.path.abspath(__file__))
    done = subprocess.run(
        [sys.executable, os.path.join(here, "loadkit.py"), "prepare", "--clients", str(clients)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"prepare failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_verify(env: dict, writes: list[dict], folder: str, wait_imports: float = 180) -> dict:
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(folder, f"writes-{uuid.uuid4().hex[:6]}.json")
    with open(path, "w") as handle:
        json.dump(writes, handle)
    done = subprocess.run(
        [sys.executable, os.path.join(here, "loadkit.py"), "verify", path,
         "--wait-imports", str(wait_imports)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"verify failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(
    env: dict, port: int, workers: int, log_path: str, extra: tuple[str, ...] = ()
) -> subprocess.Popen:
    """`mineralstrategi serve` (with `extra` arguments) in a process group of its own (gunicorn,
    its workers, the task worker), so that one killpg reaches all of them."""
    log = open(log_path, "ab")  # noqa: SIM115 - the server writes to it until it ends
    process = subprocess.Popen(
        [sys.executable, "-m", "mineralstrategi.cli", "serve", "--port", str(port),
         "--workers", str(workers), *extra],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
    except BaseException:
        stop_server(process)
        raise
    return process


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server ended (exit code {process.returncode}); see its log")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except NETWORK_ERRORS:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base} did not become healthy in {timeout} s")


def group_pids(process: subprocess.Popen) -> list[int]:
    """Every process of the server's group (serve, gunicorn master and workers, task worker)."""
    done = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True)
    return [int(pid) for pid in done.stdout.split()]


def kill_hard(process: subprocess.Popen) -> list[int]:
    pids = group_pids(process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return pids


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def summarise(tally: Tally) -> dict:
    by_kind = {}
    for write in tally.writes:
        entry = by_kind.setdefault(write.kind, {"ok": 0, "failed": 0, "latencies": []})
        entry["ok" if write.ok else "failed"] += 1
        if write.ok:
            entry["latencies"].append(write.elapsed)
    for entry in by_kind.values():
        latencies = sorted(entry.pop("latencies"))
        if latencies:
            entry["p50_ms"] = round(1000 * latencies[len(latencies) // 2])
            entry["p95_ms"] = round(1000 * latencies[int(len(latencies) * 0.95)])
    return {"reads": tally.reads, "read_errors": tally.read_errors, "writes": by_kind,
            "errors": dict(sorted(tally.errors.items(), key=lambda kv: -kv[1])[:15])}  # fmt: skip


# --- Server side (Django) -----------------------------------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()


def prepare(clients: int) -> dict:
    _django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    from mineralstrategi.consultation.models import ConsultationRound, Consultee
    from mineralstrategi.demo.loader import demo_load
    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.organisations.models import Membership, Municipality, Organisation, Role
    from mineralstrategi.organisations.services import api_token_create, membership_grant
    from mineralstrategi.strategy.models import Strategy
    from mineralstrategi.strategy.selectors import strategy_get, strategy_public_version

    call_command("migrate", interactive=False, verbosity=0)
    demo_load()
    round_ = ConsultationRound.objects.filter(status="open").order_by("pk").first()
    consultees = list(
        Consultee.objects.filter(round=round_, declined_at__isnull=True).order_by("pk")
    )
    municipalities = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    User = get_user_model()
    officers = []
    for n in range(clients):
        consultee = consultees[n % len(consultees)]
        user, created = User.objects.get_or_create(username=f"load-officer-{n}")
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save()
        if not Membership.objects.filter(
            user=user, organisation=consultee.organisation, role=Role.CONSULTATION_OFFICER
        ).exists():
            Membership.objects.filter(user=user).delete()
            membership_grant(
                user=user, organisation=consultee.organisation, role=Role.CONSULTATION_OFFICER
            )
        geos = municipalities[n * GEOS_PER_CLIENT : (n + 1) * GEOS_PER_CLIENT]
        officers.append({"username": user.username, "consultee": consultee.pk,
                         "answer_url": consultee.get_answer_url(), "geos": geos})  # fmt: skip
    importer = Organisation.objects.get(slug="region-vasterbotten")
    indicator = Indicator.objects.filter(owner=importer).order_by("code").first()
    strateg = User.objects.get(username="strateg")
    _token, key = api_token_create(user=strateg, name=f"load {uuid.uuid4().hex[:6]}")
    strategy = strategy_get(pk=Strategy.objects.order_by("pk").first().pk)
    version = strategy_public_version(strategy)
    # The follow-up report's PDF is the partnership's (a draft until adopted): its requester is a
    # strategy editor of a partner organisation, not one of the officers (their organisations
    # are consultees, outside the partnership).
    reporter, _created = User.objects.get_or_create(username="load-reporter")
    reporter.set_password(PASSWORD)
    reporter.save()
    partner = strategy.partnership.order_by("pk").first()
    membership_grant(user=reporter, organisation=partner, role=Role.STRATEGY_EDITOR)
    comment_urls = [
        reverse("portal:section_comments", kwargs={"slug": strategy.slug, "key": s.key})
        for s in version.sections.order_by("position")[:10]
    ]
    read_paths = ["/", "/strategi/", f"/remiss/{round_.pk}/", "/indikatorer/", "/nyheter/",
                  f"/indikatorer/{indicator.code}/", "/api/indicators", "/kommuner/2482/",
                  "/api/organisations", comment_urls[0]]  # fmt: skip
    spare_geos = municipalities[clients * GEOS_PER_CLIENT :]
    return {
        "round": round_.pk,
        "officers": officers,
        "reporter": {"username": reporter.username, "strategy": strategy.slug},
        "spare_geos": spare_geos,
        "api_key": key,
        "indicator": indicator.code,
        "comment_urls": comment_urls,
        "read_paths": read_paths,
    }


def verify(writes: list[dict], wait_imports: float = 120) -> dict:
    """Every successful write present; every import done with all its rows, or with none."""
    _django()
    from mineralstrategi.consultation.models import Answer
    from mineralstrategi.indicators.models import ImportJob, Observation
    from mineralstrategi.portal.models import Comment

    ok = [w for w in writes if w["ok"]]
    missing = []
    submits = {w["marker"]: w["ref"] for w in ok if w["kind"] == "answer_submit"}
    found = dict(
        Answer.objects.filter(comment__in=submits).exclude(submitted_at=None)
        .values_list("comment", "registry_reference")
    )  # fmt: skip
    missing += [("answer_submit", m) for m in submits if m not in found]
    wrong_reference = [(m, r, found[m]) for m, r in submits.items() if m in found and r != found[m]]
    # A draft is overwritten by its own submit; check the drafts no submit followed.
    followed = {(w["client"], int(w["marker"].split("-")[3])) for w in writes
                if w["kind"] == "answer_submit"}  # fmt: skip
    drafts = {w["marker"] for w in ok if w["kind"] == "answer_draft"
              and (w["client"], int(w["marker"].split("-")[3]) + 1) not in followed}  # fmt: skip
    found = set(Answer.objects.filter(comment__in=drafts).values_list("comment", flat=True))
    missing += [("answer_draft", m) for m in drafts - found]
    comments = {w["marker"] for w in ok if w["kind"] == "comment"}
    found = set(Comment.objects.filter(body__in=comments).values_list("body", flat=True))
    missing += [("comment", m) for m in comments - found]
    import_ids = {int(w["ref"]) for w in ok if w["kind"] == "import"}
    deadline = time.monotonic() + wait_imports
    waiting = ImportJob.objects.filter(status__in=["pending", "running"])
    while waiting.exists() and time.monotonic() < deadline:
        time.sleep(1)
    jobs = {j.pk: j for j in ImportJob.objects.filter(pk__in=import_ids)}
    missing += [("import", str(i)) for i in import_ids - set(jobs)]
    statuses, partial = {}, []
    for job in ImportJob.objects.filter(file_name__startswith="load-import-"):
        statuses[job.status] = statuses.get(job.status, 0) + 1
        rows = Observation.objects.filter(import_job=job).count()
        if job.status == "done" and rows != job.created:
            partial.append((job.pk, job.status, job.created, rows))
        if job.status != "done" and rows:
            partial.append((job.pk, job.status, job.created, rows))
    return {
        "writes_ok": len(ok),
        "writes_failed": len(writes) - len(ok),
        "checked": {
            "answer_submit": len(submits),
            "answer_draft": len(drafts),
            "comment": len(comments),
            "import": len(import_ids),
        },  # fmt: skip
        "missing": missing,
        "answers_with_another_reference": wrong_reference,
        "import_statuses": statuses,
        "imports_partial": partial,
        "imports_not_done": [j.pk for j in jobs.values() if j.status != "done"],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser("prepare")
    prepare_parser.add_argument("--clients", type=int, default=32)
    verify_parser = commands.add_parser("verify")
    verify_parser.add_argument("writes")
    verify_parser.add_argument("--wait-imports", type=float, default=120)
    args = parser.parse_args()
    if args.command == "prepare":
        print(json.dumps(prepare(args.clients)))
    else:
        with open(args.writes) as handle:
            print(json.dumps(verify(json.load(handle), args.wait_imports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
