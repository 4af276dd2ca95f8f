"""Writes: requesting a follow-up report and making its PDF (in the task worker or the CLI);
adopting a year's report, frozen, and making its PDF once."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mineralstrategi.limits.services import Limit, LimitReached, fingerprint, take
from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.organisations.models import Membership, Role
from mineralstrategi.pdf import render_pdf
from mineralstrategi.services import acting_user, failure_text, require, with_history_user
from mineralstrategi.strategy import selectors as strategy_selectors
from mineralstrategi.strategy.models import Strategy

from .followup import followup_for
from .models import AdoptedReport, FollowupReport, ReviewComment

PROGRESS_TIMEOUT = 60 * 60
HOUR = 60 * 60
ProgressCallback = Callable[[int], None]  # called with a percentage


def progress_key(report_id: int) -> str:
    return f"followup-report-progress-{report_id}"


def report_context(strategy, year: int, *, progress: ProgressCallback | None = None) -> dict:
    followup = followup_for(strategy, year, progress=progress)
    return {
        "followup": followup,
        "strategy": strategy,
        "year": year,
        "printed_at": timezone.localdate(),
    }


def followup_pdf(strategy, year: int, *, progress: ProgressCallback | None = None) -> bytes:
    """The yearly follow-up report as PDF: charts as SVG, tables, verdicts per direction."""
    report = progress or (lambda percent: None)
    report(5)
    context = report_context(strategy, year, progress=report)
    context["pdf"] = True  # the annex of figures stays in the HTML version (PDF time, see RESULTS)
    html = render_to_string("reports/followup_pdf.html", context)
    report(85)
    pdf = render_pdf(
        html,
        ["mineralstrategi/css/followup-pdf.css"],
        progress=lambda percent: report(85 + percent * 14 // 100),  # the layout: 85–99 %
    )
    report(100)
    return pdf


class TooManyReports(Exception):
    """The person has asked for FOLLOWUP_REPORTS_PER_HOUR reports within the last hour.
    `retry_after`: seconds until the next may be asked for."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many reports: try again in {retry_after} seconds")
        self.retry_after = retry_after


def _being_made(*, strategy, year: int, user):
    return FollowupReport.objects.filter(
        requested_by=user,
        strategy=strategy,
        year=year,
        status__in=[FollowupReport.Status.PENDING, FollowupReport.Status.RUNNING],
    ).first()


def followup_report_request(
    *, strategy, year: int, user=None, language: str = "sv"
) -> FollowupReport:
    """Create the report's record and queue its making (after the transaction commits). A
    person has one report of a strategy and year made at a time: while one is waiting or being
    made, asking again gives that one. Each new report counts against the person's
    FOLLOWUP_REPORTS_PER_HOUR; over it, TooManyReports and nothing is queued."""
    from .tasks import make_followup_report

    requester = acting_user(user)
    with transaction.atomic():
        if requester is not None:
            pending = _being_made(strategy=strategy, year=year, user=requester)
            if pending is not None:
                return pending
        try:
            with transaction.atomic():
                report = FollowupReport.objects.create(
                    strategy=strategy, year=year, requested_by=requester
                )
        except IntegrityError:  # asked for twice at once: the other request's is the one
            pending = _being_made(strategy=strategy, year=year, user=requester)
            if pending is None:
                raise
            return pending
        if requester is not None:
            per_hour = settings.MINERALSTRATEGI["FOLLOWUP_REPORTS_PER_HOUR"]
            try:
                take(
                    {fingerprint("followup-report:user", str(requester.pk)): Limit(per_hour, HOUR)}
                )
            except LimitReached as reached:
                raise TooManyReports(reached.retry_after) from reached
        transaction.on_commit(lambda: make_followup_report.enqueue(report.pk, language))
    return report


