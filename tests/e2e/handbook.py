"""The handbook's pictures, taken by the browser tests at the moment a step shows.

A test calls `handbook_picture(page, "name")` where the handbook shows the page. Every run checks
that the page can be photographed (the call takes the picture into memory); with
`MINERALSTRATEGI_HANDBOOK_PICTURES=1` the picture is written to `docs/handbok/bilder/<name>.png`,
which both languages' chapters show as `bilder/<name>.png`. Rebuild every picture after a change
to the interface with

    MINERALSTRATEGI_HANDBOOK_PICTURES=1 pytest tests/e2e -k "not xss"

`tests/help/test_handbook.py` fails when a chapter shows a picture that no test takes, or a test
takes one that no chapter shows.
"""

import io
import os
from pathlib import Path

from PIL import Image

PICTURES = Path(__file__).resolve().parents[2] / "docs" / "handbok" / "bilder"
# One size for every picture: a laptop's window, so the handbook's pictures look alike.
VIEWPORT = {"width": 1280, "height": 800}


def writing_pictures() -> bool:
    return os.environ.get("MINERALSTRATEGI_HANDBOOK_PICTURES", "").strip().lower() in {
        "1",
        "true",
        "yes",
    }


def handbook_picture(page, name: str, *, full_page: bool = False) -> None:
    """Photograph what `page` shows for the handbook's picture `name` (see the module)."""
    previous = page.viewport_size
    page.set_viewport_size(VIEWPORT)
    image = page.screenshot(full_page=full_page, animations="disabled")
    if previous:
        page.set_viewport_size(previous)
    assert image, name
    if writing_pictures():
        PICTURES.mkdir(parents=True, exist_ok=True)
        (PICTURES / f"{name}.png").write_bytes(compact_png(image))


def compact_png(image: bytes) -> bytes:
    """The screenshot in at most 256 colours (an interface has few): a third of the bytes."""
    picture = Image.open(io.BytesIO(image)).convert("RGB")
    out = io.BytesIO()
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()
