from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Dimension, Section, SectionKind


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


class AdoptionForm(forms.Form):
    """The decision that adopts a version, as the editor records it (see
    `services.version_adopt`)."""

    body = forms.CharField(
        label=_("Deciding body"),
        max_length=300,
        help_text=_("For example “Regionfullmäktige” or “Länsstyrelsen i Norrbottens län”."),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation of the deciding body"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Optional: the organisation whose body decided."),
    )
    decided_on = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        help_text=_(
            "The decision's paragraph (§) or registry number, e.g. “RF § 112, RUN 2024/81”."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
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
