"""The two big reports as PDF at the size of a real remiss (issue #19): time from data to PDF.

    python benchmarks/report_pdfs.py [--data-dir DIR] [--runs 2] [--consultees 40] [--sections 60]

Uses the national data set of ``mineralstrategi generate --scale national`` in ``--data-dir``
(generated there first when the folder holds none: about two minutes), and adds to it, once, a
consultation round of ``--consultees`` consultees on the first ``--sections`` commentable sections
of a generated strategy's first version, every consultee with a submitted answer that comments on
every section, every comment with a disposition. Then, after a warm-up (a one-line PDF in each style):

- the compilation PDF as the task worker makes it (``printing.services.document_print`` of the
  data the page hands it, laid out by Typst); the data's making (JSON) timed apart, as the
  request pays it;
- the follow-up report of that strategy at national scale (``reports.services.followup_pdf``, as
  the worker's ``followup_report_make`` calls it).

Checks with pdftotext (poppler-utils) that the compilation PDF holds every comment. Prints a
Markdown table for benchmarks/RESULTS.md. Goal: each report at most 5 s of wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import statistics
import subprocess
import tempfile
import time

REGISTRY_NUMBER = "BENCH 2026/0001"
MARKER = re.compile(r"\[k(\d+)\]")
FOLLOWUP_STYLES = ["mineralstrategi/css/followup-pdf.css"]


def _setup(data_dir: str) -> None:
    os.environ["MINERALSTRATEGI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _generated_strategy():
    from mineralstrategi.demo.generate import existing_generated_strategy, generate
    from mineralstrategi.strategy.models import Strategy

    if existing_generated_strategy() is None:
        print("Generating the national data set …")
        generate("national", out=lambda line: None)
    return Strategy.objects.get(slug=existing_generated_strategy())


def _bench_round(strategy, consultees: int, sections: int):
    """The benchmark's round: made once, in bulk (as the generator writes)."""
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from mineralstrategi.consultation.models import (
        STOCKHOLM,
        Answer,
        AnswerComment,
        AnswerStatus,
        ConsultationRound,
        Consultee,
        Decision,
        Disposition,
        Position,
        RoundStatus,
        Stance,
    )
    from mineralstrategi.consultation.selectors import sections_of
    from mineralstrategi.demo.generate.strategies import body
    from mineralstrategi.organisations.models import Organisation
    from mineralstrategi.strategy.models import SectionKind

    existing = ConsultationRound.objects.filter(registry_number=REGISTRY_NUMBER).first()
    if existing is not None:
        return existing
    rng = random.Random(19)
    version = strategy.versions.filter(number__isnull=False).order_by("number").first()
    commentable = [s for s in sections_of(version) if s.kind != SectionKind.TEXT][:sections]
    organisations = list(Organisation.objects.filter(kind="municipality").order_by("name"))
    organisations = organisations[:consultees]
    editor = get_user_model().objects.filter(is_superuser=False).order_by("pk").first()
    sent_at = datetime.datetime(2026, 3, 2, 9, tzinfo=STOCKHOLM)
    with transaction.atomic():
        round_ = ConsultationRound.objects.create(
            strategy=strategy,
            version=version,
            title=f"Benchmark: {consultees} remissinstanser × {sections} avsnitt",
            registry_number=REGISTRY_NUMBER,
            opens_on=sent_at.date(),
            deadline=sent_at.date() + datetime.timedelta(days=60),
            status=RoundStatus.COMPILED,
            last_answer_number=len(organisations),
            sent_at=sent_at,
            created_by=editor,
            is_example=True,
        )
        answers = Answer.objects.bulk_create(
            Answer(
                consultee=Consultee.objects.create(
                    round=round_, organisation=organisation, invited_at=sent_at, answer_number=n
                ),
                status=AnswerStatus.SUBMITTED,
                position=rng.choice(Position.values),
                comment=body(rng, 3),
                registry_reference=f"{REGISTRY_NUMBER}-{n:02d}",
                created_by=editor,
                submitted_at=sent_at + datetime.timedelta(days=30),
                submitted_by=editor,
            )
            for n, organisation in enumerate(organisations, start=1)
        )
        comments = []
        for answer in answers:
            for section in commentable:
                stance = rng.choice(Stance.values)
                comments.append(
                    AnswerComment(
                        answer=answer,
                        section_id=section.pk,
                        section_key=section.key,
                        stance=stance,
                        comment=f"[k{len(comments) + 1}] {body(rng, 2)}",
                        proposed_text=body(rng, 1) if stance == Stance.PROPOSE else "",
                    )
                )
        comments = AnswerComment.objects.bulk_create(comments)
        Disposition.objects.bulk_create(
            Disposition(
                comment=comment,
                decision=rng.choice(Decision.values),
                reason=body(rng, 1),
                decided_by=editor,
            )
            for comment in comments
        )
    return round_


