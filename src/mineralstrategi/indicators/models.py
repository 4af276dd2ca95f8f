"""Indicators, their observations and targets, commodity price series and the imports that fill
them.

A place is a (level, code) pair rather than a foreign key: "nation"/"SE", "county"/"25",
"municipality"/"2584" or "site"/<site slug>. That is how statistics files name places, it keeps
observations one narrow table at national scale, and names are looked up once per page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mineralstrategi.organisations.history import audited_history
from mineralstrategi.organisations.visibility import SUPERUSER, OwnedBy, VisibleQuerySet
from mineralstrategi.strategy.models import Dimension

from .commodities import BREAK_TEXTS, GROUPS, SERIES_NAMES, UNIT_WORDS


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")


class GeographyLevel(models.TextChoices):
    NATION = "nation", _("Nation")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Municipality")
    SITE = "site", _("Site")


class Commodity(models.Model):
    """A monthly price series, e.g. copper in USD per metric ton, as its source describes it.

    `name`, `group_name`, `description` and the texts of `method_breaks` are the source's own
    English words; pages show `display_name`, `group_display` and `breaks_shown`, which give
    the platform's Swedish and English where it has them (see `commodities`).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("As the source names it."))
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example USD/mt."))
    currency = models.CharField(
        _("currency"),
        max_length=16,
        default="USD",
        blank=True,
        help_text=_("USD, US cents, …; empty for an index."),
    )
    group = models.SlugField(
        _("group"), max_length=60, blank=True, help_text=_("For example metals_and_minerals.")
    )
    group_name = models.CharField(
        _("group in the source"), max_length=100, blank=True, help_text=_("As the source names it.")
    )
    description = models.TextField(_("description in the source"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    original_sources = models.TextField(
        _("original sources"), blank=True, help_text=_("Where the source took its prices from.")
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Changes of method or definition, with their dates.")
    )
    method_breaks = models.JSONField(
        _("method breaks"),
        default=list,
        blank=True,
        help_text=_(
            "Months where the series changes method, with the source's words: "
            '[{"month": "2008-12", "text": "…"}]; analyses respect them.'
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def __str__(self) -> str:
        return str(self.display_name)

    @property
    def break_months(self) -> list[str]:
        return [b["month"] for b in self.method_breaks]

    @property
    def display_name(self) -> str:
        """The name in the page's language where the platform knows the series, else the
        source's (English) name."""
        return SERIES_NAMES.get(self.code, self.name)

    @property
    def name_language(self) -> str:
        """The language of `display_name` when it is not the page's: the source's English."""
        return "" if self.code in SERIES_NAMES else "en"

    @property
    def unit_display(self) -> str:
        """The unit with its words in the page's language ("US cents/sheet")."""
        return "/".join(str(UNIT_WORDS.get(part, part)) for part in self.unit.split("/"))

    @property
    def group_display(self) -> str:
        return GROUPS.get(self.group, self.group_name)

    @property
    def breaks_shown(self) -> list["MethodBreakShown"]:
        return [
            MethodBreakShown(
                b["month"], BREAK_TEXTS.get((self.code, b["month"])), b.get("text", "")
            )
            for b in self.method_breaks
        ]

    @property
    def undescribed_in_source(self) -> bool:
        """The source sorts the series into a group but has no description of it."""
        return bool(self.group_name) and not self.description


@dataclass(frozen=True)
class MethodBreakShown:
    """A method break as a page shows it: the platform's own wording when it has one (Swedish
    and English), else the source's English words."""

    month: str
    translated: str | None
    source_text: str

    @property
    def text(self) -> str:
        return str(self.translated) if self.translated else self.source_text


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=60)
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    desired_direction = models.CharField(
        _("desired direction"), max_length=10, choices=Direction.choices
    )
    source_organisation = models.CharField(_("source"), max_length=200)
    source_table = models.CharField(_("source table"), max_length=200, blank=True)
    method = models.TextField(_("method"), blank=True)
    frequency = models.CharField(
        _("update frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    exposed_to = models.ForeignKey(
        Commodity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exposed_indicators",
        verbose_name=_("most exposed to"),
        help_text=_("The metal price this indicator follows most, for the cycle analysis."),
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("responsible organisation"),
    )
    is_example = models.BooleanField(
        _("example data"), default=False, help_text=_("Its values are invented for the demo.")
    )
    # A summary of the observations, kept by indicator_summary_refresh() after every write of
    # observations, so that lists need not aggregate millions of rows on each request.
    observation_count = models.PositiveIntegerField(_("observations"), default=0, editable=False)
    first_period = models.CharField(_("first period"), max_length=10, blank=True, editable=False)
    last_period = models.CharField(_("last period"), max_length=10, blank=True, editable=False)
    last_value_period = models.CharField(
        _("last period with a value"), max_length=10, blank=True, editable=False
    )
    # The disaggregations its files brought (sex, age group …) with their categories and labels,
    # merged import by import: [{"id", "label", "total_label", "categories": [{"id", "label"}]}].
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    # The summary of its series: breakdown key -> number of observations, and the series shown
    # first (the total where the files have one; see services.indicator_summary_refresh).
    series_counts = models.JSONField(default=dict, blank=True, editable=False)
    headline_breakdown = models.CharField(max_length=500, blank=True, editable=False)
    source_updated = models.DateTimeField(
        _("updated at the source"),
        null=True,
        blank=True,
        help_text=_("When the source last updated the figures, as its file says."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited_history(
        excluded_fields=[
            "observation_count",
            "first_period",
            "last_period",
            "last_value_period",
            "series_counts",
            "headline_breakdown",
        ]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [models.Index(fields=["dimension", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", kwargs={"code": self.code})

    def audit_organisation_ids(self):
        return [self.owner_id]


class ImportJob(models.Model):
    """One file taken in: what it was, who sent it, and what it did to the data."""

    class Kind(models.TextChoices):
        OBSERVATIONS = "observations", _("Indicator observations")
        PRICES = "prices", _("Commodity prices")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected, nothing written")
        CHECKED = "checked", _("Checked (dry run), nothing written")
        FAILED = "failed", _("Failed, nothing written")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("indicator"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    # Its name in the default storage (an upload); empty when imported from a file on the server.
    stored_file = models.FileField(max_length=500, blank=True, upload_to="imports/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    content = models.CharField(
        _("content"),
        max_length=500,
        blank=True,
        help_text=_("Of a file with several contents, the one imported (its canonical key)."),
    )
    new_indicator = models.JSONField(
        _("new indicator"),
        null=True,
        blank=True,
        help_text=_("The indicator to create from the file's own metadata: code, owner …"),
    )
    summary = models.JSONField(
        _("what the file holds"),
        default=dict,
        blank=True,
        help_text=_("Its dimensions and what each became, its contents and series with counts."),
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    errors = models.JSONField(_("faults"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    expected_records = models.PositiveIntegerField(
        _("expected records"), null=True, blank=True, help_text=_("Estimated before parsing.")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    # The import-level audit record: each status change with its counts. The observations and
    # prices a job writes are not recorded one by one; each row points to its job (import_job).
    history = audited_history(
        excluded_fields=["progress", "expected_records", "stored_file", "summary"]
    )
    objects = VisibleQuerySet.as_manager()
    # A job, its file's preview and its row errors are its starter's (and support's).
    visibility = OwnedBy("started_by") | SUPERUSER

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def errors_english(self) -> list[str]:
        """The faults in English, as the command line and the API show them."""
        from mineralstrategi.indicators.faults import fault_english

        return [fault_english(error) for error in self.errors]

    def audit_organisation_ids(self):
        return self.indicator.audit_organisation_ids() if self.indicator_id else []


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    geo_level = models.CharField(max_length=12, choices=GeographyLevel.choices)
    geo_code = models.CharField(max_length=40)
    period = models.CharField(max_length=10, help_text="2019, 2019-Q3 or 2019-07")
    breakdown = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="The disaggregations as canonical JSON (ingest.dimensions.breakdown_key); "
        "empty for the headline figure.",
    )
    value = models.FloatField(null=True)
    provisional = models.BooleanField(default=False)
    estimated = models.BooleanField(default=False)
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "geo_level", "geo_code", "breakdown", "period"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geo_code", "breakdown", "period", "geo_level"],
                name="observation_natural_key",
            )
        ]
        # A series' rows in the order pages and the API read them: by indicator and breakdown,
        # then place (level, code) and period; filters on level, place and period ranges use it.
        indexes = [
            models.Index(
                fields=["indicator", "breakdown", "geo_level", "geo_code", "period"],
                name="observation_series",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.geo_code} {self.period}: {self.value}"


class Target(models.Model):
    """Where an indicator should be by a year, from a baseline, for one place."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    geo_level = models.CharField(_("level"), max_length=12, choices=GeographyLevel.choices)
    geo_code = models.CharField(_("place code"), max_length=40)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.FloatField(_("baseline value"))
    baseline_years_averaged = models.PositiveSmallIntegerField(
        _("years averaged for the base"),
        default=1,
        help_text=_("Average this many years up to the baseline year, so no single boom or bust "
                    "year decides the verdict."),
    )  # fmt: skip
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.FloatField(_("target value"))

    history = audited_history()

    class Meta:
        ordering = ["indicator", "geo_level", "geo_code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geo_level", "geo_code"], name="target_one_per_place"
            ),
            models.CheckConstraint(
                condition=models.Q(target_year__gt=models.F("baseline_year")),
                name="target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        # Names, not ids: the audit trail shows it (and fetches the indicator with it).
        return f"{self.indicator.name}, {self.geo_code}: {self.target_value} ({self.target_year})"

    def audit_organisation_ids(self):
        return self.indicator.audit_organisation_ids()


class PricePoint(models.Model):
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="prices")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    value = models.FloatField(null=True)
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["commodity", "month"]
        constraints = [
            models.UniqueConstraint(fields=["commodity", "month"], name="price_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.commodity_id} {self.month}: {self.value}"


class IndicatorLinkQuerySet(models.QuerySet):
    def for_strategy(self, strategy) -> "IndicatorLinkQuerySet":
        return self.filter(strategy=strategy)


class IndicatorLink(models.Model):
    """An indicator follows up a direction or goal of a strategy.

    The section is named by its stable ``key`` (with the strategy), not by a foreign key to one
    version's row: frozen versions copy their sections, and the link must hold in every version.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="links", verbose_name=_("indicator")
    )
    strategy = models.ForeignKey(
        "strategy.Strategy",
        on_delete=models.CASCADE,
        related_name="indicator_links",
        verbose_name=_("strategy"),
    )
    section_key = models.UUIDField(_("section key"), db_index=True)

    history = audited_history()
    objects = IndicatorLinkQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "section_key", "indicator"]
        verbose_name = _("linked strategy goal")
        verbose_name_plural = _("linked strategy goals")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "strategy", "section_key"], name="indicator_link_unique"
            )
        ]

    def __str__(self) -> str:
        # Names, not ids: the audit trail shows it (and fetches both with it).
        return f"{self.indicator.name} → {self.strategy.title}"

    def audit_organisation_ids(self):
        yield from self.indicator.audit_organisation_ids()
        yield from self.strategy.audit_organisation_ids()
