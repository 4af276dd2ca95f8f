"""Writes to counties, municipalities, organisations, memberships and contacts."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from .geography import read_counties, read_municipalities
from .models import (
    DEFAULT_HELIX_ROLE,
    County,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
)


@dataclass
class GeographyLoadResult:
    counties_created: int = 0
    counties_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    organisations_created: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


@transaction.atomic
def geography_load() -> GeographyLoadResult:
    """Create or update the 21 counties and 290 municipalities, and an organisation for every
    municipality. Idempotent: a second run changes nothing."""
    result = GeographyLoadResult()
    counties = {county.code: county for county in County.objects.all()}
    for record in read_counties():
        county = counties.get(record.code)
        if county is None:
            counties[record.code] = County.objects.create(
                code=record.code, name=record.name, short_name=record.short_name
            )
            result.counties_created += 1
        elif (county.name, county.short_name) != (record.name, record.short_name):
            county.name, county.short_name = record.name, record.short_name
            county.save(update_fields=["name", "short_name"])
            result.counties_updated += 1

    municipalities = {m.code: m for m in Municipality.objects.all()}
    for record in read_municipalities():
        county = counties[record.county_code]
        municipality = municipalities.get(record.code)
        wanted = (record.name, record.short_name, county.pk)
        if municipality is None:
            municipalities[record.code] = Municipality.objects.create(
                code=record.code, name=record.name, short_name=record.short_name, county=county
            )
            result.municipalities_created += 1
        elif (municipality.name, municipality.short_name, municipality.county_id) != wanted:
            municipality.name, municipality.short_name = record.name, record.short_name
            municipality.county = county
            municipality.save(update_fields=["name", "short_name", "county"])
            result.municipalities_updated += 1

    with_organisation = set(
        Organisation.objects.filter(municipality__isnull=False).values_list(
            "municipality_id", flat=True
        )
    )
    county_by_id = {county.pk: county for county in counties.values()}
    for municipality in municipalities.values():
        if municipality.pk not in with_organisation:
            organisation_create(
                name=municipality.name,
                kind=OrganisationKind.MUNICIPALITY,
                county=county_by_id[municipality.county_id],
                municipality=municipality,
                slug=slugify(f"{municipality.name}-{municipality.code}"),
            )
            result.organisations_created += 1
    return result


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
