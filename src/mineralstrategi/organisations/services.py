"""Writes to counties, municipalities, organisations, memberships and contacts."""

import datetime
import hashlib
import ipaddress
import logging
import secrets
import smtplib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mineralstrategi.links import public_url
from mineralstrategi.services import email_address, require, rows_written, with_history_user

from .geography import (
    ORGANISATION_NUMBERS_FILE,
    read_counties,
    read_municipalities,
    read_organisation_numbers,
)
from .models import (
    API_KEY_PERIODS,
    DEFAULT_HELIX_ROLE,
    ApiScope,
    ApiToken,
    County,
    Invitation,
    InvitationState,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
    api_key_max_days,
)
from .numbers import normalise_organisation_number

logger = logging.getLogger(__name__)


@dataclass
class GeographyLoadResult:
    counties_created: int = 0
    counties_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    organisations_created: int = 0
    organisations_renamed: int = 0
    organisation_numbers_set: int = 0

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
    rows_written.send(sender=Municipality, pks=[m.pk for m in new_municipalities])
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
    created = bulk_create_with_history(new_organisations, Organisation)
    rows_written.send(sender=Organisation, pks=[o.pk for o in created])
    result.organisations_created = len(new_organisations)
    result.organisations_renamed = _municipal_organisations_rename()
    result.organisation_numbers_set = organisation_numbers_load()
    return result


def _organisations_named(record) -> list[Organisation]:
    if record.municipality_code:
        return list(Organisation.objects.filter(municipality__code=record.municipality_code))
    # The registered name, or the name followed by an abbreviation ("… undersökning (SGU)").
    return list(
        Organisation.objects.filter(
            Q(name=record.name) | Q(name__startswith=f"{record.name} (")
        ).exclude(kind=OrganisationKind.MUNICIPALITY)
    )


def organisation_numbers_load(path: Path = ORGANISATION_NUMBERS_FILE) -> int:
    """Give the organisations their numbers from the sourced list (data/organisation_numbers.csv):
    a municipality's organisation by its code, others by their registered name. A number that
    fails the Luhn check or is not NNNNNN-NNNN is skipped with the reason logged; an organisation
    the list does not name keeps its number (or none). Idempotent; returns the numbers set."""
    changed = 0
    for record in read_organisation_numbers(path):
        try:
            number = normalise_organisation_number(record.organisation_number)
        except ValidationError as error:
            logger.warning(
                "Organisation number of %s skipped: %s",
                record.name or record.municipality_code,
                " ".join(error.messages),
            )
            continue
        for organisation in _organisations_named(record):
            if organisation.organisation_number != number:
                organisation.organisation_number = number
                organisation.save(update_fields=["organisation_number", "updated_at"])
                changed += 1
    return changed


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


class SecondFactorRequired(PermissionDenied):
    """Staff make or renew an API key only in a session verified with a second factor: a key
    acts without one afterwards, so it must not be had with a password alone."""


class ApiKeyRefused(Exception):
    """A key that is ours (its secret matches) but may not be used now: `status` 401 (expired,
    revoked) or 403 (the operation needs a scope the key lacks); `detail` says which."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_periods() -> list[int]:
    """The periods (days) a key may be made or renewed for: API_KEY_PERIODS up to
    API_KEY_MAX_DAYS, or that maximum alone if it is shorter than all of them."""
    longest = api_key_max_days()
    return [days for days in API_KEY_PERIODS if days <= longest] or [max(1, longest)]


def api_scopes_allowed(user) -> list[str]:
    """The scopes the user may give a key of theirs.

    `read` and `import` for everyone: a regional analyst reads and imports statistics, and what
    they may import into is still checked on each import against their roles. `write` (every
    other write, such as setting up a strategy) only for someone who may set up a strategy (an
    administrator or strategy editor of an organisation, or a superuser): the role the
    strategy-creation operation, the API's broadest write, already requires. A key never
    widens its holder's permissions; scopes only narrow them."""
    allowed = [ApiScope.READ.value, ApiScope.IMPORT.value]
    if user.has_perm("strategy.set_up_strategy"):
        allowed.append(ApiScope.WRITE.value)
    return allowed


def _require_second_factor(user, second_factor: bool) -> None:
    if (user.is_staff or user.is_superuser) and not second_factor:
        raise SecondFactorRequired(
            _(
                "Staff must verify a second factor in this session before making or renewing an API key."
            )
        )


