"""Writes to sites: a site's coordinates must lie in the counties the platform covers, and its
municipality is the one its coordinates lie in."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mineralstrategi.organisations.maps import municipality_at
from mineralstrategi.organisations.models import Municipality, Organisation
from mineralstrategi.services import require, with_history_user

from .models import Site, SiteKind, SiteStatus
from .selectors import covered_county_codes


@dataclass
class SiteInput:
    name: str
    kind: str
    status: str
    latitude: float
    longitude: float
    commodities: str = ""
    operator: Organisation | None = None
    operator_name: str = ""
    opened: int | None = None
    closed: int | None = None
    description: str = ""
    source: str = ""
    is_example: bool = False


def site_location_errors(latitude, longitude, county_codes: tuple[str, ...]) -> dict:
    """Field errors for coordinates that are not numbers or lie outside the covered counties."""
    errors: dict[str, list[str]] = {}
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return {"latitude": [_("Give the position as decimal degrees, e.g. 67.85 and 20.22.")]}
    if not -90 <= lat <= 90:
        errors["latitude"] = [_("A latitude lies between -90 and 90 degrees.")]
    if not -180 <= lon <= 180:
        errors["longitude"] = [_("A longitude lies between -180 and 180 degrees.")]
    if errors:
        return errors
    if municipality_at(lat, lon, county_codes) is None:
        message = _("The position %(lat)s, %(lon)s lies outside the counties covered.") % {
            "lat": lat,
            "lon": lon,
        }
        errors["latitude"] = [message]
        errors["longitude"] = [message]
    return errors


def _validated(data: SiteInput) -> Municipality:
    errors = site_location_errors(data.latitude, data.longitude, covered_county_codes())
    if data.kind not in SiteKind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if data.status not in SiteStatus.values:
        errors["status"] = [_("Choose a status from the list.")]
    if not data.name.strip():
        errors["name"] = [_("Give the site a name.")]
    if data.opened and data.closed and data.closed < data.opened:
        errors["closed"] = [_("The site closed before it opened.")]
    if errors:
        raise ValidationError(errors)
    code = municipality_at(float(data.latitude), float(data.longitude), covered_county_codes())
    return Municipality.objects.get(code=code)


@transaction.atomic
def site_save(data: SiteInput, *, user, site: Site | None = None, slug: str = "") -> Site:
    require(user, "cluster.change_site", site)
    municipality = _validated(data)
    site = site or Site(slug=slug or slugify(data.name))
    for name, value in vars(data).items():
        setattr(site, name, value)
    site.municipality = municipality
    with_history_user(site, user).save()
    return site
