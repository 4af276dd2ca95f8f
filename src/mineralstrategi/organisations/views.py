from itertools import groupby
from operator import attrgetter
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from mineralstrategi.guards import refusals
from mineralstrategi.query import QueryForm, query_parameters
from mineralstrategi.services import require

from . import profiles, selectors, services
from .models import ApiScope, ApiToken, Invitation, Membership, OrganisationKind, Role
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


class OrganisationListQuery(QueryForm):
    kind = forms.ChoiceField(choices=OrganisationKind.choices)


@query_parameters(OrganisationListQuery)
def organisation_list(request, query):
    kind = query["kind"]
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
            "manages_members": request.user.has_perm(
                "organisations.change_membership", organisation
            ),
        },
    )


def _period_label(days: int) -> str:
    if days == 365:
        return _("1 year")
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def _period_choices() -> list[tuple[int, str]]:
    return [(days, _period_label(days)) for days in services.api_key_periods()]


class ApiKeyForm(forms.Form):
    """A new key: its name, how long it is valid and what it may do (the scopes its holder may
    give, `services.api_scopes_allowed`)."""

    name = forms.CharField(label=gettext_lazy("Name of a new key"), max_length=100)
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the periods offered.")},
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("May"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one scope."),
            "invalid_choice": gettext_lazy("Choose among the scopes offered to you."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = _period_choices()
        self.fields["days"].initial = max(services.api_key_periods())
        allowed = services.api_scopes_allowed(user)
        self.fields["scopes"].choices = [
            (scope.value, scope.label) for scope in ApiScope if scope.value in allowed
        ]


class ApiKeyRenewForm(forms.Form):
    renew = forms.IntegerField(min_value=1)
    days = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = _period_choices()


def _second_factor(request) -> bool:
    """Whether this session verified a second factor (django-otp's OTPMiddleware)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


@login_required
def api_keys(request):
    """The user's own API keys: create one (shown once), renew or revoke one.

    Staff make and renew keys only in a session verified with a second factor
    (`services.SecondFactorRequired`; OTPRequiredMiddleware sends an unverified staff session to
    verify before it reaches this page at all, this is the second line)."""
    new_key = None
    form = ApiKeyForm(user=request.user)
    status = 200
    needs_second_factor = (request.user.is_staff or request.user.is_superuser) and not (
        _second_factor(request)
    )
    if request.method == "POST":
        try:
            if revoke := request.POST.get("revoke"):
                token = get_object_or_404(ApiToken, pk=revoke, user=request.user)
                api_token_revoke(token=token)
                messages.success(request, _("The key %(name)s is revoked.") % {"name": token.name})
                return redirect("organisations:api_keys")
            if "renew" in request.POST:
                renewal = ApiKeyRenewForm(request.POST)
                if not renewal.is_valid():
                    raise ValidationError(_("Choose one of the periods offered."))
                token = get_object_or_404(
                    ApiToken, pk=renewal.cleaned_data["renew"], user=request.user
                )
                services.api_token_renew(
                    token=token,
                    days=renewal.cleaned_data["days"],
                    second_factor=_second_factor(request),
                )
                messages.success(
                    request,
                    _("The key %(name)s is valid until %(date)s.")
                    % {
                        "name": token.name,
                        "date": date_format(timezone.localtime(token.expires_at), "Y-m-d"),
                    },
                )
                return redirect("organisations:api_keys")
            form = ApiKeyForm(request.POST, user=request.user)
            if form.is_valid():
                new_key = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"].strip(),
                    scopes=form.cleaned_data["scopes"],
                    days=form.cleaned_data["days"],
                    second_factor=_second_factor(request),
                )[1]
                form = ApiKeyForm(user=request.user)
        except services.SecondFactorRequired:
            status = 403
            needs_second_factor = True
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
    return render(
        request,
        "organisations/api_keys.html",
        {
            "tokens": selectors.api_tokens_of(request.user),
            "new_key": new_key,
            "form": form,
            "periods": _period_choices(),
            "needs_second_factor": needs_second_factor,
            "two_step_url": _two_step_url(request.user) if needs_second_factor else "",
        },
        status=status,
    )


def _two_step_url(user) -> str:
    """Where a staff member verifies a second factor (or sets one up first) and comes back."""
    name = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
    return f"{reverse(name)}?{urlencode({'next': reverse('organisations:api_keys')})}"


# --- Members and invitations, for the organisation's administrators --------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    # The least privilege unless the administrator chooses otherwise.
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.VIEWER)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@refusals
def members(request, slug: str):
    """The organisation's members with their roles, and its invitations with their states;
    an administrator invites someone by e-mail from here."""
    organisation = selectors.organisation_get(slug)
    require(request.user, "organisations.change_membership", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("%(email)s is invited as %(role)s. The mail goes out in a moment.")
                % {"email": invitation.email, "role": invitation.get_role_display()},
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": selectors.members_of(organisation),
            "invitations": selectors.invitations_of(organisation),
            "form": form,
            "roles": Role.choices,
        },
        status=400 if form.errors else 200,
    )


def _member_action(request, slug: str, pk: int, act) -> object:
    organisation = selectors.organisation_get(slug)
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    try:
        message = act(membership)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, message)
    return redirect("organisations:members", slug=organisation.slug)


@refusals
@require_POST
def member_role(request, slug: str, pk: int):
    def change(membership):
        old = membership.get_role_display()
        services.membership_role_change(
            membership, user=request.user, role=request.POST.get("role", "")
        )
        return _("%(user)s: %(old)s is now %(new)s.") % {
            "user": membership.user,
            "old": old,
            "new": membership.get_role_display(),
        }

    return _member_action(request, slug, pk, change)


@refusals
@require_POST
def member_remove(request, slug: str, pk: int):
    def remove(membership):
        services.membership_remove(membership, user=request.user)
        return _("%(user)s no longer holds the role %(role)s.") % {
            "user": membership.user,
            "role": membership.get_role_display(),
        }

    return _member_action(request, slug, pk, remove)


def _invitation_action(request, slug: str, pk: int, act, done: str):
    organisation = selectors.organisation_get(slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        act(invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("organisations:members", slug=organisation.slug)


@refusals
@require_POST
def invitation_revoke(request, slug: str, pk: int):
    return _invitation_action(
        request,
        slug,
        pk,
        services.invitation_revoke,
        _("The invitation to %(email)s is revoked: its link no longer works."),
    )


@refusals
@require_POST
def invitation_resend(request, slug: str, pk: int):
    return _invitation_action(
        request,
        slug,
        pk,
        services.invitation_resend,
        _("The invitation to %(email)s goes out again, with a new link."),
    )


def _invitation_refused(request, context: dict, refusal: str, *, status: int):
    return render(
        request, "organisations/invitation.html", {**context, "refusal": refusal}, status=status
    )


def invitation(request, token: str):
    """The page the invitation mail links to. A logged-in person accepts here; a visitor is
    offered to log in or to create an account with the invited address."""
    found = services.invitation_for_token(token)
    context = {"invitation": found}
    if found is None:
        return render(request, "organisations/invitation.html", context, status=404)
    here = request.get_full_path()
    context["login_url"] = f"{reverse('login')}?{urlencode({'next': here})}"
    # The sign-up page's literal path (the accounts app's `accounts:signup`).
    context["signup_url"] = "/konto/registrera/?" + urlencode({"email": found.email, "next": here})
    if not found.is_open:
        refusal = services.invitation_refusal(found, request.user)
        return _invitation_refused(request, context, refusal, status=410)
    if not request.user.is_authenticated:
        return render(request, "organisations/invitation.html", context)
    if refusal := services.invitation_refusal(found, request.user):
        return _invitation_refused(request, context, refusal, status=403)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(found, user=request.user)
        except services.InvitationUnusable as error:
            return _invitation_refused(request, context, str(error), status=410)
        messages.success(
            request,
            _("Welcome: you are now %(role)s of %(organisation)s.")
            % {"role": membership.get_role_display(), "organisation": membership.organisation},
        )
        return redirect("organisations:my_organisations")
    return render(request, "organisations/invitation.html", context)


@login_required
def my_organisations(request):
    """The user's organisations with their roles there, and a way to the members of each one
    they administer."""
    rows = [
        {
            "organisation": organisation,
            "roles": [membership.get_role_display() for membership in memberships],
            "manages_members": request.user.has_perm(
                "organisations.change_membership", organisation
            ),
        }
        for organisation, memberships in groupby(
            selectors.memberships_of(request.user), key=attrgetter("organisation")
        )
    ]
    return render(request, "organisations/my_organisations.html", {"rows": rows})
