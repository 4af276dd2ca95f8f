"""The check of the site map's tile service (`manage.py check`, and at every start)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register()
def check_map_tiles(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = settings.MINERALSTRATEGI.get("MAP_TILES_URL", "")
    if not url:
        return []
    parts = urlsplit(url)
    if (
        parts.scheme in {"http", "https"}
        and parts.netloc
        and "{" not in parts.netloc
        and all(part in url for part in ("{z}", "{x}", "{y}"))
    ):
        return []
    return [
        checks.Error(
            f"MAP_TILES_URL {url!r} is not the address of a tile service's images.",
            hint="An http(s) address on one host with {z}, {x} and {y} in its path, e.g. "
            "https://tile.example/{z}/{x}/{y}.png (no {s} subdomains: the Content-Security-"
            "Policy allows exactly that host).",
            id="mineralstrategi.E001",
        )
    ]
