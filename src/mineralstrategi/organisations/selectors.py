"""Reads of counties, municipalities, organisations and contacts, shaped for pages and the API."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import (
    ApiToken,
    ContactPerson,
    County,
    Invitation,
    Membership,
    Municipality,
    Organisation,
)


def county_list() -> QuerySet[County]:
    return County.objects.annotate(municipality_count=Count("municipalities"))


def county_get(code: str) -> County:
    return get_object_or_404(County, code=code)


def municipality_list(*, county_code: str | None = None) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("county")
    if county_code:
        municipalities = municipalities.filter(county__code=county_code)
    return municipalities


def municipality_get(code: str) -> Municipality:
    return get_object_or_404(
        Municipality.objects.select_related("county", "organisation"), code=code
    )


def organisation_list(*, kind: str | None = None, county_code: str | None = None):
    organisations = Organisation.objects.select_related("county")
    if kind:
        organisations = organisations.of_kind(kind)
    if county_code:
        organisations = organisations.in_counties([county_code])
    return organisations


def organisation_with_contacts(organisation_filter: dict, *, user) -> Organisation:
    """One organisation with the contacts this user may see, in two queries."""
    return get_object_or_404(
        Organisation.objects.select_related("county", "municipality").prefetch_related(
            Prefetch(
                "contacts",
                queryset=ContactPerson.objects.visible_to(user),
                to_attr="visible_contacts",
            )
        ),
        **organisation_filter,
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own active API keys (the keys page)."""
    return ApiToken.objects.visible_to(user).active()


def organisation_get(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's memberships (one a role), by the member's name."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )


def invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    """Every invitation of the organisation, newest first (the page shows each one's state)."""
    return Invitation.objects.filter(organisation=organisation).select_related(
        "invited_by", "accepted_by"
    )


def memberships_of(user) -> QuerySet[Membership]:
    """The user's own roles, by organisation (the "My organisations" page)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def organisation_same_as(
    *, name: str, organisation_number: str = "", municipality: Municipality | None = None
) -> Organisation | None:
    """An organisation already on the platform that a new one with these particulars would
    repeat: the same organisation number, the same name (in any case), or the same municipality."""
    same = Q(name__iexact=name.strip())
    if organisation_number:
        same |= Q(organisation_number=organisation_number)
    if municipality is not None:
        same |= Q(municipality=municipality)
    return Organisation.objects.filter(same).order_by("name").first()
