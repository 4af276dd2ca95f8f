from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineralstrategi.caching.kept_widgets import KeptSelectMultiple
from mineralstrategi.organisations.models import County, Organisation
from mineralstrategi.query import QueryForm, export_field

from .models import Dimension, FrameworkKind, Section, SectionKind, Strategy
from .services import OUTLINE_MAX_BYTES, StartFrom


class SectionForm(forms.Form):
    """A draft section's text. `revision` is the revision the editor loaded: the save is refused
    if someone else saved in between (see `services.section_update`)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=SectionKind.choices)
    dimension = forms.ChoiceField(
        label=_("Dimension"), choices=[("", _("– none –")), *Dimension.choices], required=False
    )
    parent = forms.TypedChoiceField(
        label=_("Placed under"), coerce=int, empty_value=None, required=False
    )
    body_markdown = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: blank line between paragraphs, *italic*, **bold**, - lists."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, parent_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("– top level –")), *parent_choices]


class SectionCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=SectionKind.choices)
    dimension = forms.ChoiceField(
        label=_("Dimension"), choices=[("", _("– none –")), *Dimension.choices], required=False
    )
    parent = forms.TypedChoiceField(
        label=_("Placed under"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, parent_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("– top level –")), *parent_choices]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment for the other editors"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Framework item"), coerce=int)

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = item_choices


class FreezeForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the version"),
        max_length=200,
        required=False,
        help_text=_(
            "For example “Consultation draft” or “Proposal for decision”. Whether a version is "
            "adopted is recorded with the decision, not in its name."
        ),
    )


class DecisionForm(forms.Form):
    """A recorded decision: who decided, when (not in the future), its reference and a note.

    The strategy's adoption and the yearly report's adoption both record one; each names its
    own examples of a deciding body and a reference."""

    body_example = ""
    reference_example = ""

    body = forms.CharField(label=_("Deciding body"), max_length=300)
    decided_on = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Reference"), max_length=200)
    note = forms.CharField(
        label=_("Note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = self.body_example
        self.fields["reference"].help_text = self.reference_example
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class AdoptionForm(DecisionForm):
    """The decision that adopts a version, as the editor records it (see
    `services.version_adopt`)."""

    body_example = _("For example “Regionfullmäktige” or “Länsstyrelsen i Norrbottens län”.")
    reference_example = _(
        "The decision's paragraph (§) or registry number, e.g. “RF § 112, RUN 2024/81”."
    )
    field_order = ["body", "organisation", "decided_on", "reference", "note"]

    organisation = forms.TypedChoiceField(
        label=_("Organisation of the deciding body"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Optional: the organisation whose body decided."),
    )
    without_consultation_reason = forms.CharField(
        label=_("Reason for adopting without a compiled consultation"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when no consultation was held or it was not compiled."),
    )

    def __init__(self, *args, organisation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("– none –")), *organisation_choices]


def parent_choices(sections: list[Section]) -> list[tuple[int, str]]:
    return [
        (section.pk, f"{'— ' * (section.depth - 1)}{section.outline} {section.title}".strip())
        for section in sections
    ]


class StrategySetupForm(forms.Form):
    """The guided setup of a strategy: what, where, who, and how its draft starts (see
    `services.strategy_create`, which checks the rest)."""

    title = forms.CharField(
        label=_("Name of the strategy"),
        max_length=300,
        help_text=_("For example “Mineralstrategi för Jämtlands län”."),
    )
    start_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1900, max_value=2200)
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties covered"),
        queryset=County.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one county the strategy covers.")},
    )
    lead = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("One of the organisations you administer or edit strategies for."),
    )
    partnership = forms.ModelMultipleChoiceField(
        label=_("Further partners"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=KeptSelectMultiple(attrs={"size": 8}),
        help_text=_("Their members read the working draft; their strategy editors write it."),
    )
    start = forms.ChoiceField(
        label=_("The working draft starts"),
        choices=StartFrom.choices,
        initial=StartFrom.EMPTY,
        widget=forms.RadioSelect,
    )
    copy_from = forms.ModelChoiceField(
        label=_("Copy the sections of"),
        queryset=Strategy.objects.order_by("title"),
        required=False,
        help_text=_("Titles, kinds and order of its sections; the texts only if you tick below."),
    )
    copy_texts = forms.BooleanField(label=_("Copy the texts too"), required=False)
    outline = forms.FileField(
        label=_("Outline (Markdown or Word)"),
        required=False,
        help_text=_(
            "Headings #, ## and ### in a Markdown file, or the styles Heading 1, 2 and 3 in a "
            "Word document (.docx), become sections at those levels; the text under a heading "
            "becomes its text."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,.docx"}),
    )

    def __init__(self, *args, lead_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = lead_choices
        if lead_choices is not None and lead_choices.count() > 1:
            self.fields["lead"].empty_label = _("– choose –")

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if start == StartFrom.COPY and not data.get("copy_from"):
            self.add_error("copy_from", _("Choose the strategy whose sections to copy."))
        if start == StartFrom.OUTLINE:
            outline = data.get("outline")
            if not outline:
                self.add_error("outline", _("Choose the outline file to import."))
            elif outline.size > OUTLINE_MAX_BYTES:
                self.add_error("outline", _("The file is too large."))
        return data


class FrameworkForm(forms.Form):
    """A framework's fields (see `services.framework_create` and `framework_update`, which check
    the code's form and that it is free)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_(
            "Lower-case letters a–z, digits and hyphens, e.g. “rus-jamtland-2030”: the end of "
            "the framework's web address."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=FrameworkKind.choices)
    url = forms.URLField(
        label=_("Web address"), required=False, max_length=200, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=500,
        help_text=_("Who decided the framework, and when: e.g. “Regionfullmäktige 2024-06-18”."),
    )


class FrameworkCreateForm(FrameworkForm):
    owner = forms.ModelChoiceField(
        label=_("Kept by"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Its strategy editors change the framework and its items."),
    )
    field_order = ["owner", "code", "name", "kind", "url", "description", "source"]

    def __init__(self, *args, owner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices
        if owner_choices is not None and owner_choices.count() > 1:
            self.fields["owner"].empty_label = _("– choose –")


class FrameworkItemForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("For example “2”, “2.3” or “A1”.")
    )
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=500)
    title_en = forms.CharField(label=_("Title in English"), max_length=1000, required=False)
    parent = forms.TypedChoiceField(
        label=_("Placed under"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, parent_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("– top level –")), *parent_choices]


class FrameworkPasteForm(forms.Form):
    text = forms.CharField(
        label=_("Items, one a line"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Each line: the code, a tab or a space, and the Swedish title (a second tab may "
            "give the English title). “2.3” is placed under “2” when there is one."
        ),
    )


# --- The query parameters of the pages (see mineralstrategi.query) ---------------------------


def version_field() -> forms.RegexField:
    """A version by its number, or the working draft ("draft", "utkast")."""
    return forms.RegexField(r"^(draft|utkast|[1-9][0-9]{0,8})\Z")


class CompareQuery(QueryForm):
    from_ = version_field()
    to = version_field()


CompareQuery.base_fields["from"] = CompareQuery.base_fields.pop("from_")  # a Python keyword


class TraceabilityQuery(QueryForm):
    version = version_field()
    framework = forms.SlugField(max_length=60)
    by = forms.ChoiceField(choices=[("section", "section"), ("item", "item")])
    format = export_field()
