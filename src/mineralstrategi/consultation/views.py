"""Pages of a consultation: rounds, the consultee's answer page, the public answers, the team's
progress and handling (dispositions), the compilation (page, CSV/XLSX, PDF).

Each view: a guard (the permission on the object), one selector or service call, and errors
translated for the user. The organisation an answer speaks for is the consultee in the address,
checked against the user's memberships; nothing in a form can change it.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mineralstrategi import guards
from mineralstrategi.caching.until_a_write import kept_fragment
from mineralstrategi.exports import table_response
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.printing.responses import document_response
from mineralstrategi.printing.services import printed
from mineralstrategi.query import query_parameters
from mineralstrategi.services import require
from mineralstrategi.strategy.diff import word_diff
from mineralstrategi.strategy.models import FrozenVersionError, Section, StrategyVersion
from mineralstrategi.strategy.selectors import strategy_get, strategy_list
from mineralstrategi.strategy.services import EditConflict
from mineralstrategi.visitors import HoneypotMixin, RateLimited, client_ip

from . import exports, selectors, services
from .forms import (
    AddOrganisationForm,
    AddressForm,
    AnswerForm,
    AnswerQuery,
    BounceForm,
    CancelMeetingForm,
    CompilationQuery,
    ConfirmSubmitForm,
    DeclineForm,
    DispositionForm,
    ExtendForm,
    MeetingPlanForm,
    MeetingRecordForm,
    ProposalApplyForm,
    PublicCommentForm,
    PublicModerationForm,
    RegisterForm,
    RoundForm,
    _section_label,
    error_summary,
    outcome_formset,
)
from .models import (
    AnswerComment,
    Attachment,
    Delivery,
    Disposition,
    MeetingPerson,
    SubmittedAnswerError,
)


def _may_answer(user, consultee) -> bool:
    """Answering is the consultee's officers' act alone (no superuser shortcut)."""
    return rules.has_perm("consultation.answer", user, consultee)


def _guard_officer(request, permission: str, consultee) -> None:
    if not rules.has_perm(permission, request.user, consultee):
        raise PermissionDenied(_("Only the organisation's consultation officers answer for it."))


refusals = guards.refusals(
    conflicts=(FrozenVersionError, SubmittedAnswerError), template="consultation/refused.html"
)


def _messages_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _nav(request, round_) -> dict:
    """What the round's sub-navigation shows this user: only the tabs the user may open."""
    return {
        "perms_progress": request.user.has_perm("consultation.view_progress", round_),
        "perms_manage": request.user.has_perm("consultation.manage_round", round_),
        "perms_compilation": request.user.has_perm("consultation.view_compilation", round_),
        "public_tab": round_.is_public,
    }


def _round(request, pk: int, permission: str = "consultation.view_consultationround"):
    round_ = selectors.round_get(pk)
    require(request.user, permission, round_)
    return round_


# --- Rounds ----------------------------------------------------------------------------------------


def round_list(request):
    manageable = []
    if request.user.is_authenticated:
        manageable = [
            strategy
            for strategy in strategy_list()
            if request.user.has_perm("consultation.manage_round", strategy)
        ]
    return render(
        request,
        "consultation/round_list.html",
        {"rounds": selectors.round_list(request.user), "manageable": manageable},
    )


