"""The audit trail for administrators: read only (GET), filtered by model, user, organisation
and UTC date."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mineralstrategi.organisations.models import Organisation

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
def audit_log(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("audit.view_log"):
        raise PermissionDenied(_("Only administrators read the audit trail."))
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
            "organisations": Organisation.objects.administered_by(request.user).only("pk", "name"),
            "page": page,
            "has_next": len(records) > PAGE_SIZE,
            "query": query.urlencode(),
        },
    )
