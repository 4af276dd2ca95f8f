from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mineralstrategi.ingest import FORMATS
from mineralstrategi.ingest.values import parse_number
from mineralstrategi.query import TABLE_FORMATS, PrefixedField, QueryForm, export_field

from .models import Dimension, Direction, Indicator
from .services import target_years_error

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


class SwedishNumberField(forms.FloatField):
    """A number as a Swede writes it: a decimal comma or point, spaces between thousands
    ("1 234,5"); shown back with a comma on the Swedish pages."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {"invalid": _("Write a number, e.g. 12,5.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def widget_attrs(self, widget):
        return {}  # no min, max or step: a text field

    def prepare_value(self, value):
        if not isinstance(value, float | int) or isinstance(value, bool):
            return value
        text = repr(float(value))
        text = text.removesuffix(".0")
        return text.replace(".", ",") if (get_language() or "").startswith("sv") else text


def _year_field(label):
    return forms.IntegerField(
        label=label,
        min_value=1900,
        max_value=2200,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
        error_messages={"invalid": _("Write a year, e.g. 2030.")},
    )


class TargetForm(forms.Form):
    """A target and its baseline for one place: the page's form to add or change one (see
    `services.target_create`, which checks the rules of the domain)."""

    place = forms.ChoiceField(label=_("Place"))
    baseline_year = _year_field(_("Baseline year"))
    baseline_value = SwedishNumberField(
        label=_("Baseline value"), help_text=_("In the indicator's unit, e.g. 1 234,5.")
    )
    baseline_years_averaged = forms.IntegerField(
        label=_("Years averaged for the base"),
        min_value=1,
        max_value=10,
        initial=1,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
        help_text=_("Average this many years up to the baseline year, so no single boom or bust "
                    "year decides the verdict."),
    )  # fmt: skip
    target_year = _year_field(_("Target year"))
    target_value = SwedishNumberField(label=_("Target value"))

    #: The service's field names -> the form's.
    SERVICE_FIELDS = {"geo_level": "place", "geo_code": "place"}

    def __init__(self, *args, place_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("Choose a place")), *place_choices]

    def clean_place(self) -> tuple[str, str]:
        level, _sep, code = self.cleaned_data["place"].partition(":")
        return level, code

    def clean(self):
        """The years' order checked here too, so that it is told with the form's other faults."""
        data = super().clean()
        baseline, target = data.get("baseline_year"), data.get("target_year")
        message = None
        if baseline is not None and target is not None:
            message = target_years_error(baseline, target)
        if message:
            self.add_error("target_year", message)
        return data

    def add_service_errors(self, error) -> None:
        """Put a ValidationError of the service beside the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            name = self.SERVICE_FIELDS.get(name, name)
            self.add_error(name if name in self.fields else None, errors)

    @staticmethod
    def initial_for(target) -> dict:
        return {
            "place": f"{target.geo_level}:{target.geo_code}",
            "baseline_year": target.baseline_year,
            "baseline_value": target.baseline_value,
            "baseline_years_averaged": target.baseline_years_averaged,
            "target_year": target.target_year,
            "target_value": target.target_value,
        }


class IndicatorLinkForm(forms.Form):
    """A direction or goal of a strategy the person edits, chosen by its section's id."""

    section = forms.TypedChoiceField(label=_("Direction or goal"), coerce=int)

    def __init__(self, *args, groups, **kwargs):
        """`groups`: (strategy, [section, …]) as `selectors.linkable_sections` gives them."""
        super().__init__(*args, **kwargs)
        self.sections = {s.pk: s for _strategy, sections in groups for s in sections}
        self.fields["section"].choices = [("", _("Choose a direction or goal"))] + [
            (
                strategy.title,
                [(s.pk, f"{s.get_kind_display()} {s.outline}: {s.title}") for s in sections],
            )
            for strategy, sections in groups
        ]

    def chosen_section(self):
        return self.sections[self.cleaned_data["section"]]


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
