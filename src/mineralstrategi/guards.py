"""How a page that may refuse answers: an anonymous visitor is sent to log in, a logged-in one
who may not is refused (403), and an app's "not now" errors (a frozen version, a submitted
answer) are answered with the app's page and 409 Conflict, never an error trace.

Views check permissions with `mineralstrategi.services.require`, as the services do; this
decorator turns the refusal into the right answer for who is asking.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def refusals(view=None, *, conflicts: tuple[type[Exception], ...] = (), template: str = ""):
    """Decorate a view: `@refusals`, or with the app's conflicts,
    `refusals(conflicts=(FrozenVersionError,), template="strategy/refused.html")`, which gives
    the app's decorator. The template is rendered with the error's text as `message`."""
    if view is None:
        return functools.partial(refusals, conflicts=conflicts, template=template)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise
        except conflicts as error:
            return render(request, template, {"message": str(error)}, status=409)

    return wrapper
