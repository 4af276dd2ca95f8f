"""The physical side of the innovation system: mines, deposits, smelters and processing plants,
test beds and research infrastructure, placed on the map of the covered counties."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mineralstrategi.organisations.models import Municipality, Organisation


class SiteKind(models.TextChoices):
    MINE = "mine", _("Mine")
    DEPOSIT = "deposit", _("Deposit under exploration")
    SMELTER = "smelter", _("Smelter")
    PROCESSING = "processing", _("Processing plant")
    TEST_BED = "test_bed", _("Test bed")
    RESEARCH = "research", _("Research infrastructure")


class SiteStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", pgettext_lazy("site status", "Closed")
    PROJECT = "project", _("Project")
    EXPLORATION = "exploration", _("Exploration")


# What sites produce or study, as the data and the editors write it: each known word is shown in
# the reader's language; any other word is shown as written.
COMMODITY_WORDS = {
    "copper": pgettext_lazy("commodity", "copper"),
    "gold": pgettext_lazy("commodity", "gold"),
    "gold concentrates": pgettext_lazy("commodity", "gold concentrates"),
    "iron": pgettext_lazy("commodity", "iron"),
    "iron ore": pgettext_lazy("commodity", "iron ore"),
    "iron ore pellets": pgettext_lazy("commodity", "iron ore pellets"),
    "lead": pgettext_lazy("commodity", "lead"),
    "nickel": pgettext_lazy("commodity", "nickel"),
    "silver": pgettext_lazy("commodity", "silver"),
    "steel": pgettext_lazy("commodity", "steel"),
    "tellurium": pgettext_lazy("commodity", "tellurium"),
    "zinc": pgettext_lazy("commodity", "zinc"),
    "cobalt": pgettext_lazy("commodity", "cobalt"),
    "graphite": pgettext_lazy("commodity", "graphite"),
    "tungsten": pgettext_lazy("commodity", "tungsten"),
    "rare earth elements": pgettext_lazy("commodity", "rare earth elements"),
    "minerals": pgettext_lazy("commodity", "minerals"),
    "metallurgy": pgettext_lazy("commodity", "metallurgy"),
    "process technology": pgettext_lazy("commodity", "process technology"),
    "environment": pgettext_lazy("commodity", "environment"),
    "water": pgettext_lazy("commodity", "water"),
}


class Site(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SiteKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=SiteStatus.choices)
    commodities = models.CharField(
        _("commodities"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. copper, gold."),
    )
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("operator"),
    )
    operator_name = models.CharField(
        _("operator (if not a registered organisation)"), max_length=200, blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="sites",
        verbose_name=_("municipality"),
    )
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    opened = models.PositiveSmallIntegerField(_("opened"), null=True, blank=True)
    closed = models.PositiveSmallIntegerField(_("closed"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        # The sites list and API filter by kind and by status.
        indexes = [
            models.Index(fields=["kind", "name"], name="site_kind_name"),
            models.Index(fields=["status", "name"], name="site_status_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def operator_label(self) -> str:
        return self.operator.name if self.operator_id else self.operator_name

    @property
    def commodity_list(self) -> list[str]:
        return [c.strip() for c in self.commodities.split(",") if c.strip()]

    @property
    def commodities_display(self) -> str:
        """The commodities in the reader's language, where the word is known."""
        return ", ".join(str(COMMODITY_WORDS.get(c.lower(), c)) for c in self.commodity_list)

    def clean(self):
        if self.opened and self.closed and self.closed < self.opened:
            raise ValidationError({"closed": _("The site closed before it opened.")})
