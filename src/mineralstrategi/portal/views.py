"""Public pages (home, news, events, comments, search, feeds) and the editors' and moderators'
pages. Each view: a guard, one selector or service call, and errors translated for the user."""

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mineralstrategi.guards import refusals
from mineralstrategi.organisations import selectors as organisation_selectors
from mineralstrategi.organisations.models import OrganisationKind
from mineralstrategi.paging import page_of
from mineralstrategi.query import PageQuery, query_parameters
from mineralstrategi.services import require
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.visitors import client_ip, renders_per_minute

from . import selectors, services
from .forms import (
    ArticleForm,
    CommentForm,
    EmailForm,
    EventForm,
    ModerationForm,
    MyCommentsQuery,
    NewsListQuery,
    RegistrationForm,
    SearchQuery,
)
from .models import Comment, Event, NewsArticle
from .search import grouped, site_search
from .services import CommentTarget, RateLimited, Refused


def home(request):
    """The strategies, the counties they cover (of every strategy not archived, so that a site
    with several regions' strategies shows them all) and the organisations there."""
    covered = strategy_selectors.covered_county_codes()
    partners = (
        organisation_selectors.organisation_list()
        .in_counties(covered)
        .exclude(kind=OrganisationKind.MUNICIPALITY)
    )
    return render(
        request,
        "portal/home.html",
        {
            "strategies": strategy_selectors.current_strategies(),
            "counties": organisation_selectors.county_list().filter(code__in=covered),
            "partners": partners,
            "articles": selectors.article_list()[:3],
            "events": selectors.event_list()[:3],
        },
    )


# --- About the site: the pages the law asks for, and the icon ----------------------------------


