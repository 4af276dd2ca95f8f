"""Reads of the adopted yearly reports (the live report is `followup.followup_for`)."""

from .models import AdoptedReport

# The frozen HTML is read only on the report's own page and by the worker.
_LIST_FIELDS = ("content_html", "print_html")


def adopted_reports(strategy) -> list[AdoptedReport]:
    """The strategy's adopted yearly reports, newest year first, in one query."""
    return list(
        AdoptedReport.objects.filter(strategy=strategy, state=AdoptedReport.State.ADOPTED)
        .defer(*_LIST_FIELDS)
        .order_by("-year")
    )


def adopted_report(strategy, year: int) -> AdoptedReport | None:
    """The strategy's adopted report for the year, with its frozen content; None if not adopted."""
    return AdoptedReport.objects.filter(
        strategy=strategy, year=year, state=AdoptedReport.State.ADOPTED
    ).first()
