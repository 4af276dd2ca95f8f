"""Accounts: enrolment and verification of second factors (a TOTP device and a set of backup
codes); sign-up with e-mail verification; joining an organisation and registering a new one.

The second factors are django-otp's own devices (TOTPDevice, StaticDevice), so that their
throttling (a growing delay after each wrong code) and one-time use of each code apply. Every mail
of sign-up and onboarding goes out from the task worker (accounts.tasks), after the commit.
"""

import datetime
import functools
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mineralstrategi.limits.services import Limit, LimitReached, take
from mineralstrategi.limits.services import fingerprint as limit_key
from mineralstrategi.links import public_url
from mineralstrategi.organisations.models import (
    County,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
)
from mineralstrategi.organisations.numbers import normalise_organisation_number
from mineralstrategi.organisations.selectors import organisation_same_as
from mineralstrategi.organisations.services import organisation_register
from mineralstrategi.services import require, with_history_user

from . import selectors, tasks
from .models import Decision, JoinRequest, OrganisationApplication, SignUp

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def totp_device_pending(user) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made on first call and kept across reloads
    so that the QR code the person scanned stays the one that is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if the token is the current code; other unconfirmed devices go."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(normalise_token(token)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


@transaction.atomic
def backup_codes_issue(user) -> list[str]:
    """Replace the user's backup codes with ten new ones; each works once. Shown once only."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def otp_verify(*, user, token: str):
    """The confirmed device that accepts the token (a TOTP code or an unused backup code)."""
    token = normalise_token(token)
    if not token:
        return None
    for device in list(devices_for_user(user, confirmed=True)):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def normalise_token(token: str) -> str:
    """Codes are typed with spaces or dashes now and then ('123 456', 'abcd-efgh')."""
    return "".join(ch for ch in (token or "") if ch.isalnum()).lower()


# --- Sign-up and e-mail verification -------------------------------------------------------------

VERIFICATION_SALT = "mineralstrategi.accounts.signup"
VERIFICATION_MAX_AGE = datetime.timedelta(days=3)
FORGET_MARGIN = datetime.timedelta(hours=1)


class LinkRefused(Exception):
    """A verification link that does not work: `reason` is "invalid", "expired", "replaced"
    (a newer sign-up with the address made a new link) or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _split_name(name: str) -> tuple[str, str]:
    first, _space, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


@transaction.atomic
def signup_start(*, name: str, email: str, password: str, next_url: str = "") -> None:
    """Make an account that cannot log in until its address is verified, and have the worker
    mail the verification link. The caller has checked the password (Django's validators) and the
    consent. What the person sees does not depend on the address: an address with an account
    gets a mail saying so (with the way to reset the password) instead of a second account; an
    address still unverified gets the new name and password and a new link (older links stop
    working), so that nobody can hold another person's address by signing up first."""
    email = email.strip()
    existing = selectors.account_for_email(email)
    if existing is None:
        first_name, last_name = _split_name(name)
        user = get_user_model().objects.create_user(
            username=email.lower(),
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_active=False,
        )
        SignUp.objects.create(user=user, consented_at=timezone.now(), next_url=next_url)
        _verify_on_commit(user.pk)
        return
    sign_up = SignUp.objects.filter(user=existing, verified_at__isnull=True).first()
    if sign_up is None or existing.is_active:
        make_password(password)  # the same work as a new account: the time tells nothing
        transaction.on_commit(lambda: tasks.send_account_exists.enqueue(existing.pk))
        return
    existing.first_name, existing.last_name = _split_name(name)
    existing.set_password(password)
    existing.save(update_fields=["first_name", "last_name", "password"])
    sign_up.consented_at, sign_up.next_url = timezone.now(), next_url
    sign_up.save(update_fields=["consented_at", "next_url"])
    _verify_on_commit(existing.pk)


