import re
from itertools import islice
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mineralstrategi import ingest
from mineralstrategi.exports import table_response
from mineralstrategi.organisations.maps import choropleth

from . import cycle, selectors, services
from .commodities import GROUPS
from .forms import ImportForm
from .models import Dimension, ImportJob, Indicator
from .tasks import import_file, import_progress

DEMO_COUNTIES = ("24", "25")
PREVIEW_ROWS = 20


def indicator_list(request):
    dimension = request.GET.get("dimension") or None
    if dimension not in Dimension.values:
        dimension = None
    search = (request.GET.get("q") or "").strip()[:100] or None
    indicators = selectors.indicator_list(dimension=dimension, search=search)
    if export := request.GET.get("export"):
        return table_response(
            export,
            "indikatorer",
            ["code", "name", "unit", "dimension", "source", "first_period", "last_period"],
            (
                [
                    i.code,
                    i.name,
                    i.unit,
                    i.dimension,
                    i.source_organisation,
                    i.first_period,
                    i.last_period,
                ]
                for i in indicators
            ),
        )
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "indicators": indicators,
            "dimensions": Dimension.choices,
            "selected_dimension": dimension,
            "search": search or "",
        },
    )


def indicator_detail(request, code: str):
    indicator = selectors.indicator_get(code)
    series_list = selectors.series_by_place(indicator)
    if export := request.GET.get("export"):
        return _observations_download(indicator, series_list, export)
    latest_period, latest_values = selectors.latest_by_municipality(series_list)
    base_map, shapes, legend = choropleth(DEMO_COUNTIES, latest_values)
    chart_data = {
        "unit": indicator.unit,
        "series": [
            {
                "name": s.name,
                "code": s.code,
                "level": s.level,
                "points": [[p.period, p.value] for p in s.points],
            }
            for s in series_list
            if s.level != "municipality"
        ],
    }
    prefetch_related_objects([indicator], "targets")  # read by the status and the analyses
    analyses = cycle.indicator_analyses(indicator, series_list)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "analyses": analyses,
            "linked_sections": selectors.linked_sections(indicator),
            "chosen": _chosen_analysis(analyses, request.GET.get("geo")),
            "statuses": selectors.statuses(indicator, series_list),
            "series_list": series_list,
            "chart_data": chart_data,
            "map": base_map,
            "map_shapes": shapes,
            "legend": legend,
            "latest_period": latest_period,
            "may_import": request.user.has_perm("indicators.import_observations", indicator),
        },
    )


def _chosen_analysis(analyses, geo: str | None):
    """The place asked for, else the first with a target, else the first county, else the first."""
    for analysis in analyses:
        if analysis.series.code == geo:
            return analysis
    with_target = [a for a in analyses if a.target is not None]
    counties = [a for a in analyses if a.series.level == "county"]
    return (with_target or counties or analyses or [None])[0]


def _observations_download(indicator: Indicator, series_list, export_format: str):
    header = [
        "indicator",
        "level",
        "code",
        "place",
        "period",
        "value",
        "unit",
        "provisional",
        "estimated",
    ]
    rows = (
        [
            indicator.code,
            s.level,
            s.code,
            s.name,
            p.period,
            p.value,
            indicator.unit,
            p.provisional,
            p.estimated,
        ]
        for s in series_list
        for p in s.points
    )
    return table_response(export_format, f"{indicator.code}-observationer", header, rows)


GROUP_PARAMETER = re.compile(r"[a-z0-9_]{1,60}")


def commodity_list(request):
    """The metals by default; `?group=all` every series, `?group=<key>` one group."""
    group = request.GET.get("group") or None
    if group is not None and not GROUP_PARAMETER.fullmatch(group):
        group = None
    commodities = list(selectors.commodity_list(group=group))
    if export := request.GET.get("export"):
        return table_response(
            export,
            "metallpriser",
            ["code", "name", "unit", "first_month", "last_month", "source", "group"],
            (
                [c.code, c.display_name, c.unit, c.first, c.last, c.source, c.group]
                for c in commodities
            ),
        )
    return render(
        request,
        "indicators/commodity_list.html",
        {
            "groups": selectors.commodity_groups(commodities),
            "chosen_group": group,
            "all_groups": selectors.ALL_GROUPS,
            "group_choices": list(GROUPS.items()),
        },
    )