@refusals
def round_create(request, slug: str):
    strategy = strategy_get(slug=slug)
    require(request.user, "consultation.manage_round", strategy)
    versions = [v for v in strategy.all_versions if v.is_frozen]
    form = RoundForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = StrategyVersion.objects.select_related("strategy").get(
            pk=data.pop("version"), strategy=strategy
        )
        try:
            round_ = services.round_create(version=version, user=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The round is planned; add consultees, then send it."))
            return redirect(round_)
    return render(
        request,
        "consultation/round_create.html",
        {"strategy": strategy, "form": form, "versions": versions},
    )


def _refused_status(error: ValidationError) -> int:
    """429 for a rate limit's refusal, else 400: the form is shown again either way."""
    return 429 if isinstance(error, RateLimited) else 400


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@refusals
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    may_manage = request.user.has_perm("consultation.manage_round", round_)
    own = selectors.consultees_for_user(round_, request.user)
    return render(
        request,
        "consultation/round_detail.html",
        {
            "round": round_,
            "consultees": selectors.consultees(round_),
            "own_consultees": own,
            "meetings": selectors.meeting_lists(round_),
            "may_manage": may_manage,
            "may_view_progress": request.user.has_perm("consultation.view_progress", round_),
            "undecided": selectors.undecided_comments(round_)
            if may_manage and round_.status == "closed"
            else [],
            **_nav(request, round_),
            "add_form": AddOrganisationForm(
                queryset=Organisation.objects.exclude(consultations__round=round_)
            )
            if may_manage
            else None,
        },
    )


@require_POST
@refusals
def round_action(request, pk: int):
    """Managers: add the municipalities, add an organisation, send, close, mark compiled."""
    round_ = _round(request, pk, "consultation.manage_round")
    action = request.POST.get("action")
    try:
        if action == "add_municipalities":
            added = services.consultees_add_municipalities(round_, user=request.user)
            messages.success(request, _("%(count)s municipalities added.") % {"count": len(added)})
        elif action == "add_organisation":
            form = AddOrganisationForm(request.POST, queryset=Organisation.objects.all())
            if form.is_valid():
                services.consultee_add(
                    round_, user=request.user, organisation=form.cleaned_data["organisation"]
                )
                messages.success(request, _("Consultee added."))
            else:
                messages.error(request, _("Choose an organisation."))
        elif action == "public":
            is_public = request.POST.get("is_public") == "1"
            services.round_public_set(round_, user=request.user, is_public=is_public)
            messages.success(
                request,
                _("The round is open to the public's comments.")
                if is_public
                else _("The round no longer takes the public's comments."),
            )
        elif action == "send":
            services.consultation_send(round_, user=request.user)
            messages.success(request, _("The round is open; the invitations are being sent."))
        elif action in ("closed", "compiled", "open"):
            services.round_status_set(
                round_, user=request.user, status=action, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Status changed."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        _messages_from(request, error)
    return redirect(round_)


# --- The consultee's answer -----------------------------------------------------------------------


def _consultee(request, pk: int, consultee_pk: int, permission: str):
    if not request.user.is_authenticated:
        raise PermissionDenied
    round_ = selectors.round_get(pk)
    consultee = selectors.consultee_get(round_, consultee_pk)
    if permission == "consultation.view_draft":
        require(request.user, permission, consultee)
    else:
        _guard_officer(request, permission, consultee)
    return round_, consultee


# The button in each section of the answer form: save the whole draft, come back to the section.
SAVE_SECTION = "save-section-"


def _answer_url(consultee, section: int | None = None) -> str:
    """The answer form, opened at a section (shown open, scrolled to) when one is given."""
    url = consultee.get_answer_url()
    return f"{url}?avsnitt={section}#avsnitt-{section}" if section else url


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@refusals
@query_parameters(AnswerQuery)
def answer(request, pk: int, consultee: int, query):
    """The consultee's answer page: its members read the draft, its officers write it section by
    section (each section saves the whole draft) and go on to the summary to submit it."""
    round_, consultee = _consultee(request, pk, consultee, "consultation.view_draft")
    sections = selectors.sections_of(round_.version)
    if request.method == "POST":
        _guard_officer(request, "consultation.answer", consultee)
        return _answer_post(request, round_, consultee, sections)
    page = selectors.answer_page(consultee, request.user, sections)
    form = AnswerForm(initial=AnswerForm.initial_from(page.draft), sections=sections)
    return _answer_page(request, round_, consultee, form, page, open_section=query["avsnitt"])


def _answer_page(request, round_, consultee, form, page, *, open_section=None, status=200):
    may_answer = _may_answer(request.user, consultee)
    open_for_answers = round_.status == "open" and not consultee.is_late()
    show_form = may_answer and open_for_answers and (page.draft is not None or not page.submitted)
    return render(
        request,
        "consultation/answer.html",
        {
            "round": round_,
            "consultee": consultee,
            "form": form,
            "rows": form.section_rows(answered=page.answered, open_section=open_section),
            "answered_count": len(page.answered),
            "error_summary": form.error_summary() if form.is_bound else [],
            "draft": page.draft,
            "submitted": page.submitted,
            "may_answer": may_answer and open_for_answers,
            "can_correct": may_answer
            and open_for_answers
            and page.submitted
            and page.draft is None,
            "show_form": show_form,
            "decline_form": DeclineForm(),
            "late": consultee.is_late(),
        },
        status=status,
    )


def _answer_post(request, round_, consultee, sections):
    action = request.POST.get("action", "save")
    if action == "correct":
        try:
            services.answer_correct(consultee, user=request.user)
            messages.success(request, _("A correction is open; submit it to publish it."))
        except ValidationError as error:
            _messages_from(request, error)
        return redirect(consultee.get_answer_url())

    saved_section = None
    if action.startswith(SAVE_SECTION):
        saved_section = _int_or_none(action.removeprefix(SAVE_SECTION))
    form = AnswerForm(request.POST, request.FILES, sections=sections)

    def refused():
        # Everything typed comes back (the bound form); the errors are summarised at the top.
        page = selectors.answer_page(consultee, request.user, sections)
        return _answer_page(request, round_, consultee, form, page, status=400)

    if not form.is_valid():
        return refused()
    if (
        services.answer_current_draft(consultee) is None
        and services.answer_latest_submitted(consultee) is not None
    ):
        # A resent form of an answer already submitted: idempotent, nothing changes.
        messages.info(request, _("The answer was already submitted."))
        return redirect(consultee.get_answer_url())
    try:
        draft = services.answer_save_draft(
            consultee,
            user=request.user,
            position=form.cleaned_data["position"],
            comment=form.cleaned_data["comment"],
            section_comments=form.section_comments(),
        )
    except ValidationError as error:
        _add_errors(form, error)
        return refused()
    uploaded = form.cleaned_data.get("attachment")
    if uploaded:
        try:
            services.attachment_add(draft, user=request.user, uploaded=uploaded)
        except ValidationError as error:
            # The rest of the answer is kept (saved as draft); only the file is refused.
            _add_errors(form, error)
            messages.warning(request, _("The draft was saved, but the attachment was refused."))
            return refused()
    if action in ("review", "submit"):
        try:
            services.answer_check_complete(draft)
        except ValidationError as error:
            _add_errors(form, error)
            messages.info(request, _("The draft is saved. Only your organisation can see it."))
            return refused()
        return redirect("consultation:answer_review", pk=round_.pk, consultee=consultee.pk)
    if saved_section is not None:
        section = next((s for s in sections if s.pk == saved_section), None)
        if section is not None:
            messages.success(
                request,
                _("The draft is saved, with your answer on “%(section)s”.")
                % {"section": f"{section.outline} {section.title}".strip()},
            )
            return redirect(_answer_url(consultee, section.pk))
    messages.success(request, _("The draft is saved. Only your organisation can see it."))
    return redirect(consultee.get_answer_url())


@refusals
def answer_review(request, pk: int, consultee: int):
    """The summary before submitting: every answered section with its number, the overall
    position and comment, the attachments; the officer confirms that the answer is submitted for
    the organisation, then submits."""
    round_, consultee = _consultee(request, pk, consultee, "consultation.answer")
    sections = selectors.sections_of(round_.version)
    page = selectors.answer_page(consultee, request.user, sections)
    if page.draft is None or round_.status != "open" or consultee.is_late():
        if page.submitted and page.draft is None:
            messages.info(request, _("The answer was already submitted."))
        return redirect(consultee.get_answer_url())
    # Bound on every POST: an empty one (the box left unticked) is refused, not taken for a GET.
    data = request.POST if request.method == "POST" else None
    form = ConfirmSubmitForm(data, organisation=consultee.organisation)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                submitted = services.answer_submit(page.draft, user=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The answer is submitted with registry reference %(reference)s.")
                    % {"reference": submitted.registry_reference},
                )
                return redirect(consultee.get_answer_url())
        status = 400
    summary = error_summary(form)
    if page.draft.position == "" and not any(href == "#id_position" for href, _m in summary):
        problem = _("Choose an overall position before submitting.")
        summary.append((f"{consultee.get_answer_url()}#id_position", problem))
    # The correction's changes against the answer it corrects.
    latest = page.submitted[-1] if page.submitted else None
    changes = selectors.answer_changes(latest, page.draft) if latest else None
    return render(
        request,
        "consultation/answer_review.html",
        {
            "round": round_,
            "consultee": consultee,
            "answer": page.draft,
            "changes": changes,
            "form": form,
            "error_summary": summary if form.is_bound or page.draft.position == "" else [],
            "can_submit": page.draft.position != "",
        },
        status=status,
    )


@require_POST
@refusals
def decline(request, pk: int, consultee: int):
    _round_, consultee = _consultee(request, pk, consultee, "consultation.decline")
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.consultee_decline(
                consultee, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Your organisation has declined to answer."))
        except ValidationError as error:
            _messages_from(request, error)
    else:
        messages.error(request, _("Say why the organisation declines to answer."))
    return redirect(consultee.get_answer_url())


@require_POST
@refusals
def attachment_delete(request, pk: int, consultee: int, attachment: int):
    _round_, consultee = _consultee(request, pk, consultee, "consultation.answer")
    item = get_object_or_404(Attachment, pk=attachment, answer__consultee=consultee)
    try:
        services.attachment_remove(item, user=request.user)
    except ValidationError as error:
        _messages_from(request, error)
    return redirect(consultee.get_answer_url())


@refusals
def attachment_download(request, pk: int, attachment: int):
    """A submitted answer's attachment is public; a draft's only for its organisation."""
    item = get_object_or_404(
        Attachment.objects.select_related("answer__consultee__organisation"),
        pk=attachment,
        answer__consultee__round_id=pk,
    )
    if not item.answer.is_submitted:
        require(request.user, "consultation.view_draft", item.answer.consultee)
    response = FileResponse(item.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attachment-{item.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public answers ---------------------------------------------------------------------------------


@refusals
def answers_public(request, pk: int):
    round_ = _round(request, pk)
    return render(
        request,
        "consultation/answers.html",
        {
            "round": round_,
            "answers": selectors.submitted_answers(round_),
            "declined": [c for c in selectors.consultees(round_) if c.state == "declined"],
            **_nav(request, round_),
        },
    )


# --- The team: progress, handling, compilation ----------------------------------------------------


@refusals
def progress(request, pk: int):
    round_ = _round(request, pk, "consultation.view_progress")
    return render(
        request,
        "consultation/progress.html",
        {
            "round": round_,
            "progress": selectors.progress(round_),
            "may_manage": request.user.has_perm("consultation.manage_round", round_),
            "extend_form": ExtendForm(),
            **_nav(request, round_),
        },
    )


def _progress_url(round_, anchor: str = "") -> str:
    from django.urls import reverse

    return reverse("consultation:progress", kwargs={"pk": round_.pk}) + anchor


@require_POST
@refusals
def address(request, pk: int, consultee: int):
    """The registrar gives a consultee the address its invitation and reminders go to."""
    round_ = _round(request, pk, "consultation.manage_round")
    consultee = selectors.consultee_get(round_, consultee)
    form = AddressForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("%(organisation)s: give a valid e-mail address, e.g. registrator@kommun.se.")
            % {"organisation": consultee.organisation},
        )
        return redirect(_progress_url(round_, f"#consultee-{consultee.pk}"))
    try:
        services.consultee_address_set(
            consultee, user=request.user, email=form.cleaned_data["email"]
        )
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("The address of %(organisation)s is saved.")
            % {"organisation": consultee.organisation},
        )
    return redirect(_progress_url(round_, f"#consultee-{consultee.pk}"))


@require_POST
@refusals
def reinvite(request, pk: int, consultee: int):
    """The registrar invites a consultee again whose invitation did not reach it."""
    round_ = _round(request, pk, "consultation.manage_round")
    consultee = selectors.consultee_get(round_, consultee)
    try:
        services.invitation_resend(consultee, user=request.user)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(organisation)s is being sent.")
            % {"organisation": consultee.organisation},
        )
    return redirect(_progress_url(round_, f"#consultee-{consultee.pk}"))


@require_POST
@refusals
def bounce(request, pk: int, delivery: int):
    """The registrar records that a sent mail came back."""
    round_ = _round(request, pk, "consultation.manage_round")
    item = get_object_or_404(
        Delivery.objects.select_related("consultee__organisation"),
        pk=delivery,
        consultee__round=round_,
    )
    item.consultee.round = round_
    form = BounceForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.delivery_mark_bounced(item, user=request.user, note=note)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("The bounce is recorded: %(organisation)s counts as not reached.")
            % {"organisation": item.consultee.organisation},
        )
    return redirect(_progress_url(round_, f"#consultee-{item.consultee.pk}"))


@require_POST
@refusals
def extend(request, pk: int, consultee: int):
    round_ = _round(request, pk, "consultation.manage_round")
    consultee = selectors.consultee_get(round_, consultee)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_extend(consultee, user=request.user, until=form.cleaned_data["until"])
            messages.success(
                request,
                _("%(organisation)s may answer until %(date)s.")
                % {"organisation": consultee.organisation, "date": form.cleaned_data["until"]},
            )
        except ValidationError as error:
            _messages_from(request, error)
    else:
        messages.error(request, _("Give the new deadline as a date."))
    return redirect("consultation:progress", pk=round_.pk)


@refusals
def handling(request, pk: int):
    round_ = _round(request, pk, "consultation.manage_round")
    data = selectors.compilation(round_)
    undecided = selectors.undecided_in(data)
    revisions = selectors.draft_revisions(round_)
    for entry in data.sections:
        for comment in entry.comments:
            comment.draft_revision = revisions.get(comment.section_key)
    return render(
        request,
        "consultation/handling.html",
        {
            "round": round_,
            "compilation": data,
            "undecided": undecided,
            "form": DispositionForm(),
            **_nav(request, round_),
        },
    )


def _comment(round_, comment_pk: int) -> AnswerComment:
    return get_object_or_404(
        AnswerComment.objects.select_related("answer__consultee__round", "section"),
        pk=comment_pk,
        answer__consultee__round=round_,
    )


@require_POST
@refusals
def disposition(request, pk: int, comment: int):
    round_ = _round(request, pk, "consultation.manage_round")
    return _record_decision(request, round_, _comment(round_, comment), "comment")


def _record_decision(request, round_, item, anchor: str):
    """A decision on any kind of comment (an answer's, the public's, a samråd outcome), by the one
    form and service; back to the item on the handling page."""
    form = DispositionForm(request.POST)
    if form.is_valid():
        try:
            services.disposition_record(item, user=request.user, **form.cleaned_data)
            messages.success(request, _("Decision recorded."))
        except ValidationError as error:
            _messages_from(request, error)
    else:
        messages.error(request, _("Choose a decision and give a reason."))
    return redirect(f"{_handling_url(round_)}#{anchor}-{item.pk}")


def _handling_url(round_) -> str:
    from django.urls import reverse

    return reverse("consultation:handling", kwargs={"pk": round_.pk})


@refusals
def apply(request, pk: int, comment: int):
    """Carry an accepted proposed wording into the working draft: the editor sees the draft
    section's text with the proposal in place of the passage it rewrites, as a diff, edits the
    result if needed ("Show the changes" again) and saves it ("Apply")."""
    round_ = _round(request, pk, "consultation.manage_round")
    item = _comment(round_, comment)
    record = get_object_or_404(Disposition, comment=item)
    back = f"{_handling_url(round_)}#comment-{item.pk}"
    if record.is_applied:
        messages.info(request, _("This proposal has already been applied to the working draft."))
        return redirect(back)
    try:
        section = services.proposal_target(record)
    except ValidationError as error:
        _messages_from(request, error)
        return redirect(back)
    require(request.user, "strategy.edit_draft", round_.strategy)
    placement = services.proposal_placement(record, section)
    form = ProposalApplyForm(
        request.POST or None,
        initial={"body_markdown": placement.text, "revision": section.revision},
    )
    conflict = False
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "apply":
        try:
            services.proposal_apply(
                record,
                user=request.user,
                expected_revision=form.cleaned_data["revision"],
                body_markdown=form.cleaned_data["body_markdown"],
            )
            messages.success(request, _("The proposed wording is now in the working draft."))
            return redirect(back)
        except EditConflict:
            # Someone saved the section meanwhile: show the diff against their text, keep the
            # editor's, and let the next "Apply" be against the revision now seen.
            conflict = True
            section = services.proposal_target(record)
            data = request.POST.copy()
            data["revision"] = str(section.revision)
            form = ProposalApplyForm(data)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
    result = form.cleaned_data["body_markdown"] if form.is_bound and form.is_valid() else None
    return render(
        request,
        "consultation/apply.html",
        {
            "round": round_,
            "comment": item,
            "section": section,
            "placement": placement,
            "form": form,
            "conflict": conflict,
            "spans": word_diff(section.body_markdown, placement.text if result is None else result),
            **_nav(request, round_),
        },
    )


@refusals
@query_parameters(CompilationQuery)
def compilation(request, pk: int, query):
    round_ = _round(request, pk, "consultation.view_compilation")
    data = selectors.compilation(round_)
    if export_format := query["format"]:
        header, rows = selectors.compilation_rows(data)
        return table_response(export_format, f"remissammanstallning-{round_.pk}", header, rows)
    # The same for everybody who may see it (issue #19).
    body = kept_fragment(
        ("compilation", round_.pk),
        "consultation/_compilation_body.html",
        lambda: {"round": round_, "data": data},
    )
    return render(
        request,
        "consultation/compilation.html",
        {"round": round_, "body": body, **_nav(request, round_)},
    )


@refusals
def compilation_pdf(request, pk: int):
    round_ = _round(request, pk, "consultation.view_compilation")
    document = printed(
        kind="consultation-compilation",
        key=round_.pk,
        template=exports.COMPILATION_TEMPLATE,
        data=exports.compilation_pdf_data(round_),
        language=get_language(),
        file_name=f"remissammanstallning-{round_.pk}.pdf",
    )
    back = reverse("consultation:compilation", kwargs={"pk": round_.pk})
    return document_response(request, document, back_url=back)


@login_required
def my_answer(request, pk: int):
    """Where a general link leads a member: their organisation's answer page."""
    round_ = selectors.round_get(pk)
    own = selectors.consultees_for_user(round_, request.user)
    if len(own) == 1:
        return redirect(own[0].get_answer_url())
    if not own:
        raise Http404(_("Your organisation is not a consultee of this round."))
    return redirect(round_)


# --- Dialogue meetings (samråd) ---------------------------------------------------------------


def _meeting_form_context(form, outcomes=None) -> dict:
    """The error summary of a meeting form and, when there is one, its outcomes' formset (each
    outcome's errors named with its number)."""
    labels = {field.name: field.label for field in form}
    items = error_summary(form, prefixes=labels) if form.is_bound else []
    if outcomes is not None and outcomes.is_bound:
        for number, outcome_form in enumerate(outcomes.forms, start=1):
            label = _("Outcome %(number)s") % {"number": number}
            for field in outcome_form:
                items += [
                    (f"#{field.id_for_label}", f"{label}, {field.label}: {e}") for e in field.errors
                ]
        items += [("#outcomes", str(e)) for e in outcomes.non_form_errors()]
    return {"form": form, "error_summary": items}


def _organisations():
    return Organisation.objects.order_by("name")


def _consulted_sections(round_):
    return selectors.sections_of(round_.version)


@refusals
def meeting_create(request, pk: int):
    """Plan a samråd: time, place or link, agenda, invited organisations and people, registration."""
    round_ = _round(request, pk, "consultation.manage_round")
    form = MeetingPlanForm(request.POST or None, organisations=_organisations())
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(round_, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect(meeting)
    return render(
        request,
        "consultation/meeting_form.html",
        {"round": round_, "editing": None, **_meeting_form_context(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@refusals
def meeting_detail(request, pk: int, meeting: int):
    round_ = _round(request, pk)
    item = selectors.meeting_get(round_, meeting)
    may_manage = request.user.has_perm("consultation.manage_round", round_)
    own = None
    if request.user.is_authenticated:
        own = next(
            (
                p
                for p in item.people.all()
                if p.user_id == request.user.pk
                or (request.user.email and p.email.lower() == request.user.email.lower())
            ),
            None,
        )
    return render(
        request,
        "consultation/meeting_detail.html",
        {
            "round": round_,
            "meeting": item,
            "may_manage": may_manage,
            "own": own,
            "register_form": RegisterForm(),
            "when": services.meeting_when(item),
            **_nav(request, round_),
        },
    )


def _register_page(request, round_, item, form, status=400):
    return render(
        request,
        "consultation/meeting_detail.html",
        {
            "round": round_,
            "meeting": item,
            "may_manage": request.user.has_perm("consultation.manage_round", round_),
            "own": None,
            "register_form": form,
            "error_summary": error_summary(form, prefixes={f.name: f.label for f in form}),
            "when": services.meeting_when(item),
            **_nav(request, round_),
        },
        status=status,
    )


@require_POST
@refusals
def meeting_register(request, pk: int, meeting: int):
    """Register for a samråd (anyone, when it is open; logged in, the invited too), or cancel
    one's own registration (logged in). Rate-limited, with a honeypot."""
    round_ = _round(request, pk)
    item = selectors.meeting_get(round_, meeting)
    if request.POST.get("action") == "cancel":
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Log in to cancel, or use the link in your mail."))
        person = item.people.filter(user=request.user).first()
        if person is None:
            raise PermissionDenied(_("You are not registered for this meeting."))
        try:
            services.meeting_unregister(person, user=request.user)
        except services.MeetingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(item.get_absolute_url() + "#registration")
    form = RegisterForm(request.POST)
    if request.user.is_authenticated:
        for name in ("name", "email"):
            form.fields[name].required = False
    if not form.is_valid():
        return _register_page(request, round_, item, form)
    try:
        services.meeting_register(
            item,
            user=request.user,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organisation_name=form.cleaned_data["organisation_name"],
            ip=client_ip(request),
            honeypot=form.cleaned_data["website"],
        )
    except services.MeetingRefused as refusal:
        form.add_error(None, str(refusal))
        return _register_page(request, round_, item, form)
    except ValidationError as error:
        _add_errors(form, error)
        return _register_page(request, round_, item, form, status=_refused_status(error))
    messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))
    return redirect(item.get_absolute_url() + "#registration")


def meeting_person(request, pk: int, token: str):
    """An invited person's own page (the link in their mail): register, or cancel."""
    try:
        person = services.meeting_person_from_token(token)
    except (signing.BadSignature, MeetingPerson.DoesNotExist):
        return render(request, "consultation/meeting_link_expired.html", status=400)
    if person.meeting.round_id != pk:
        raise Http404
    form = HoneypotMixin(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "cancel":
                services.meeting_unregister(person)
                messages.success(request, _("Your registration is cancelled."))
            else:
                services.meeting_register(
                    person.meeting,
                    person=person,
                    ip=client_ip(request),
                    honeypot=form.cleaned_data["website"],
                )
                messages.success(request, _("You are registered."))
        except services.MeetingRefused as refusal:
            messages.error(request, str(refusal))
        except RateLimited as refusal:  # shown on this page, not after a redirect
            messages.error(request, refusal.message)
            status = 429
        if status != 429:
            return redirect(request.path)
    return render(
        request,
        "consultation/meeting_person.html",
        {
            "person": person,
            "meeting": person.meeting,
            "round": person.meeting.round,
            "form": form,
            "when": services.meeting_when(person.meeting),
        },
        status=status,
    )


@refusals
def meeting_edit(request, pk: int, meeting: int):
    round_ = _round(request, pk, "consultation.manage_round")
    item = selectors.meeting_get(round_, meeting)
    form = MeetingPlanForm(
        request.POST or None,
        organisations=_organisations(),
        initial=MeetingPlanForm.initial_from(item),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting is changed."))
            return redirect(item)
    return render(
        request,
        "consultation/meeting_form.html",
        {"round": round_, "editing": item, **_meeting_form_context(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@refusals
def meeting_minutes(request, pk: int, meeting: int):
    """Record a held samråd: minutes, participants (people and organisations), outcomes."""
    round_ = _round(request, pk, "consultation.manage_round")
    item = selectors.meeting_get(round_, meeting)
    if item.is_cancelled:
        messages.error(request, _("A cancelled meeting cannot be recorded."))
        return redirect(item)
    if not item.has_begun:
        messages.error(request, services.not_begun_message(item))
        return redirect(item)
    sections = _consulted_sections(round_)
    section_ids = [s.pk for s in sections]
    section_queryset = Section.objects.filter(pk__in=section_ids)
    data = request.POST if request.method == "POST" else None
    form = MeetingRecordForm(
        data,
        meeting=item,
        organisations=_organisations(),
        sections=section_queryset,
        initial=MeetingRecordForm.initial_from(item),
    )
    outcomes = outcome_formset(data, item, section_queryset)
    for outcome_form in outcomes.forms:
        outcome_form.fields["section"].choices = [("", _("(no particular section)"))] + [
            (s.pk, _section_label(s)) for s in sections
        ]
    if request.method == "POST" and form.is_valid() & outcomes.is_valid():
        records = [
            services.OutcomeInput(text=f.cleaned_data["text"], section=f.cleaned_data["section"])
            for f in outcomes.forms
            if f.cleaned_data.get("text")
        ]
        try:
            services.meeting_record(item, user=request.user, outcomes=records, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The minutes are recorded."))
            return redirect(item)
    return render(
        request,
        "consultation/meeting_minutes.html",
        {
            "round": round_,
            "meeting": item,
            "outcomes": outcomes,
            **_meeting_form_context(form, outcomes),
        },
        status=400 if request.method == "POST" else 200,
    )


@refusals
def meeting_cancel(request, pk: int, meeting: int):
    round_ = _round(request, pk, "consultation.manage_round")
    item = selectors.meeting_get(round_, meeting)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(item, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("The meeting is cancelled."))
        return redirect(item)
    return render(
        request,
        "consultation/meeting_confirm.html",
        {"round": round_, "meeting": item, "form": form, "action": "cancel"},
    )


@refusals
def meeting_delete(request, pk: int, meeting: int):
    round_ = _round(request, pk, "consultation.manage_round")
    item = selectors.meeting_get(round_, meeting)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.meeting_delete(item, user=request.user)
        messages.success(request, _("The meeting “%(title)s” is deleted.") % {"title": item.title})
        return redirect(round_.get_absolute_url() + "#meetings-heading")
    return render(
        request,
        "consultation/meeting_confirm.html",
        {"round": round_, "meeting": item, "form": None, "action": "delete"},
    )


# --- Public comments (a round open to the public) -------------------------------------------------


def _public_round(request, pk: int):
    round_ = _round(request, pk)
    if not round_.is_public:
        raise Http404(_("This consultation is not open to the public's comments."))
    return round_


def _public_url(round_, anchor: str = "") -> str:
    url = reverse("consultation:public", kwargs={"pk": round_.pk})
    return f"{url}#{anchor}" if anchor else url


def _public_form(request, section, data=None) -> PublicCommentForm:
    return PublicCommentForm(
        data,
        signed_in=request.user.is_authenticated,
        auto_id=f"id_s{section.pk}_%s",
    )


def _public_page(request, round_, *, bound=None, bound_section=None, status=400):
    """The consulted version, section by section, each with its published comments and a form;
    the form of the section just commented on keeps what was typed, with its errors."""
    may_moderate = request.user.has_perm("consultation.manage_round", round_)
    page = selectors.public_page(round_, may_moderate=may_moderate)
    takes = services.takes_public_comments(round_)
    for entry in page.sections:
        if bound is not None and entry.section.pk == bound_section.pk:
            entry.form, entry.form_open = bound, True
        else:
            entry.form, entry.form_open = (
                (_public_form(request, entry.section) if takes else None),
                False,
            )
    return render(
        request,
        "consultation/public.html",
        {
            "round": round_,
            "page": page,
            "takes_comments": takes,
            "may_moderate": may_moderate,
            "form": bound,
            # Each fault named by its field's label ("Your e-mail address: Enter a valid …").
            "error_summary": error_summary(
                bound, prefixes={field.name: field.label for field in bound}
            )
            if bound is not None
            else [],
            **_nav(request, round_),
        },
        status=status if bound is not None else 200,
    )


@refusals
def public_text(request, pk: int):
    round_ = _public_round(request, pk)
    return _public_page(request, round_)


@require_POST
@refusals
def public_comment(request, pk: int, section: int):
    round_ = _public_round(request, pk)
    target = get_object_or_404(round_.version.sections.all(), pk=section)
    form = _public_form(request, target, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.public_comment_submit(
                round_,
                section=target,
                user=request.user,
                body=data["body"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                ip=client_ip(request),
                honeypot=data.get("website", ""),
            )
        except ValidationError as error:
            _add_errors(form, error)
            status = _refused_status(error)
        else:
            if comment is None or comment.author_id is None:
                messages.success(
                    request,
                    _(
                        "Thank you! Open the link we have mailed to you to confirm your comment; "
                        "it is published once a moderator has read it."
                    ),
                )
            else:
                messages.success(
                    request, _("Thank you! Your comment is published once a moderator has read it.")
                )
            return redirect(_public_url(round_, target.anchor))
    else:
        status = 400
    return _public_page(request, round_, bound=form, bound_section=target, status=status)


@refusals
def public_confirm(request, token: str):
    """The signed link mailed to a visitor: a page with one button (a link opened by a mail
    scanner confirms nothing), which confirms the comment."""
    if request.method == "POST":
        try:
            comment = services.public_comment_confirm(token)
        except ValidationError as error:
            return render(
                request,
                "consultation/public_confirm.html",
                {"invalid": " ".join(error.messages)},
                status=400,
            )
        messages.success(
            request,
            _(
                "Thank you: your comment is confirmed. It is published once a moderator has read it."
            ),
        )
        return redirect(_public_url(comment.round, comment.section.anchor))
    return render(request, "consultation/public_confirm.html", {"token": token})


@refusals
def moderation(request, pk: int):
    round_ = _round(request, pk, "consultation.manage_round")
    return render(
        request,
        "consultation/moderation.html",
        {
            "round": round_,
            "moderation": selectors.moderation(round_),
            **_nav(request, round_),
        },
    )


@require_POST
@refusals
def moderate(request, pk: int, comment: int):
    round_ = _round(request, pk, "consultation.manage_round")
    item = selectors.public_comment_get(round_, comment)
    form = PublicModerationForm(request.POST)
    if form.is_valid():
        try:
            services.public_comment_moderate(
                item, user=request.user, action=form.cleaned_data["action"]
            )
            messages.success(
                request,
                _("The comment is published.")
                if item.is_published
                else _("The comment is hidden."),
            )
        except ValidationError as error:
            _messages_from(request, error)
    else:
        messages.error(request, _("Choose whether to publish or hide the comment."))
    return redirect(reverse("consultation:moderation", kwargs={"pk": round_.pk}))


@require_POST
@refusals
def public_disposition(request, pk: int, comment: int):
    """A decision on a published public comment: the same form and service as an answer's."""
    round_ = _round(request, pk, "consultation.manage_round")
    return _record_decision(
        request, round_, selectors.public_comment_get(round_, comment), "public-comment"
    )


@require_POST
@refusals
def outcome_disposition(request, pk: int, outcome: int):
    """A decision on an outcome of a held samråd: the same form and service as a comment's."""
    round_ = _round(request, pk, "consultation.manage_round")
    return _record_decision(request, round_, selectors.outcome_get(round_, outcome), "outcome")
