from django.shortcuts import render

from . import selectors
from .models import OrganisationKind


def county_list(request):
    return render(request, "organisations/county_list.html", {"counties": selectors.county_list()})


def county_detail(request, code: str):
    county = selectors.county_get(code)
    return render(
        request,
        "organisations/county_detail.html",
        {
            "county": county,
            "municipalities": selectors.municipality_list(county_code=county.code),
            "organisations": selectors.organisation_list(county_code=county.code).exclude(
                kind=OrganisationKind.MUNICIPALITY
            ),
        },
    )


def municipality_detail(request, code: str):
    municipality = selectors.municipality_get(code)
    organisation = selectors.organisation_with_contacts(
        {"municipality": municipality}, user=request.user
    )
    return render(
        request,
        "organisations/municipality_detail.html",
        {"municipality": municipality, "organisation": organisation},
    )


def organisation_list(request):
    kind = request.GET.get("kind") or None
    if kind not in OrganisationKind.values:
        kind = None
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "organisations": selectors.organisation_list(kind=kind),
            "kinds": OrganisationKind.choices,
            "selected_kind": kind,
        },
    )


def organisation_detail(request, slug: str):
    organisation = selectors.organisation_with_contacts({"slug": slug}, user=request.user)
    return render(request, "organisations/organisation_detail.html", {"organisation": organisation})
