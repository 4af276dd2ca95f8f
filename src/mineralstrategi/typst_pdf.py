"""Data to PDF with Typst, for documents of many like blocks: the compilation of a consultation
round (2,400 comments of a real round laid out in about 2 s of CPU, where WeasyPrint needed 40;
benchmarks/RESULTS.md, issue #19).

What people wrote never becomes Typst markup. The data goes to the compiler as one JSON string
(`sys.inputs.data`), which the template reads with `json(...)`: a string from it is set as text,
never parsed, so `#read(...)`, `$`, `*` or `]` in a comment are printed as they are. The
compiler's root is a temporary folder holding only the template, so that even the template can
read no other file of the server; the templates import no package, so nothing is fetched.

Every PDF is written as PDF/UA-1 (tagged, with the document's language and title, which the
template sets from the data): Typst refuses to write a PDF/UA document that breaks its rules.
"""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

ProgressCallback = Callable[[int], None]  # called with a percentage

PACKAGE = Path(__file__).resolve().parent
TEMPLATE_SUFFIX = ".typ"


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
    import typst  # loaded by the tasks that print

    told = progress or (lambda percent: None)
    with tempfile.TemporaryDirectory(prefix="typst-") as root:
        main = Path(root) / "main.typ"
        shutil.copyfile(template_path(template), main)
        told(10)
        pdf = typst.compile(str(main), root=root, sys_inputs={"data": data}, pdf_standards="ua-1")
    told(90)
    return pdf
