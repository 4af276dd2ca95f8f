"""The answer to a request for a printed document: the PDF, or a page saying when it will be."""

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from . import services
from .models import PrintedDocument

# How soon the page that waits for a PDF asks again (seconds).
RELOAD_SECONDS = 3


def document_response(request, document: PrintedDocument, *, back_url: str) -> HttpResponse:
    """The PDF once made; until then a page that says it is being made and reloads itself
    (202 Accepted), or that it failed (503, to be tried again later). `back_url` is the page
    the PDF is of."""
    if document.status == PrintedDocument.Status.DONE:
        try:
            handle = default_storage.open(document.stored_file, "rb")
        except FileNotFoundError:  # the storage lost it: make it again
            document = services.document_lost(document)
        else:
            return FileResponse(handle, content_type="application/pdf", filename=document.file_name)
    failed = document.status == PrintedDocument.Status.FAILED
    response = render(
        request,
        "printing/failed.html" if failed else "printing/preparing.html",
        {
            "document": document,
            "progress": services.document_progress(document),
            "back_url": back_url,
            "reload_seconds": RELOAD_SECONDS,
        },
        status=503 if failed else 202,
    )
    response["Retry-After"] = str(RELOAD_SECONDS if not failed else 600)
    add_never_cache_headers(response)
    return response