def _expiry(days: int) -> datetime.datetime:
    if days not in api_key_periods():
        raise ValidationError(_("Choose one of the periods offered."), code="period")
    return timezone.now() + datetime.timedelta(days=days)


def api_token_create(
    *,
    user,
    name: str,
    scopes: list[str] | None = None,
    days: int | None = None,
    second_factor: bool = False,
) -> tuple[ApiToken, str]:
    """A new API key for the user: the stored token and the key itself, which is shown only once.

    `scopes`: of `api_scopes_allowed(user)`, all of them when left out; `days`: one of
    `api_key_periods()`, the longest when left out. Staff (and superusers) must have verified a
    second factor in this session (`second_factor`, from django-otp's `is_verified()`), else
    `SecondFactorRequired`."""
    _require_second_factor(user, second_factor)
    allowed = api_scopes_allowed(user)
    if scopes is None:
        scopes = allowed
    if not scopes:
        raise ValidationError(_("Choose at least one scope."), code="scopes")
    if refused := sorted(set(scopes) - set(allowed)):
        raise ValidationError(
            _("You may not give a key the scope %(scopes)s.") % {"scopes": ", ".join(refused)},
            code="scopes",
        )
    scopes = [scope for scope in ApiScope.values if scope in scopes]
    expires_at = _expiry(max(api_key_periods()) if days is None else days)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_token_hash(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    logger.info("API key %s… made by user %s, %s, until %s", prefix, user.pk, scopes, expires_at)
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def _is_token_prefix(value: str) -> bool:
    """The 12 hex digits api_token_create makes; anything else (a NUL byte, say, which
    PostgreSQL refuses in a query) cannot name a token, so it is not looked up."""
    return len(value) == 12 and all(c in "0123456789abcdef" for c in value)


def api_token_find(key: str) -> ApiToken | None:
    """The token a presented key is, revoked and expired ones included, if its holder is
    active; else None. Constant-time on the secret: nothing about a token is told to someone
    who does not hold its secret."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not _is_token_prefix(parts[1]):
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.key_hash, _token_hash(parts[2])):
        return None
    if not token.user.is_active:
        return None
    return token


def _day(moment: datetime.datetime) -> str:
    return timezone.localdate(moment).isoformat()


def api_token_authenticate(key: str, *, scope: str, address: str | None = None):
    """The user a presented key acts for in an operation needing `scope`; None if the key is
    not one of ours. Raises `ApiKeyRefused`: 401 for a revoked or expired key (saying which,
    and since when), 403 for a key without the scope. Records the use (`api_token_used`)."""
    token = api_token_find(key)
    if token is None:
        return None
    if token.revoked_at is not None:
        raise ApiKeyRefused(401, f"API key revoked on {_day(token.revoked_at)}")
    if token.is_expired:
        raise ApiKeyRefused(
            401,
            f"API key expired on {_day(token.expires_at)}: renew it or make a new one on "
            f"{reverse('organisations:api_keys')}",
        )
    api_token_used(token, address=address)
    if not token.grants(scope):
        raise ApiKeyRefused(
            403, f"this API key lacks the scope '{scope}', which this operation needs"
        )
    return token.user


def api_token_user(key: str):
    """The user a valid (not revoked, not expired) key belongs to, or None; records the use."""
    token = api_token_find(key)
    if token is None or token.revoked_at is not None or token.is_expired:
        return None
    api_token_used(token)
    return token.user


def api_token_used(token: ApiToken, *, address: str | None = None) -> None:
    """Note when (and from which client address) the key was used. At most one write a minute
    per key: a write on every call made read-only API calls wait for (and on SQLite fail
    behind) a long import holding the write lock. The condition is in the UPDATE, so that
    processes answering the same key at once write it once."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at <= TOKEN_USE_RESOLUTION:
        return
    try:
        address = str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        address = None
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RESOLUTION),
        pk=token.pk,
    ).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address


