from django import template

from ..rendering import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Section text as sanitised HTML (see `rendering.markdown_to_html`)."""
    return markdown_to_html(text)


@register.filter
def item_title(item, language_code: str) -> str:
    return item.title_for(language_code or "sv")
