from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mineralstrategi import guards
from mineralstrategi.caching.until_a_write import kept_fragment
from mineralstrategi.collation import swedish_key
from mineralstrategi.exports import csv_response, table_response
from mineralstrategi.ingest.dimensions import breakdown_from_key
from mineralstrategi.organisations.maps import choropleth
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require

from . import charts, cycle, selectors, services
from .commodities import GROUPS
from .forms import (
    CommodityListQuery,
    CommodityQuery,
    ImportForm,
    ImportStartQuery,
    IndicatorLinkForm,
    IndicatorListQuery,
    IndicatorQuery,
    TargetForm,
)
from .models import Dimension, ImportJob, Indicator, IndicatorLink, Target
from .progress import import_progress
from .tasks import import_file


@query_parameters(IndicatorListQuery)
def indicator_list(request, query):
    dimension, search = query["dimension"], query["q"]
    indicators = selectors.indicator_list(dimension=dimension, search=search)
    if export := query["export"]:
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


@query_parameters(IndicatorQuery)
def indicator_detail(request, code: str, query):
    indicator = selectors.indicator_get(code)
    if export := query["export"]:
        return _observations_download(indicator, export)
    # Everything but the follow button and the import link is the same for every reader of the
    # page with these parameters (issue #19): kept until the next write.
    body = kept_fragment(
        ("indicator", indicator.pk, repr(sorted(query.items()))),
        "indicators/_indicator_body.html",
        lambda: _body_context(indicator, query),
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "body": body,
            "may_import": request.user.has_perm("indicators.import_observations", indicator),
            "may_set_targets": request.user.has_perm("indicators.set_targets", indicator),
            "may_link": request.user.has_perm("indicators.link_indicator"),
        },
    )


def _body_context(indicator, query) -> dict:
    choice = selectors.series_choice(indicator, query["series"] or {})
    series_list = selectors.series_by_place(indicator, breakdown=choice.key)
    map_view = _map(series_list, query["period"])
    prefetch_related_objects([indicator], "targets")  # read by the status and the analyses
    analyses = cycle.indicator_analyses(indicator, series_list)
    targets = {(t.geo_level, t.geo_code) for t in indicator.targets.all()}
    judged = [s for s in series_list if s.level != "municipality" or (s.level, s.code) in targets]
    charted = [p.period for s in charts.charted_series(series_list) for p in s.points]
    return {
        "indicator": indicator,
        "choice": choice,
        "analyses": analyses,
        "linked_sections": selectors.linked_sections(indicator),
        "chosen": _chosen_analysis(analyses, query["geo"]),
        "statuses": selectors.statuses(indicator, judged),
        "series_list": series_list,
        "chart": charts.development_chart(indicator, series_list, description=choice.description),
        "chart_period": f"{min(charted)}–{max(charted)}" if charted else "",
        "cycle_method": cycle.METHOD,
        **map_view,
    }


def _map(series_list, period: str | None) -> dict:
    """The map of one period's values (the latest unless another is asked for): of the
    municipalities where there are any (in their counties), else of the counties (each drawn from
    its municipalities). Every period can be chosen, so every place's every value can be seen."""
    shown = selectors.map_values(series_list, period)
    if shown.level is None:
        return {"map_values": shown}
    if shown.level == "municipality":
        counties = tuple(sorted({code[:2] for code in shown.values}))
        base_map, shapes, legend = choropleth(counties, shown.values)
    else:
        names = {s.code: s.name for s in series_list if s.level == "county"}
        base_map, shapes, legend = choropleth((), shown.values, county_names=names)
    return {
        "map_values": shown,
        "map": base_map,
        "map_shapes": shapes,
        "map_table": sorted(
            {(s.name, s.value) for s in shapes if s.value is not None},
            key=lambda row: swedish_key(row[0]),
        ),
        "legend": legend,
    }


