from django.shortcuts import render

from mineralstrategi.organisations import selectors as organisation_selectors
from mineralstrategi.organisations.models import OrganisationKind

DEMO_REGION_COUNTIES = ("25", "24")


def home(request):
    partners = (
        organisation_selectors.organisation_list()
        .in_counties(DEMO_REGION_COUNTIES)
        .exclude(kind=OrganisationKind.MUNICIPALITY)
    )
    return render(
        request,
        "portal/home.html",
        {
            "counties": organisation_selectors.county_list().filter(code__in=DEMO_REGION_COUNTIES),
            "partners": partners,
        },
    )
