from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from .models import FundingKind, InitiativeStatus, Weighting
from .services import FundingRow, InitiativeInput, MilestoneRow


class DateInput(forms.DateInput):
    input_type = "date"


class InitiativeForm(forms.Form):
    """An initiative as its lead organisation describes it. The organisation field offers only the
    organisations the user acts for; any other value is refused by the field."""

    organisation = forms.TypedChoiceField(label=_("Lead organisation"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    sections = forms.MultipleChoiceField(
        label=_("Directions, goals and actions it serves"),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Start"), widget=DateInput)
    end_date = forms.DateField(label=_("End"), widget=DateInput)
    budget = forms.DecimalField(
        label=_("Budget (SEK)"), min_value=0, max_digits=14, decimal_places=0
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=InitiativeStatus.choices, initial=InitiativeStatus.PLANNED
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    partners = forms.TypedMultipleChoiceField(
        label=_("Partner organisations"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Where the initiative takes place. Hold Ctrl (or Cmd) to choose several."),
    )
    action_plans = forms.TypedMultipleChoiceField(
        label=_("Action plans"), coerce=int, required=False
    )
    results = forms.CharField(
        label=_("Results"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    partners_wanted = forms.CharField(
        label=_("Partners wanted"),
        required=False,
        max_length=500,
        help_text=_(
            "If you look for partners: what kind, and for what. Shown on the public pages."
        ),
    )

    def __init__(
        self,
        *args,
        organisations=(),
        sections=(),
        partner_choices=(),
        municipality_choices=(),
        plan_choices=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["sections"].choices = [(str(s.key), f"{s.outline} {s.title}") for s in sections]
        self.fields["partners"].choices = list(partner_choices)
        self.fields["municipalities"].choices = list(municipality_choices)
        self.fields["action_plans"].choices = list(plan_choices)
        if not plan_choices:
            del self.fields["action_plans"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end comes before the start."))
        return cleaned


class FundingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Source"), choices=[("", "–"), *FundingKind.choices], required=False
    )
    funder = forms.CharField(label=_("Funder"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount (SEK)"), min_value=0, max_digits=14, decimal_places=0, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") is not None and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of source."))
        if cleaned.get("kind") and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount."))
        return cleaned


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Due"), widget=DateInput, required=False)
    reached = forms.BooleanField(label=_("Reached"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not cleaned.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", _("Give the date the milestone is due."))
        return cleaned


FundingFormSet = formset_factory(FundingForm, extra=3, max_num=20, validate_max=True)
MilestoneFormSet = formset_factory(MilestoneForm, extra=2, max_num=30, validate_max=True)


def initiative_input(form: InitiativeForm, funding, milestones) -> InitiativeInput:
    data = form.cleaned_data
    return InitiativeInput(
        title=data["title"],
        description=data["description"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        budget=data["budget"],
        status=data["status"],
        progress=data["progress"],
        results=data.get("results", ""),
        partners_wanted=data.get("partners_wanted", ""),
        section_keys=data["sections"],
        partner_ids=data.get("partners", []),
        municipality_codes=data.get("municipalities", []),
        action_plan_ids=data.get("action_plans", []),
        funding=[
            FundingRow(kind=row["kind"], funder=row.get("funder", ""), amount=row["amount"])
            for row in funding.cleaned_data
            if row.get("kind")
        ],
        milestones=[
            MilestoneRow(title=row["title"], due_date=row["due_date"], reached=row["reached"])
            for row in milestones.cleaned_data
            if row.get("title")
        ],
    )


class ProgressUpdateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("– unchanged –")), *InitiativeStatus.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WeightingForm(forms.Form):
    weighting = forms.ChoiceField(
        label=_("Weigh initiatives"), choices=Weighting.choices, widget=forms.RadioSelect
    )


class ActionPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    first_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    last_year = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The last year comes before the first year."))
        return cleaned
