"""Forms of a consultation. None of them carries an organisation: who answers for whom comes from
the consultee in the address and the user's memberships, checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, Position, Stance


class AnswerForm(forms.Form):
    """The overall position and comment, one stance/comment/proposal per section, an attachment."""

    position = forms.ChoiceField(
        label=_("Overall position"),
        choices=[("", "—"), *Position.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Overall comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"stance_{section.pk}"] = forms.ChoiceField(
                label=_("Stance"), choices=[("", _("No comment")), *Stance.choices], required=False
            )
            self.fields[f"comment_{section.pk}"] = forms.CharField(
                label=_("Comment"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=10000,
            )
            self.fields[f"proposed_{section.pk}"] = forms.CharField(
                label=_("Proposed wording"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=20000,
            )

    def section_fields(self):
        """(section, stance field, comment field, proposed field) for the template."""
        for section in self.sections:
            yield (
                section,
                self[f"stance_{section.pk}"],
                self[f"comment_{section.pk}"],
                self[f"proposed_{section.pk}"],
            )

    def section_comments(self) -> dict:
        data = self.cleaned_data
        return {
            section.pk: (
                data.get(f"stance_{section.pk}", ""),
                data.get(f"comment_{section.pk}", ""),
                data.get(f"proposed_{section.pk}", ""),
            )
            for section in self.sections
        }

    @staticmethod
    def initial_from(answer) -> dict:
        if answer is None:
            return {}
        initial = {"position": answer.position, "comment": answer.comment}
        for comment in answer.comments.all():
            initial[f"stance_{comment.section_id}"] = comment.stance
            initial[f"comment_{comment.section_id}"] = comment.comment
            initial[f"proposed_{comment.section_id}"] = comment.proposed_text
        return initial


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the organisation decline to answer?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class DispositionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10000
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class AddOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    registry_number = forms.CharField(label=_("Registry number (diarienummer)"), max_length=60)
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    opens_on = forms.DateField(
        label=_("Opening date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    version = forms.TypedChoiceField(label=_("Version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v.pk, v.display_name) for v in versions]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    held_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"), queryset=None, required=False
    )
    sections = forms.ModelMultipleChoiceField(
        label=_("Sections discussed"), queryset=None, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, organisations, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = organisations
        self.fields["sections"].queryset = sections


class AddressForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class BounceForm(forms.Form):
    note = forms.CharField(label=_("About the bounce"), required=False, max_length=2000)