def _chosen_analysis(analyses, geo: str | None):
    """The place asked for, else the first with a target, else the first county, else the first."""
    for analysis in analyses:
        if analysis.series.code == geo:
            return analysis
    with_target = [a for a in analyses if a.target is not None]
    counties = [a for a in analyses if a.series.level == "county"]
    return (with_target or counties or analyses or [None])[0]


def _observations_download(indicator: Indicator, export_format: str):
    """Every observation of the indicator: as a JSON-stat 2.0 dataset, an Open SDG data file, or
    a table (CSV, XLSX) with a column per disaggregation."""
    if export_format == "jsonstat":
        response = JsonResponse(
            selectors.indicator_jsonstat(indicator), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = f'attachment; filename="{indicator.code}.json"'
        return response
    if export_format == "opensdg":
        header, rows = selectors.indicator_opensdg(indicator)
        return csv_response(f"{indicator.code}-opensdg", header, rows)
    dimensions = [d["id"] for d in indicator.disaggregations]
    header = ["indicator", "level", "code", "place", *dimensions, "period", "value", "unit"]
    header += ["provisional", "estimated"]
    names = selectors.place_names()
    rows = (
        [
            indicator.code,
            o.geo_level,
            o.geo_code,
            names.get((o.geo_level, o.geo_code), o.geo_code),
            *(breakdown_from_key(o.breakdown).get(d, "") for d in dimensions),
            o.period,
            o.value,
            indicator.unit,
            o.provisional,
            o.estimated,
        ]
        for o in selectors.observations(indicator).iterator()
    )
    return table_response(export_format, f"{indicator.code}-observationer", header, rows)


@query_parameters(CommodityListQuery)
def commodity_list(request, query):
    """The metals by default; `?group=all` every series, `?group=<key>` one group."""
    group = query["group"]
    commodities = list(selectors.commodity_list(group=group))
    if export := query["export"]:
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


@query_parameters(CommodityQuery)
def commodity_detail(request, code: str, query):
    commodity = selectors.commodity_get(code)
    prices = list(selectors.prices(commodity))
    if export := query["export"]:
        return table_response(
            export,
            f"{commodity.code}-priser",
            ["commodity", "month", "value", "unit", "source"],
            ([commodity.code, p.month, p.value, commodity.unit, commodity.source] for p in prices),
        )
    breaks = commodity.breaks_shown
    at_month = {b.month: b for b in breaks}
    return render(
        request,
        "indicators/commodity_detail.html",
        {
            "commodity": commodity,
            "rows": [(p, at_month.get(p.month)) for p in prices],
            "breaks": breaks,
            "period": f"{prices[0].month}–{prices[-1].month}" if prices else "–",
            "chart": charts.price_chart(commodity, prices, breaks),
        },
    )


def _importable_indicators(user):
    return [
        i
        for i in Indicator.objects.select_related("owner")
        if user.has_perm("indicators.import_observations", i)
    ]


@login_required
@query_parameters(ImportStartQuery)
def import_start(request, query):
    indicators = _importable_indicators(request.user)
    owners = list(selectors.organisations_for_new_indicators(request.user))
    may_import_prices = request.user.has_perm("indicators.import_prices")
    if not indicators and not may_import_prices and not owners:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        may_import_prices=may_import_prices,
        owners=owners,
        initial={"target": query["indicator"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = _job_from_upload(request, form)
        except ValidationError as error:
            form.add_error("new_code", error)
        else:
            return redirect("indicators:import_preview", pk=job.pk)
    return render(
        request,
        "indicators/import_start.html",
        {
            "form": form,
            "may_create": bool(owners),
            "jobs": selectors.import_jobs_for(request.user)[:20],
        },
    )


def _job_from_upload(request, form) -> ImportJob:
    data = form.cleaned_data
    new_indicator = None
    if data["target"] == ImportForm.NEW:
        new_indicator = services.indicator_new_settings(
            code=data["new_code"],
            owner=data["new_owner"],
            dimension=data["new_dimension"],
            desired_direction=data["new_direction"],
        )
    upload = data["file"]
    prices = data["target"] == ImportForm.PRICES
    return services.import_create(
        stored_file=services.import_store_upload(upload),
        file_name=Path(upload.name).name[:255],
        kind=ImportJob.Kind.PRICES if prices else ImportJob.Kind.OBSERVATIONS,
        indicator=form.chosen_indicator(),
        new_indicator=new_indicator,
        format=data["format"] or None,
        user=request.user,
    )


def _own_job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("indicator"), pk=pk)
    if not request.user.has_perm("indicators.view_importjob", job):
        raise Http404
    return job


@login_required
def import_preview(request, pk: int):
    """What the file holds and how it will be read, before anything is written."""
    job = _own_job(request, pk)
    if job.status != ImportJob.Status.PENDING:
        return redirect("indicators:import_detail", pk=job.pk)
    try:
        preview = selectors.import_preview(job)
    except FileNotFoundError:
        services.import_file_lost(job)
        return redirect("indicators:import_detail", pk=job.pk)
    return render(
        request,
        "indicators/import_preview.html",
        {
            "job": job,
            "preview": preview,
            "facts": _preview_facts(preview.meta),
            "previous": services.previous_import_of_same_file(job),
        },
    )


#: The preview's names for what the parser found in the file (its `meta`).
META_LABELS = {
    "collection": _("Collection"),
    "columns": _("Columns"),
    "delimiter": _("Delimiter"),
    "descriptions": _("Descriptions"),
    "dimensions": _("Dimensions"),
    "geo": _("Place dimension"),
    "ignored": _("Ignored"),
    "jsonstat": _("JSON-stat"),
    "label": _("Title"),
    "items": _("Items"),
    "layout": _("Layout"),
    "series": _("Series"),
    "sheets": _("Sheets"),
    "size": _("Size"),
    "source": _("Source"),
    "table": _("Table"),
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
        try:
            services.import_confirm(
                job,
                content=request.POST.get("content", ""),
                dry_run=bool(request.POST.get("dry_run")),
            )
        except ValidationError:
            return redirect("indicators:import_preview", pk=job.pk)
        transaction.on_commit(lambda: import_file.enqueue(job.pk))
    return redirect("indicators:import_detail", pk=job.pk)


@login_required
def import_detail(request, pk: int):
    job = _own_job(request, pk)
    services.import_stalled_fail(job, after_seconds=settings.MINERALSTRATEGI_IMPORT_STALL_SECONDS)
    template = "indicators/_import_status.html" if request.htmx else "indicators/import_detail.html"
    rows_read = import_progress(job.pk)
    percent = None
    if rows_read is not None and job.expected_records:
        percent = min(99, round(100 * rows_read / job.expected_records))
    return render(request, template, {"job": job, "rows_read": rows_read, "percent": percent})


# --- Targets and baselines, and the links to strategy goals, kept in the pages (issue #22) ------


def _target_input(form: TargetForm) -> services.TargetInput:
    data = form.cleaned_data
    level, code = data["place"]
    return services.TargetInput(
        geo_level=level,
        geo_code=code,
        baseline_year=data["baseline_year"],
        baseline_value=data["baseline_value"],
        baseline_years_averaged=data["baseline_years_averaged"] or 1,
        target_year=data["target_year"],
        target_value=data["target_value"],
    )


def _targets_page(request, indicator, form, names, status=200):
    return render(
        request,
        "indicators/targets.html",
        {"indicator": indicator, "rows": selectors.target_list(indicator, names), "form": form},
        status=status,
    )


@guards.refusals
def targets(request, code: str):
    """The indicator's targets per place, and the form that adds one (for its maintainers)."""
    indicator = selectors.indicator_get(code)
    require(request.user, "indicators.set_targets", indicator)
    names = selectors.place_names()
    form = TargetForm(request.POST or None, place_choices=selectors.place_choices(names))
    if request.method != "POST":
        return _targets_page(request, indicator, form, names)
    if form.is_valid():
        try:
            target = services.target_create(indicator, user=request.user, data=_target_input(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The target for %(place)s is saved.")
                             % {"place": selectors.place_name(target.geo_level, target.geo_code)})  # fmt: skip
            return redirect("indicators:targets", code=indicator.code)
    return _targets_page(request, indicator, form, names, status=400)


def _indicator_target(request, code: str, pk: int) -> Target:
    indicator = selectors.indicator_get(code)
    require(request.user, "indicators.set_targets", indicator)
    target = get_object_or_404(Target, pk=pk, indicator=indicator)
    target.indicator = indicator
    return target


@guards.refusals
def target_edit(request, code: str, pk: int):
    target = _indicator_target(request, code, pk)
    form = TargetForm(
        request.POST or None,
        place_choices=selectors.place_choices(),
        initial=TargetForm.initial_for(target),
    )
    place = selectors.place_name(target.geo_level, target.geo_code) or target.geo_code
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(target, user=request.user, data=_target_input(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The target for %(place)s is saved.") % {"place": place})
            return redirect("indicators:targets", code=target.indicator.code)
    return render(
        request,
        "indicators/target_edit.html",
        {"indicator": target.indicator, "target": target, "place": place, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@guards.refusals
def target_delete(request, code: str, pk: int):
    """A confirmation, then the removal (a POST)."""
    target = _indicator_target(request, code, pk)
    place = selectors.place_name(target.geo_level, target.geo_code) or target.geo_code
    if request.method == "POST":
        services.target_delete(target, user=request.user)
        messages.success(request, _("The target for %(place)s is removed.") % {"place": place})
        return redirect("indicators:targets", code=target.indicator.code)
    return render(
        request,
        "indicators/target_delete.html",
        {"indicator": target.indicator, "target": target, "place": place},
    )


def _require_link_reader(request, indicator) -> None:
    """The page is for the indicator's maintainers and the editors of some strategy."""
    user = request.user
    if not user.has_perm("indicators.change_indicator", indicator):
        require(user, "indicators.link_indicator")


@guards.refusals
def links(request, code: str):
    """The strategy directions and goals the indicator follows up; the editors of a strategy
    link it to one of their draft's directions or goals."""
    indicator = selectors.indicator_get(code)
    _require_link_reader(request, indicator)
    edited = selectors.strategies_edited_by(request.user)
    groups = selectors.linkable_sections(indicator, edited)
    form = IndicatorLinkForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        section = form.chosen_section()
        try:
            services.indicator_link_create(indicator, user=request.user, section=section)
        except ValidationError as error:
            form.add_error("section", error.message_dict.get("section", error.messages))
        else:
            messages.success(request, _("The indicator now follows up “%(title)s”.")
                             % {"title": section.title})  # fmt: skip
            return redirect("indicators:links", code=indicator.code)
    return render(
        request,
        "indicators/links.html",
        {
            "indicator": indicator,
            "rows": selectors.indicator_link_rows(indicator, edited),
            "groups": groups,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@guards.refusals
def link_delete(request, code: str, pk: int):
    """A confirmation, then the removal (a POST)."""
    indicator = selectors.indicator_get(code)
    link = get_object_or_404(
        IndicatorLink.objects.select_related("strategy"), pk=pk, indicator=indicator
    )
    require(request.user, "strategy.edit_draft", link.strategy)
    link.indicator = indicator
    section = selectors.link_section(link)
    title = section.title if section else _("a section no longer in the strategy")
    if request.method == "POST":
        services.indicator_link_delete(link, user=request.user)
        messages.success(request, _("The indicator no longer follows up “%(title)s”.")
                         % {"title": title})  # fmt: skip
        return redirect("indicators:links", code=indicator.code)
    return render(
        request,
        "indicators/link_delete.html",
        {"indicator": indicator, "link": link, "section": section, "title": title},
    )
