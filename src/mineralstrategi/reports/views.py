from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mineralstrategi.cycle import selectors as cycle_selectors
from mineralstrategi.guards import refusals
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.visitors import try_again_text

from . import followup as followup_selectors
from . import selectors, services
from .forms import (
    PRICE_CHANGE_DEFAULT,
    AdoptReportForm,
    DashboardQuery,
    ReviewCommentForm,
    ReviewOpenForm,
    YearQuery,
)
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
            "may_read_draft": request.user.has_perm("strategy.view_draft", strategy),
        },
    )


@refusals
@query_parameters(YearQuery)
def report(request, slug: str, query):
    """The strategy's yearly reports: the adopted ones for everyone who reads the strategy (each
    with its frozen page and its PDF), and for the partnership the live report of the year, a
    draft until it is adopted, which its editors put to the partnership's review and adopt from
    here, and on which the partnership comments while it is under review."""
    strategy = _strategy(request, slug)
    return _report_page(request, strategy, _year(query["year"], strategy))


def _report_page(request, strategy, year: int, *, status: int = 200, **forms):
    adopted = selectors.adopted_reports(strategy)
    context = {"strategy": strategy, "adopted_reports": adopted, "may_read_draft": False}
    if request.user.has_perm("strategy.view_draft", strategy):
        context.update(may_read_draft=True, year=year)
        if year in {made.year for made in adopted}:
            context["year_adopted"] = True
        else:
            review = selectors.review_of(strategy, year)
            is_open = review is not None and review.review_is_open(timezone.localdate())
            context.update(services.report_context(strategy, year))
            context.update(
                may_adopt=request.user.has_perm("reports.adopt_report", strategy),
                review=review,
                review_is_open=is_open,
                review_open_form=forms.get("review_open_form") or ReviewOpenForm(),
                comment_form=forms.get("comment_form") or ReviewCommentForm(),
            )
    return render(request, "reports/followup_report.html", context, status=status)


def _refused_into(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _review_write(request, strategy, year: int, form, write, *, form_name: str, done):
    """Posts to the review: the form checked, then `write(cleaned_data)` (a service) and the
    message `done(cleaned_data)`; a refusal shows the report page again (400) with the form, what
    was typed and the reason."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            _refused_into(form, error)
    if not form.is_valid():
        return _report_page(request, strategy, year, status=400, **{form_name: form})
    messages.success(request, done(form.cleaned_data))
    return redirect(
        f"{reverse('reports:report', kwargs={'slug': strategy.slug})}?year={year}#review"
    )


@refusals
@require_POST
def review_open(request, slug: str, year: int):
    """Put the year's draft to the partnership's review until a day."""
    strategy = strategy_selectors.strategy_get(slug=slug)
    require(request.user, "reports.adopt_report", strategy)
    form = ReviewOpenForm(request.POST)
    return _review_write(
        request, strategy, year, form,
        lambda data: services.yearly_report_review_open(
            strategy, year, user=request.user, closes_on=data["closes_on"]
        ),
        form_name="review_open_form",
        done=lambda data: _("The draft of the yearly report %(year)s is out for the "
                             "partnership's review until %(date)s. Its members are told.")
        % {"year": year, "date": data["closes_on"].isoformat()},
    )  # fmt: skip


@refusals
@require_POST
def review_comment(request, slug: str, year: int):
    """A partnership member's comment on the draft under review."""
    strategy = strategy_selectors.strategy_get(slug=slug)
    require(request.user, "strategy.view_draft", strategy)
    return _review_write(
        request, strategy, year, ReviewCommentForm(request.POST),
        lambda data: services.yearly_report_review_comment(
            strategy, year, user=request.user, body=data["body"]
        ),
        form_name="comment_form",
        done=lambda data: _("Your comment is sent to the strategy's editors."),
    )  # fmt: skip


@refusals
def adopt(request, slug: str, year: int):
    """The adoption of a year's report as a decision: the form, then a confirmation naming the
    year and saying that the report is frozen, then the record. A refusal (the year already
    adopted, a date in the future) shows the form again with what was typed and the reason."""
    strategy = strategy_selectors.strategy_get(slug=slug)
    require(request.user, "reports.adopt_report", strategy)
    form = AdoptReportForm(request.POST if request.method == "POST" else None)
    context = {
        "strategy": strategy,
        "year": year,
        "form": form,
        "already": selectors.adopted_report(strategy, year),
        "review": selectors.review_of(strategy, year),
        "today": timezone.localdate(),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action is None or action == "edit" or not form.is_valid():
        status = 400 if action not in (None, "edit") else 200
        return render(request, "reports/adopt.html", context, status=status)
    data = form.cleaned_data
    decision = services.YearlyReportDecision(
        body=data["body"], decided_on=data["decided_on"], reference=data["reference"],
        note=data["note"],
    )  # fmt: skip
    try:
        if action == "confirm":
            made = services.yearly_report_adopt(
                strategy, year, user=request.user, decision=decision,
                language=(get_language() or "sv")[:2],
            )  # fmt: skip
        else:
            services.yearly_report_adopt_check(strategy, year, user=request.user, decision=decision)
    except ValidationError as error:
        _refused_into(form, error)
        return render(request, "reports/adopt.html", context, status=400)
    if action != "confirm":
        context["decision"] = decision
        return render(request, "reports/adopt_confirm.html", context)
    messages.success(
        request,
        _("The yearly report %(year)s is adopted by %(body)s on %(date)s (%(reference)s) and "
          "frozen. Its PDF is being made.")
        % {"year": year, "body": made.body, "date": made.decided_on.isoformat(),
           "reference": made.reference},
    )  # fmt: skip
    return redirect("reports:adopted", slug=strategy.slug, year=year)


def _adopted(request, slug: str, year: int):
    strategy = _strategy(request, slug)
    made = selectors.adopted_report(strategy, year)
    if made is None:
        raise Http404
    return strategy, made


@refusals
def adopted(request, slug: str, year: int):
    """An adopted yearly report as it was adopted: the decision and the frozen content."""
    strategy, made = _adopted(request, slug, year)
    return render(
        request, "reports/adopted_report.html", {"strategy": strategy, "report": made, "year": year}
    )


@refusals
def adopted_pdf(request, slug: str, year: int):
    """The adopted report's PDF, to everyone who reads the strategy; until the worker has made
    it, a page that says so (202)."""
    strategy, made = _adopted(request, slug, year)
    if not made.pdf_ready:
        services.adopted_report_print_retry(made)
        context = {"strategy": strategy, "report": made, "year": year}
        return render(request, "reports/adopted_pdf_pending.html", context, status=202)
    try:
        handle = made.pdf_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, content_type="application/pdf", filename=made.file_name)


@login_required
@require_POST
def report_request(request, slug: str):
    """Queue the PDF (or, while one for the year is being made, show that one); over the
    person's reports an hour, a page that says when they may ask again (429). The live report
    is a draft until adopted: only the partnership has it made."""
    strategy = _strategy(request, slug)
    require(request.user, "strategy.view_draft", strategy)
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
    """The PDF of the live report, a draft: to the partnership (adopted reports have their own,
    public, `adopted_pdf`)."""
    made = get_object_or_404(FollowupReport.objects.select_related("strategy"), token=token)
    require(request.user, "strategy.view_draft", made.strategy)
    if made.status != FollowupReport.Status.DONE or not made.stored_file:
        raise Http404
    try:
        handle = made.stored_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, content_type="application/pdf", filename=made.file_name)
