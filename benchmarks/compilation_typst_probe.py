"""A probe, not the platform's way: the compilation's comments laid out by Typst instead of
WeasyPrint, to weigh "another engine for table-heavy documents" (issue #19).

    pip install --target /tmp/typst-probe typst==0.15.0   # kept out of the project's environment
    PYTHONPATH=src:/tmp/typst-probe python benchmarks/compilation_typst_probe.py --data-dir DIR

Needs the round of benchmarks/report_pdfs.py in ``--data-dir`` (run that first). Writes each
section's comments (consultee, reference, stance, comment, decision, reason) as JSON, lays them
out as blocks in a tagged PDF/UA-1 document (the same content as the compilation PDF's comments
per section, not its totals and lists), checks with pdftotext that every comment is in it, and
prints the time.
"""

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

DOCUMENT = r"""
#set document(title: "Remissammanställning")
#set text(lang: "sv", font: "DejaVu Sans", size: 9pt)
#set page(paper: "a4", margin: (x: 20mm, y: 22mm), numbering: "1 / 1")
#let data = json("data.json")
= Remissammanställning
#for section in data [
  == #section.title
  #for c in section.comments [
    #block(stroke: (top: 0.5pt + gray), inset: (top: 2pt), width: 100%)[
      #text(size: 8.5pt)[*#c.by* · #c.ref · Ställningstagande: #c.stance] \
      #c.text \
      #text(size: 8.5pt)[Beslut: #c.decision · Motivering: #c.reason]
    ]
  ]
]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    os.environ["MINERALSTRATEGI_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")
    import django

    django.setup()
    import typst
    from django.utils import translation
    from report_pdfs import MARKER, REGISTRY_NUMBER

    from mineralstrategi.consultation import selectors
    from mineralstrategi.consultation.models import ConsultationRound

    translation.activate("sv")
    round_ = ConsultationRound.objects.get(registry_number=REGISTRY_NUMBER)
    data = [
        {
            "title": f"{entry.section.outline} {entry.section.title}",
            "comments": [
                {
                    "by": comment.answer.consultee.organisation.name,
                    "ref": comment.answer.registry_reference,
                    "stance": str(comment.get_stance_display()),
                    "text": comment.comment,
                    "decision": str(comment.disposition.get_decision_display()),
                    "reason": comment.disposition.reason,
                }
                for comment in entry.comments
            ],
        }
        for entry in selectors.compilation(round_).sections
        if entry.comments
    ]
    folder = Path(tempfile.mkdtemp(prefix="typst-probe-"))
    (folder / "data.json").write_text(json.dumps(data, ensure_ascii=False))
    (folder / "main.typ").write_text(DOCUMENT)
    start, cpu = time.perf_counter(), time.process_time()
    pdf = typst.compile(str(folder / "main.typ"), root=str(folder), pdf_standards="ua-1")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    (folder / "out.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(folder / "out.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    comments = sum(len(section["comments"]) for section in data)
    found = len(set(MARKER.findall(text)))
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Typst {comments} comments: wall {wall:.2f} s, CPU {cpu:.2f} s (all threads), "
        f"{text.count(chr(12))} pages, {len(pdf) / 1024:.0f} kB, {found} of {comments} comments "
        f"found by pdftotext; load average {load}"
    )


if __name__ == "__main__":
    main()
