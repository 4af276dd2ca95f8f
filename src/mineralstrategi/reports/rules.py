"""Who may adopt a strategy's yearly report: its editors (`strategy.rules.may_edit`: the strategy
editors of the partnership and superusers), as they adopt its versions and change its annual
wheel. Reading needs no rule of its own: the live report (a draft) is read with
`strategy.view_draft`, adopted reports with their strategy."""

import rules

from mineralstrategi.strategy.rules import may_edit

# On a strategy:
rules.add_perm("reports.adopt_report", may_edit)