def privacy(request):
    """What personal data the platform keeps, why, for how long, who is responsible, whom to ask
    (GDPR art. 13): linked from the footer and from every form that takes personal data."""
    platform = settings.MINERALSTRATEGI
    return render(
        request,
        "portal/privacy.html",
        {
            "controller": platform["DATA_CONTROLLER"],
            "privacy_email": platform["PRIVACY_EMAIL"] or platform["CONTACT_EMAIL"],
            "rate_minutes": max(1, platform["COMMENT_RATE_WINDOW"] // 60),
            "my_comments_url": reverse("portal:my_comments_request"),
            "cookies_url": reverse("portal:cookies"),
        },
    )


def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse) the Swedish law on accessible
    digital public services asks of every public-sector site."""
    return render(request, "portal/accessibility.html")


def cookies(request):
    return render(
        request,
        "portal/cookies.html",
        {"session_hours": settings.SESSION_COOKIE_AGE // 3600},
    )


def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links."""
    icon = finders.find("mineralstrategi/img/favicon.ico")
    response = FileResponse(open(icon, "rb"), content_type="image/vnd.microsoft.icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- News ---------------------------------------------------------------------------------------


@query_parameters(NewsListQuery)
def news_list(request, query):
    tag = query["tag"]
    page = Paginator(selectors.article_list(tag=tag), 10).get_page(query["page"])
    return render(request, "portal/news_list.html", {"page": page, "tag": tag})


def _comment_context(comments, form, action_url):
    return {
        "comments": comments,
        "comment_form": form,
        "comment_action": action_url,
        "site_moderation": settings.MINERALSTRATEGI["COMMENT_MODERATION"],
    }


def _form_status(form) -> int:
    """The status of a posted form shown again: 429 when a rate limit refused it, else 400."""
    return 429 if getattr(form, "rate_limited", False) else 400


def _refuse(form, refusal: Refused) -> None:
    """Show a refusal above the form, which keeps what was typed."""
    form.add_error(None, str(refusal))
    form.rate_limited = isinstance(refusal, RateLimited)


def _submit_comment(request, target: CommentTarget, form: CommentForm, redirect_url: str):
    """Handle a posted comment form: the response to send, or None to show the form again."""
    if not form.is_valid():
        return None
    try:
        comment = services.comment_submit(
            target,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            ip=client_ip(request),
            honeypot=form.cleaned_data["website"],
        )
    except Refused as refusal:
        _refuse(form, refusal)
        return None
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    if comment is not None and comment.is_visible:
        messages.success(request, _("Thank you! Your comment is published."))
        return redirect(f"{redirect_url}#comment-{comment.pk}")
    messages.success(
        request, _("Thank you! Your comment will be shown once a moderator has read it.")
    )
    return redirect(f"{redirect_url}#comments")


def article_image(request, slug: str):
    """The article's image, to whoever may read the article (uploads are not served as files)."""
    article = selectors.article_get(slug, user=request.user)
    if not article.image:
        raise Http404
    return FileResponse(article.image.open("rb"))


def article_detail(request, slug: str):
    article = selectors.article_get(slug, user=request.user)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        response = _submit_comment(
            request, CommentTarget(article=article), form, article.get_absolute_url()
        )
        if response is not None:
            return response
    contacts, press_contact = selectors.public_contacts(article)
    return render(
        request,
        "portal/article_detail.html",
        {
            "article": article,
            "contacts": contacts,
            "press_contact": press_contact,
            "may_edit": request.user.has_perm("portal.edit_content"),
            **_comment_context(
                selectors.article_comments(article), form, article.get_absolute_url()
            ),
        },
        status=_form_status(form) if request.method == "POST" else 200,
    )


def section_comments(request, slug: str, key):
    strategy, section = selectors.public_section(slug, key)
    url = reverse("portal:section_comments", kwargs={"slug": slug, "key": key})
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        target = CommentTarget(strategy=strategy, section_key=section.key)
        response = _submit_comment(request, target, form, url)
        if response is not None:
            return response
    return render(
        request,
        "portal/section_comments.html",
        {
            "strategy": strategy,
            "section": section,
            **_comment_context(selectors.section_comments(strategy, section.key), form, url),
        },
        status=_form_status(form) if request.method == "POST" else 200,
    )


@require_POST
def comment_report(request, pk: int):
    comment = get_object_or_404(Comment.objects.visible(), pk=pk)
    back = comment.target_url().split("#")[0] + "#comments"
    try:
        services.comment_report(comment, ip=client_ip(request), user=request.user)
    except RateLimited as refusal:
        context = {"message": str(refusal), "back": back, "back_label": _("Back to the comments")}
        return render(request, "too_many_requests.html", context, status=429)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        # The same whether this reporter had reported it already or not.
        messages.success(request, _("Thank you. A moderator will look at the comment."))
    return redirect(back)


# --- The commenter's own data -------------------------------------------------------------------


def my_comments_request(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commenter_link_send(form.cleaned_data["email"], ip=client_ip(request))
        except Refused as refusal:
            _refuse(form, refusal)
        else:
            messages.success(
                request,
                _("If comments were written with that address, a link to them is on its way."),
            )
            return redirect("portal:my_comments_request")
    status = 429 if getattr(form, "rate_limited", False) else 200
    return render(request, "portal/my_comments_request.html", {"form": form}, status=status)


@query_parameters(MyCommentsQuery)
def my_comments(request, token: str, query):
    try:
        email = services.commenter_email_from_token(token)
    except signing.BadSignature:
        return render(request, "portal/link_expired.html", status=400)
    if request.method == "POST":
        count = services.commenter_data_delete(email)
        messages.success(request, _("%(count)d comments deleted.") % {"count": count})
        return redirect("portal:my_comments", token=token)
    comments = selectors.commenter_comments(email)
    if query["format"] == "json":
        response = JsonResponse(
            {"email": email, "comments": [comment_export(c) for c in comments]},
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = 'attachment; filename="comments.json"'
        return response
    return render(request, "portal/my_comments.html", {"email": email, "comments": comments})


def comment_export(comment: Comment) -> dict:
    """Everything stored about one comment, for its writer."""
    return {
        "name": comment.name,
        "email": comment.email,
        "text": comment.body,
        "written": comment.created_at.isoformat(),
        "status": comment.status,
        "on": comment.article.title if comment.article_id else comment.strategy.title,
        "section_key": str(comment.section_key) if comment.section_key else None,
    }


# --- Events -------------------------------------------------------------------------------------


def event_list(request):
    return render(
        request,
        "portal/event_list.html",
        {
            "upcoming": selectors.event_list(upcoming=True),
            "past": selectors.event_list(upcoming=False)[:20],
        },
    )


def event_detail(request, slug: str):
    event = selectors.event_get(slug, user=request.user)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.event_register(
                event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation_name=form.cleaned_data["organisation_name"],
                ip=client_ip(request),
                honeypot=form.cleaned_data["website"],
            )
        except Refused as refusal:
            _refuse(form, refusal)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if registration is None or registration.status == "confirmed":
                messages.success(
                    request, _("You are registered. A confirmation is on its way by email.")
                )
            else:
                messages.success(
                    request,
                    _("The event is full: you are on the waiting list and will be told by "
                      "email if a place becomes free."),
                )  # fmt: skip
            return redirect(event.get_absolute_url() + "#registration")
    return render(
        request,
        "portal/event_detail.html",
        {
            "event": event,
            "form": form,
            "places_left": max(event.capacity - event.confirmed_count, 0),
            "may_edit": request.user.has_perm("portal.edit_content"),
        },
        status=_form_status(form) if request.method == "POST" else 200,
    )


def event_ical(request, slug: str):
    event = selectors.event_get(slug, user=request.user)
    response = HttpResponse(
        services.event_calendar(event), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def registration_cancel(request, token: str):
    try:
        registration = services.registration_from_token(token)
    except (signing.BadSignature, services.EventRegistration.DoesNotExist):
        return render(request, "portal/link_expired.html", status=400)
    if request.method == "POST":
        services.registration_cancel(registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(registration.event.get_absolute_url())
    return render(request, "portal/registration_cancel.html", {"registration": registration})


# --- Search and feeds ---------------------------------------------------------------------------


@renders_per_minute("search", "ANONYMOUS_SEARCHES_PER_MINUTE")
@query_parameters(SearchQuery)
def search(request, query):
    words = query["q"] or ""
    hits = site_search(words) if words else []
    return render(
        request,
        "portal/search.html",
        {"query": words, "hits": hits, "groups": grouped(hits)},
    )


# --- Editors ------------------------------------------------------------------------------------


@refusals
def editor_overview(request):
    require(request.user, "portal.edit_content")
    return render(
        request,
        "portal/editor_overview.html",
        {
            "drafts": selectors.article_drafts(request.user),
            "articles": selectors.article_list()[:20],
            "event_drafts": selectors.event_drafts(request.user),
            "events": selectors.event_list(),
        },
    )


@refusals
def article_edit(request, pk: int | None = None):
    require(request.user, "portal.edit_content")
    article = get_object_or_404(NewsArticle, pk=pk) if pk else None
    initial = ArticleForm.relations_initial(article) if article else {}
    form = ArticleForm(
        request.POST or None, request.FILES or None, instance=article, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            article = services.article_save(user=request.user, article=article, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("portal:article_edit", pk=article.pk)
    return render(request, "portal/article_edit.html", {"form": form, "article": article})


@refusals
def event_edit(request, pk: int | None = None):
    require(request.user, "portal.edit_content")
    event = get_object_or_404(Event, pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(user=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("portal:event_edit", pk=event.pk)
    registrations = selectors.event_registrations(event, request.user) if event else []
    return render(
        request,
        "portal/event_edit.html",
        {"form": form, "event": event, "registrations": registrations},
    )


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Moderators ---------------------------------------------------------------------------------


@refusals
@query_parameters(PageQuery)
def moderation(request, query):
    require(request.user, "portal.moderate_comments")
    return render(
        request,
        "portal/moderation.html",
        {
            "queue": page_of(request, selectors.moderation_queue(request.user), query["page"]),
            "recent": selectors.recent_comments(request.user),
            "moderation_mode": settings.MINERALSTRATEGI["COMMENT_MODERATION"],
        },
    )


@require_POST
@refusals
def moderate(request, pk: int):
    require(request.user, "portal.moderate_comments")
    comment = get_object_or_404(Comment, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        raise Http404
    services.comment_moderate(comment, user=request.user, action=form.cleaned_data["action"])
    messages.success(request, _("Done."))
    return redirect("portal:moderation")
