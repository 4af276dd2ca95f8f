"""Pages of the yearly follow-up cycle: the annual wheel (public with its strategy) and its
calendar file, the editors' entries, the opening of a period and its overview with the reminders,
and the owners' report form. Each view: a guard, one selector or service call, errors shown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mineralstrategi.guards import refusals
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require

from . import selectors, services
from .forms import EntryForm, ReportForm, WheelQuery
from .models import PeriodReport, WheelEntry, today_in_stockholm


def _strategy(request, slug: str):
    """The strategy whose wheel the user may read: public once a version is frozen, before that
    the partnership's."""
    strategy = selectors.strategy_for_cycle(slug)
    if not selectors.is_public(strategy):
        require(request.user, "strategy.view_draft", strategy)
    return strategy


def _wheel_url(strategy) -> str:
    return reverse("cycle:wheel", kwargs={"slug": strategy.slug})


@refusals
@query_parameters(WheelQuery)
def wheel(request, slug: str, query):
    strategy = _strategy(request, slug)
    year = query["year"] or today_in_stockholm().year
    earlier, later = selectors.wheel_years(strategy, year)
    may_edit = request.user.has_perm("cycle.change_wheel", strategy)
    return render(
        request,
        "cycle/wheel.html",
        {
            "strategy": strategy,
            "year": year,
            "earlier": earlier,
            "later": later,
            "months": selectors.wheel_of(strategy, year),
            "my_reports": selectors.my_reports(strategy, request.user),
            "may_edit": may_edit,
            "today": today_in_stockholm(),
        },
    )


@refusals
def wheel_ical(request, slug: str):
    strategy = _strategy(request, slug)
    response = HttpResponse(
        selectors.wheel_calendar(strategy), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="arshjul-{strategy.slug}.ics"'
    return response


@login_required
@refusals
def entry_create(request, slug: str):
    strategy = _strategy(request, slug)
    require(request.user, "cycle.change_wheel", strategy)
    form = EntryForm(
        request.POST if request.method == "POST" else None, instance=WheelEntry(strategy=strategy)
    )
    return _entry_save(request, strategy, form, entry=None)


@login_required
@refusals
def entry_edit(request, slug: str, pk: int):
    strategy = _strategy(request, slug)
    require(request.user, "cycle.change_wheel", strategy)
    entry = WheelEntry.objects.filter(strategy=strategy, pk=pk).first()
    if entry is None:
        raise Http404
    # The form checks a copy: the service compares the entry as stored with what is asked.
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        instance=WheelEntry.objects.get(pk=entry.pk),
    )
    return _entry_save(request, strategy, form, entry=entry)


def _entry_save(request, strategy, form, *, entry):
    page = {"strategy": strategy, "form": form, "entry": entry}
    if not form.is_bound:
        return render(request, "cycle/entry_form.html", page)
    if form.is_valid():
        try:
            saved = services.entry_save(
                strategy, user=request.user, data=form.cleaned_data, entry=entry
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(entry)s” is on the annual wheel.") % {"entry": saved})
            return redirect(saved.get_absolute_url())
    return render(request, "cycle/entry_form.html", page, status=400)


@require_POST
@login_required
@refusals
def period_open(request, slug: str, pk: int):
    strategy = _strategy(request, slug)
    require(request.user, "cycle.change_wheel", strategy)
    period = _period(strategy, pk)
    try:
        reports = services.period_open(period, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The period “%(period)s” is open: %(count)s report is asked for.",
                "The period “%(period)s” is open: %(count)s reports are asked for.",
                len(reports),
            )
            % {"period": period, "count": len(reports)},
        )
    return redirect("cycle:overview", slug=strategy.slug, pk=period.pk)


def _period(strategy, pk: int) -> WheelEntry:
    try:
        return selectors.period_get(strategy, pk)
    except WheelEntry.DoesNotExist:
        raise Http404 from None


@login_required
@refusals
def overview(request, slug: str, pk: int):
    strategy = _strategy(request, slug)
    require(request.user, "cycle.view_overview", strategy)
    period = _period(strategy, pk)
    return render(
        request,
        "cycle/overview.html",
        {"strategy": strategy, "overview": selectors.period_overview(period)},
    )


@refusals
def lights(request, slug: str, pk: int):
    """The period's traffic lights: public with the strategy (statuses only); the editors also
    see each owner and who is late."""
    strategy = _strategy(request, slug)
    period = _period(strategy, pk)
    if not period.is_open:
        raise Http404
    period.strategy = strategy
    return render(
        request,
        "cycle/lights.html",
        {
            "strategy": strategy,
            "lights": selectors.period_lights(period),
            "may_see_owners": request.user.has_perm("cycle.view_overview", strategy),
        },
    )


@require_POST
@login_required
@refusals
def remind(request, slug: str, pk: int, report: int):
    strategy = _strategy(request, slug)
    require(request.user, "cycle.remind_owner", strategy)
    period = _period(strategy, pk)
    found = PeriodReport.objects.filter(period=period, pk=report).first()
    if found is None:
        raise Http404
    try:
        services.owner_remind(found, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(organisation)s is reminded.") % {"organisation": found.organisation}
        )
    return redirect("cycle:overview", slug=strategy.slug, pk=period.pk)


@login_required
@refusals
def report(request, slug: str, pk: int):
    strategy = _strategy(request, slug)
    try:
        found = selectors.report_get(strategy, pk)
    except PeriodReport.DoesNotExist:
        raise Http404 from None
    require(request.user, "cycle.view_report", found)
    may_submit = request.user.has_perm("cycle.submit_report", found)
    form = ReportForm(instance=found) if may_submit else None
    status = 200
    if request.method == "POST":
        require(request.user, "cycle.submit_report", found)
        form = ReportForm(request.POST, instance=selectors.report_get(strategy, pk))
        if form.is_valid():
            try:
                services.report_submit(found, user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you: the report on “%(subject)s” is in.")
                    % {"subject": found.subject_name},
                )
                return redirect(_wheel_url(strategy))
        status = 400
    return render(
        request,
        "cycle/report_form.html",
        {"strategy": strategy, "report": found, "form": form, "today": today_in_stockholm()},
        status=status,
    )
