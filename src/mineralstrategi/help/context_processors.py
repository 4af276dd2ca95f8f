from django.urls import reverse

from .sections import help_section


def help_link(request):
    """`help_url`: the handbook's section about the current page, else its chapter or start."""
    match = getattr(request, "resolver_match", None)
    section = help_section(match.view_name) if match else ""
    return {"help_url": reverse("help:handbook") + section}