def commodity_detail(request, code: str):
    commodity = selectors.commodity_get(code)
    prices = list(selectors.prices(commodity))
    if export := request.GET.get("export"):
        return table_response(
            export,
            f"{commodity.code}-priser",
            ["commodity", "month", "value", "unit", "source"],
            ([commodity.code, p.month, p.value, commodity.unit, commodity.source] for p in prices),
        )
    breaks = commodity.breaks_shown
    at_month = {b.month: b for b in breaks}
    months = {p.month for p in prices}
    return render(
        request,
        "indicators/commodity_detail.html",
        {
            "commodity": commodity,
            "rows": [(p, at_month.get(p.month)) for p in prices],
            "breaks": breaks,
            "period": f"{prices[0].month}–{prices[-1].month}" if prices else "–",
            "chart_data": {
                "unit": commodity.unit,
                "series": [
                    {
                        "name": str(commodity.display_name),
                        "points": [[p.month, p.value] for p in prices],
                    }
                ],
                "breaks": [
                    {
                        "period": b.month,
                        "label": gettext("Method break %(month)s") % {"month": b.month},
                    }
                    for b in breaks
                    if b.month in months
                ],
            },
        },
    )


def _importable_indicators(user):
    return [
        i
        for i in Indicator.objects.select_related("owner")
        if user.has_perm("indicators.import_observations", i)
    ]


@login_required
def import_start(request):
    indicators = _importable_indicators(request.user)
    may_import_prices = request.user.has_perm("indicators.import_prices")
    if not indicators and not may_import_prices:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        may_import_prices=may_import_prices,
        initial={"target": request.GET.get("indicator")},
    )
    if request.method == "POST" and form.is_valid():
        job = _job_from_upload(request, form)
        return redirect("indicators:import_preview", pk=job.pk)
    return render(
        request,
        "indicators/import_start.html",
        {"form": form, "jobs": selectors.import_jobs_for(request.user)[:20]},
    )


def _job_from_upload(request, form) -> ImportJob:
    upload = form.cleaned_data["file"]
    path = services.import_store_upload(upload)
    prices = form.cleaned_data["target"] == ImportForm.PRICES
    return services.import_create(
        path=path,
        file_name=Path(upload.name).name[:255],
        kind=ImportJob.Kind.PRICES if prices else ImportJob.Kind.OBSERVATIONS,
        indicator=None if prices else form.chosen_indicator(),
        format=form.cleaned_data["format"] or None,
        user=request.user,
    )


def _own_job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("indicator"), pk=pk)
    if job.started_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job


@login_required
def import_preview(request, pk: int):
    """The file's first records and how its columns were read, before anything is written."""
    job = _own_job(request, pk)
    if job.status != ImportJob.Status.PENDING:
        return redirect("indicators:import_detail", pk=job.pk)
    stream = ingest.parse(job.stored_file, job.format or None, display_name=job.file_name)
    records = list(islice(stream, PREVIEW_ROWS))
    return render(
        request,
        "indicators/import_preview.html",
        {
            "job": job,
            "records": records,
            "format": stream.format,
            "meta": _preview_facts(stream.meta),
            "faults": stream.errors[:50],
            "previous": services.previous_import_of_same_file(job),
        },
    )


#: The preview's names for what the parser found in the file (its `meta`).
META_LABELS = {
    "columns": _("Columns"),
    "delimiter": _("Delimiter"),
    "descriptions": _("Descriptions"),
    "dimensions": _("Dimensions"),
    "geo": _("Place dimension"),
    "items": _("Items"),
    "layout": _("Layout"),
    "series": _("Series"),
    "sheets": _("Sheets"),
    "size": _("Size"),
    "time": _("Time dimension"),
    "undescribed": _("Series without a description in the file"),
    "units": _("Units"),
    "updated": _("Edition (updated)"),
}


def _preview_facts(meta: dict) -> list[tuple[str, object]]:
    facts = []
    for key, value in sorted(meta.items()):
        if key == "descriptions":  # the workbook has no Description sheet
            value = _("none in the file; groups and breaks of the known metals come from our list")
        facts.append((META_LABELS.get(key, key), value))
    return facts


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = _own_job(request, pk)
    if job.status == ImportJob.Status.PENDING:
        if request.POST.get("dry_run"):
            job.dry_run = True
            job.save(update_fields=["dry_run"])  # saved, not updated: the change is audited
        transaction.on_commit(lambda: import_file.enqueue(job.pk))
    return redirect("indicators:import_detail", pk=job.pk)


@login_required
def import_detail(request, pk: int):
    job = _own_job(request, pk)
    template = "indicators/_import_status.html" if request.htmx else "indicators/import_detail.html"
    rows_read = import_progress(job.pk)
    percent = None
    if rows_read is not None and job.expected_records:
        percent = min(99, round(100 * rows_read / job.expected_records))
    return render(request, template, {"job": job, "rows_read": rows_read, "percent": percent})
