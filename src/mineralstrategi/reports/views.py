from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from mineralstrategi.guards import refusals
from mineralstrategi.services import require
from mineralstrategi.strategy import selectors as strategy_selectors

from . import followup as followup_selectors
from . import services
from .models import FollowupReport

MIN_YEAR, MAX_YEAR = 1990, 2100
DASHBOARD_INITIATIVES = 10  # per section; a link leads to the rest


def _strategy(request, slug: str):
    """A strategy whose follow-up the user may read: public once a version is frozen, before that
    the partnership's (others are refused: sent to log in, or 403)."""
    strategy = strategy_selectors.strategy_get(slug=slug)
    if strategy_selectors.strategy_public_version(strategy) is None:
        require(request.user, "strategy.view_draft", strategy)
    return strategy


def _year(request, strategy, latest: int | None = None) -> int:
    """The year asked for, else the latest with data (pass ``latest`` when already known)."""
    latest = latest or followup_selectors.latest_year(strategy) or strategy.start_year
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or latest)
    except ValueError:
        year = latest
    return min(max(year, MIN_YEAR), MAX_YEAR)


def _price_change(request) -> float:
    try:
        percent = float(request.GET.get("price_change", "-30").replace(",", "."))
    except ValueError:
        percent = -30.0
    return max(-95.0, min(percent, 300.0)) / 100


@refusals
def dashboard(request, slug: str):
    strategy = _strategy(request, slug)
    latest = followup_selectors.latest_year(strategy)
    year = _year(request, strategy, latest)
    followup = followup_selectors.followup_for(
        strategy,
        year,
        price_change=_price_change(request),
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
        },
    )


@refusals
def report(request, slug: str):
    strategy = _strategy(request, slug)
    context = services.report_context(strategy, _year(request, strategy))
    return render(request, "reports/followup_report.html", context)


@login_required
@require_POST
def report_request(request, slug: str):
    strategy = _strategy(request, slug)
    made = services.followup_report_request(
        strategy=strategy,
        year=_year(request, strategy),
        user=request.user,
        language=(get_language() or "sv")[:2],
    )
    return redirect("reports:status", token=made.token)


def report_status(request, token):
    made = get_object_or_404(FollowupReport.objects.select_related("strategy"), token=token)
    template = "reports/_report_status.html" if request.htmx else "reports/report_status.html"
    return render(request, template, {"report": made, "progress": services.report_progress(made)})


def report_download(request, token):
    made = get_object_or_404(FollowupReport, token=token)
    if made.status != FollowupReport.Status.DONE or not made.stored_file:
        raise Http404
    try:
        handle = open(made.stored_file, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError as error:
        raise Http404 from error
    return FileResponse(handle, content_type="application/pdf", filename=made.file_name)
