from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineralstrategi.organisations.models import ContactPerson, Organisation
from mineralstrategi.strategy.models import Strategy

from .models import Event, NewsArticle, PublicationStatus


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS and from assistive technology); bots fill it in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class CommentForm(HoneypotMixin):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Never shown. Lets you see and delete your comments later."),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text or simple Markdown (*italic*, **bold**, lists, links)."),
    )


class RegistrationForm(HoneypotMixin):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _local(value):
    return timezone.localtime(value) if value else value


class PublicationFields(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PublicationStatus.choices)
    published_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=LocalDateTimeInput(),
        help_text=_("Empty: now, when published. A later time schedules the publication."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    strategy = forms.ModelChoiceField(
        label=_("Strategy"), queryset=Strategy.objects.all(), required=False
    )
    is_example = forms.BooleanField(label=_("Example data (invented)"), required=False)


class ArticleForm(PublicationFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    lead = forms.CharField(
        label=pgettext_lazy("introduction of an article", "Lead"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body_markdown = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: blank line between paragraphs, *italic*, **bold**, - lists."),
    )
    image = forms.ImageField(label=_("Image"), required=False)
    image_alt = forms.CharField(
        label=_("Image description (alt text)"), max_length=300, required=False
    )
    author_name = forms.CharField(label=_("Author as shown"), max_length=200, required=False)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas."), max_length=500
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("For more information"),
        queryset=ContactPerson.objects.public().select_related("organisation"),
        required=False,
    )
    press_contact = forms.ModelChoiceField(
        label=_("Press contact"),
        queryset=ContactPerson.objects.public()
        .filter(is_press_contact=True)
        .select_related("organisation"),
        required=False,
    )
    comments_open = forms.BooleanField(label=_("Comments open"), required=False, initial=True)

    field_order = [
        "title", "lead", "body_markdown", "image", "image_alt", "author_name", "tags",
        "organisation", "strategy", "contacts", "press_contact", "comments_open",
        "status", "published_at", "is_example",
    ]  # fmt: skip

    @classmethod
    def initial_for(cls, article: NewsArticle) -> dict:
        return {
            "title": article.title,
            "lead": article.lead,
            "body_markdown": article.body_markdown,
            "image_alt": article.image_alt,
            "author_name": article.author_name,
            "tags": ", ".join(tag.name for tag in article.tags.all()),
            "organisation": article.organisation_id,
            "strategy": article.strategy_id,
            "contacts": [contact.pk for contact in article.contacts.all()],
            "press_contact": article.press_contact_id,
            "comments_open": article.comments_open,
            "status": article.status,
            "published_at": _local(article.published_at),
            "is_example": article.is_example,
        }


class EventForm(PublicationFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    lead = forms.CharField(
        label=pgettext_lazy("introduction of an article", "Lead"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    programme_markdown = forms.CharField(
        label=_("Programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown, e.g. a list of times and items."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    capacity = forms.IntegerField(
        label=_("Places"), min_value=0, initial=0, help_text=_("0: no registration.")
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"), required=False, widget=LocalDateTimeInput()
    )

    field_order = [
        "title", "lead", "programme_markdown", "starts_at", "ends_at", "place", "address",
        "capacity", "registration_closes_at", "organisation", "strategy",
        "status", "published_at", "is_example",
    ]  # fmt: skip

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {
            "title": event.title,
            "lead": event.lead,
            "programme_markdown": event.programme_markdown,
            "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at),
            "place": event.place,
            "address": event.address,
            "capacity": event.capacity,
            "registration_closes_at": _local(event.registration_closes_at),
            "organisation": event.organisation_id,
            "strategy": event.strategy_id,
            "status": event.status,
            "published_at": _local(event.published_at),
            "is_example": event.is_example,
        }


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("hide", _("Hide")), ("delete", _("Delete"))]
    )
