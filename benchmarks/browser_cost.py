"""What a browser pays for the pages people use (issue #19): requests, bytes and time to load,
with an empty cache, in Chromium, against `mineralstrategi serve` with production settings.

    python benchmarks/browser_cost.py --data-dir DIR
    python benchmarks/browser_cost.py --database-url URL [--redis-url URL]

The pages are those of `logged_in_cpu.pages` (the strategy editor's and a consultee's), each
with its person's own session, and the public home, indicator and dashboard as a visitor sees
them. Bytes are what went over the wire (bodies as sent, compressed where the server compressed
them, plus headers). Targets (issue #19): under 500 kB and 20 requests a page. Run by hand.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from loadkit import (
    database_arguments,
    free_port,
    logged_in_sessions,
    server_env,
    start_server,
    stop_server,
)

HERE = Path(__file__).resolve().parent
LIMIT_BYTES = 500_000
LIMIT_REQUESTS = 20


def public_pages(logged_in: list[dict]) -> list[dict]:
    """The home, indicator and dashboard pages of the logged-in list, as a visitor."""
    wanted = {"home", "indicator page", "follow-up dashboard"}
    return [
        {"name": page["name"], "who": "visitor", "path": page["path"], "cookie": None}
        for page in logged_in
        if page["name"] in wanted
    ]


def measure(browser, base: str, page_spec: dict) -> dict:
    """One load with an empty cache: requests, bytes over the wire and the load event's time."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if page_spec["cookie"]:
        name, value = page_spec["cookie"].split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    response = page.goto(base + page_spec["path"], wait_until="load")
    page.wait_for_load_state("networkidle")
    status = response.status if response else 0
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    timing = page.evaluate(
        "() => { const t = performance.getEntriesByType('navigation')[0];"
        " return {load: t.loadEventEnd, dom: t.domContentLoadedEventEnd}; }"
    )
    context.close()
    return {
        **page_spec,
        "status": status,
        "requests": len(requests),
        "bytes": total,
        "load_ms": timing["load"],
        "dom_ms": timing["dom"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    database_arguments(parser)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="browser-cost-")
    env = server_env(data_dir, args.database_url, args.redis_url)
    env["ANONYMOUS_RENDERS_PER_MINUTE"] = "0"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port, 2, os.path.join(data_dir, "browser-cost-server.log"))
    try:
        logged_in = logged_in_sessions(env, args)
        specs = [*public_pages(logged_in), *logged_in]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium)
            results = [measure(browser, base, spec) for spec in specs]
            browser.close()
    finally:
        stop_server(server)
    print("\n| page | who | status | requests | kB over the wire | DOM ready (ms) | load (ms) |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['name']} `{r['path']}` | {r['who']} | {r['status']} | {r['requests']} "
            f"| {r['bytes'] / 1000:.0f} | {r['dom_ms']:.0f} | {r['load_ms']:.0f} |"
        )
    over = [r for r in results if r["bytes"] > LIMIT_BYTES or r["requests"] > LIMIT_REQUESTS]
    print(
        "\ntargets (under 500 kB and 20 requests a page): "
        + ("all met" if not over else "missed by " + ", ".join(r["name"] for r in over))
    )


if __name__ == "__main__":
    main()
