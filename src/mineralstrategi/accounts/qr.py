"""QR codes as inline SVG, drawn on the server (no image request, no script, nothing inline
that the Content-Security-Policy would refuse: the SVG carries no style attribute)."""

import qrcode
from qrcode.image.svg import SvgPathFillImage


def qr_svg(data: str) -> str:
    """The QR code of `data` as an SVG element. Holds no text of `data`, only its modules."""
    image = qrcode.make(data, image_factory=SvgPathFillImage, border=2)
    return image.to_string(encoding="unicode")