def _verify_on_commit(user_pk: int) -> None:
    """After the commit: the worker mails the link now, and forgets the account if the link has
    not been used by the time it expires."""

    def enqueue():
        tasks.send_verification.enqueue(user_pk)
        forget_at = timezone.now() + VERIFICATION_MAX_AGE + FORGET_MARGIN
        tasks.forget_unconfirmed.using(run_after=forget_at).enqueue(user_pk)

    transaction.on_commit(enqueue)


@transaction.atomic
def unconfirmed_forget(user_pk: int) -> bool:
    """Delete the account if its address was never confirmed and its last link has expired
    (a newer sign-up with the address made a newer link, and a later pass of its own)."""
    expired_before = timezone.now() - VERIFICATION_MAX_AGE
    sign_up = (
        SignUp.objects.select_for_update()
        .filter(
            user_id=user_pk,
            user__is_active=False,
            verified_at__isnull=True,
            consented_at__lte=expired_before,
        )
        .select_related("user")
        .first()
    )
    if sign_up is None:
        return False
    sign_up.user.delete()
    return True


def _password_fingerprint(user) -> str:
    return salted_hmac(VERIFICATION_SALT, user.password).hexdigest()[:20]


def verification_token(user) -> str:
    """A signed, timed token naming the account and its current password (a newer sign-up with
    the same address changes the password and so ends the older links)."""
    return signing.dumps([user.pk, _password_fingerprint(user)], salt=VERIFICATION_SALT)


def verification_link(user) -> str:
    return public_url(reverse("accounts:verify", kwargs={"token": verification_token(user)}))


def signup_for_token(token: str) -> SignUp:
    """The sign-up the link verifies, or LinkRefused saying why not."""
    try:
        user_pk, fingerprint = signing.loads(
            token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise LinkRefused("invalid") from None
    sign_up = SignUp.objects.select_related("user").filter(user_id=user_pk).first()
    if sign_up is None:
        raise LinkRefused("invalid")
    if sign_up.verified_at is not None:
        raise LinkRefused("used")
    if not constant_time_compare(fingerprint, _password_fingerprint(sign_up.user)):
        raise LinkRefused("replaced")
    return sign_up


@transaction.atomic
def signup_verify(token: str) -> SignUp:
    """Verify the address: the account becomes active (it can log in). Once per link."""
    sign_up = signup_for_token(token)
    sign_up = SignUp.objects.select_for_update().select_related("user").get(pk=sign_up.pk)
    if sign_up.verified_at is not None:
        raise LinkRefused("used")
    user = sign_up.user
    sign_up.verified_at = timezone.now()
    with_history_user(sign_up, user).save(update_fields=["verified_at"])
    user.is_active = True
    user.save(update_fields=["is_active"])
    return sign_up


def in_site_language(function):
    """Runs `function` (a mail sent by the worker) in the site's language: its texts and links
    (no /en/ left over from whatever ran before in the thread)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def _mail(template: str, context: dict, subject: str, recipients: list[str]) -> bool:
    """Send one mail from the worker; False when it could not go."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    context = {"site_name": settings.MINERALSTRATEGI["SITE_NAME"], **context}
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except (smtplib.SMTPException, OSError):
        logger.exception("The mail %s to %s could not be sent", template, recipients)
        return False
    return True


@in_site_language
def verification_send(user_pk: int) -> bool:
    user = get_user_model().objects.filter(pk=user_pk, is_active=False).first()
    if user is None:
        return False
    subject = _("Confirm your e-mail address")
    days = VERIFICATION_MAX_AGE.days
    return _mail(
        "verify",
        {"user": user, "link": verification_link(user), "days": days},
        subject,
        [user.email],
    )


# --- Enrolling a second factor: by a link sent by e-mail ----------------------------------------
#
# Whoever first logs in with a staff member's or an administrator's password must not be the one
# who sets up their second factor: the authenticator app is set up only through a link mailed to
# the account's address, opened by the same person logged in. The link works for
# ENROLMENT_MAX_AGE and until a device is confirmed (or the password changes); at most
# ENROLMENT_MAILS_PER_HOUR are sent for one account. Recovery when the phone is lost: a backup
# code logs in, and new codes and a new app can be set up from there; without codes, an
# administrator (or the operator with `manage two_step_reset USERNAME`) removes the account's
# devices, and the next login sends a new enrolment link (docs/architecture.md).

ENROLMENT_SALT = "mineralstrategi.accounts.otp-enrolment"
ENROLMENT_MAX_AGE = datetime.timedelta(hours=24)
ENROLMENT_MAILS_PER_HOUR = 3


def _enrolment_fingerprint(user) -> str:
    """Changes when the password changes or a device is confirmed: ends the older links."""
    devices = sorted(
        TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True)
    )
    return salted_hmac(ENROLMENT_SALT, f"{user.password}|{devices}").hexdigest()[:20]


