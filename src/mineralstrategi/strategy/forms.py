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
        help_text=_("For example “Consultation draft” or “Adopted version”."),
    )


def parent_choices(sections: list[Section]) -> list[tuple[int, str]]:
    return [
        (section.pk, f"{'— ' * (section.depth - 1)}{section.outline} {section.title}".strip())
        for section in sections
    ]
