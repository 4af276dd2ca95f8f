"""Counties, municipalities, organisations, their members with roles, and contact persons.

This is the base app: it imports no other app of the platform.
"""

import datetime
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .history import audited_history
from .numbers import validate_organisation_number
from .visibility import SUPERUSER, OwnedBy, RoleIn, VisibleQuerySet, Where


class County(models.Model):
    """A Swedish county (län), by its two-digit official code."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:county", kwargs={"code": self.code})


class Municipality(models.Model):
    """A Swedish municipality (kommun), by its four-digit official code."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:municipality", kwargs={"code": self.code})


class OrganisationKind(models.TextChoices):
    COUNTY_BOARD = "county_board", _("County administrative board")
    REGION = "region", _("Region")
    COUNTY_COUNCIL = "county_council", _("County council")
    MUNICIPALITY = "municipality", _("Municipality")
    UNIVERSITY = "university", _("University")
    COMPANY = "company", _("Company")
    INTEREST_ORGANISATION = "interest_organisation", _("Industry or interest organisation")
    AGENCY = "agency", _("Government agency")
    SAMI_VILLAGE = "sami_village", _("Sami village")
    EU_OFFICE = "eu_office", _("EU office")
    OTHER = "other", _("Other")


class HelixRole(models.TextChoices):
    """The organisation's place in the quadruple helix of an innovation system."""

    PUBLIC = "public", _("Public sector")
    ACADEMIA = "academia", _("Academia")
    INDUSTRY = "industry", _("Industry")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


DEFAULT_HELIX_ROLE = {
    OrganisationKind.COUNTY_BOARD: HelixRole.PUBLIC,
    OrganisationKind.REGION: HelixRole.PUBLIC,
    OrganisationKind.COUNTY_COUNCIL: HelixRole.PUBLIC,
    OrganisationKind.MUNICIPALITY: HelixRole.PUBLIC,
    OrganisationKind.AGENCY: HelixRole.PUBLIC,
    OrganisationKind.EU_OFFICE: HelixRole.PUBLIC,
    OrganisationKind.UNIVERSITY: HelixRole.ACADEMIA,
    OrganisationKind.COMPANY: HelixRole.INDUSTRY,
    OrganisationKind.INTEREST_ORGANISATION: HelixRole.CIVIL_SOCIETY,
    OrganisationKind.SAMI_VILLAGE: HelixRole.CIVIL_SOCIETY,
    OrganisationKind.OTHER: HelixRole.CIVIL_SOCIETY,
}


class OrganisationQuerySet(models.QuerySet):
    def of_kind(self, kind: str) -> "OrganisationQuerySet":
        return self.filter(kind=kind)

    def in_counties(self, county_codes) -> "OrganisationQuerySet":
        return self.filter(county__code__in=county_codes)

    def administered_by(self, user) -> "OrganisationQuerySet":
        """The organisations the user may administer (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user, memberships__role=Role.ADMINISTRATOR).distinct()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    helix_role = models.CharField(_("helix role"), max_length=16, choices=HelixRole.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county"),
        help_text=_("The county the organisation belongs to or is based in, if any."),
    )
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("municipality"),
        help_text=_("Set only for the organisation that is a municipality."),
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Ten digits, written NNNNNN-NNNN; empty when no public source gives it."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "name"]),
            # The organisation list and API, ordered by name without a kind.
            models.Index(fields=["name"], name="organisation_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=True) | models.Q(kind="municipality"),
                name="organisation_municipality_only_for_municipalities",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    """A member's role in an organisation. What it lets them read is its row in ROLE_READS
    below; what it lets them change, the apps' rules.py (where writing roles are named)."""

    ADMINISTRATOR = "administrator", _("Administrator")
    STRATEGY_EDITOR = "strategy_editor", _("Strategy editor")
    CONSULTATION_OFFICER = "consultation_officer", _("Consultation officer")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


class Reads(StrEnum):
    """What a role lets its holder read beyond what is public, each of its own organisation."""

    # Of the strategies it partners: the working draft, the editors' comments on it, the
    # consultation rounds still being planned and the progress of every round.
    PARTNERSHIP_WORK = "partnership_work"
    # Its consultation answers before they are submitted.
    DRAFT_ANSWERS = "draft_answers"
    # The initiatives it leads, before a strategy editor approves them.
    UNAPPROVED_INITIATIVES = "unapproved_initiatives"
    # Of the strategies it partners: the initiatives awaiting approval, whoever leads them.
    INITIATIVES_TO_APPROVE = "initiatives_to_approve"
    # Its contact persons not marked public.
    PRIVATE_CONTACTS = "private_contacts"
    # Who holds which role in it.
    MEMBERSHIPS = "memberships"
    # The changes made on its behalf (the audit trail).
    AUDIT_TRAIL = "audit_trail"


MEMBER_READS = frozenset(
    {
        Reads.PARTNERSHIP_WORK,
        Reads.DRAFT_ANSWERS,
        Reads.UNAPPROVED_INITIATIVES,
        Reads.PRIVATE_CONTACTS,
    }
)

# What each role reads: the one place that says it (every read rule asks for a `Reads`, see
# organisations.visibility). Every role has a row; tests/security/test_visibility.py checks.
ROLE_READS: dict[Role, frozenset[Reads]] = {
    Role.ADMINISTRATOR: MEMBER_READS | {Reads.MEMBERSHIPS, Reads.AUDIT_TRAIL},
    Role.STRATEGY_EDITOR: MEMBER_READS | {Reads.INITIATIVES_TO_APPROVE},
    Role.CONSULTATION_OFFICER: MEMBER_READS,
    Role.CONTRIBUTOR: MEMBER_READS,
    Role.VIEWER: MEMBER_READS,
}


