"""PDFs are made once by the task worker and served as files (`mineralstrategi.printing`): the
first request queues the making and gets a page that says so, a web process never runs
WeasyPrint, and the same PDF is never made twice (issue #18: anonymous cost). The version's PDF
is the case here; the compilation's goes the same way (tests/consultation/test_compilation.py)."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone, translation

from mineralstrategi.printing.models import PrintedDocument
from mineralstrategi.printing.responses import document_response
from mineralstrategi.printing.services import document_print, printed
from mineralstrategi.printing.tasks import print_document


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def version_pdf_url(strategy, language="sv") -> str:
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/strategi/{strategy.slug}/version/1/pdf/"


def test_the_first_request_queues_the_pdf_once_and_the_worker_makes_it(
    client, strategy, frozen, media, django_capture_on_commit_callbacks
):
    url = version_pdf_url(strategy)
    with django_capture_on_commit_callbacks() as queued:
        first = client.get(url)
        second = client.get(url)

    page = first.content.decode()
    assert first.status_code == second.status_code == 202
    assert "<h1>PDF-filen görs i ordning</h1>" in page  # Swedish, for everyone who asks
    assert '<meta http-equiv="refresh" content="3">' in page
    assert first["Retry-After"] == "3" and "no-store" in first["Cache-Control"]
    assert len(queued) == 1  # one making queued, however many ask
    (document,) = PrintedDocument.objects.all()
    assert document.status == PrintedDocument.Status.PENDING

    assert print_document.call(document.pk) == PrintedDocument.Status.DONE  # the worker's work

    made = client.get(url)
    pdf = made.getvalue()
    assert made.status_code == 200 and made["Content-Type"] == "application/pdf"
    assert made["Content-Disposition"] == 'inline; filename="teststrategi-version-1.pdf"'
    assert pdf.startswith(b"%PDF-")
    with django_capture_on_commit_callbacks() as queued_again:
        again = client.get(url)
    assert again.getvalue() == pdf and not queued_again
    assert PrintedDocument.objects.count() == 1


def test_another_language_or_a_change_makes_a_new_pdf_and_the_old_file_goes(
    client, strategy, frozen, media, pdf_of
):
    swedish = pdf_of(client, version_pdf_url(strategy)).getvalue()
    english = pdf_of(client, version_pdf_url(strategy, "en")).getvalue()
    old = PrintedDocument.objects.get(language="sv")

    assert swedish != english
    assert set(PrintedDocument.objects.values_list("language", flat=True)) == {"sv", "en"}

    strategy.title = "Ny titel på strategin"
    strategy.save()
    assert client.get(version_pdf_url(strategy)).status_code == 202  # the HTML changed
    assert default_storage.exists(old.stored_file)  # kept until the new one is made
    renewed = pdf_of(client, version_pdf_url(strategy))

    assert renewed.status_code == 200 and renewed.getvalue() != swedish
    assert not default_storage.exists(old.stored_file)
    assert not PrintedDocument.objects.filter(pk=old.pk).exists()
    assert PrintedDocument.objects.filter(language="sv").count() == 1


def test_a_lost_file_is_made_again(client, strategy, frozen, media, pdf_of):
    assert pdf_of(client, version_pdf_url(strategy)).getvalue().startswith(b"%PDF-")
    document = PrintedDocument.objects.get()
    default_storage.delete(document.stored_file)

    response = client.get(version_pdf_url(strategy))

    assert response.status_code == 202
    document.refresh_from_db()
    assert document.status == PrintedDocument.Status.PENDING
    assert pdf_of(client, version_pdf_url(strategy)).getvalue().startswith(b"%PDF-")


def test_a_failure_is_said_and_tried_again_ten_minutes_later(
    db, media, django_capture_on_commit_callbacks
):
    def ask() -> PrintedDocument:
        return printed(
            kind="test",
            key=1,
            html="<h1>Text</h1>",
            stylesheets=["no/such/style.css"],  # WeasyPrint cannot read it
            language="sv",
            file_name="text.pdf",
        )

    document = document_print(ask())
    assert document.status == PrintedDocument.Status.FAILED and document.error
    with translation.override("sv"):
        response = document_response(RequestFactory().get("/"), document, back_url="/tillbaka/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "600"
    assert "<h1>PDF-filen kunde inte göras</h1>" in page and 'href="/tillbaka/"' in page

    with django_capture_on_commit_callbacks() as queued:
        assert ask().status == PrintedDocument.Status.FAILED  # not at once
    assert not queued
    PrintedDocument.objects.update(finished_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks() as queued:
        assert ask().status == PrintedDocument.Status.PENDING
    assert len(queued) == 1
