"""The compilation (remissammanställning) as PDF, laid out by Typst (`mineralstrategi.typst_pdf`)
from the round's compilation as data: `consultation/typst/compilation.typ` reads the JSON made
here. Every word the template prints comes from here (the labels translated into the request's
language), and every text a person wrote is a JSON string, never markup."""

import json

from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext

from mineralstrategi.caching.until_a_write import UntilAWrite
from mineralstrategi.markup import markdown_as_text

from . import selectors

COMPILATION_TEMPLATE = "consultation/typst/compilation.typ"
NO_VALUE = "–"

# The JSON of a round's compilation to print, until the next write: the page that waits for the
# PDF asks for it every few seconds, and 2,400 comments make about 1.1 MB of it.
COMPILATION_DATA: UntilAWrite[str] = UntilAWrite(maxsize=8)


def compilation_pdf_data(round_) -> str:
    """The data of the round's compilation PDF as JSON, in the active language, kept until the
    next write."""
    today = timezone.localdate()
    return COMPILATION_DATA.get_or_compute(
        (round_.pk, today),
        lambda: json.dumps(
            compilation_document(selectors.compilation(round_), printed_at=today),
            ensure_ascii=False,
            separators=(",", ":"),
        ),
    )


def compilation_document(data: selectors.Compilation, *, printed_at) -> dict:
    """What the compilation PDF shows, as plain values: the same parts as the compilation's page
    (title page, totals, overall positions, the comments per section, public comments,
    consultees, changes and samråd)."""
    round_ = data.round
    title = gettext("Consultation report")
    return {
        "language": (get_language() or "sv").split("-")[0],  # Typst takes ISO 639 alone
        "title": f"{title} – {round_.title}",
        "header": f"{round_.registry_number} · {round_.title}",
        "title_page": _title_page(round_),
        "compiled": _compiled(round_),
        "totals": _totals(data),
        "overall": _overall(data),
        "sections": _sections(data),
        "public": _public(data),
        "consultees": _consultees(data),
        "changes": _changes(data),
        "meetings": _meetings(data),
        "printed": gettext("Printed %(date)s.") % {"date": printed_at.isoformat()},
        "labels": _labels(),
    }


def _labels() -> dict[str, str]:
    """The words the template prints around the data, in the active language."""
    return {
        "comments_per_section": gettext("Comments per section"),
        "stance": gettext("Stance"),
        "decision": gettext("Decision"),
        "reason": gettext("Reason"),
        "no_comments": gettext("No comments."),
        "totals": gettext("Totals"),
        "overall_positions": gettext("Overall positions"),
        "consultee": gettext("Consultee"),
        "overall_position": gettext("Overall position"),
        "overall_comment": gettext("Overall comment"),
        "no_answers": gettext("No answers yet."),
        "public_comments": gettext("Public comments"),
        "written_by": gettext("Written by"),
        "comment": gettext("Comment"),
        "consultees": gettext("Consultees"),
        "organisation": gettext("Organisation"),
        "state": gettext("State"),
        "registry_reference": gettext("Registry reference"),
        "changes": gettext("Changes made in the next version"),
        "section": gettext("Section"),
        "new_wording": gettext("New wording"),
        "from_comment_of": gettext("From the comment of"),
        "meetings": gettext("Dialogue meetings (samråd)"),
        "participants": gettext("Participating organisations"),
        "minutes": gettext("Minutes"),
        "outcomes": gettext("Outcomes"),
        "about": pgettext("section", "about"),
    }


