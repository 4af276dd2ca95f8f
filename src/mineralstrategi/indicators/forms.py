from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mineralstrategi.ingest import FORMATS
from mineralstrategi.query import TABLE_FORMATS, PrefixedField, QueryForm, export_field

from .models import Dimension, Direction, Indicator

FORMAT_CHOICES = [("", _("Find out from the content"))] + [(key, key) for key in FORMATS]


class ImportForm(forms.Form):
    """A file and where it goes: an indicator, a new indicator made from the file, or prices."""

    file = forms.FileField(label=_("File"))
    target = forms.ChoiceField(label=_("Import into"))
    new_code = forms.SlugField(
        label=_("Code of the new indicator"),
        max_length=40,
        required=False,
        help_text=_("Letters, digits and hyphens, e.g. folkmangd-norrbotten."),
    )
    new_owner = forms.TypedChoiceField(
        label=_("Responsible organisation of the new indicator"), coerce=int, required=False
    )
    new_dimension = forms.ChoiceField(
        label=_("Dimension of the new indicator"), choices=Dimension.choices, required=False
    )
    new_direction = forms.ChoiceField(
        label=_("Desired direction of the new indicator"),
        choices=Direction.choices,
        required=False,
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)

    PRICES = "prices"
    NEW = "new"

    def __init__(self, *args, indicators, may_import_prices: bool, owners, **kwargs):
        """`owners`: the organisations the person may create indicators for (a list)."""
        super().__init__(*args, **kwargs)
        choices = [(indicator.code, str(indicator)) for indicator in indicators]
        if owners:
            choices.insert(0, (self.NEW, _("A new indicator, from the file's own metadata")))
        if may_import_prices:
            choices.insert(0, (self.PRICES, _("Commodity prices (monthly)")))
        self.fields["target"].choices = choices
        self.fields["new_owner"].choices = [("", "---------")] + [(o.pk, o.name) for o in owners]
        self.owners = {owner.pk: owner for owner in owners}
        self.indicators = {indicator.code: indicator for indicator in indicators}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MINERALSTRATEGI_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB.")
                % {"size": upload.size // 2**20, "limit": limit // 2**20}
            )
        return upload

    def clean(self):
        data = super().clean()
        if data.get("target") != self.NEW:
            return data
        if not data.get("new_code"):
            self.add_error("new_code", _("Give the new indicator a code."))
        elif Indicator.objects.filter(code=data["new_code"]).exists():
            self.add_error("new_code", _("An indicator with this code exists already."))
        if not data.get("new_owner"):
            self.add_error("new_owner", _("Choose the organisation responsible for it."))
        return data

    def clean_new_owner(self):
        return self.owners.get(self.cleaned_data.get("new_owner"))

    def chosen_indicator(self) -> Indicator | None:
        return self.indicators.get(self.cleaned_data["target"])


# --- The query parameters of the pages (see mineralstrategi.query) ---------------------------


class IndicatorListQuery(QueryForm):
    dimension = forms.ChoiceField(choices=Dimension.choices)
    q = forms.CharField(max_length=100)
    export = export_field()


class IndicatorQuery(QueryForm):
    """An indicator's page: its series (`d.<dimension>=<category>`, checked against the
    indicator's categories), the map's period, the place analysed, or a download."""

    series = PrefixedField("d.")
    period = forms.CharField(max_length=10)
    geo = forms.CharField(max_length=20)
    export = export_field([*TABLE_FORMATS, ("jsonstat", "JSON-stat"), ("opensdg", "Open SDG")])


class CommodityListQuery(QueryForm):
    """The metals by default; `all` every series, or one group by its key."""

    group = forms.RegexField(r"^[a-z0-9_]{1,60}\Z")
    export = export_field()


class CommodityQuery(QueryForm):
    export = export_field()


class ImportStartQuery(QueryForm):
    """The indicator to import into, chosen in advance (a link from the indicator's page)."""

    indicator = forms.SlugField(max_length=40)
