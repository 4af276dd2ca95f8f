from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mineralstrategi.ingest import FORMATS

from .models import Indicator

FORMAT_CHOICES = [("", _("Find out from the content"))] + [(key, key) for key in FORMATS]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    target = forms.ChoiceField(label=_("Import into"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)

    PRICES = "prices"

    def __init__(self, *args, indicators, may_import_prices: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(indicator.code, str(indicator)) for indicator in indicators]
        if may_import_prices:
            choices.insert(0, (self.PRICES, _("Commodity prices (monthly)")))
        self.fields["target"].choices = choices
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

    def chosen_indicator(self) -> Indicator | None:
        return self.indicators.get(self.cleaned_data["target"])
