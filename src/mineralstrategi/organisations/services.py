"""Writes to counties, municipalities, organisations, memberships and contacts."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from mineralstrategi.services import with_history_user

from .geography import read_counties, read_municipalities
from .models import (
    DEFAULT_HELIX_ROLE,
    ApiToken,
    County,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
)


@dataclass
class GeographyLoadResult:
    counties_created: int = 0
    counties_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    organisations_created: int = 0
    organisations_renamed: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


@transaction.atomic
def geography_load() -> GeographyLoadResult:
    """Create or update the 21 counties and 290 municipalities, and an organisation for every
    municipality. Idempotent: a second run changes nothing. Bulk inserts keep a fresh load fast."""
    result = GeographyLoadResult()
    counties = {county.code: county for county in County.objects.all()}
    new_counties = []
    for record in read_counties():
        county = counties.get(record.code)
        if county is None:
            new_counties.append(County(**vars(record)))
        elif (county.name, county.short_name) != (record.name, record.short_name):
            county.name, county.short_name = record.name, record.short_name
            county.save(update_fields=["name", "short_name"])
            result.counties_updated += 1
    County.objects.bulk_create(new_counties)
    result.counties_created = len(new_counties)
    counties = {county.code: county for county in County.objects.all()}

    municipalities = {m.code: m for m in Municipality.objects.all()}
    new_municipalities = []
    for record in read_municipalities():
        county = counties[record.county_code]
        municipality = municipalities.get(record.code)
        wanted = (record.name, record.short_name, county.pk)
        if municipality is None:
            new_municipalities.append(
                Municipality(
                    code=record.code, name=record.name, short_name=record.short_name, county=county
                )
            )
        elif (municipality.name, municipality.short_name, municipality.county_id) != wanted:
            municipality.name, municipality.short_name = record.name, record.short_name
            municipality.county = county
            municipality.save(update_fields=["name", "short_name", "county"])
            result.municipalities_updated += 1
    Municipality.objects.bulk_create(new_municipalities)
    result.municipalities_created = len(new_municipalities)

    without_organisation = Municipality.objects.filter(organisation__isnull=True).select_related(
        "county"
    )
    new_organisations = [
        Organisation(
            name=municipality.name,
            slug=slugify(f"{municipality.name}-{municipality.code}"),
            kind=OrganisationKind.MUNICIPALITY,
            helix_role=DEFAULT_HELIX_ROLE[OrganisationKind.MUNICIPALITY],
            county=municipality.county,
            municipality=municipality,
        )
        for municipality in without_organisation
    ]
    bulk_create_with_history(new_organisations, Organisation)
    result.organisations_created = len(new_organisations)
    result.organisations_renamed = _municipal_organisations_rename()
    return result


def _municipal_organisations_rename() -> int:
    """Give every municipality's organisation the municipality's official name, so that a name
    corrected in the reference list reaches databases loaded before. The slug (the address of its
    page) stays as it was."""
    misnamed = (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, municipality__isnull=False)
        .exclude(name=F("municipality__name"))
        .select_related("municipality")
    )
    renamed = 0
    for organisation in misnamed:
        organisation.name = organisation.municipality.name
        organisation.save(update_fields=["name"])
        renamed += 1
    return renamed


def organisation_create(
    *,
    name: str,
    kind: str,
    county: County | None = None,
    municipality: Municipality | None = None,
    helix_role: str | None = None,
    slug: str | None = None,
    **fields,
) -> Organisation:
    return Organisation.objects.create(
        name=name,
        slug=slug or slugify(name),
        kind=kind,
        helix_role=helix_role or DEFAULT_HELIX_ROLE[kind],
        county=county,
        municipality=municipality,
        **fields,
    )


def membership_grant(*, user, organisation: Organisation, role: str, title: str = "") -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"title": title}
    )
    return membership


TOKEN_PREFIX = "ms"


TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new API key for the user: the stored token and the key itself, which is shown only once."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_token_hash(secret)
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def _is_token_prefix(value: str) -> bool:
    """The 12 hex digits api_token_create makes; anything else (a NUL byte, say, which
    PostgreSQL refuses in a query) cannot name a token, so it is not looked up."""
    return len(value) == 12 and all(c in "0123456789abcdef" for c in value)


def api_token_user(key: str):
    """The active user a presented key belongs to, or None. Constant-time on the secret."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not _is_token_prefix(parts[1]):
        return None
    token = ApiToken.objects.active().select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.key_hash, _token_hash(parts[2])):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    # At most one write a minute per key: a write on every call made read-only API calls wait
    # for (and on SQLite fail behind) a long import holding the write lock.
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _free_slug(name: str) -> str:
    """The slug of the name, with a number added when another organisation has it."""
    base = slugify(name)[:190] or "organisation"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def organisation_register(*, administrator, decided_by, **particulars) -> Organisation:
    """A new organisation registered through the pages (an approved application): made with a
    free slug, with `administrator` as its first administrator. The caller checks the permission
    (accounts.rules); both records name `decided_by` as their author."""
    organisation = Organisation(
        slug=_free_slug(particulars["name"]),
        helix_role=DEFAULT_HELIX_ROLE[particulars["kind"]],
        **particulars,
    )
    with_history_user(organisation, decided_by).save()
    membership = Membership(user=administrator, organisation=organisation, role=Role.ADMINISTRATOR)
    with_history_user(membership, decided_by).save()
    return organisation
