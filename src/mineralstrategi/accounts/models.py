"""Sign-up and onboarding: a person's sign-up (consent, e-mail verification), their requests to
join an organisation, and applications to register a new organisation on the platform.

Each is audited (`audited_history`): a join request belongs to the organisation asked to join,
an application to the organisation it created once approved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.organisations.history import audited_history
from mineralstrategi.organisations.models import (
    County,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
)
from mineralstrategi.organisations.numbers import validate_organisation_number


class SignUp(models.Model):
    """An account made through the sign-up page: when its holder consented to the handling of
    their personal data, and when they verified their e-mail address (the account is inactive,
    and cannot log in, until then)."""

    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sign_up",
        verbose_name=_("user"),
    )
    consented_at = models.DateTimeField(_("consented"))
    verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    next_url = models.CharField(
        _("next page"),
        max_length=500,
        blank=True,
        help_text=_("Where the person goes after verifying their e-mail address."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = audited_history()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return str(self.user)

    def audit_organisation_ids(self):
        return []


class Decision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request state", "Pending")
    APPROVED = "approved", pgettext_lazy("request state", "Approved")
    DECLINED = "declined", pgettext_lazy("request state", "Declined")


class Decided(models.Model):
    """What a join request and an application share: their state and who decided it, when."""

    state = models.CharField(
        _("state"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.state == Decision.PENDING


class JoinRequest(Decided):
    """A person asks to become a member of an organisation; its administrators decide."""

    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organisation"),
    )
    message = models.TextField(_("message"), blank=True)
    role = models.CharField(
        _("role"),
        max_length=32,
        choices=Role.choices,
        blank=True,
        help_text=_("The role given on approval."),
    )

    history = audited_history()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=models.Q(state="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return _("%(person)s asks to join %(organisation)s") % {
            "person": self.person.get_full_name() or self.person.get_username(),
            "organisation": self.organisation,
        }

    def audit_organisation_ids(self):
        return [self.organisation_id]


class OrganisationApplication(Decided):
    """A person asks to register a new organisation; the platform's staff decide. On approval
    the organisation is made and the applicant becomes its administrator."""

    shown_on_public_pages = False  # a person's own rows: writes keep the page cache (caching)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_applications",
        verbose_name=_("applicant"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("county")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("Only for a municipality."),
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        validators=[validate_organisation_number],
        help_text=_("Ten digits, NNNNNN-NNNN."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the application was declined.")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation created"),
    )

    history = audited_history()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organisation application")
        verbose_name_plural = _("organisation applications")

    def __str__(self) -> str:
        return self.name

    def audit_organisation_ids(self):
        return [self.organisation_id] if self.organisation_id else []
