"""Background work: a printed document's PDF is made in the task worker."""

from django_tasks import task

from mineralstrategi.services import on_task_failure

from .models import PrintedDocument
from .services import document_abandon, document_print


@task()
def print_document(document_id: int) -> str:
    document = PrintedDocument.objects.filter(pk=document_id).first()
    if document is None or document.status == PrintedDocument.Status.DONE:
        return "done"  # deleted meanwhile, or a task delivered twice: the work is done once
    # RUNNING: the worker making it died; make it again.
    return document_print(document).status


@on_task_failure(print_document)
def _print_document_failed(document_id: int, *, reason: str) -> None:
    document_abandon(document_id, reason=reason)
