from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mineralstrategi.guards import refusals
from mineralstrategi.paging import page_of
from mineralstrategi.query import PageQuery, query_parameters

from . import selectors, services
from .models import MailChoice


def _back(request, default: str) -> HttpResponseRedirect:
    """To the page the form was on (`next`), if it is on this site."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


@login_required
@query_parameters(PageQuery)
def notification_list(request, query):
    page = page_of(request, selectors.notifications_of(request.user), query["page"])
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": selectors.worded(page.object_list)},
    )


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (`notification`) or all of them (`all`) read; to its page (`go`)."""
    if request.POST.get("all"):
        services.mark_all_read(request.user)
        messages.success(request, _("All your notifications are marked read."))
        return redirect("notifications:list")
    try:
        notification_id = int(request.POST.get("notification", ""))
    except ValueError:
        messages.error(request, _("Choose a notification."))
        return redirect("notifications:list")
    services.mark_read(request.user, notification_id)
    return _back(request, default="/notiser/")


@login_required
def notification_settings(request):
    if request.method == "POST":
        if remove := request.POST.get("unfollow"):
            try:
                removed = services.follow_remove(request.user, int(remove))
            except ValueError:
                removed = False
            if removed:
                messages.success(request, _("You no longer follow it."))
            else:
                messages.error(request, _("You do not follow that."))
            return redirect("notifications:settings")
        try:
            services.settings_set(
                request.user, mail=request.POST.get("mail", ""), language=get_language()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "choice": services.settings_for(request.user),
            "choices": MailChoice.choices,
            "follows": selectors.follows_of(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@refusals
@require_POST
def follow_toggle(request):
    """Follow (`action=follow`) or stop following (`unfollow`) the thing named by `type` and `id`;
    back to its page. An anonymous visitor is sent to log in, and back to the page."""
    if not request.user.is_authenticated:
        return redirect_to_login(_back(request, default="/").url)
    try:
        target = services.target_from(request.POST.get("type"), request.POST.get("id"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, default="/")
    if request.POST.get("action") == "unfollow":
        if services.unfollow(request.user, target):
            messages.success(request, _("You no longer follow “%(object)s”.") % {"object": target})
    else:
        services.follow(request.user, target)
        messages.success(
            request,
            _("You follow “%(object)s”. You will be notified when something happens.")
            % {"object": target},
        )
    return _back(request, default=getattr(target, "get_absolute_url", lambda: "/")())


@csrf_exempt  # the mail's one-click unsubscribe (RFC 8058) posts without a form; the token is the key
def unsubscribe(request, token: str):
    """GET: a page asking to confirm; POST: no more notification mail for the link's person."""
    try:
        user = services.user_from_unsubscribe_token(token)
    except ValidationError as error:
        return render(
            request, "notifications/unsubscribe.html", {"error": error.messages[0]}, status=400
        )
    done = False
    if request.method == "POST":
        services.unsubscribe(token)
        done = True
    return render(request, "notifications/unsubscribe.html", {"person": user, "done": done})
