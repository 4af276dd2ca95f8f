"""What each kind of event says, worded when it is read (on a page or in a mail), in the reader's
language: the parameters an event stores are names and numbers, never sentences.

`TRANSLATED` parameters hold an English source text (e.g. a decision's label) that is translated
when the sentence is made.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SECTION_CHANGED = "section_changed"
VERSION_FROZEN = "version_frozen"
VERSION_ADOPTED = "version_adopted"
INITIATIVE_APPROVED = "initiative_approved"
INITIATIVE_APPROVED_NOTE = "initiative_approved_note"
INITIATIVE_RETURNED = "initiative_returned"
INITIATIVE_REJECTED = "initiative_rejected"
INITIATIVE_RESUBMITTED = "initiative_resubmitted"
ROUND_SENT = "round_sent"
COMMENT_APPROVED = "comment_approved"
COMMENT_DECIDED = "comment_decided"
COMMENT_AWAITS_MODERATION = "comment_awaits_moderation"
INDICATOR_VALUES = "indicator_values"
REPORT_REQUESTED = "report_requested"
REPORT_DUE = "report_due"
REPORT_LATE = "report_late"
YEARLY_REPORT_REVIEW = "yearly_report_review"
YEARLY_REPORT_REVIEW_COMMENT = "yearly_report_review_comment"

TEXTS = {
    SECTION_CHANGED: _("The section “%(section)s” of %(strategy)s was changed."),
    VERSION_FROZEN: _("Version %(number)s of %(strategy)s was frozen."),
    VERSION_ADOPTED: _("Version %(number)s of %(strategy)s was adopted."),
    INITIATIVE_APPROVED: _("The initiative “%(initiative)s” was approved."),
    INITIATIVE_APPROVED_NOTE: _(
        "The initiative “%(initiative)s” was approved. The strategy editor noted: %(reason)s"
    ),
    INITIATIVE_RETURNED: _(
        "The initiative “%(initiative)s” was returned for changes: %(reason)s "
        "Change it and submit it again."
    ),
    INITIATIVE_REJECTED: _("The initiative “%(initiative)s” was rejected: %(reason)s"),
    INITIATIVE_RESUBMITTED: _(
        "The initiative “%(initiative)s” was changed and submitted again for approval."
    ),
    ROUND_SENT: _("The remiss “%(round)s” on %(strategy)s was sent out."),
    COMMENT_APPROVED: _("Your comment on “%(target)s” was approved and published."),
    COMMENT_DECIDED: _("Your comment on “%(target)s” got a decision: %(decision)s."),
    COMMENT_AWAITS_MODERATION: _("A comment on “%(target)s” awaits moderation."),
    INDICATOR_VALUES: _("New values for the indicator “%(indicator)s”: %(count)s observations."),
    REPORT_REQUESTED: _(
        "%(organisation)s is asked to report for “%(period)s” of %(strategy)s by %(deadline)s."
    ),
    REPORT_DUE: _("The report on “%(subject)s” for “%(period)s” is due by %(deadline)s."),
    REPORT_LATE: _(
        "The report on “%(subject)s” for “%(period)s” is late: the deadline was %(deadline)s."
    ),
    YEARLY_REPORT_REVIEW: _(
        "The yearly report %(year)s of %(strategy)s is out for the partnership's review until "
        "%(date)s."
    ),
    YEARLY_REPORT_REVIEW_COMMENT: _(
        "%(organisation)s commented on the draft of the yearly report %(year)s of %(strategy)s."
    ),
}
TRANSLATED = frozenset({"decision"})


class Params(dict):
    """The parameters for the sentence: a missing one reads as empty, never as an error."""

    def __missing__(self, key):
        return ""


def describe(kind: str, params: dict) -> str:
    """The sentence for an event of `kind`, in the active language."""
    text = TEXTS.get(kind)
    if text is None:
        return gettext("Something happened (%(kind)s).") % {"kind": kind}
    values = Params(
        {key: gettext(value) if key in TRANSLATED else value for key, value in params.items()}
    )
    return str(text) % values
