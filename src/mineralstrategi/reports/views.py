from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from mineralstrategi.cycle import selectors as cycle_selectors
from mineralstrategi.guards import refusals
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.visitors import try_again_text

from . import followup as followup_selectors
from . import services
from .forms import PRICE_CHANGE_DEFAULT, DashboardQuery, YearQuery
from .models import FollowupReport

DASHBOARD_INITIATIVES = 10  # per section; a link leads to the rest


def _strategy(request, slug: str):
    """A strategy whose follow-up the user may read: public once a version is frozen, before that
    the partnership's (others are refused: sent to log in, or 403)."""
    strategy = strategy_selectors.strategy_get(slug=slug)
    if strategy_selectors.strategy_public_version(strategy) is None:
        require(request.user, "strategy.view_draft", strategy)
    return strategy


def _year(asked: int | None, strategy, latest: int | None = None) -> int:
    """The year asked for, else the latest with data (pass ``latest`` when already known)."""
    return asked or latest or followup_selectors.latest_year(strategy) or strategy.start_year


@refusals
@query_parameters(DashboardQuery)
def dashboard(request, slug: str, query):
    strategy = _strategy(request, slug)
    latest = followup_selectors.latest_year(strategy)
    year = _year(query["year"], strategy, latest)
    percent = PRICE_CHANGE_DEFAULT if query["price_change"] is None else query["price_change"]
    followup = followup_selectors.followup_for(
        strategy,
        year,
        price_change=percent / 100,
        initiatives_shown=DASHBOARD_INITIATIVES,
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "followup": followup,
            "strategy": strategy,
            "year": year,
            "years": range(strategy.start_year, (latest or year) + 1),
            "price_change_percent": round(followup.price_change * 100),
            "period_lights": cycle_selectors.latest_lights(strategy),
            "may_see_overview": request.user.has_perm("cycle.view_overview", strategy),
        },
    )


@refusals
@query_parameters(YearQuery)
def report(request, slug: str, query):
    strategy = _strategy(request, slug)
    context = services.report_context(strategy, _year(query["year"], strategy))
    return render(request, "reports/followup_report.html", context)


@login_required
@require_POST
def report_request(request, slug: str):
    """Queue the PDF (or, while one for the year is being made, show that one); over the
    person's reports an hour, a page that says when they may ask again (429)."""
    strategy = _strategy(request, slug)
    year = _year(YearQuery(request.POST).values()["year"], strategy)
    try:
        made = services.followup_report_request(
            strategy=strategy, year=year, user=request.user, language=(get_language() or "sv")[:2]
        )
    except services.TooManyReports as refusal:
        context = {
            "strategy": strategy,
            "year": year,
            "per_hour": settings.MINERALSTRATEGI["FOLLOWUP_REPORTS_PER_HOUR"],
            "try_again": try_again_text(refusal.retry_after),
        }
        response = render(request, "reports/too_many_reports.html", context, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    return redirect("reports:status", token=made.token)


def report_status(request, token):
    made = get_object_or_404(FollowupReport.objects.select_related("strategy"), token=token)
    template = "reports/_report_status.html" if request.htmx else "reports/report_status.html"
    return render(request, template, {"report": made, "progress": services.report_progress(made)})


@refusals
def report_download(request, token):
    """The PDF, to whoever has its link and may read the strategy's follow-up (see `_strategy`)."""
    made = get_object_or_404(FollowupReport.objects.select_related("strategy"), token=token)
    _strategy(request, made.strategy.slug)
    if made.status != FollowupReport.Status.DONE or not made.stored_file:
        raise Http404
    try:
        handle = made.stored_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, content_type="application/pdf", filename=made.file_name)