def enrolment_link(user) -> str:
    token = signing.dumps([user.pk, _enrolment_fingerprint(user)], salt=ENROLMENT_SALT)
    return public_url(reverse("accounts:otp_enrol", kwargs={"token": token}))


def enrolment_check(user, token: str) -> None:
    """Refuse (LinkRefused) a link that is not `user`'s own current enrolment link: "invalid",
    "expired", "other" (another account's), "used" (a device is set up) or "replaced"."""
    try:
        user_pk, fingerprint = signing.loads(token, salt=ENROLMENT_SALT, max_age=ENROLMENT_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise LinkRefused("invalid") from None
    if user_pk != user.pk:
        raise LinkRefused("other")
    if has_confirmed_device(user):
        raise LinkRefused("used")
    if not constant_time_compare(fingerprint, _enrolment_fingerprint(user)):
        raise LinkRefused("replaced")


def enrolment_request(user) -> bool:
    """Queue the mail with the enrolment link (after the commit); False, and nothing queued,
    when the account has had ENROLMENT_MAILS_PER_HOUR within the hour or has no address."""
    if not user.email:
        return False
    limit = Limit(ENROLMENT_MAILS_PER_HOUR, 3600)
    try:
        take({limit_key("otp-enrolment", str(user.pk)): limit})
    except LimitReached:
        return False
    transaction.on_commit(lambda: tasks.send_enrolment_link.enqueue(user.pk))
    return True


@in_site_language
def enrolment_send(user_pk: int) -> bool:
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None or has_confirmed_device(user):
        return False
    hours = int(ENROLMENT_MAX_AGE.total_seconds() // 3600)
    return _mail(
        "otp_enrol",
        {"user": user, "link": enrolment_link(user), "hours": hours},
        _("Set up two-step verification"),
        [user.email],
    )


def two_step_reset(user) -> int:
    """Remove every second factor of the account (the authenticator apps and the backup codes),
    for someone who lost both: the next login sends a new enrolment link to the account's
    address. How many devices went."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    logger.warning("Two-step verification of user %s was reset", user.pk)
    return removed


def masked_address(email: str) -> str:
    """a…@example.se: enough for its owner to know which of their addresses, little for others."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else ""


@in_site_language
def account_exists_send(user_pk: int) -> bool:
    user = get_user_model().objects.filter(pk=user_pk).first()
    if user is None:
        return False
    subject = _("You already have an account")
    context = {
        "user": user,
        "login_link": public_url(reverse("login")),
        "reset_link": public_url(reverse("password_reset")),
    }
    return _mail("account_exists", context, subject, [user.email])


# --- Joining an organisation -----------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, user, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask to become a member of the organisation; its administrators decide."""
    require(user, "accounts.add_joinrequest")
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("You are already a member of %(organisation)s.")
                % {"organisation": organisation}
            }
        )
    if JoinRequest.objects.filter(
        person=user, organisation=organisation, state=Decision.PENDING
    ).exists():
        raise ValidationError(
            {
                "organisation": _(
                    "You have already asked to join %(organisation)s; its "
                    "administrators have not decided yet."
                )
                % {"organisation": organisation}
            }
        )
    request = JoinRequest(person=user, organisation=organisation, message=message.strip())
    with_history_user(request, user).save()
    pk = request.pk
    transaction.on_commit(lambda: tasks.send_join_request_received.enqueue(pk))
    return request


