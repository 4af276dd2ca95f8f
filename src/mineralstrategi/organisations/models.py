"""Counties, municipalities, organisations, their members with roles, and contact persons.

This is the base app: it imports no other app of the platform.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)
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
    ADMINISTRATOR = "administrator", _("Administrator")
    STRATEGY_EDITOR = "strategy_editor", _("Strategy editor")
    CONSULTATION_OFFICER = "consultation_officer", _("Consultation officer")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


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

    history = HistoricalRecords()

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


class ContactPersonQuerySet(models.QuerySet):
    def public(self) -> "ContactPersonQuerySet":
        return self.filter(is_public=True)

    def for_user(self, user) -> "ContactPersonQuerySet":
        """Public contacts, plus every contact of the organisations the user is a member of."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        if not user.is_authenticated:
            return self.public()
        return self.filter(
            models.Q(is_public=True) | models.Q(organisation__memberships__user=user)
        ).distinct()


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
    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        ordering = ["-is_press_contact", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal key for the JSON API. Only a hash is stored; the key is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
