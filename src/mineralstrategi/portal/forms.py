from django import forms
from django.utils.translation import gettext_lazy as _

from mineralstrategi.organisations.models import ContactPerson
from mineralstrategi.query import QueryForm, page_field
from mineralstrategi.visitors import HoneypotMixin

from .models import ARTICLE_FIELDS, EVENT_FIELDS, Event, NewsArticle


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


# The publication fields' presentation, shared by the article and the event forms.
PUBLICATION_WIDGETS = {
    "lead": forms.Textarea(attrs={"rows": 3}),
    "published_at": LocalDateTimeInput(),
}
PUBLICATION_HELP = {
    "published_at": _("Empty: now, when published. A later time schedules the publication.")
}
MARKDOWN_HELP = _("Markdown: blank line between paragraphs, *italic*, **bold**, - lists.")


class ArticleForm(forms.ModelForm):
    """A news article as its model declares it (`ARTICLE_FIELDS`), with its image, tags and
    contacts, which the service writes itself."""

    image = forms.ImageField(label=_("Image"), required=False)
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

    class Meta:
        model = NewsArticle
        fields = ARTICLE_FIELDS
        widgets = {**PUBLICATION_WIDGETS, "body_markdown": forms.Textarea(attrs={"rows": 14})}
        help_texts = {**PUBLICATION_HELP, "body_markdown": MARKDOWN_HELP}

    # Presentation only: a field not named here comes last.
    field_order = [
        "title", "lead", "body_markdown", "image", "image_alt", "author_name", "tags",
        "organisation", "strategy", "contacts", "press_contact", "comments_open",
        "status", "published_at", "is_example",
    ]  # fmt: skip

    @staticmethod
    def relations_initial(article: NewsArticle) -> dict:
        """The initial values besides the article's own fields (read from the instance)."""
        return {
            "tags": ", ".join(tag.name for tag in article.tags.all()),
            "contacts": [contact.pk for contact in article.contacts.all()],
        }


class EventForm(forms.ModelForm):
    """An event as its model declares it (`EVENT_FIELDS`)."""

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            **PUBLICATION_WIDGETS,
            "programme_markdown": forms.Textarea(attrs={"rows": 12}),
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "registration_closes_at": LocalDateTimeInput(),
        }
        help_texts = {
            **PUBLICATION_HELP,
            "programme_markdown": _("Markdown, e.g. a list of times and items."),
        }

    # Presentation only: a field not named here comes last.
    field_order = [
        "title", "lead", "programme_markdown", "starts_at", "ends_at", "place", "address",
        "capacity", "registration_closes_at", "organisation", "strategy",
        "status", "published_at", "is_example",
    ]  # fmt: skip


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("hide", _("Hide")), ("delete", _("Delete"))]
    )


# --- The query parameters of the pages (see mineralstrategi.query) ---------------------------


class NewsListQuery(QueryForm):
    tag = forms.SlugField(max_length=60, allow_unicode=True)
    page = page_field()


class MyCommentsQuery(QueryForm):
    format = forms.ChoiceField(choices=[("json", "JSON")])  # the comments as a download


class SearchQuery(QueryForm):
    # Longer than the search reads (MAX_QUERY_LENGTH): a pasted paragraph is cut, not dropped.
    q = forms.CharField(max_length=2000)
