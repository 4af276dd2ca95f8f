from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import profiles, selectors
from .models import ApiToken, OrganisationKind
from .services import api_token_create, api_token_revoke


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
        {
            "municipality": municipality,
            "organisation": organisation,
            "parts": profiles.parts_for("municipality", municipality, request.user),
        },
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
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "parts": profiles.parts_for("organisation", organisation, request.user),
        },
    )


@login_required
def api_keys(request):
    """The user's own API keys: create one (shown once) or revoke one."""
    new_key = None
    if request.method == "POST":
        if revoke := request.POST.get("revoke"):
            token = get_object_or_404(ApiToken, pk=revoke, user=request.user)
            api_token_revoke(token=token)
            messages.success(request, _("The key %(name)s is revoked.") % {"name": token.name})
            return redirect("organisations:api_keys")
        name = (request.POST.get("name") or "").strip()[:100]
        if name:
            new_key = api_token_create(user=request.user, name=name)[1]
        else:
            messages.error(request, _("Give the key a name."))
    return render(
        request,
        "organisations/api_keys.html",
        {"tokens": selectors.api_tokens_of(request.user), "new_key": new_key},
    )
