"""The query parameters of the follow-up's pages (see mineralstrategi.query)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineralstrategi.query import DecimalCommaField, QueryForm, year_field
from mineralstrategi.strategy.forms import DecisionForm

from .services import REVIEW_COMMENT_MAX

MIN_YEAR, MAX_YEAR = 1990, 2100
PRICE_CHANGE_DEFAULT = -30.0  # per cent
MIN_PRICE_CHANGE, MAX_PRICE_CHANGE = -95.0, 300.0


class YearQuery(QueryForm):
    """The year followed up (the latest with data by default); also the report's posted form."""

    year = year_field(MIN_YEAR, MAX_YEAR)


class DashboardQuery(YearQuery):
    """… and the scenario's change of the metal price next year, in per cent (-30 by default)."""

    price_change = DecimalCommaField(min_value=MIN_PRICE_CHANGE, max_value=MAX_PRICE_CHANGE)


class AdoptReportForm(DecisionForm):
    """The decision that adopts a year's report, as the editor records it (see
    `services.yearly_report_adopt`)."""

    body_example = _("For example “Regionstyrelsen, Region Västerbotten”.")
    reference_example = _(
        "The decision's paragraph (§) or registry number, e.g. “RS § 45, RS 2025/112”."
    )


class ReviewOpenForm(forms.Form):
    """The last day on which the partnership may comment on the year's draft."""

    closes_on = forms.DateField(
        label=_("Last day for comments"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].widget.attrs["min"] = timezone.localdate().isoformat()


class ReviewCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment on the draft"),
        max_length=REVIEW_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
