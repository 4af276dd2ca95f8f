from django.conf import settings
from django.urls import translate_url


def site(request):
    """The site's name and contact, and the current page in each of the other languages."""
    path = request.get_full_path()
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "site": settings.MINERALSTRATEGI,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
            if code != current
        ],
    }
