"""The organisations part of the JSON API. Reads only; the same visibility as the HTML pages."""

from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from mineralstrategi.apikit.pagination import BoundedLimitOffsetPagination
from mineralstrategi.apikit.responses import INVALID_INPUT, NOT_FOUND, ObjectId

from . import selectors
from .models import OrganisationKind

router = Router(tags=["organisations"])

KindLiteral = Literal[tuple(OrganisationKind.values)]  # type: ignore[valid-type]


class CountyOut(Schema):
    code: str
    name: str
    short_name: str


class MunicipalityOut(Schema):
    code: str
    name: str
    short_name: str
    county_code: str = Field(..., alias="county.code")


class MunicipalityFilter(Schema):
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Two-digit county code")


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    helix_role: str
    county_code: str | None = Field(None, alias="county.code")
    municipality_code: str | None = Field(None, alias="municipality.code")
    organisation_number: str | None = Field(
        None, description="NNNNNN-NNNN; null where no public source gives it"
    )
    website: str

    @staticmethod
    def resolve_organisation_number(organisation) -> str | None:
        return organisation.organisation_number or None


class ContactOut(Schema):
    name: str
    title: str
    phone: str
    email: str
    is_press_contact: bool
    is_public: bool
    is_example: bool


class OrganisationDetailOut(OrganisationOut):
    description: str
    contacts: list[ContactOut] = Field(..., alias="visible_contacts")


class OrganisationFilter(Schema):
    kind: KindLiteral | None = None
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Two-digit county code")


@router.get("/counties", response={200: list[CountyOut]})
def counties(request):
    return selectors.county_list()


@router.get("/municipalities", response={200: list[MunicipalityOut], **NOT_FOUND, **INVALID_INPUT})
def municipalities(request, filters: Query[MunicipalityFilter]):
    if filters.county:
        selectors.county_get(filters.county)
    return selectors.municipality_list(county_code=filters.county)


@router.get("/organisations", response={200: list[OrganisationOut], **INVALID_INPUT})
@paginate(BoundedLimitOffsetPagination)
def organisations(request, filters: Query[OrganisationFilter]):
    """By name: `{"items": [...], "count": n}`, 100 a page unless `limit` says otherwise."""
    return (
        selectors.organisation_list(kind=filters.kind, county_code=filters.county)
        .select_related("municipality")
        .order_by("name", "pk")
    )


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationDetailOut, **NOT_FOUND, **INVALID_INPUT},
)
def organisation(request, organisation_id: ObjectId):
    return selectors.organisation_with_contacts({"pk": organisation_id}, user=request.user)
