"""Asking for a printed document, and making it (in the task worker): from HTML with
WeasyPrint (`mineralstrategi.pdf`), or from data with a Typst template
(`mineralstrategi.typst_pdf`)."""

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

import mineralstrategi
from mineralstrategi.pdf import ProgressCallback, render_pdf
from mineralstrategi.services import failure_text
from mineralstrategi.typst_pdf import render_typst_pdf

from .models import PrintedDocument

# A failed document is tried again by the first request this long after the failure.
RETRY_AFTER_FAILURE = timedelta(minutes=10)
FOLDER = "printed"
PROGRESS_TIMEOUT = 60 * 60


def progress_key(document_id: int) -> str:
    return f"printed-document-progress-{document_id}"


def document_progress(document: PrintedDocument) -> int:
    """How far the making of the document has come, in per cent (told by the worker through the
    `progress` cache)."""
    if document.status == PrintedDocument.Status.DONE:
        return 100
    return caches["progress"].get(progress_key(document.pk)) or 0


def fingerprint(*material: object) -> str:
    """The same for the same material (HTML and style sheets, or template and data) printed by
    the same release."""
    text = json.dumps([mineralstrategi.__version__, *material])
    return hashlib.sha256(text.encode()).hexdigest()


def printed(
    *,
    kind: str,
    key: object,
    language: str,
    file_name: str,
    html: str = "",
    stylesheets: Sequence[str] = (),
    template: str = "",
    data: str = "",
) -> PrintedDocument:
    """The document of `html` with its style sheets (WeasyPrint), or of a Typst `template` with
    its `data` as JSON (`mineralstrategi.typst_pdf`): made, being made, or failed. Asked for the
    first time (or again a while after a failure), its making is queued once the transaction
    commits."""
    # (The HTML's in the order of before Typst, so that no kept document is made again.)
    material = [template, data] if template else [list(stylesheets), html]
    identity = {"kind": kind, "key": str(key), "fingerprint": fingerprint(*material)}
    document = PrintedDocument.objects.filter(**identity).first()
    if document is None:
        try:
            with transaction.atomic():
                document = PrintedDocument.objects.create(
                    **identity,
                    language=language,
                    html=html,
                    stylesheets=list(stylesheets),
                    template=template,
                    data=data,
                    file_name=file_name,
                )
        except IntegrityError:  # another request asked for it at the same moment
            return PrintedDocument.objects.get(**identity)
        _queue(document)
    elif _may_retry(document):
        document = _ask_again(document)
    return document


def _may_retry(document: PrintedDocument) -> bool:
    return (
        document.status == PrintedDocument.Status.FAILED
        and document.finished_at is not None
        and document.finished_at < timezone.now() - RETRY_AFTER_FAILURE
    )


def _queue(document: PrintedDocument) -> None:
    from .tasks import print_document

    transaction.on_commit(lambda: print_document.enqueue(document.pk))


def _ask_again(document: PrintedDocument) -> PrintedDocument:
    """Back to waiting, and its making queued again."""
    PrintedDocument.objects.filter(pk=document.pk).update(
        status=PrintedDocument.Status.PENDING, stored_file="", error="", finished_at=None
    )
    document.refresh_from_db()
    _queue(document)
    return document


def document_lost(document: PrintedDocument) -> PrintedDocument:
    """The document's file is gone from the storage (restored from an older backup, emptied by
    hand): it is made again."""
    return _ask_again(document)


def document_print(document: PrintedDocument) -> PrintedDocument:
    """Make the PDF of a document asked for (the task's work); a failure is recorded, not
    raised. The older documents of the same thing and language are deleted once it is made."""
    PrintedDocument.objects.filter(pk=document.pk).update(status=PrintedDocument.Status.RUNNING)
    progress = caches["progress"]

    def told(percent: int) -> None:
        progress.set(progress_key(document.pk), percent, PROGRESS_TIMEOUT)

    try:
        pdf = _laid_out(document, told)
        name = default_storage.save(
            f"{FOLDER}/{document.kind}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
        )
    except Exception as error:  # noqa: BLE001 (recorded for the reader; the worker goes on)
        PrintedDocument.objects.filter(pk=document.pk).update(
            status=PrintedDocument.Status.FAILED,
            error=failure_text(error, 2000),
            finished_at=timezone.now(),
        )
    else:
        PrintedDocument.objects.filter(pk=document.pk).update(
            status=PrintedDocument.Status.DONE, stored_file=name, finished_at=timezone.now()
        )
        _forget_older(document)
    progress.delete(progress_key(document.pk))
    document.refresh_from_db()
    return document


def _laid_out(document: PrintedDocument, progress: ProgressCallback) -> bytes:
    """The PDF of the document, by the engine it was asked of."""
    if document.template:
        return render_typst_pdf(document.template, document.data, progress=progress)
    return render_pdf(document.html, document.stylesheets, progress=progress)


def document_abandon(document_id: int, *, reason: str) -> None:
    """A document whose task failed without making it (`services.on_task_failure`) is failed,
    with the reason: the next request after a while asks for it again."""
    PrintedDocument.objects.filter(
        pk=document_id,
        status__in=[PrintedDocument.Status.PENDING, PrintedDocument.Status.RUNNING],
    ).update(status=PrintedDocument.Status.FAILED, error=reason, finished_at=timezone.now())


def _forget_older(document: PrintedDocument) -> None:
    older = PrintedDocument.objects.filter(
        kind=document.kind, key=document.key, language=document.language, pk__lt=document.pk
    ).exclude(status__in=[PrintedDocument.Status.PENDING, PrintedDocument.Status.RUNNING])
    for name in older.exclude(stored_file="").values_list("stored_file", flat=True):
        default_storage.delete(name)
    older.delete()
