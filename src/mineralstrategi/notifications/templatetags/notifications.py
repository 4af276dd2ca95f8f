"""The bell and the follow button, for any page. Both show a person's own state only to that
person: a visitor (whose pages may be served from the public page cache) gets no count and a link
to log in instead of a form."""

from django import template
from django.contrib.contenttypes.models import ContentType

from .. import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    user = context.get("user")
    return selectors.unread_count(user) if user is not None else 0


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, obj):
    """A visitor gets a link to log in (no query, nothing of anyone's); a person logged in, a form
    to follow or stop following `obj`."""
    user = context.get("user")
    request = context.get("request")
    shown = {"request": request, "signed_in": False}
    if obj is None or user is None or not user.is_authenticated:
        return shown
    # The form names what the person sees; the service follows what it stands for (a frozen
    # section's working-draft section), which the person may not be able to read.
    return shown | {
        "signed_in": True,
        "csrf_token": context.get("csrf_token"),
        "may_follow": services.may_follow(user, obj),
        "following": services.is_following(user, obj),
        "type_id": ContentType.objects.get_for_model(obj).pk,
        "object_id": obj.pk,
        "next": request.get_full_path() if request is not None else "/",
    }