def api_token_renew(*, token: ApiToken, days: int, second_factor: bool = False) -> ApiToken:
    """Extend a valid key (neither revoked nor expired) to `days` from now (one of
    `api_key_periods()`); staff need a verified second factor, as for a new key. An expired
    key is not renewed: it has stopped working, and a new key is made instead."""
    _require_second_factor(token.user, second_factor)
    expires_at = _expiry(days)
    now = timezone.now()
    renewed = ApiToken.objects.filter(
        pk=token.pk, revoked_at__isnull=True, expires_at__gt=now
    ).update(expires_at=expires_at)
    if not renewed:
        raise ValidationError(_("Only a valid key is renewed; make a new one."), code="inactive")
    logger.info("API key %s… renewed by user %s until %s", token.prefix, token.user_id, expires_at)
    token.expires_at = expires_at
    return token


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    logger.info("API key %s… revoked by user %s", token.prefix, token.user_id)


# --- Members: roles, removal and invitations, by the organisation's administrators ------------

INVITATION_VALID_FOR = datetime.timedelta(days=14)


class InvitationUnusable(Exception):
    """The invitation cannot be accepted (revoked, accepted, expired, or for another address);
    the message says why, for the person holding the link."""


def _other_administrators_exist(membership: Membership) -> bool:
    """Whether the organisation keeps an administrator without this membership. The rows are
    locked so that two administrators removing each other at once cannot both succeed."""
    others = (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMINISTRATOR)
        .exclude(pk=membership.pk)
    )
    return bool(list(others.values_list("pk", flat=True)))


def _refuse_losing_last_administrator(membership: Membership) -> None:
    if membership.role == Role.ADMINISTRATOR and not _other_administrators_exist(membership):
        raise ValidationError(
            _(
                "%(user)s is the last administrator of %(organisation)s: make someone else "
                "administrator first, so that the organisation is never left without one."
            )
            % {"user": membership.user, "organisation": membership.organisation}
        )


@transaction.atomic
def membership_role_change(membership: Membership, *, user, role: str) -> Membership:
    """Give a member another role in place of this one. Refused when it would leave the
    organisation without an administrator, or when the member holds that role already."""
    require(user, "organisations.change_membership", membership.organisation)
    if role not in Role.values:
        raise ValidationError(_("“%(role)s” is not a role.") % {"role": role})
    if role == membership.role:
        return membership
    if Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
    ).exists():
        raise ValidationError(
            _("%(user)s already holds the role %(role)s.")
            % {"user": membership.user, "role": Role(role).label}
        )
    _refuse_losing_last_administrator(membership)
    membership.role = role
    with_history_user(membership, user).save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(membership: Membership, *, user) -> None:
    """Take a role from a member. Refused for the organisation's last administrator."""
    require(user, "organisations.delete_membership", membership.organisation)
    _refuse_losing_last_administrator(membership)
    with_history_user(membership, user).delete()


def _invitation_send_later(invitation: Invitation) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.send_member_invitation.enqueue(invitation.pk))


@transaction.atomic
def invitation_create(organisation: Organisation, *, user, email: str, role: str) -> Invitation:
    """Invite an address to the organisation in a role; the mail goes out from the task worker
    once the transaction has committed."""
    require(user, "organisations.add_membership", organisation)
    email = email_address(email)
    if role not in Role.values:
        raise ValidationError({"role": _("“%(role)s” is not a role.") % {"role": role}})
    pending = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            {
                "email": _("%(email)s has an open invitation already: send it again or revoke it.")
                % {"email": email}
            }
        )
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=user if user.is_authenticated else None,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    with_history_user(invitation, user).save()
    _invitation_send_later(invitation)
    return invitation


def _refuse_closed(invitation: Invitation) -> None:
    if not invitation.is_open:
        raise ValidationError(
            _("The invitation to %(email)s is %(state)s: nothing more can be done with it.")
            % {"email": invitation.email, "state": invitation.get_state_display().lower()}
        )


@transaction.atomic
def invitation_revoke(invitation: Invitation, *, user) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    require(user, "organisations.add_membership", invitation.organisation)
    _refuse_closed(invitation)
    invitation.revoked_at = timezone.now()
    with_history_user(invitation, user).save(update_fields=["revoked_at"])
    return invitation


def invitations_expired_delete(*, older_than) -> int:
    """Delete the invitations never accepted that expired or were revoked before `older_than`
    (housekeeping: they hold an e-mail address to no purpose); the audit trail keeps that they
    were. Accepted ones stay: they say how a member joined. Returns how many were deleted."""
    unused = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(expires_at__lt=older_than) | Q(revoked_at__lt=older_than)
    )
    deleted = 0
    for invitation in unused:
        invitation.delete()
        deleted += 1
    return deleted


