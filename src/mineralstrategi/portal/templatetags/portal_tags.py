from django import template

from ..rendering import comment_to_html, markdown_to_html

register = template.Library()


@register.filter
def comment_html(text: str):
    """A visitor's comment as sanitised HTML (see `rendering.comment_to_html`)."""
    return comment_to_html(text)


@register.filter
def article_html(text: str):
    """An article's or event's Markdown as sanitised HTML (the strategy's renderer)."""
    return markdown_to_html(text)
