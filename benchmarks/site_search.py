"""Time the site search (`portal.search.site_search`) on a generated database.

Run by hand (not in CI) against a database filled by `mineralstrategi generate --scale national`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_search_gen \\
        PYTHONPATH=src python benchmarks/site_search.py

Each query is searched once to warm the connection and the caches of the database, then
`--repeat` times; the table gives the best and the median of those, the number of hits and the
number of SQL queries. Point PYTHONPATH at another checkout's `src` to time its code on the same
data. Prints a Markdown table for benchmarks/RESULTS.md.
"""

import argparse
import os
import statistics
import time

QUERIES = [
    "gruva",
    "gruvor och förädling",
    "Kiruna",
    "Skellefteå",
    "kompetensförsörjning",
    "samverkansprogram",
    "Exempelbolaget 3 AB",
    "testbäddar",
    "markanvändning",
    "zyxwvut",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mineralstrategi.portal.search import site_search

    print(f"database: {connection.vendor}, repeat {args.repeat}, load {os.getloadavg()[0]:.1f}")
    print()
    print("| query | hits | SQL queries | best (ms) | median (ms) |")
    print("|---|---|---|---|---|")
    medians = []
    for query in QUERIES:
        with CaptureQueriesContext(connection) as queries:
            hits = site_search(query)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            site_search(query)
            times.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(times))
        print(f"| {query} | {len(hits)} | {len(queries)} | {min(times):.1f} | {medians[-1]:.1f} |")
    print(f"| **all ten** | | | | **{sum(medians):.0f}** |")


if __name__ == "__main__":
    main()