def followup_report_make(report: FollowupReport, *, language: str = "sv") -> FollowupReport:
    """Make the PDF of a requested report, reporting progress; a failure is recorded, not raised."""
    cache = caches["progress"]

    def progress(percent: int) -> None:
        cache.set(progress_key(report.pk), percent, PROGRESS_TIMEOUT)

    FollowupReport.objects.filter(pk=report.pk).update(status=FollowupReport.Status.RUNNING)
    try:
        with translation.override(language):
            pdf = followup_pdf(report.strategy, report.year, progress=progress)
        name = default_storage.save(f"reports/{report.token.hex}.pdf", ContentFile(pdf))
    except Exception as error:  # noqa: BLE001 (recorded for the user; the worker goes on)
        FollowupReport.objects.filter(pk=report.pk).update(
            status=FollowupReport.Status.FAILED,
            error=failure_text(error, 2000),
            finished_at=timezone.now(),
        )
    else:
        FollowupReport.objects.filter(pk=report.pk).update(
            status=FollowupReport.Status.DONE,
            progress=100,
            stored_file=name,
            finished_at=timezone.now(),
        )
    cache.delete(progress_key(report.pk))
    report.refresh_from_db()
    return report


def followup_report_abandon(report_id: int, *, reason: str) -> None:
    """A report whose task failed without making it (`services.on_task_failure`) is failed,
    with the reason, so that its person may ask again."""
    FollowupReport.objects.filter(
        pk=report_id, status__in=[FollowupReport.Status.PENDING, FollowupReport.Status.RUNNING]
    ).update(status=FollowupReport.Status.FAILED, error=reason, finished_at=timezone.now())


def report_progress(report: FollowupReport) -> int:
    if report.status == FollowupReport.Status.DONE:
        return 100
    return caches["progress"].get(progress_key(report.pk)) or report.progress


# --- The yearly report adopted: a document of record --------------------------------------------

PRINT_STYLESHEETS = ["mineralstrategi/css/followup-pdf.css"]


@dataclass
class YearlyReportDecision:
    """The decision that adopts a year's report, as the editor records it."""

    body: str
    decided_on: datetime.date | None
    reference: str
    note: str = ""


def _decision_errors(strategy, year: int, decision: YearlyReportDecision) -> dict[str, list]:
    errors: dict[str, list] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    adopted = (
        AdoptedReport.objects.filter(
            strategy=strategy, year=year, state=AdoptedReport.State.ADOPTED
        )
        .only("body", "decided_on", "reference")
        .first()
    )
    if adopted is not None:
        add(
            NON_FIELD_ERRORS,
            _(
                "The yearly report for %(year)s is already adopted (%(body)s, %(date)s, "
                "%(reference)s). An adopted report is not changed or adopted again."
            )
            % {
                "year": year,
                "body": adopted.body,
                "date": adopted.decided_on.isoformat() if adopted.decided_on else "",
                "reference": adopted.reference,
            },
        )
    if year > timezone.localdate().year:
        add(NON_FIELD_ERRORS, _("The year %(year)s has not begun: its report cannot be adopted.")
            % {"year": year})  # fmt: skip
    if not decision.body.strip():
        add("body", _("Name the body that decided."))
    if not decision.reference.strip():
        add("reference", _("Give the decision's reference (§ or registry number)."))
    if decision.decided_on is None:
        add("decided_on", _("Give the date of the decision."))
    elif decision.decided_on > timezone.localdate():
        add(
            "decided_on",
            _(
                "The decision date %(date)s is in the future: record the adoption once the "
                "decision is taken."
            )
            % {"date": decision.decided_on.isoformat()},
        )
    return errors


def yearly_report_adopt_check(strategy, year: int, *, user, decision: YearlyReportDecision):
    """What `yearly_report_adopt` would refuse, without writing (for the confirmation step)."""
    require(user, "reports.adopt_report", strategy)
    errors = _decision_errors(strategy, year, decision)
    if errors:
        raise ValidationError(errors)


# --- The partnership's review of the draft, before the decision -----------------------------------

REVIEW_COMMENT_MAX = 5000


def _year_row(strategy, year: int) -> AdoptedReport | None:
    """The year's row, its strategy's row locked until the commit (PostgreSQL), so that the
    review's opening, its comments and the adoption are taken one by one."""
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    return AdoptedReport.objects.filter(strategy=strategy, year=year).first()


