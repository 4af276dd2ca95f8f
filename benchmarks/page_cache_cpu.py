"""CPU time per request of each benchmarked page: rendered, served from the page cache, and a
static file, through Django's whole middleware stack in one process (no network, no gunicorn).

    python benchmarks/page_cache_cpu.py --data-dir DIR [--hits 300] [--renders 5]
    python benchmarks/page_cache_cpu.py --database-url URL [--redis-url URL] …

CPU time (time.process_time) rather than the clock, so that the figures hold on a shared machine:
they say what one request costs a core, and so how many a core can serve. Complements `load.py`,
whose latencies depend on what else runs on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from load import benchmark_paths
from loadkit import database_arguments, use_database


def cpu_ms(client, path: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.process_time()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        response.close()
        samples.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    database_arguments(parser)
    parser.add_argument("--hits", type=int, default=300)
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--static-root", default="/tmp/mineralstrategi-load-static")
    args = parser.parse_args()
    use_database(args)
    os.environ.update(DEBUG="0", ALLOWED_HOSTS="testserver", SECRET_KEY="benchmark-only")
    # Where `load.py` has `serve` collect them: WhiteNoise then serves them as in production.
    os.environ.setdefault("STATIC_ROOT", args.static_root)
    import django

    django.setup()
    from django.conf import settings
    from django.templatetags.static import static as static_url
    from django.test import Client, override_settings

    from mineralstrategi.indicators.models import Indicator
    from mineralstrategi.strategy.models import Strategy

    slug = Strategy.objects.order_by("pk").first().slug
    code = Indicator.objects.order_by("pk").first().code
    paths = benchmark_paths(slug, code)
    static = static_url("django_htmx/ext/hx-preload-2.js")
    client = Client()
    print(
        f"database: {settings.DATABASES['default']['ENGINE']}; cache: "
        f"{settings.CACHES[settings.PUBLIC_CACHE_ALIAS]['BACKEND']}"
    )
    print("\n| URL | rendered (ms CPU) | from the page cache (ms CPU) | ratio |")
    print("|---|---|---|---|")
    for name, path in paths.items():
        with override_settings(PUBLIC_CACHE_SECONDS=0):
            rendered = cpu_ms(client, path, args.renders)
        client.get(path)
        cached = cpu_ms(client, path, args.hits)
        print(f"| {name} `{path}` | {rendered:.1f} | {cached:.2f} | {rendered / cached:.0f}x |")
    print(f"| static file `{static}` | – | {cpu_ms(client, static, args.hits):.2f} | – |")


if __name__ == "__main__":
    main()
