"""Data to PDF with Typst, for documents of many like blocks: the compilation of a consultation
round (2,400 comments of a real round laid out in about 3 s of CPU, where WeasyPrint needed 40;
benchmarks/RESULTS.md, issue #19).

What people wrote never becomes Typst markup. The data goes to the compiler as one JSON string
(`sys.inputs.data`), which the template reads with `json(...)`: a string from it is set as text,
never parsed, so `#read(...)`, `$`, `*` or `]` in a comment are printed as they are. The
compiler's root is a temporary folder holding only the template, so that even the template can
read no other file of the server; the templates import no package, so nothing is fetched.

Each PDF is laid out in a child process that ends with it: Typst keeps what it laid out in a
cache of its process that the `typst` package (0.15) never empties, about 270 MB more for each
compilation of 2,400 comments, which a task worker would keep for ever.

Every PDF is written as PDF/UA-1 (tagged, with the document's language and title, which the
template sets from the data): Typst refuses to write a PDF/UA document that breaks its rules.
"""

import shutil
import subprocess  # nosec B404 # our own interpreter, with a fixed argument list
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ProgressCallback = Callable[[int], None]  # called with a percentage

PACKAGE = Path(__file__).resolve().parent
TEMPLATE_SUFFIX = ".typ"
# Longer than any real document takes (seconds): a compiler that hangs fails the document.
TIMEOUT_SECONDS = 600
# The child: the data on its standard input, the PDF on its standard output. Run isolated (-I:
# no environment variables, no folder of ours on its path): it needs the `typst` package alone.
CHILD = """
import os, sys, typst
main = sys.argv[1]
data = sys.stdin.buffer.read().decode("utf-8")
try:
    pdf = typst.compile(
        main, root=os.path.dirname(main), sys_inputs={"data": data}, pdf_standards="ua-1"
    )
except typst.TypstError as error:
    sys.exit(str(error))
sys.stdout.buffer.write(pdf)
"""


class TypstFailed(RuntimeError):
    """The compiler refused the document (its message from the child)."""


def template_path(template: str) -> Path:
    """The file of `template`, a path inside the package (e.g.
    "consultation/typst/compilation.typ"); refused if it leads elsewhere or is not a template."""
    path = (PACKAGE / template).resolve()
    if not path.is_relative_to(PACKAGE) or path.suffix != TEMPLATE_SUFFIX or not path.is_file():
        raise ValueError(f"No Typst template {template!r} in the package.")
    return path


def render_typst_pdf(
    template: str, data: str, *, progress: ProgressCallback | None = None
) -> bytes:
    """The PDF of `template` laid out with `data` (a JSON text, read by the template as
    `json(bytes(sys.inputs.data))`). `progress`, if given, is told when the material is ready
    (10 %) and when the layout is done (90 %): Typst itself tells nothing while it works."""
    told = progress or (lambda percent: None)
    with tempfile.TemporaryDirectory(prefix="typst-") as root:
        main = Path(root) / "main.typ"
        shutil.copyfile(template_path(template), main)
        told(10)
        pdf = lay_out(main, data)
    told(90)
    return pdf


def lay_out(main: Path, data: str) -> bytes:
    """The PDF of the template `main` (alone in its folder, the compiler's root) with `data`,
    made by a child process."""
    finished = subprocess.run(  # nosec B603 # our interpreter, our code, no shell
        [sys.executable, "-I", "-c", CHILD, str(main)],
        input=data.encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if finished.returncode != 0:
        message = finished.stderr.decode("utf-8", "replace").strip()
        raise TypstFailed(message or f"The compiler ended with status {finished.returncode}.")
    return finished.stdout