def _review_open_errors(row, year: int, closes_on) -> dict[str, list]:
    errors: dict[str, list] = {}
    today = timezone.localdate()
    if row is not None and row.is_adopted:
        errors[NON_FIELD_ERRORS] = [
            _("The yearly report for %(year)s is already adopted: it is not reviewed again.")
            % {"year": year}
        ]
    elif row is not None and row.review_is_open(today):
        errors[NON_FIELD_ERRORS] = [
            _("The yearly report for %(year)s is under review already, until %(date)s.")
            % {"year": year, "date": row.review_closes_on.isoformat()}
        ]
    if year > today.year:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("The year %(year)s has not begun: its report cannot be reviewed.") % {"year": year}
        )
    if closes_on is None:
        errors["closes_on"] = [_("Give the last day for comments.")]
    elif closes_on < today:
        errors["closes_on"] = [
            _("The last day for comments, %(date)s, has passed: give today or a later day.")
            % {"date": closes_on.isoformat()}
        ]
    return errors


def _report_url(strategy, year: int) -> str:
    return f"{reverse('reports:report', kwargs={'slug': strategy.slug})}?year={year}#review"


@transaction.atomic
def yearly_report_review_open(strategy, year: int, *, user, closes_on) -> AdoptedReport:
    """Put the year's live report before the partnership for comments until `closes_on` (a day
    not past), and tell the partnership's members. A closed review may be opened again (a new
    last day); an adopted year is not reviewed."""
    require(user, "reports.adopt_report", strategy)
    row = _year_row(strategy, year)
    errors = _review_open_errors(row, year, closes_on)
    if errors:
        raise ValidationError(errors)
    row = row or AdoptedReport(strategy=strategy, year=year)
    row.state = AdoptedReport.State.REVIEW
    row.review_opened_at = timezone.now()
    row.review_opened_by = acting_user(user)
    row.review_closes_on = closes_on
    with_history_user(row, user).save()
    notifications.notify(
        kinds.YEARLY_REPORT_REVIEW,
        about=strategy,
        actor=user,
        subjects=[strategy],
        recipients=strategy_selectors.partnership_member_ids(strategy),
        params={"year": year, "strategy": strategy.title, "date": closes_on.isoformat()},
        url=_report_url(strategy, year),
        view_permission="strategy.view_draft",
    )
    return row


def _commenting_organisation(user, strategy):
    """The partner organisation the comment speaks for: the user's first by name."""
    membership = (
        Membership.objects.filter(
            user=acting_user(user), organisation__in=strategy.partnership.all()
        )
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return membership.organisation if membership else None


@transaction.atomic
def yearly_report_review_comment(strategy, year: int, *, user, body: str) -> ReviewComment:
    """A partnership member's comment on the year's draft while its review is open; the
    strategy's editors are told."""
    require(user, "strategy.view_draft", strategy)
    row = _year_row(strategy, year)
    body = body.strip()
    if row is None or not row.review_is_open(timezone.localdate()):
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("The yearly report for %(year)s is not under review: comments "
                                  "are taken only while it is.") % {"year": year}]}
        )  # fmt: skip
    if not body:
        raise ValidationError({"body": [_("Write the comment.")]})
    if len(body) > REVIEW_COMMENT_MAX:
        raise ValidationError(
            {"body": [_("The comment is %(length)s characters long; at most %(max)s are taken.")
                      % {"length": len(body), "max": REVIEW_COMMENT_MAX}]}
        )  # fmt: skip
    organisation = _commenting_organisation(user, strategy)
    comment = with_history_user(
        ReviewComment(report=row, author=acting_user(user), organisation=organisation, body=body),
        user,
    )
    comment.save()
    notifications.notify(
        kinds.YEARLY_REPORT_REVIEW_COMMENT,
        about=strategy,
        actor=user,
        recipients=strategy_selectors.partnership_member_ids(
            strategy, roles=[Role.STRATEGY_EDITOR]
        ),
        params={
            "year": year,
            "strategy": strategy.title,
            "organisation": organisation.name if organisation else str(acting_user(user)),
        },
        url=_report_url(strategy, year),
        view_permission="reports.adopt_report",
    )
    return comment


def _frozen_content(strategy, year: int, report: AdoptedReport, language: str) -> None:
    """The report as it reads today, written into the row: the page's body and the document the
    PDF is printed from, with the decision on its title page."""
    report.language = language
    with translation.override(language):
        context = report_context(strategy, year)
        report.version_name = str(context["followup"].version.display_name)
        report.content_html = render_to_string("reports/_report_body.html", context)
        report.print_html = render_to_string(
            "reports/adopted_pdf.html", context | {"pdf": True, "adopted": report}
        )


