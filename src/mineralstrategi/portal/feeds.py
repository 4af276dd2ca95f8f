"""Atom feeds: published news articles, and consultation rounds once they are sent out."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .rendering import markdown_to_html


class NewsFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def title(self):
        return _("News from %(site)s") % {"site": settings.MINERALSTRATEGI["SITE_NAME"]}

    def subtitle(self):
        return _("News about the regional mineral strategy")

    def link(self):
        return reverse("portal:news_list")

    def items(self):
        return selectors.article_list()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The summary: the lead as text, escaped by the feed writer.
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name or (item.organisation.name if item.organisation else None)

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {"content": str(markdown_to_html(item.body_markdown))}


class ContentAtomFeed(Atom1Feed):
    """Atom with the full, sanitised HTML of the article as <content type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


NewsFeed.feed_type = ContentAtomFeed


class ConsultationFeed(Feed):
    """Consultation rounds once sent out: what is consulted, the registry number, the deadline."""

    feed_type = Atom1Feed

    def title(self):
        return _("Consultations on %(site)s") % {"site": settings.MINERALSTRATEGI["SITE_NAME"]}

    def link(self):
        return reverse("consultation:list")

    def items(self):
        from mineralstrategi.consultation.models import ConsultationRound

        return (
            ConsultationRound.objects.published()
            .select_related("strategy")
            .order_by("-sent_at", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("%(strategy)s. Registry number %(number)s. Answers by %(deadline)s.") % {
            "strategy": item.strategy.title,
            "number": item.registry_number,
            "deadline": item.deadline.isoformat(),
        }

    def item_pubdate(self, item):
        return item.sent_at or item.created_at
