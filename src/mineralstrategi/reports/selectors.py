"""Reads of the adopted yearly reports (the live report is `followup.followup_for`)."""

from django.db.models import Prefetch

from .models import AdoptedReport, ReviewComment

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


def review_of(strategy, year: int) -> AdoptedReport | None:
    """The year's row if its draft was put to review (and not adopted), with its comments, their
    authors and organisations read in one more query."""
    return (
        AdoptedReport.objects.filter(strategy=strategy, year=year, state=AdoptedReport.State.REVIEW)
        .defer(*_LIST_FIELDS)
        .prefetch_related(
            Prefetch(
                "review_comments",
                queryset=ReviewComment.objects.select_related("author", "organisation"),
            )
        )
        .first()
    )


def review_comments(report: AdoptedReport) -> list[ReviewComment]:
    return list(report.review_comments.select_related("author", "organisation"))
