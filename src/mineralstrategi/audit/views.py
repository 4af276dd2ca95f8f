"""The audit trail for administrators: read only (GET), filtered by model, user, organisation,
strategy and date (in Swedish time)."""

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mineralstrategi.guards import refusals
from mineralstrategi.query import QueryForm, date_field, id_field, query_parameters
from mineralstrategi.services import require

from . import selectors

PAGE_SIZE = 50
# Each page reads every record before it (the trails of all audited models are merged): further
# back than this, narrow the dates instead.
MAX_PAGE = 10_000


class AuditQuery(QueryForm):
    model = forms.ChoiceField(choices=selectors.model_choices)
    user = forms.CharField(max_length=150)  # a username
    organisation = id_field()
    strategy = id_field()  # its changes and those of its parts (selectors.STRATEGY_PATHS)
    from_ = date_field()  # "from" and "to": dates in the site's time zone, both inclusive
    to = date_field()
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE)


AuditQuery.base_fields["from"] = AuditQuery.base_fields.pop("from_")  # a Python keyword


@require_safe
@refusals
@query_parameters(AuditQuery)
def audit_log(request, query):
    require(request.user, "audit.view_log")
    filters = selectors.AuditFilter(
        model=query["model"] or "",
        username=query["user"] or "",
        organisation=query["organisation"],
        date_from=query["from"],
        date_to=query["to"],
        strategy=query["strategy"],
    )
    page = query["page"] or 1
    records = selectors.audit_records(
        request.user, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
    )
    others = request.GET.copy()  # for the links to the neighbouring pages, never read
    others.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "entries": selectors.audit_entries(records[:PAGE_SIZE]),
            "filters": filters,
            "model_choices": selectors.model_choices(),
            "organisations": selectors.organisation_choices(request.user),
            "strategies": selectors.strategy_choices(),
            "page": page,
            "has_next": len(records) > PAGE_SIZE,
            "query": others.urlencode(),
        },
    )