class Membership(models.Model):
    """A person acting for an organisation in one role. A person may hold several roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Audited: who granted, changed or removed a role appears in the audit trail (/granskning/).
    history = audited_history()
    objects = VisibleQuerySet.as_manager()
    visibility = RoleIn("organisation", Reads.MEMBERSHIPS) | SUPERUSER

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def audit_organisation_ids(self):
        return [self.organisation_id]


class ContactPerson(models.Model):
    """A named contact of an organisation; shown to the public only when marked public."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_press_contact = models.BooleanField(_("press contact"), default=False)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public pages and in the API.")
    )
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Invented for the demonstration; labelled as such on screen."),
    )

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    visibility = (
        Where(models.Q(is_public=True), "public")
        | RoleIn("organisation", Reads.PRIVATE_CONTACTS)
        | SUPERUSER
    )

    class Meta:
        ordering = ["-is_press_contact", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ApiScope(models.TextChoices):
    """What an API key may do. Each operation of the JSON API that takes a key declares the one
    scope it needs, in its `auth=api_key_or_session(scope)` (organisations/api_auth.py), and the
    OpenAPI schema lists it in the operation's security. A scope includes the ones before it
    (`SCOPE_INCLUDES`): an import key also reads, a write key also imports and reads."""

    READ = "read", _("Read (GET operations only)")
    IMPORT = "import", _("Import statistics (POST /api/imports), and read")
    WRITE = "write", _("Every write (such as POST /api/strategies), import and read")


SCOPE_INCLUDES: dict[str, frozenset[str]] = {
    ApiScope.READ: frozenset({ApiScope.READ}),
    ApiScope.IMPORT: frozenset({ApiScope.IMPORT, ApiScope.READ}),
    ApiScope.WRITE: frozenset({ApiScope.WRITE, ApiScope.IMPORT, ApiScope.READ}),
}

#: The periods a key is made or renewed for, in days, of which API_KEY_MAX_DAYS caps the longest.
API_KEY_PERIODS = (30, 90, 365)


def api_key_max_days() -> int:
    return settings.MINERALSTRATEGI["API_KEY_MAX_DAYS"]


def api_key_default_expiry():
    """A year after now, or API_KEY_MAX_DAYS if that is shorter."""
    return timezone.now() + datetime.timedelta(days=min(365, api_key_max_days()))


class ApiTokenQuerySet(VisibleQuerySet):
    def active(self) -> "ApiTokenQuerySet":
        """Not revoked (expired keys included: the keys page shows them, marked)."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal key for the JSON API. Only a hash is stored; the key is shown once, at creation.

    It acts as its holder, with their permissions, narrowed by its `scopes` (`ApiScope`), until
    `expires_at` (renewable while it is valid) or until revoked. `last_used_at` and
    `last_used_from` are written at most once a minute (`services.api_token_used`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=api_key_default_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    # A key is its holder's alone: not even a superuser lists another's keys.
    visibility = OwnedBy("user")
    # No page shows a key to anyone but its holder: its last use (written at most once a minute
    # while it is used) renews no cached public page.
    shown_on_public_pages = False

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def grants(self, scope: str) -> bool:
        """Whether one of the key's scopes includes `scope`."""
        return any(scope in SCOPE_INCLUDES.get(held, ()) for held in self.scopes)

    def scope_labels(self) -> list[str]:
        return [ApiScope(held).label for held in ApiScope.values if held in self.scopes]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def days_left(self) -> int:
        """Days until it expires, a part of a day counted as one (a new 30-day key: 30)."""
        left = self.expires_at - timezone.now()
        return max(0, -(-left // datetime.timedelta(days=1)))

    @property
    def expires_soon(self) -> bool:
        """Under 30 days left: the keys page says how many."""
        return not self.is_expired and self.expires_at - timezone.now() < datetime.timedelta(
            days=30
        )


class InvitationState(models.TextChoices):
    """What became of an invitation, as its administrators see it."""

    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# The states of the mail itself; the others (accepted, expired, revoked) are read from the dates.
DELIVERY_STATES = [
    (InvitationState.QUEUED.value, InvitationState.QUEUED.label),
    (InvitationState.SENT.value, InvitationState.SENT.label),
    (InvitationState.FAILED.value, InvitationState.FAILED.label),
]


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation in a role. The mail goes out from the
    task worker, which makes the link's secret then: only its hash is stored (like ApiToken),
    so the link exists in the mail alone. `delivery_state` says "sent" only once the mail was
    handed to the mail backend."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    delivery_state = models.CharField(
        _("mail"), max_length=16, choices=DELIVERY_STATES, default=InvitationState.QUEUED
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivery_error = models.TextField(_("error"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = audited_history(excluded_fields=["token_hash"])
    objects = VisibleQuerySet.as_manager()
    visibility = RoleIn("organisation", Reads.MEMBERSHIPS) | SUPERUSER

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation} ({self.get_role_display()})"

    def audit_organisation_ids(self):
        return [self.organisation_id]

    @property
    def state(self) -> str:
        """An InvitationState: revoked, accepted or expired first, else what became of the mail."""
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return self.delivery_state

    def get_state_display(self) -> str:
        return InvitationState(self.state).label

    @property
    def is_open(self) -> bool:
        """Neither accepted, revoked nor expired: it may still be revoked, resent or accepted."""
        return self.state in (InvitationState.QUEUED, InvitationState.SENT, InvitationState.FAILED)