@transaction.atomic
def join_request_decide(
    join_request: JoinRequest, *, user, approve: bool, role: str = Role.CONTRIBUTOR
) -> JoinRequest:
    """Approve (the person becomes a member in `role`) or decline; the person is told by mail."""
    require(user, "accounts.decide_joinrequest", join_request)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _require_pending(join_request)
    if approve:
        if role not in Role.values:
            raise ValidationError({"role": _("Choose one of the roles.")})
        granted = {"user": join_request.person, "organisation": join_request.organisation}
        if not Membership.objects.filter(**granted, role=role).exists():
            with_history_user(Membership(**granted, role=role), user).save()
        join_request.role = role
    _decided(join_request, user=user, approve=approve)
    pk = join_request.pk
    transaction.on_commit(lambda: tasks.send_join_request_decision.enqueue(pk))
    return join_request


def _require_pending(item) -> None:
    if not item.is_pending:
        raise ValidationError(
            _("“%(item)s” has been decided already (%(state)s).")
            % {"item": item, "state": item.get_state_display()}
        )


def _decided(item, *, user, approve: bool) -> None:
    item.state = Decision.APPROVED if approve else Decision.DECLINED
    item.decided_by = user
    item.decided_at = timezone.now()
    with_history_user(item, user).save()


@in_site_language
def join_request_received_send(join_request_pk: int) -> bool:
    """Tell the organisation's administrators that someone asks to join."""
    join_request = JoinRequest.objects.select_related("person", "organisation").get(
        pk=join_request_pk
    )
    administrators = Membership.objects.filter(
        organisation=join_request.organisation, role=Role.ADMINISTRATOR, user__is_active=True
    ).values_list("user__email", flat=True)
    subject = _("%(person)s asks to join %(organisation)s") % {
        "person": display_name(join_request.person),
        "organisation": join_request.organisation,
    }
    context = {
        "join_request": join_request,
        "person": display_name(join_request.person),
        "link": public_url(reverse("accounts:requests")),
    }
    return _mail("join_request_received", context, subject, sorted(set(administrators)))


@in_site_language
def join_request_decision_send(join_request_pk: int) -> bool:
    join_request = JoinRequest.objects.select_related("person", "organisation").get(
        pk=join_request_pk
    )
    subject = (
        _("You are now a member of %(organisation)s")
        if join_request.state == Decision.APPROVED
        else _("Your request to join %(organisation)s was declined")
    ) % {"organisation": join_request.organisation}
    context = {
        "join_request": join_request,
        "approved": join_request.state == Decision.APPROVED,
        "link": public_url(reverse("accounts:onboarding")),
    }
    return _mail("join_request_decision", context, subject, [join_request.person.email])


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Registering a new organisation ----------------------------------------------------------------


class Duplicate(ValidationError):
    """The organisation is on the platform already: `organisation` names it, to join instead."""

    def __init__(self, organisation: Organisation):
        super().__init__(
            _("%(organisation)s is on the platform already: ask to join it instead.")
            % {"organisation": organisation}
        )
        self.organisation = organisation


@dataclass
class ApplicationInput:
    name: str
    kind: str
    organisation_number: str
    county: County | None = None
    municipality: Municipality | None = None
    website: str = ""
    description: str = ""


def _checked(data: ApplicationInput) -> ApplicationInput:
    """The particulars with the number written NNNNNN-NNNN, or a ValidationError by field."""
    errors = {}
    try:
        number = normalise_organisation_number(data.organisation_number or "")
    except ValidationError as error:
        errors["organisation_number"] = error.messages
        number = ""
    if not data.name.strip():
        errors["name"] = [_("Give the organisation's name.")]
    if data.kind not in OrganisationKind.values:
        errors["kind"] = [_("Choose what kind of organisation it is.")]
    municipality, county = data.municipality, data.county
    if data.kind == OrganisationKind.MUNICIPALITY:
        if municipality is None:
            errors["municipality"] = [_("Choose the municipality.")]
        else:
            county = municipality.county
    elif municipality is not None:
        errors["municipality"] = [_("Give a municipality only for a municipality.")]
    if errors:
        raise ValidationError(errors)
    return ApplicationInput(
        name=data.name.strip(),
        kind=data.kind,
        organisation_number=number,
        county=county,
        municipality=municipality,
        website=data.website.strip(),
        description=data.description.strip(),
    )


