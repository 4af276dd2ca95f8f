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
    user = context.get("user")
    request = context.get("request")
    signed_in = user is not None and user.is_authenticated
    target = services.follow_target(obj) if obj is not None else None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "signed_in": signed_in,
        "may_follow": signed_in and target is not None and services.may_follow(user, obj),
        "following": signed_in and target is not None and services.is_following(user, obj),
        "type_id": ContentType.objects.get_for_model(target).pk if target is not None else None,
        "object_id": target.pk if target is not None else None,
        "next": request.get_full_path() if request is not None else "/",
    }
