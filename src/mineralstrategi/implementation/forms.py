from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from mineralstrategi.caching.kept_widgets import KeptSelectMultiple
from mineralstrategi.query import QueryForm, export_field, id_field, page_field, year_field

from .models import INITIATIVE_FIELDS, FundingKind, Initiative, InitiativeStatus, Weighting
from .services import FundingRow, InitiativeInput, MilestoneRow


class DateInput(forms.DateInput):
    input_type = "date"


class InitiativeForm(forms.ModelForm):
    """An initiative as its lead organisation describes it: the initiative's own fields as the
    model declares them (`INITIATIVE_FIELDS`), and what it serves, with whom and where. The
    organisation field offers only the organisations the user acts for; any other value is
    refused by the field."""

    organisation = forms.TypedChoiceField(label=_("Lead organisation"), coerce=int)
    sections = forms.MultipleChoiceField(
        label=_("Directions, goals and actions it serves"),
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("Partner organisations"),
        coerce=int,
        required=False,
        widget=KeptSelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities"),
        required=False,
        widget=KeptSelectMultiple(attrs={"size": 8}),
        help_text=_("Where the initiative takes place. Hold Ctrl (or Cmd) to choose several."),
    )
    action_plans = forms.TypedMultipleChoiceField(
        label=_("Action plans"), coerce=int, required=False
    )

    class Meta:
        model = Initiative
        fields = INITIATIVE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput,
            "end_date": DateInput,
            "budget": forms.NumberInput(attrs={"min": 0}),
        }

    # The relations among the initiative's own fields; a new field comes last.
    field_order = [
        "organisation", "title", "description", "sections", "start_date", "end_date", "budget",
        "status", "progress", "partners", "municipalities", "action_plans",
    ]  # fmt: skip

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


def relations_initial(initiative: Initiative) -> dict:
    """The form's initial values besides the initiative's own fields (which the ModelForm reads
    from the instance)."""
    return {
        "organisation": initiative.lead_organisation_id,
        "sections": [str(link.section_key) for link in initiative.section_links.all()],
        "partners": [p.pk for p in initiative.partners.all()],
        "municipalities": [m.code for m in initiative.municipalities.all()],
        "action_plans": [p.pk for p in initiative.action_plans.all()],
    }


def initiative_input(form: InitiativeForm, funding, milestones) -> InitiativeInput:
    data = form.cleaned_data
    return InitiativeInput(
        **{name: data[name] for name in INITIATIVE_FIELDS},
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


class ModerationForm(forms.Form):
    """A strategy editor's decision on an initiative, with its reason. Which decisions need a
    reason is the services' rule (return and reject); the form only carries them."""

    APPROVE, RETURN, REJECT = "approve", "return", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve")),
            (RETURN, _("Return for changes")),
            (REJECT, _("Reject")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when you return or reject the initiative; the organisation is told it. "
            "Never shown to the public."
        ),
    )
    back = forms.ChoiceField(
        choices=[("moderation", "moderation"), ("initiative", "initiative")],
        required=False,
        widget=forms.HiddenInput,
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


# --- The query parameters of the pages (see mineralstrategi.query) ---------------------------


class RollupQuery(QueryForm):
    export = export_field()


class InitiativeListQuery(QueryForm):
    """The filters of the initiatives' list (as the API's `/initiatives`), a page, a download."""

    section = forms.UUIDField()  # a section's key: the section and everything under it
    organisation = forms.SlugField(max_length=200)  # as lead or partner
    municipality = forms.RegexField(r"^[0-9]{4}\Z")
    status = forms.ChoiceField(choices=InitiativeStatus.choices)
    period = year_field()  # a year: initiatives active that year
    plan = id_field()  # an action plan
    page = page_field()
    export = export_field()


class ActionPlanQuery(QueryForm):
    plan = id_field()
