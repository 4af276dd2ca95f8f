"""What every app's services do before and while they write: require the user's permission on
the object, and name the user as the author of the history record the write leaves.

The apps' own `services.py` modules hold the writes; this module holds only what they share,
and `rows_written`, the signal of rows written past save().
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

# Sent by a service that writes rows past save() (bulk_create, update()), which Django's
# post_save never tells of: `sender` is the model, `pks` the primary keys of the rows written.
# Whoever keeps something derived from the rows listens (the site search's stored documents,
# `portal/search_index.py`).
rows_written = Signal()


def acting_user(user):
    """The user to record as the one who acted: None for an anonymous visitor or a background job
    without a user, so that a foreign key to the user is never given an AnonymousUser."""
    return user if user is not None and user.is_authenticated else None


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` has `permission` (on `obj`, when given): the one
    precondition of every write, checked by the service itself so that views, the API, the admin
    and the command line obey the same rules."""
    if user.has_perm(permission, obj):
        return
    if obj is None:
        raise PermissionDenied(_("You may not do this."))
    raise PermissionDenied(_("You may not do this on “%(object)s”.") % {"object": obj})


def with_history_user(instance, user):
    """The instance, with `user` as the author of the history record its next save or delete
    leaves (django-simple-history reads `_history_user`; outside a request nothing else sets it)."""
    instance._history_user = acting_user(user)
    return instance


def email_address(value: str | None, field: str = "email") -> str:
    """The address, trimmed, or a ValidationError on `field` that quotes what was given."""
    email = (value or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {field: _("“%(email)s” is not an e-mail address.") % {"email": email}}
        ) from None
    return email


def failure_text(error: Exception, limit: int = 300) -> str:
    """Why a background job (an import, a report) failed, for the person who started it: the
    error's words on one line, never a path on the server. An OSError says what happened to the
    file (its strerror, "No such file or directory") without the path it names; in any other
    text the media folder (where uploads and made files are kept) is replaced by "…"."""
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    else:
        text = " ".join(str(error).split()).replace(str(settings.MEDIA_ROOT), "…")
    return text[:limit] or type(error).__name__


def on_task_failure(task):
    """Decorate `handler(*args, reason=…, **kwargs)`, called with the arguments of a run of
    `task` that ended failed: the task raised, or the worker running it stopped during each of
    its attempts (`ops.leases`). The handler makes the task's own record (an import, a PDF) say
    so, instead of waiting for ever; `reason` is worded as `failure_text` words it."""

    def connect(handler):
        def receiver(sender, task_result, **kwargs):
            if (
                task_result.status == TaskResultStatus.FAILED
                and task_result.task.module_path == task.module_path
            ):
                handler(
                    *task_result.args, reason=_task_failure_text(task_result), **task_result.kwargs
                )

        task_finished.connect(receiver, weak=False, dispatch_uid=f"failure of {task.module_path}")
        return handler

    return connect


def _task_failure_text(task_result) -> str:
    """The last line of the failed run's traceback, without the exception's class."""
    lines = task_result.errors[-1].traceback.strip().splitlines() if task_result.errors else []
    last = lines[-1] if lines else ""
    return failure_text(Exception(last.partition(": ")[2] or last))


REMINDER_HOUR = 8  # reminders go out at eight in the morning, Swedish time
_SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


def reminder_times(deadline: datetime.date, days_before: int) -> list[datetime.datetime]:
    """When the reminders of a deadline are due: `days_before` it and the day after it."""
    at = datetime.time(REMINDER_HOUR, tzinfo=_SWEDISH_TIME)
    return [
        datetime.datetime.combine(deadline - datetime.timedelta(days=days_before), at),
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), at),
    ]


def schedule_reminder_passes(task, deadline: datetime.date, days_before: int) -> None:
    """Once the transaction commits, queue the (idempotent) reminder pass `task` for each time
    the reminders of the deadline become due (at once for a time already past)."""

    def enqueue():
        now = timezone.now()
        for when in reminder_times(deadline, days_before):
            if when > now:
                task.using(run_after=when).enqueue()
            else:
                task.enqueue()

    transaction.on_commit(enqueue)
