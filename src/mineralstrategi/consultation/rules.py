"""Who may do what in a consultation.

- Anyone reads a round once it has been sent, and the submitted answers (public documents):
  `ConsultationRound.visibility` and `Answer.visibility` (models.py), registered as
  `consultation.view_consultationround` and `view_answer`.
- The compilation is the team's (partnership members) while the round runs and public once the
  round is closed: `consultation.view_compilation`, the one rule for its pages, exports, API and tab.
- The round's owners — strategy editors of the strategy's partnership (and superusers) — plan and
  send it, add consultees, extend deadlines, record dispositions, apply proposals and follow the
  progress. They never see an answer before its organisation submits it.
- An answer belongs to its consultee organisation: its members whose role reads draft answers
  (ROLE_READS) read its draft; only the members with the consultation-officer role write, submit,
  correct or decline for it.
  A superuser may read a draft (support) but never answers for an organisation.

Answer-level predicates take an Answer, a Consultee, an Attachment or an AnswerComment: each has
`.organisation`, which is what `has_role` checks.
"""

import rules

from mineralstrategi.organisations.models import Role
from mineralstrategi.organisations.rules import has_role
from mineralstrategi.strategy.rules import is_partnership_editor, is_partnership_member

from .models import DRAFT_READERS, ConsultationRound, RoundStatus

is_superuser = rules.is_superuser
is_consultation_officer = has_role(Role.CONSULTATION_OFFICER)
may_manage = is_superuser | is_partnership_editor
may_view_progress = is_superuser | is_partnership_member


@rules.predicate
def is_finished(user, round_) -> bool:
    """The round is closed (or compiled): its compilation is public from then on."""
    return round_ is not None and round_.status in (RoundStatus.CLOSED, RoundStatus.COMPILED)


rules.add_perm("consultation.manage_round", may_manage)
rules.add_perm("consultation.view_progress", may_view_progress)
# The compilation (page, PDF, CSV/XLSX, API): the team's while the round runs; once it is closed,
# everyone's who may read the round. The sub-navigation shows its tab by this rule too.
rules.add_perm(
    "consultation.view_compilation",
    may_view_progress | (is_finished & ConsultationRound.visibility.predicate),
)

# On a Consultee (its organisation answers).
rules.add_perm("consultation.view_draft", is_superuser | DRAFT_READERS.predicate)
rules.add_perm("consultation.answer", is_consultation_officer)
rules.add_perm("consultation.decline", is_consultation_officer)

# The admin's model permissions (its pages are the superuser's alone, see admin.py).
rules.add_perm("consultation.change_consultationround", is_superuser)
rules.add_perm("consultation.view_meeting", is_superuser)
rules.add_perm("consultation.change_meeting", is_superuser)
rules.add_perm("consultation.add_meeting", is_superuser)