def _refuse_duplicate(data: ApplicationInput) -> None:
    same = organisation_same_as(
        name=data.name,
        organisation_number=data.organisation_number,
        municipality=data.municipality,
    )
    if same is not None:
        raise Duplicate(same)


@transaction.atomic
def application_create(*, user, data: ApplicationInput) -> OrganisationApplication:
    """Apply to register a new organisation; the platform's staff decide. Refused when the
    organisation is on the platform already (the same number, name or municipality) or an
    application for it is waiting."""
    require(user, "accounts.add_organisationapplication")
    data = _checked(data)
    _refuse_duplicate(data)
    waiting = OrganisationApplication.objects.filter(state=Decision.PENDING).filter(
        Q(organisation_number=data.organisation_number) | Q(name__iexact=data.name)
    )
    if waiting.exists():
        raise ValidationError(
            _("An application to register %(name)s is being considered already.")
            % {"name": data.name}
        )
    application = OrganisationApplication(applicant=user, **vars(data))
    with_history_user(application, user).save()
    pk = application.pk
    transaction.on_commit(lambda: tasks.send_application_received.enqueue(pk))
    return application


@transaction.atomic
def application_decide(
    application: OrganisationApplication, *, user, approve: bool, reason: str = ""
) -> OrganisationApplication:
    """Approve (the organisation is made, the applicant its administrator) or decline (with a
    reason, told to the applicant); the applicant is told by mail either way."""
    require(user, "accounts.decide_organisationapplication", application)
    application = OrganisationApplication.objects.select_for_update().get(pk=application.pk)
    _require_pending(application)
    if approve:
        data = ApplicationInput(
            name=application.name,
            kind=application.kind,
            organisation_number=application.organisation_number,
            county=application.county,
            municipality=application.municipality,
            website=application.website,
            description=application.description,
        )
        _refuse_duplicate(data)
        application.organisation = organisation_register(
            administrator=application.applicant, decided_by=user, **vars(data)
        )
    else:
        application.reason = reason.strip()
    _decided(application, user=user, approve=approve)
    pk = application.pk
    transaction.on_commit(lambda: tasks.send_application_decision.enqueue(pk))
    return application


@in_site_language
def application_received_send(application_pk: int) -> bool:
    """Tell the platform's staff who decide on applications that one is waiting."""
    application = OrganisationApplication.objects.select_related("applicant").get(pk=application_pk)
    staff = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True))
    )
    deciders = sorted(
        {
            person.email
            for person in staff
            if person.has_perm("accounts.decide_organisationapplication", application)
            and person.email
        }
    )
    subject = _("Application to register %(name)s") % {"name": application.name}
    context = {
        "application": application,
        "person": display_name(application.applicant),
        "link": public_url(reverse("accounts:requests")),
    }
    return _mail("application_received", context, subject, deciders)


@in_site_language
def application_decision_send(application_pk: int) -> bool:
    application = OrganisationApplication.objects.select_related("applicant", "organisation").get(
        pk=application_pk
    )
    approved = application.state == Decision.APPROVED
    subject = (
        _("%(name)s is registered") if approved else _("Your application for %(name)s was declined")
    ) % {"name": application.name}
    context = {
        "application": application,
        "approved": approved,
        "link": public_url(
            application.organisation.get_absolute_url()
            if approved
            else reverse("accounts:onboarding")
        ),
    }
    return _mail("application_decision", context, subject, [application.applicant.email])
