from django.conf import settings
from django.urls import translate_url


def site(request):
    """The platform's name and contact, and the current page in each of the other languages.

    Named `platform`, not `site`: Django's auth views (login, password reset) put their own `site`
    (the current Site) into the context, which would hide ours and leave the header link empty.
    """
    path = request.get_full_path()
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "platform": settings.MINERALSTRATEGI,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
            if code != current
        ],
    }
