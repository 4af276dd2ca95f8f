from django.urls import reverse

from .sections import HELP_SECTIONS


def help_link(request):
    """`help_url`: the handbook's section about the current page, else its start page."""
    match = getattr(request, "resolver_match", None)
    section = HELP_SECTIONS.get(match.view_name, "") if match else ""
    return {"help_url": reverse("help:handbook") + section}
