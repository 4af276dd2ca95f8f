"""The second step of logging in (enrol an authenticator app, verify a code, backup codes);
sign-up with e-mail verification; onboarding (joining an organisation or registering a new one)
and the decisions on it."""

from base64 import b32encode
from urllib.parse import urlsplit

import django_otp
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mineralstrategi.limits.services import LimitReached
from mineralstrategi.links import site_address
from mineralstrategi.organisations.models import Role
from mineralstrategi.query import query_parameters
from mineralstrategi.visitors import client_ip, try_again_text

from . import limits, selectors, services
from .forms import (
    ApplicationDecisionForm,
    ApplicationForm,
    JoinDecisionForm,
    JoinRequestForm,
    LoginForm,
    NextQuery,
    SignUpForm,
    SignUpQuery,
    TokenForm,
)
from .models import JoinRequest, OrganisationApplication
from .policy import otp_required_for
from .qr import qr_svg


def _next_url(request, query: dict | None = None) -> str:
    """Where to go after the step: the `next` posted or in the address (`NextQuery`, checked by
    the view), if it is on this site, else the start page."""
    target = request.POST.get("next") or (query or {}).get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


ENROL_NEXT = "otp-enrol-next"  # the session's page to go on to once the app is set up
ENROL_MAILED = "otp-enrol-mailed"  # the session has had its enrolment link sent


@never_cache
@login_required
@query_parameters(NextQuery)
def otp_setup(request, query):
    """Where someone who must use two-step verification and has no app set up is sent: the app
    is set up only through a link mailed to the account's address (`otp_enrol`), so that a
    stranger who has the password cannot set up their own. The first visit of a session sends
    the link; the page says where it went, and can send it again (a few times an hour).

    Only for the people two-step verification is required of (policy.otp_required_for): a
    device that nothing asks for would give a false sense of protection.
    """
    if not otp_required_for(request.user):
        raise PermissionDenied
    if services.has_confirmed_device(request.user):
        if request.user.is_verified():
            return redirect("accounts:backup_codes")
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request, query)})}"
        )
    request.session[ENROL_NEXT] = _next_url(request, query)
    mailed = None  # asked before in this session: the page offers to send it again
    if request.method == "POST" or not request.session.get(ENROL_MAILED):
        mailed = services.enrolment_request(request.user)
        request.session[ENROL_MAILED] = request.session.get(ENROL_MAILED) or mailed
    context = {
        "address": services.masked_address(request.user.email),
        "mailed": mailed,
        "again": request.method == "POST",
        "hours": int(services.ENROLMENT_MAX_AGE.total_seconds() // 3600),
    }
    return render(request, "accounts/otp_enrol_mailed.html", context)


@never_cache  # secrets and codes on the page: Cache-Control no-store, private
@sensitive_post_parameters("token")
@login_required
def otp_enrol(request, token: str):
    """The link from the enrolment mail: set up the authenticator app by scanning the QR code
    (or typing the key) and confirming with a code. On success the session counts as verified
    and ten backup codes are shown, once."""
    if not otp_required_for(request.user):
        raise PermissionDenied
    try:
        services.enrolment_check(request.user, token)
    except services.LinkRefused as refusal:
        return render(
            request,
            "accounts/otp_enrol_refused.html",
            {"reason": refusal.reason},
            status=LINK_REFUSED_STATUS.get(refusal.reason, 400),
        )
    next_url = _next_url(request, {"next": request.session.get(ENROL_NEXT, "")})
    device = services.totp_device_pending(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session.cycle_key()
            codes = services.backup_codes_issue(request.user)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "enrolled": True, "next": next_url},
            )
        form.add_error(
            "token", _("The code is wrong or has expired. Type the code the app shows now.")
        )
    context = {
        "form": form,
        # The SVG is drawn by qrcode: path data only, no text of the URI (see qr.py).
        "qr_svg": mark_safe(qr_svg(device.config_url)),  # nosec B308, B703 # modules only, no text
        "secret": b32encode(device.bin_key).decode(),
        "otpauth_uri": device.config_url,
        "next": next_url,
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@sensitive_post_parameters("token")
@login_required
@query_parameters(NextQuery)
def otp_verify(request, query):
    """The second step after the password: a code from the app or one of the backup codes."""
    if not services.has_confirmed_device(request.user):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            request.session.cycle_key()
            if services.backup_codes_left(request.user) < 3:
                messages.warning(
                    request,
                    _("You have few backup codes left. Make new ones under two-step verification."),
                )
            return redirect(_next_url(request, query))
        form.add_error(
            "token",
            _("The code is wrong, already used or has expired. Try again in a moment."),
        )
    next_url = _next_url(request, query)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def backup_codes(request):
    """Make a new set of ten backup codes (the old ones stop working); shown once."""
    if not otp_required_for(request.user):
        raise PermissionDenied
    if request.method == "POST":
        codes = services.backup_codes_issue(request.user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "enrolled": False})
    return render(
        request,
        "accounts/backup_codes_status.html",
        {"left": services.backup_codes_left(request.user)},
    )


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a login it refused (AXES_LOCKOUT_CALLABLE): wait some seconds
    (the throttle per username, accounts.limits), or too many wrong passwords for this username
    from this address, and until when."""
    if wait := getattr(request, "login_wait_seconds", None):
        response = render(
            request,
            "registration/login_wait.html",
            {"seconds": wait, "next": _next_url(request)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    until = selectors.lockout_ends(
        username=get_client_username(request, credentials),
        ip=getattr(request, "axes_ip_address", None),
        cool_off=get_cool_off(request),
    )
    return render(
        request,
        "registration/locked_out.html",
        {"until": until},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class LoginView(auth_views.LoginView):
    """Django's login, by user name or by e-mail address (forms.LoginForm)."""

    authentication_form = LoginForm


class PublicPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the link in its mail on the site's public address (SITE_URL)
    rather than the host name the request happened to arrive with, and the mails limited per
    account and per client address (accounts.limits); the answer is the same either way."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if limits.password_reset_allowed(email=email, ip=client_ip(self.request)):
            self._send(form)
        return redirect(self.get_success_url())

    def _send(self, form):
        address = urlsplit(site_address())
        self.extra_email_context = {"site_name": settings.MINERALSTRATEGI["SITE_NAME"]}
        form.save(
            domain_override=address.netloc,
            use_https=address.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """The page after asking for a reset, the same whatever happened (it tells nobody who has an
    account, nor whether the limit held the mail back), with the limit on the mails."""

    def get_context_data(self, **kwargs):
        per_account = settings.MINERALSTRATEGI["PASSWORD_RESET_PER_ACCOUNT"]
        return {**super().get_context_data(**kwargs), "per_account": per_account}


# --- Sign-up and e-mail verification -------------------------------------------------------------


def _local_path(value: str) -> str:
    """`value` if it is a path on this site (never another host), else ""."""
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return value
    return ""


@never_cache
@sensitive_post_parameters("password1", "password2")
@query_parameters(SignUpQuery)
def signup(request, query):
    """Name, e-mail, password and consent; then a link to the address confirms it. The page
    that follows says the same whatever the address (it tells nobody who has an account)."""
    if request.user.is_authenticated:
        return redirect(_local_path(query["next"] or "") or "accounts:onboarding")
    initial = {"email": query["email"] or "", "next": query["next"] or ""}
    form = SignUpForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # the honeypot: a bot; it sees what a person would
            return redirect("accounts:signup_sent")
        try:
            limits.signup_take(email=data["email"], ip=client_ip(request))
        except LimitReached as reached:
            message = _("Too many sign-ups from this address or with this e-mail address.")
            form.add_error(None, f"{message} {try_again_text(reached.retry_after)}")
            status = 429
        else:
            services.signup_start(
                name=data["name"],
                email=data["email"],
                password=data["password1"],
                next_url=_local_path(data["next"]),
            )
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


LINK_REFUSED_STATUS = {"invalid": 400, "expired": 410, "replaced": 410, "used": 410, "other": 403}


@never_cache
def verify(request, token: str):
    """The link from the verification mail: a button confirms (a link scanner that opens the
    link changes nothing); the account becomes active and the person is logged in."""
    try:
        if request.method == "POST":
            sign_up = services.signup_verify(token)
        else:
            sign_up = services.signup_for_token(token)
    except services.LinkRefused as refusal:
        return render(
            request,
            "accounts/verify_refused.html",
            {"reason": refusal.reason},
            status=LINK_REFUSED_STATUS[refusal.reason],
        )
    if request.method != "POST":
        return render(request, "accounts/verify.html", {"person": sign_up.user})
    login(request, sign_up.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed and you are logged in."))
    return redirect(sign_up.next_url or "accounts:onboarding")


# --- Onboarding: joining an organisation or registering a new one --------------------------------


def _onboarding_page(request, *, join_form=None, application_form=None, duplicate=None):
    user = request.user
    organisations = selectors.organisations_to_join()
    context = {
        "memberships": selectors.own_memberships(user),
        "join_requests": selectors.own_join_requests(user),
        "applications": selectors.own_applications(user),
        "join_form": join_form or JoinRequestForm(organisations=organisations),
        "application_form": application_form or ApplicationForm(),
        "duplicate": duplicate,
        "decides": selectors.decides_anything(user),
    }
    status = 400 if (join_form or application_form) else 200
    return render(request, "accounts/onboarding.html", context, status=status)


@login_required
def onboarding(request):
    return _onboarding_page(request)


@require_POST
@login_required
def join_request(request):
    form = JoinRequestForm(request.POST, organisations=selectors.organisations_to_join())
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.join_request_create(
                user=request.user, organisation=organisation, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "You have asked to join %(organisation)s. Its administrators decide; you get "
                    "a mail when they have."
                )
                % {"organisation": organisation},
            )
            return redirect("accounts:onboarding")
    return _onboarding_page(request, join_form=form)


@require_POST
@login_required
def application_create(request):
    form = ApplicationForm(request.POST)
    if form.is_valid():
        data = services.ApplicationInput(**form.cleaned_data)
        try:
            application = services.application_create(user=request.user, data=data)
        except services.Duplicate as duplicate:
            form.add_error(None, duplicate)
            return _onboarding_page(
                request, application_form=form, duplicate=duplicate.organisation
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your application to register %(name)s is sent. The platform's staff decide; "
                    "you get a mail when they have."
                )
                % {"name": application.name},
            )
            return redirect("accounts:onboarding")
    return _onboarding_page(request, application_form=form)


