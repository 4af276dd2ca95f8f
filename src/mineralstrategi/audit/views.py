"""The audit trail for administrators: read only (GET), filtered by model, user, organisation
and UTC date."""

from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_safe

from mineralstrategi.guards import refusals
from mineralstrategi.services import require

from . import selectors

PAGE_SIZE = 50


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(query) -> selectors.AuditFilter:
    return selectors.AuditFilter(
        model=query.get("model", "").strip(),
        username=query.get("user", "").strip(),
        organisation=_int_or_none(query.get("organisation")),
        date_from=parse_date(query.get("from", "") or "") if query.get("from") else None,
        date_to=parse_date(query.get("to", "") or "") if query.get("to") else None,
    )


@require_safe
@refusals
def audit_log(request):
    require(request.user, "audit.view_log")
    try:
        filters = _filters(request.GET)
    except ValueError:
        filters = selectors.AuditFilter()
    page = max(_int_or_none(request.GET.get("page")) or 1, 1)
    records = selectors.audit_records(
        request.user, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "entries": selectors.audit_entries(records[:PAGE_SIZE]),
            "filters": filters,
            "model_choices": selectors.model_choices(),
            "organisations": selectors.organisation_choices(request.user),
            "page": page,
            "has_next": len(records) > PAGE_SIZE,
            "query": query.urlencode(),
        },
    )
