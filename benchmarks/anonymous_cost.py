"""What an anonymous visitor can make the server spend (issue #18): crawl the public pages of a
running `mineralstrategi serve` as a visitor without a session, then ask for every page found
again with parameters of the visitor's own choosing, and list the slowest answers.

Run by hand (not in CI), on a generated national data set:

    mineralstrategi generate --scale national --data-dir /work/gen-national   # once
    python benchmarks/anonymous_cost.py --data-dir /work/gen-national --pages 300

Each URL the crawl finds (links on the pages, from / and /en/ and the heavy pages in SEEDS, same
host, no /admin/ nor /konto/, at most --per-shape of each kind of page) is asked for four times, one request at a time, so that the time of an answer is the
server's time for it:

- `first`: as found (the first request renders the page unless it was cached);
- `again`: the same address (a cached page answers from the cache);
- `extra`: with an unknown parameter of random name and value (`?zq81=x3…`), which used to skip
  the page cache;
- `values`: with random values for the parameters the pages read (`year`, `page`, `q`, …).

Prints the counts and a Markdown table of the 20 slowest answers for benchmarks/RESULTS.md.
"""

import argparse
import os
import random
import re
import string
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loadkit import free_port, server_env, start_server, stop_server  # noqa: E402

LINK = re.compile(r'href="(/[^"#]*)"')
SKIPPED = ("/admin/", "/konto/", "/en/konto/", "/static/", "/media/", "/i18n/", "/healthz")
PARAMETERS = ["year", "page", "q", "period", "status", "organisation", "tag", "role", "plan"]
SLOW_MS = 500
# Where the crawl starts: the home pages, and the pages the attack of issue #18 found slowest
# (the network and its API, the site map) in case no link leads there soon.
SEEDS = ["/", "/en/", "/klustret/natverk/", "/api/network", "/klustret/platser/", "/remiss/"]


@dataclass
class Answer:
    url: str
    variant: str
    status: int
    cache: str
    ms: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def ask(base: str, url: str, variant: str) -> tuple[Answer, str]:
    start = time.perf_counter()
    try:
        with OPENER.open(base + url, timeout=600) as response:
            body = response.read()
            status, cache = response.status, response.headers.get("X-Public-Cache", "")
            kind = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
        cache, kind = error.headers.get("X-Public-Cache", ""), ""
    ms = (time.perf_counter() - start) * 1000
    text = body.decode(errors="replace") if "html" in kind else ""
    return Answer(url, variant, status, cache, ms), text


def shape(url: str) -> str:
    """The kind of page an address is: its path with the parts that name one thing (a slug, a
    number) as `*`, and the names of its parameters. The crawl asks for a few of each kind, so
    that 290 municipalities or 1,000 organisations do not crowd out the network or a PDF."""
    path, _, query = url.partition("?")
    parts = ["*" if re.search(r"\d|-", part) else part for part in path.split("/")]
    names = sorted({name for name, _ in urllib.parse.parse_qsl(query, keep_blank_values=True)})
    return "/".join(parts) + ("?" + "&".join(names) if names else "")


def crawl(base: str, limit: int, per_shape: int) -> tuple[list[str], list[Answer]]:
    """Breadth first from the home pages and the heavy pages named in SEEDS, at most
    `per_shape` addresses of each kind: the URLs asked for and the first answer to each."""
    queue, seen, answers, shapes = deque(SEEDS), set(SEEDS), [], Counter()
    while queue and len(answers) < limit:
        url = queue.popleft()
        answer, text = ask(base, url, "first")
        answers.append(answer)
        for link in LINK.findall(text):
            link = link.replace("&amp;", "&")
            if link in seen or link.startswith(SKIPPED) or shapes[shape(link)] >= per_shape:
                continue
            seen.add(link)
            shapes[shape(link)] += 1
            queue.append(link)
    return [answer.url for answer in answers], answers