def _add_errors(form, error: ValidationError) -> None:
    """The service's refusal on the form: by field where it names one the form has."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def requests(request):
    """What waits for the user's decision: requests to join the organisations they administer,
    and (for the platform's staff) applications to register a new organisation."""
    context = {
        "join_requests": selectors.join_requests_to_decide(request.user),
        "applications": selectors.applications_to_decide(request.user),
        "show_applications": selectors.decides_applications(request.user),
        "join_decision_form": JoinDecisionForm(),
        "application_decision_form": ApplicationDecisionForm(),
    }
    return render(request, "accounts/requests.html", context)


@require_POST
@login_required
def join_request_decide(request, pk: int):
    join_request_ = get_object_or_404(JoinRequest.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("accounts.decide_joinrequest", join_request_):
        raise PermissionDenied
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role and approve, or decline."))
        return redirect("accounts:requests")
    approve = form.cleaned_data["action"] == "approve"
    try:
        services.join_request_decide(
            join_request_,
            user=request.user,
            approve=approve,
            role=form.cleaned_data["role"] or Role.CONTRIBUTOR,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        person = services.display_name(join_request_.person)
        if approve:
            messages.success(
                request,
                _("%(person)s is now a member of %(organisation)s.")
                % {"person": person, "organisation": join_request_.organisation},
            )
        else:
            messages.success(
                request,
                _("The request of %(person)s to join %(organisation)s is declined.")
                % {"person": person, "organisation": join_request_.organisation},
            )
    return redirect("accounts:requests")


@require_POST
@login_required
def application_decide(request, pk: int):
    application = get_object_or_404(OrganisationApplication, pk=pk)
    if not request.user.has_perm("accounts.decide_organisationapplication", application):
        raise PermissionDenied
    form = ApplicationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or decline the application."))
        return redirect("accounts:requests")
    approve = form.cleaned_data["action"] == "approve"
    try:
        application = services.application_decide(
            application, user=request.user, approve=approve, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approve:
            messages.success(
                request,
                _("%(name)s is registered, with %(person)s as its administrator.")
                % {
                    "name": application.name,
                    "person": services.display_name(application.applicant),
                },
            )
        else:
            messages.success(
                request, _("The application for %(name)s is declined.") % {"name": application.name}
            )
    return redirect("accounts:requests")
