from django import forms
from django.utils.translation import gettext_lazy as _

from mineralstrategi.query import QueryForm, year_field

from .models import ENTRY_FIELDS, REPORT_FIELDS, PeriodReport, WheelEntry


class DateInput(forms.DateInput):
    input_type = "date"


class WheelQuery(QueryForm):
    """The year of the wheel shown (this year by default)."""

    year = year_field()


class EntryForm(forms.ModelForm):
    class Meta:
        model = WheelEntry
        fields = ENTRY_FIELDS
        widgets = {
            "date": DateInput,
            "deadline": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ReportForm(forms.ModelForm):
    """The owner's report for the period: how it goes, how far it has come, what was done, the
    risks and next steps, and optional figures."""

    class Meta:
        model = PeriodReport
        fields = REPORT_FIELDS
        widgets = {
            "progress_status": forms.RadioSelect,
            "done": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "figures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("progress_status", "progress", "done"):
            self.fields[name].required = True
        self.fields["progress_status"].choices = self.fields["progress_status"].choices[1:]
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["done"].help_text = _("In a few sentences: what was done in the period.")