@transaction.atomic
def yearly_report_adopt(
    strategy,
    year: int,
    *,
    user,
    decision: YearlyReportDecision,
    language: str = "sv",
    is_example: bool = False,
) -> AdoptedReport:
    """Record the decision that adopts the strategy's report for `year` and freeze it: its
    content is rendered now and kept in the row, so that later data change neither the page nor
    the PDF, which the worker makes once after the commit. A year is adopted once; a decision
    dated in the future is refused."""
    from .tasks import make_adopted_report_pdf

    require(user, "reports.adopt_report", strategy)
    report = _year_row(strategy, year)  # two adoptions of a year are taken one by one
    errors = _decision_errors(strategy, year, decision)
    if errors:
        raise ValidationError(errors)
    report = report or AdoptedReport(strategy=strategy, year=year)
    report.state = AdoptedReport.State.ADOPTED
    report.body = decision.body.strip()
    report.decided_on = decision.decided_on
    report.reference = decision.reference.strip()
    report.note = decision.note.strip()
    report.adopted_by = acting_user(user)
    report.adopted_at = timezone.now()
    report.pdf_status = AdoptedReport.PdfStatus.PENDING
    report.is_example = is_example
    _frozen_content(strategy, year, report, language)
    with_history_user(report, user).save()
    transaction.on_commit(lambda: make_adopted_report_pdf.enqueue(report.pk))
    return report


def adopted_report_print(report: AdoptedReport) -> AdoptedReport:
    """Make the adopted report's PDF from its frozen document, once: a report whose PDF is made
    is left as it is. A failure is recorded, not raised."""
    if report.state != AdoptedReport.State.ADOPTED or report.pdf_ready:
        return report
    try:
        pdf = render_pdf(report.print_html, PRINT_STYLESHEETS)
        name = default_storage.save(
            f"reports/adopted/{report.strategy.slug}-{report.year}-{uuid.uuid4().hex}.pdf",
            ContentFile(pdf),
        )
    except Exception as error:  # noqa: BLE001 (recorded for the page; the worker goes on)
        AdoptedReport.objects.filter(pk=report.pk).update(
            pdf_status=AdoptedReport.PdfStatus.FAILED,
            pdf_error=failure_text(error, 2000),
            pdf_made_at=timezone.now(),
        )
    else:
        AdoptedReport.objects.filter(pk=report.pk).update(
            pdf_status=AdoptedReport.PdfStatus.DONE,
            pdf_file=name,
            pdf_error="",
            pdf_made_at=timezone.now(),
        )
    report.refresh_from_db()
    return report


def adopted_report_print_abandon(report_id: int, *, reason: str) -> None:
    """The PDF's task failed without making it (`services.on_task_failure`): say so."""
    AdoptedReport.objects.filter(pk=report_id, pdf_status=AdoptedReport.PdfStatus.PENDING).update(
        pdf_status=AdoptedReport.PdfStatus.FAILED, pdf_error=reason, pdf_made_at=timezone.now()
    )


RETRY_AFTER_FAILURE = datetime.timedelta(minutes=10)


def adopted_report_print_retry(report: AdoptedReport) -> bool:
    """Queue the making of a PDF that failed again, at most once every RETRY_AFTER_FAILURE (asked
    by the report's pages: the PDF is tried again while people look for it). True if queued."""
    from .tasks import make_adopted_report_pdf

    if report.pdf_status != AdoptedReport.PdfStatus.FAILED:
        return False
    due = timezone.now() - RETRY_AFTER_FAILURE
    retried = AdoptedReport.objects.filter(
        pk=report.pk, pdf_status=AdoptedReport.PdfStatus.FAILED, pdf_made_at__lt=due
    ).update(pdf_status=AdoptedReport.PdfStatus.PENDING)
    if retried:
        report.pdf_status = AdoptedReport.PdfStatus.PENDING
        transaction.on_commit(lambda: make_adopted_report_pdf.enqueue(report.pk))
    return bool(retried)
