"""Forms of a consultation. None of them carries an organisation: who answers for whom comes from
the consultee in the address and the user's memberships, checked by the services."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.caching.kept_widgets import KeptSelect, KeptSelectMultiple
from mineralstrategi.query import QueryForm, export_field, id_field
from mineralstrategi.visitors import HoneypotMixin

from .models import Decision, Position, Stance

# The id of the block that shows a form's errors that belong to no field (the error summary's
# links to them point there).
FORM_ERRORS_ID = "form-errors"


def error_summary(form, *, prefixes: dict | None = None) -> list[tuple[str, str]]:
    """(link, message) for every error of a bound form, in the form's order, for the error
    summary at the top of the page (GOV.UK design system): a field's errors link to its input
    (`#id_<name>`), the others to the block that shows them. `prefixes` names the context of a
    field whose label alone is ambiguous (the section a stance belongs to)."""
    prefixes = prefixes or {}
    _mark_invalid(form)
    items = []
    for error in form.non_field_errors():
        items.append((f"#{FORM_ERRORS_ID}", str(error)))
    for field in form:
        for error in field.errors:
            prefix = prefixes.get(field.name)
            items.append((f"#{field.id_for_label}", f"{prefix}: {error}" if prefix else str(error)))
    return items


def _mark_invalid(form) -> None:
    """A field with errors says so to assistive technology: aria-invalid, and aria-describedby
    naming its error messages (the ids `_field.html` gives them)."""
    for field in form:
        if field.errors:
            ids = [f"{field.auto_id}-error"]
            ids += [f"{field.auto_id}-error-{n}" for n in range(2, len(field.errors) + 1)]
            field.field.widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": " ".join(ids)}
            )


@dataclass
class SectionRow:
    """One section of the answer form: its fields, whether the saved draft answers it, whether
    it has errors, and whether it is shown open."""

    section: object
    stance: forms.BoundField
    comment: forms.BoundField
    proposed: forms.BoundField
    answered: bool
    has_errors: bool
    is_open: bool

    @property
    def label(self) -> str:
        outline = getattr(self.section, "outline", "")
        return f"{outline} {self.section.title}" if outline else self.section.title


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
        limit = {"limit": f"{settings.CONSULTATION_ATTACHMENT_MAX_BYTES / 1_048_576:.0f}"}
        self.fields["attachment"].help_text = (
            _("A PDF file of at most %(limit)s MB, sent with the answer.") % limit
        )
        proposal_hint = _(
            "Kept only with the stance “%(stance)s”: the text you want the section to have."
        ) % {"stance": Stance.PROPOSE.label}
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
                help_text=proposal_hint,
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=20000,
            )
        # The attachment comes last on the page, and so in the error summary.
        self.fields["attachment"] = self.fields.pop("attachment")

    def section_rows(self, *, answered: set, open_section: int | None = None) -> list[SectionRow]:
        """The sections in document order for the template; a section with errors, or the one
        just saved, is open."""
        rows = []
        for section in self.sections:
            fields = [self[f"{kind}_{section.pk}"] for kind in ("stance", "comment", "proposed")]
            has_errors = any(field.errors for field in fields)
            rows.append(
                SectionRow(
                    section,
                    *fields,
                    answered=section.pk in answered,
                    has_errors=has_errors,
                    is_open=has_errors or section.pk == open_section,
                )
            )
        return rows

    def error_summary(self) -> list[tuple[str, str]]:
        prefixes = {}
        for section in self.sections:
            outline = getattr(section, "outline", "")
            label = f"{outline} {section.title}" if outline else section.title
            for kind in ("stance", "comment", "proposed"):
                prefixes[f"{kind}_{section.pk}"] = label
        return error_summary(self, prefixes=prefixes)

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


class ConfirmSubmitForm(forms.Form):
    """The explicit confirmation before an answer is submitted for an organisation."""

    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        name = {"organisation": organisation.name}
        self.fields["confirm"].label = (
            _("I confirm that the answer is submitted for %(organisation)s.") % name
        )
        self.fields["confirm"].error_messages["required"] = (
            _("Confirm that the answer is submitted for %(organisation)s.") % name
        )


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


class ProposalApplyForm(forms.Form):
    """The text a draft section gets when an accepted proposed wording is carried into it: the
    editor starts from the proposal put in place and may change it before it is saved."""

    body_markdown = forms.CharField(
        label=_("The section's text after the change"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50000,
        strip=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_body_markdown(self):
        text = self.cleaned_data["body_markdown"]
        if not text.strip():
            raise forms.ValidationError(_("The section's text cannot be empty."))
        return text


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class AddOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, widget=KeptSelect)

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
    is_public = forms.BooleanField(
        label=_("Open to the public"),
        required=False,
        help_text=_(
            "While the round is open, anyone may read the consulted version on a public page and "
            "comment on it section by section; the comments are published after moderation."
        ),
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v.pk, v.display_name) for v in versions]


PEOPLE_HELP = _(
    "One person a line: name; e-mail; the organisation they represent. The e-mail and the "
    "organisation may be left out, e.g. “Anna Berg; anna.berg@example.se; Skellefteå kommun”."
)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def people_text(people) -> str:
    """People as the form's text lists them: one a line, "name; e-mail; organisation"."""
    lines = []
    for person in people:
        parts = [person.name, person.email, person.organisation_name]
        parts = [part for part in parts if part]  # "name; organisation" reads back the same
        lines.append("; ".join(parts))
    return "\n".join(lines)


