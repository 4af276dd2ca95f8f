"""Who may write news and events, and who moderates comments.

Portal editors and moderators are staff users in the Django groups "Portal editors" and
"Portal moderators" (a superuser is both). Visitors need no account to comment or register.
"""

import rules

EDITORS_GROUP = "Portal editors"
MODERATORS_GROUP = "Portal moderators"


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated or not user.is_staff:
        return False
    groups = getattr(user, "_portal_groups", None)
    if groups is None:
        groups = set(user.groups.values_list("name", flat=True))
        user._portal_groups = groups
    return name in groups


@rules.predicate
def is_portal_editor(user) -> bool:
    return _in_group(user, EDITORS_GROUP)


@rules.predicate
def is_portal_moderator(user) -> bool:
    return _in_group(user, MODERATORS_GROUP)


may_edit = rules.is_superuser | is_portal_editor
may_moderate = rules.is_superuser | is_portal_moderator

rules.add_perm("portal.edit_content", may_edit)
rules.add_perm("portal.moderate_comments", may_moderate)
# The admin's model permissions follow the same rules. Reading is the models' `visibility`
# (models.py), registered as portal.view_newsarticle, view_event, view_eventregistration and
# view_comment: what is public to everyone, the rest to the editors (comments: the moderators).
rules.add_perm("portal.view_tag", may_edit)
for model in ("newsarticle", "event", "tag", "eventregistration"):
    for action in ("add", "change", "delete"):
        rules.add_perm(f"portal.{action}_{model}", may_edit)
for action in ("change", "delete"):
    rules.add_perm(f"portal.{action}_comment", may_moderate)