def with_query(url: str, extra: dict) -> str:
    path, _, query = url.partition("?")
    params = urllib.parse.parse_qsl(query, keep_blank_values=True) + list(extra.items())
    return f"{path}?{urllib.parse.urlencode(params)}"


def random_word(rng: random.Random, length: int = 6) -> str:
    return "".join(rng.choices(string.ascii_lowercase + string.digits, k=length))


def random_values(rng: random.Random) -> dict:
    values = {
        "year": rng.randint(1900, 2200),
        "page": rng.randint(1, 10**6),
        "q": random_word(rng, 8),
        "period": rng.randint(1900, 2200),
        "status": random_word(rng),
        "organisation": random_word(rng),
        "tag": random_word(rng),
        "role": random_word(rng),
        "plan": rng.randint(1, 10**9),
    }
    return {name: values[name] for name in rng.sample(PARAMETERS, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, help="the data folder (SQLite)")
    parser.add_argument("--database-url", help="PostgreSQL instead of the folder's SQLite")
    parser.add_argument("--redis-url")
    parser.add_argument("--pages", type=int, default=300, help="how many pages to crawl")
    parser.add_argument("--per-shape", type=int, default=3, help="addresses of each kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    env = server_env(args.data_dir, args.database_url, args.redis_url)
    env["COMMENT_RATE_LIMIT"] = "5"  # the production default: nothing here posts
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = os.path.join(tempfile.mkdtemp(prefix="anonymous-cost-"), "serve.log")
    server = start_server(env, port, args.workers, log)
    try:
        urls, answers = crawl(base, args.pages, args.per_shape)
        for url in urls:
            answers.append(ask(base, url, "again")[0])
            extra = {f"z{random_word(rng, 4)}": random_word(rng, 12)}
            answers.append(ask(base, with_query(url, extra), "extra")[0])
            answers.append(ask(base, with_query(url, random_values(rng)), "values")[0])
    finally:
        stop_server(server)

    report(args, urls, answers)


def report(args, urls: list[str], answers: list[Answer]) -> None:
    errors = [a for a in answers if a.status >= 500]
    slow = [a for a in answers if a.ms > SLOW_MS]
    print(f"pages crawled: {len(urls)}; requests: {len(answers)}; server errors: {len(errors)}")
    print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    for variant in ("first", "again", "extra", "values"):
        times = sorted(a.ms for a in answers if a.variant == variant)
        if times:
            p95 = times[int(0.95 * (len(times) - 1))]
            hits = sum(1 for a in answers if a.variant == variant and a.cache == "hit")
            over = sum(1 for t in times if t > SLOW_MS)
            print(
                f"{variant:>6}: {len(times)} requests, median {times[len(times) // 2]:.0f} ms, "
                f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms, {hits} from the cache, "
                f"{over} over {SLOW_MS} ms"
            )
    print(
        f"\nThe 20 slowest of {len(answers)} anonymous requests (over {SLOW_MS} ms: {len(slow)}):\n"
    )
    print("| ms | status | cache | variant | URL |")
    print("|---|---|---|---|---|")
    for answer in sorted(answers, key=lambda a: -a.ms)[:20]:
        print(
            f"| {answer.ms:.0f} | {answer.status} | {answer.cache or '-'} | {answer.variant} | "
            f"`{answer.url[:110]}` |"
        )
    print("\nThe heavy pages of issue #18 (SEEDS), every request:\n")
    print("| ms | status | cache | variant | URL |")
    print("|---|---|---|---|---|")
    for answer in answers:
        if answer.url.split("?")[0] in SEEDS[2:]:
            print(
                f"| {answer.ms:.0f} | {answer.status} | {answer.cache or '-'} | "
                f"{answer.variant} | `{answer.url[:110]}` |"
            )
    for answer in errors[:20]:
        print(f"SERVER ERROR {answer.status}: {answer.url}", file=sys.stderr)


if __name__ == "__main__":
    main()