def _compilation_data(round_) -> str:
    """The data (JSON) the page hands the worker, made afresh (as the first request makes it)."""
    from mineralstrategi.caching.until_a_write import forget_everything
    from mineralstrategi.consultation import exports

    forget_everything()
    return exports.compilation_pdf_data(round_)


def _compilation_pdf(round_, data: str) -> bytes:
    """The compilation's PDF made as the worker makes it; a new document each time."""
    from django.core.files.storage import default_storage

    from mineralstrategi.consultation import exports
    from mineralstrategi.printing.models import PrintedDocument
    from mineralstrategi.printing.services import document_print

    document = PrintedDocument.objects.create(
        kind="benchmark-compilation",
        key=f"{round_.pk}-{time.monotonic_ns()}",
        fingerprint=str(time.monotonic_ns()),
        language="sv",
        template=exports.COMPILATION_TEMPLATE,
        data=data,
        file_name="benchmark.pdf",
    )
    document = document_print(document)
    if document.status != PrintedDocument.Status.DONE:
        raise SystemExit(f"The compilation PDF failed: {document.error}")
    with default_storage.open(document.stored_file, "rb") as handle:
        return handle.read()


def _followup_cold(strategy, year: int) -> bytes:
    """The report as a worker makes it that has not computed this follow-up before."""
    from mineralstrategi.caching.until_a_write import forget_everything
    from mineralstrategi.reports.services import followup_pdf

    forget_everything()
    return followup_pdf(strategy, year)


def _followup_html_seconds(strategy, year: int) -> float:
    """The analysis and the HTML alone (cold), the part of the report that is not WeasyPrint's."""
    from django.template.loader import render_to_string

    from mineralstrategi.caching.until_a_write import forget_everything
    from mineralstrategi.reports.services import report_context

    forget_everything()
    start = time.perf_counter()
    context = report_context(strategy, year)
    render_to_string("reports/followup_pdf.html", {**context, "pdf": True})
    return time.perf_counter() - start


def _pdf_pages_and_text(pdf: bytes) -> tuple[int, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return text.count("\f"), text


def _warm_up() -> None:
    """Imports, fonts and style sheets loaded once, as in a worker that has printed before (Typst
    starts afresh in a child process for every PDF: nothing of it to warm up)."""
    from mineralstrategi.pdf import render_pdf

    render_pdf("<!DOCTYPE html><html lang=sv><title>x</title><p>x</p>", FOLLOWUP_STYLES)


def _cpu_seconds() -> float:
    """This process's CPU and its finished children's (Typst lays out in a child process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(runs: int, make) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu_seconds()
        result = make()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_seconds() - cpu)
    return walls, cpus, result


def _row(name: str, runs: int, walls, cpus, pdf: bytes, pages: int, note: str) -> str:
    return (
        f"| {name} | {runs} | {statistics.median(walls):.2f} | {min(walls):.2f} | "
        f"{statistics.median(cpus):.2f} | {pages} | {len(pdf) / 1024:.0f} | {note} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="national data set (made when absent)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--consultees", type=int, default=40)
    parser.add_argument("--sections", type=int, default=60)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--only", choices=["compilation", "followup"], default=None)
    args = parser.parse_args()
    _setup(args.data_dir or tempfile.mkdtemp(prefix="report-pdfs-"))
    from django.utils import translation

    translation.activate("sv")
    strategy = _generated_strategy()
    _warm_up()
    rows = []
    if args.only in (None, "compilation"):
        round_ = _bench_round(strategy, args.consultees, args.sections)
        start = time.perf_counter()
        data = _compilation_data(round_)
        data_seconds = time.perf_counter() - start
        walls, cpus, pdf = _timed(args.runs, lambda: _compilation_pdf(round_, data))
        pages, text = _pdf_pages_and_text(pdf)
        expected = round_.consultees.count() * args.sections
        found = len(set(MARKER.findall(text)))
        rows.append(
            _row(
                f"compilation, {expected} comments",
                args.runs,
                walls,
                cpus,
                pdf,
                pages,
                f"data (JSON) {data_seconds:.2f} s, {len(data.encode()) / 1024:.0f} kB; "
                f"{found} of {expected} comments found by pdftotext",
            )
        )
    if args.only in (None, "followup"):
        html_seconds = _followup_html_seconds(strategy, args.year)
        walls, cpus, pdf = _timed(args.runs, lambda: _followup_cold(strategy, args.year))
        pages, _text = _pdf_pages_and_text(pdf)
        note = f"analysis + HTML alone, first in the process: {html_seconds:.2f} s"
        rows.append(
            _row(f"follow-up {args.year}, national", args.runs, walls, cpus, pdf, pages, note)
        )
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Python {platform.python_version()}, nproc {os.cpu_count()}, load average {load}")
    print(
        "| report | runs | PDF wall (s, median) | best wall (s) | CPU (s, median) | pages "
        "| size (kB) | notes |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