def _text(value) -> str:
    """A person's text as printed: line breaks kept (as `linebreaksbr` does), never markup."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _title_page(round_) -> dict:
    registry_number, deadline = gettext("Registry number"), gettext("Deadline")
    lines = [
        f"{registry_number}: {round_.registry_number}",
        f"{round_.strategy.title} – {round_.version.display_name}",
        f"{deadline}: {date_format(round_.deadline, 'Y-m-d')}",
    ]
    example = gettext(
        "Example data: this consultation round, its answers and its decisions were invented for "
        "the demonstration of the platform."
    )
    return {
        "heading": gettext("Consultation report (remissammanställning)"),
        "subtitle": round_.title,
        "lines": lines,
        "example": example if round_.is_example else "",
    }


def _compiled(round_) -> dict | None:
    if not round_.compiled_reason:
        return None
    return {
        "heading": gettext("Compiled with comments undecided"),
        "reason": _text(round_.compiled_reason),
        "undecided_intro": gettext("Comments without a decision when the round was compiled:"),
        "undecided": _text(round_.compiled_undecided),
    }


def _totals(data: selectors.Compilation) -> list[dict]:
    """Three small tables: the consultees' states, the comments' stances and decisions."""
    states, stances, decisions = data.state_counts, data.stance_counts, data.decision_counts
    return [
        _table(
            gettext("Consultees"),
            [
                (gettext("Answered"), states["answered"]),
                (gettext("Declined"), states["declined"]),
                (gettext("Not answered"), states["silent"]),
            ],
        ),
        _table(
            gettext("Section comments by stance"),
            [
                (pgettext("consultation stance", "Support"), stances["support"]),
                (pgettext("consultation stance", "Object"), stances["object"]),
                (pgettext("consultation stance", "Propose new wording"), stances["propose"]),
            ],
        ),
        _table(
            gettext("Section comments by decision"),
            _decision_rows(decisions, data.undecided),
        ),
    ]


def _decision_rows(counts: dict[str, int], undecided: int) -> list[tuple[str, int]]:
    return [
        (gettext("Accepted"), counts["accepted"]),
        (gettext("Partly accepted"), counts["partly_accepted"]),
        (gettext("Not accepted"), counts["not_accepted"]),
        (gettext("Noted"), counts["noted"]),
        (gettext("No decision yet"), undecided),
    ]


def _table(caption: str, rows: list[tuple[str, int]]) -> dict:
    return {"caption": caption, "rows": [[label, str(count)] for label, count in rows]}


def _overall(data: selectors.Compilation) -> list[dict]:
    return [
        {
            "by": consultee.organisation.name,
            "ref": answer.registry_reference,
            "position": str(answer.get_position_display()),
            "comment": _text(answer.comment) or NO_VALUE,
        }
        for consultee in data.consultees
        if (answer := consultee.current_answer) is not None
    ]


def _section_title(section) -> str:
    return f"{section.outline} {section.title}" if section.outline else section.title


def _decision(item) -> tuple[str, str]:
    """The decision on a comment (or outcome) and its reason: "–" and "" before one is made."""
    disposition = getattr(item, "disposition", None)
    if disposition is None:
        return NO_VALUE, ""
    return str(disposition.get_decision_display()) or NO_VALUE, _text(disposition.reason)


def _sections(data: selectors.Compilation) -> list[dict]:
    return [
        {
            "title": _section_title(entry.section),
            "comments": [_comment(comment) for comment in entry.comments],
        }
        for entry in data.sections
    ]


def _comment(comment) -> dict:
    decision, reason = _decision(comment)
    return {
        "by": comment.answer.consultee.organisation.name,
        "ref": comment.answer.registry_reference,
        "stance": str(comment.get_stance_display()),
        "text": _text(comment.comment),
        "proposal": _text(comment.proposed_text),
        "decision": decision,
        "reason": reason,
    }


def _public(data: selectors.Compilation) -> dict | None:
    if not (data.round.is_public or data.public_comment_count):
        return None
    return {
        "intro": gettext(
            "Comments from the public on the consulted text, published after moderation. They "
            "are not consultation answers and are reported apart from them."
        ),
        "totals": _table(
            gettext("Public comments by decision"),
            _decision_rows(data.public_decision_counts, data.public_undecided),
        ),
        "sections": [
            {
                "title": _section_title(entry.section),
                "comments": [_public_comment(comment) for comment in entry.public_comments],
            }
            for entry in data.sections
            if entry.public_comments
        ],
        "none": ""
        if data.public_comment_count
        else gettext("No public comment has been published."),
    }


def _public_comment(comment) -> dict:
    decision, reason = _decision(comment)
    return {
        "by": comment.name,
        "date": date_format(comment.created_at, "Y-m-d"),
        "text": _text(comment.body),
        "decision": decision,
        "reason": reason,
    }


def _consultees(data: selectors.Compilation) -> list[list[str]]:
    rows = []
    for consultee in data.consultees:
        state = str(consultee.get_state_display())
        if consultee.decline_reason and consultee.state == "declined":
            state = f"{state}: {_text(consultee.decline_reason)}"
        rows.append([consultee.organisation.name, state, consultee.registry_reference])
    return rows


def _changes(data: selectors.Compilation) -> dict:
    if data.next_version:
        next_version = gettext("Next version: %(name)s.") % {"name": data.next_version.display_name}
    else:
        next_version = gettext(
            "The changes are in the working draft; no later version has been frozen yet."
        )
    rows = [
        [
            disposition.comment.section.title,
            _text(disposition.comment.proposed_text),
            f"{disposition.comment.answer.consultee.organisation.name} "
            f"({disposition.comment.answer.registry_reference})",
            str(disposition.get_decision_display()),
        ]
        for disposition in data.changes
    ]
    none = "" if rows else gettext("No proposed wording has been applied yet.")
    return {"next_version": next_version, "rows": rows, "none": none}


def _meetings(data: selectors.Compilation) -> list[dict]:
    """The held samråd: when and where, who took part, the minutes (what a reader sees of their
    Markdown, as text) and the outcomes with their decisions."""
    return [_meeting(meeting) for meeting in data.meetings]


def _meeting(meeting) -> dict:
    when = date_format(meeting.held_at, "Y-m-d H:i")
    if meeting.ends_at:
        when += f"–{date_format(meeting.ends_at, 'H:i')}"
    line = " · ".join(
        part for part in (str(meeting.get_status_display()), when, meeting.place) if part
    )
    return {
        "title": meeting.title,
        "line": line,
        "participants": ", ".join(o.name for o in meeting.participants.all()),
        "minutes": markdown_as_text(meeting.notes),
        "outcomes": [_outcome(outcome) for outcome in meeting.outcomes.all()],
    }


def _outcome(outcome) -> dict:
    decision, reason = _decision(outcome)
    return {
        "text": _text(outcome.text),
        "section": outcome.section.title if outcome.section else "",
        "decision": decision if getattr(outcome, "disposition", None) else "",
        "reason": reason,
    }