class PeopleField(forms.CharField):
    """People typed one a line; the form's value is a list of PersonInput. A line that cannot be
    read is named with its number."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        from .services import PersonInput

        text = super().to_python(value) or ""
        people, errors = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) > 3 or not parts[0]:
                errors.append(
                    _("Line %(number)s: write “name; e-mail; organisation”.") % {"number": number}
                )
                continue
            name, email, organisation = (parts + ["", ""])[:3]
            if email and "@" not in email:
                # "Name; Organisation": no e-mail given
                email, organisation = "", organisation or email
            people.append(PersonInput(name=name, email=email, organisation_name=organisation))
        if errors:
            raise forms.ValidationError(errors)
        return people


class MeetingPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    held_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=10000,
    )  # fmt: skip
    invited_organisations = forms.ModelMultipleChoiceField(
        label=_("Invited organisations"),
        queryset=None,
        required=False,
        widget=KeptSelectMultiple,
    )
    people = PeopleField(
        label=_("Invited people"), required=False, help_text=PEOPLE_HELP, max_length=20000
    )
    registration_open = forms.BooleanField(
        label=_("Anyone may register, not only the invited"), required=False
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Leave empty to take registrations until the meeting starts."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_organisations"].queryset = organisations

    def clean(self):
        data = super().clean()
        starts, ends = data.get("held_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting ends before it starts."))
        closes = data.get("registration_closes_at")
        if starts and closes and closes > starts:
            self.add_error(
                "registration_closes_at", _("Registration must close before the meeting starts.")
            )
        return data

    @staticmethod
    def initial_from(meeting) -> dict:
        return {
            "title": meeting.title,
            "held_at": timezone.localtime(meeting.held_at),
            "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
            "place": meeting.place,
            "link": meeting.link,
            "agenda": meeting.agenda,
            "invited_organisations": list(meeting.invited_organisations.all()),
            "people": people_text(p for p in meeting.people.all() if p.invited),
            "registration_open": meeting.registration_open,
            "registration_closes_at": timezone.localtime(meeting.registration_closes_at)
            if meeting.registration_closes_at
            else None,
        }


class MeetingRecordForm(forms.Form):
    notes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False,
        max_length=50000, help_text=_("Plain text or simple Markdown."),
    )  # fmt: skip
    participant_people = forms.ModelMultipleChoiceField(
        label=_("People who took part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The registered are ticked."),
    )
    more_people = PeopleField(
        label=_("Others who took part"), required=False, help_text=PEOPLE_HELP, max_length=20000
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=None,
        required=False,
        widget=KeptSelectMultiple,
    )
    sections = forms.ModelMultipleChoiceField(
        label=_("Sections discussed"), queryset=None, required=False
    )

    def __init__(self, *args, meeting, organisations, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_people"].queryset = meeting.people.all()
        self.fields["participants"].queryset = organisations
        self.fields["sections"].queryset = sections

    @staticmethod
    def initial_from(meeting) -> dict:
        """What was recorded; for a meeting not yet recorded, the registered people and the
        invited organisations, for the registrar to correct."""
        people = list(meeting.people.all())
        if meeting.is_held:
            return {
                "notes": meeting.notes,
                "participant_people": [p for p in people if p.participated],
                "participants": list(meeting.participants.all()),
                "sections": list(meeting.sections.all()),
            }
        return {
            "participant_people": [p for p in people if p.is_registered],
            "participants": list(meeting.invited_organisations.all()),
        }


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("samråd", "Outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=10000,
    )
    section = forms.ModelChoiceField(
        label=_("About the section"),
        queryset=None,
        required=False,
        empty_label=_("(no particular section)"),
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = _section_label


def _section_label(section) -> str:
    outline = getattr(section, "outline", "")
    return f"{outline} {section.title}" if outline else section.title


OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=2, max_num=100, absolute_max=100)


def outcome_formset(data, meeting, sections):
    initial = [{"text": o.text, "section": o.section} for o in meeting.outcomes.all()]
    return OutcomeFormSet(
        data, initial=initial, prefix="outcome", form_kwargs={"sections": sections}
    )


class RegisterForm(HoneypotMixin):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    organisation_name = forms.CharField(
        label=pgettext_lazy("represents", "Organisation"), max_length=200, required=False
    )


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (told to the invited)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AddressForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class BounceForm(forms.Form):
    note = forms.CharField(label=_("About the bounce"), required=False, max_length=2000)


class PublicCommentForm(HoneypotMixin):
    """Anyone's comment on one section. A signed-in user gives only the text; a visitor also a
    name (shown with the comment) and an e-mail address (never shown: the confirmation link goes
    there). `auto_id` keeps the ids of the forms of different sections on one page apart."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("Never shown. The link that confirms your comment is sent here."),
    )
    body = forms.CharField(
        label=pgettext_lazy("public comment", "Your comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["name"]
            del self.fields["email"]


class PublicModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Moderation"),
        choices=[
            ("publish", pgettext_lazy("moderation action", "Publish")),
            ("hide", pgettext_lazy("moderation action", "Hide")),
        ],
    )


# --- The query parameters of the pages (see mineralstrategi.query) ---------------------------


class AnswerQuery(QueryForm):
    avsnitt = id_field()  # the section shown open (after saving it)


class CompilationQuery(QueryForm):
    format = export_field()
