"""The yearly follow-up report of the demo strategy as PDF: time from data to PDF bytes.

    python benchmarks/followup_report_pdf.py [--year 2024] [--runs 3] [--data-dir DIR]

Loads the demo into a fresh SQLite database in ``--data-dir`` (a temporary folder by default), then
makes the report ``--runs`` times the way the task worker and the CLI do
(``reports.services.followup_pdf``), timing the analysis and HTML apart from WeasyPrint's layout.
Prints a Markdown table. Goal: at most 5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    os.environ["MINERALSTRATEGI_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="fu-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.utils import translation

    from mineralstrategi.demo.loader import demo_load
    from mineralstrategi.reports.services import followup_pdf, report_context
    from mineralstrategi.strategy.models import Strategy

    call_command("migrate", interactive=False, verbosity=0)
    demo_load()
    strategy = Strategy.objects.get(slug="mineralstrategi-norrbotten-vasterbotten")
    translation.activate("sv")
    followup_pdf(strategy, args.year)  # warm up: imports, templates, fonts
    html_times, total_times, cpu_times, size = [], [], [], 0
    for _ in range(args.runs):
        start = time.perf_counter()
        render_to_string("reports/followup_pdf.html", report_context(strategy, args.year))
        html_times.append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        size = len(followup_pdf(strategy, args.year))
        total_times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
    print(f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    print(
        "| report | runs | analysis + HTML (s, median) | whole PDF, wall (s, median) "
        "| best wall (s) | whole PDF, CPU (s, median) | size (kB) |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| demo strategy, {args.year} | {args.runs} | {statistics.median(html_times):.2f} | "
        f"{statistics.median(total_times):.2f} | {min(total_times):.2f} | "
        f"{statistics.median(cpu_times):.2f} | {size / 1024:.0f} |"
    )


if __name__ == "__main__":
    main()