@transaction.atomic
def invitation_resend(invitation: Invitation, *, user) -> Invitation:
    """Send an open invitation again, with a new link (the old one stops working) and a new
    expiry; queued for the task worker."""
    require(user, "organisations.add_membership", invitation.organisation)
    _refuse_closed(invitation)
    invitation.delivery_state = InvitationState.QUEUED
    invitation.token_hash = ""
    invitation.delivery_error = ""
    invitation.expires_at = timezone.now() + INVITATION_VALID_FOR
    with_history_user(invitation, user).save(
        update_fields=["delivery_state", "token_hash", "delivery_error", "expires_at"]
    )
    _invitation_send_later(invitation)
    return invitation


def invitation_link(secret: str) -> str:
    return public_url(reverse("organisations:invitation", kwargs={"token": secret}))


def _invitation_mail(invitation: Invitation, secret: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        inviter = invitation.invited_by
        context = {
            "invitation": invitation,
            "link": invitation_link(secret),
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        }
        subject = _("Invitation to %(organisation)s on the mineral strategy platform") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string("organisations/email/invitation.txt", context)
    return subject, body


def invitation_send(invitation_id: int) -> str:
    """The task worker's half: make the link's secret, store its hash, and hand the mail to the
    mail backend; record "sent" only then, or "failed" with the error. An invitation no longer
    queued (sent already, revoked, accepted) is left alone. Returns the state reached."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation_id,
            delivery_state=InvitationState.QUEUED,
            revoked_at__isnull=True,
            accepted_at__isnull=True,
        ).update(token_hash=_token_hash(secret))
        if not claimed:
            return ""
        invitation = Invitation.objects.select_related("organisation", "invited_by").get(
            pk=invitation_id
        )
        subject, body = _invitation_mail(invitation, secret)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
        except (smtplib.SMTPException, OSError) as error:
            invitation.delivery_state = InvitationState.FAILED
            invitation.delivery_error = f"{type(error).__name__}: {error}"[:2000]
            invitation.token_hash = ""
            logger.warning("Invitation mail to %s failed: %s", invitation.email, error)
        else:
            invitation.delivery_state = InvitationState.SENT
            invitation.sent_at = timezone.now()
        with_history_user(invitation, None).save()
    return invitation.delivery_state


def invitation_for_token(secret: str) -> Invitation | None:
    """The invitation whose link carries this secret, whatever its state; None if none."""
    if not secret or len(secret) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_token_hash(secret))
        .first()
    )


def invitation_refusal(invitation: Invitation, user) -> str:
    """Why this user cannot accept the invitation, or "" when they can.

    The address must be the account's own (compared without regard to case). The link is a
    secret sent to that address, but a mail is easily forwarded, and an invitation may grant
    the administrator's role: accepting it from an account with another address would let
    whoever got hold of the link act for the organisation. So the page says which address was
    invited and asks the person to log in with that account (or to ask for an invitation to the
    address of theirs)."""
    state = invitation.state
    if state == InvitationState.REVOKED:
        return _("This invitation has been revoked by the organisation.")
    if state == InvitationState.ACCEPTED:
        return _("This invitation has been accepted already.")
    if state == InvitationState.EXPIRED:
        return _("This invitation has expired. Ask the organisation to send you a new one.")
    if (user.email or "").strip().lower() != invitation.email.lower():
        return _(
            "This invitation was sent to %(invited)s, but you are logged in as %(user)s with "
            "another address. Log in with the account of %(invited)s, or ask the organisation "
            "to invite the address of your account."
        ) % {"invited": invitation.email, "user": user.get_username()}
    return ""


@transaction.atomic
def invitation_accept(invitation: Invitation, *, user) -> Membership:
    """The invited person takes up the role: they become a member with it (or keep it, if they
    held it already), and the invitation is used up."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if refusal := invitation_refusal(invitation, user):
        raise InvitationUnusable(refusal)
    membership = Membership.objects.filter(
        user=user, organisation_id=invitation.organisation_id, role=invitation.role
    ).first()
    if membership is None:
        membership = with_history_user(
            Membership(user=user, organisation_id=invitation.organisation_id, role=invitation.role),
            user,
        )
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    with_history_user(invitation, user).save(update_fields=["accepted_at", "accepted_by"])
    return membership


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
