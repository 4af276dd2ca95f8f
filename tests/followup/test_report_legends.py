"""The follow-up report PDF: every chart's legend is whole, no label cut at the chart's edge
(pdftotext, of poppler-utils, reads only what is drawn inside the chart)."""

import shutil
import subprocess  # nosec B404 # pdftotext, with a fixed argument list
from collections import Counter
from xml.etree import ElementTree

import pytest
from django.utils import translation

from mineralstrategi.reports.followup import followup_for
from mineralstrategi.reports.services import followup_pdf

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def test_every_legend_label_of_the_report_pdf_is_whole(demo, tmp_path):
    told = []  # the progress the status page shows, as the worker tells it
    with translation.override("sv"):
        pdf = followup_pdf(demo, 2024, progress=told.append)
        rows = followup_for(demo, 2024).indicator_rows
        # one chart per indicator row: its legend names each place and its cycle-adjusted line
        charts = [ElementTree.fromstring(row.chart) for row in rows]
    wanted = Counter(
        "".join(entry.itertext())
        for chart in charts
        for entry in chart.iter()
        if entry.get("class") == "legend-entry"
    )
    assert len(rows) >= 10 and any(name.endswith(", konjunkturjusterad") for name in wanted)
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf")], check=True)  # nosec
    text = (tmp_path / "report.txt").read_text()
    # -layout keeps a line's cells apart by two spaces or more: a legend label is one cell
    cells = Counter(cell.strip() for line in text.splitlines() for cell in line.split("  "))
    short = {name: (cells[name], count) for name, count in wanted.items() if cells[name] < count}
    assert short == {}  # label: (found whole, charts naming it)
    # The progress rises through the PDF's layout too, not only before and after it.
    assert told == sorted(told) and told[-1] == 100 and any(85 < p < 100 for p in told)
