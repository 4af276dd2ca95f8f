"""The compilation PDF of a round where every consultee comments on every section holds every
comment (read back with pdftotext, as a reader copies it), and its page says how far the making has
come while the task worker makes it."""

import re
import shutil
import subprocess  # nosec B404 # pdftotext, with a fixed argument list

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from mineralstrategi import typst_pdf
from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import AnswerComment
from mineralstrategi.organisations.models import Organisation, Role
from mineralstrategi.printing.models import PrintedDocument
from mineralstrategi.printing.services import document_print
from tests.pdf_structure import accessibility

MUNICIPALITIES = ("2482", "2584", "2580", "2523", "2480", "2581")
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
LONG_COMMENT = (
    "Kommunen anser att avsnittet behöver förtydligas när det gäller ansvaret för "
    "uppföljningen, tidplanen och finansieringen av de åtgärder som föreslås. "
)


@pytest.fixture
def full_round(round_, editor, make_member, sections):
    """Six consultees, each commenting on every section (a marker [kN] in every comment), every
    comment but the last decided."""
    number = 0
    for code in MUNICIPALITIES:
        organisation = Organisation.objects.get(municipality__code=code)
        consultee = round_.consultees.filter(organisation=organisation).first()
        if consultee is None:
            consultee = services.consultee_add(round_, user=editor, organisation=organisation)
        officer = make_member(organisation, Role.CONSULTATION_OFFICER)
        comments = {}
        for section in sections.values():
            number += 1
            comments[section.pk] = ("object", f"[k{number}] {LONG_COMMENT * 2}", "")
        answer = services.answer_save_draft(
            consultee, user=officer, position="object", section_comments=comments
        )
        answer = services.answer_submit(answer, user=officer)
        for comment in answer.comments.all():
            if not (code == MUNICIPALITIES[-1] and comment.comment.startswith(f"[k{number}]")):
                services.disposition_record(
                    comment, user=editor, decision="noted", reason=f"Noterat {comment.pk}."
                )
    return round_, number


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "compilation.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # nosec
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_comment_is_in_the_pdf(client, full_round, editor, pdf_of, tmp_path):
    round_, comments = full_round
    client.force_login(editor)
    response = pdf_of(client, reverse("consultation:compilation_pdf", kwargs={"pk": round_.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.getvalue()
    text = pdftotext(pdf, tmp_path)
    found = {int(n) for n in re.findall(r"\[k(\d+)\]", text)}
    assert found == set(range(1, comments + 1))
    assert comments == len(MUNICIPALITIES) * 7
    # Every organisation, a decision, a reason, and the undecided one said as such.
    for code in MUNICIPALITIES:
        assert Organisation.objects.get(municipality__code=code).name in text
    assert "Noterat" in text and "–" in text
    found = accessibility(pdf)  # still tagged, with its headings
    assert found.tagged and found.tags["H1"] >= 1 and found.tags["H3"] >= 7


def test_the_page_shows_the_progress_while_the_worker_makes_it(
    client, full_round, editor, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    round_, _comments = full_round
    client.force_login(editor)
    url = reverse("consultation:compilation_pdf", kwargs={"pk": round_.pk})
    waiting = client.get(url)
    assert waiting.status_code == 202
    bar = BeautifulSoup(waiting.content, "html.parser").find("progress")
    assert bar is not None and bar["value"] == "0"

    seen = []
    lay_out = typst_pdf.lay_out

    def asking_the_page_first(*args, **kwargs):
        """Asks for the page while the worker makes the PDF (its data ready, before the layout)."""
        seen.append(client.get(url))
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(typst_pdf, "lay_out", asking_the_page_first)
    document_print(PrintedDocument.objects.get())
    [during] = seen
    assert during.status_code == 202
    page = BeautifulSoup(during.content, "html.parser")
    assert 10 <= int(page.find("progress")["value"]) < 100
    assert "Status: Being made" in " ".join(page.get_text().split())
    done = client.get(url)
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    done.getvalue()  # read whole, which closes the file


def test_a_decision_recorded_after_the_pdf_is_made_is_in_the_next_one(
    client, full_round, editor, pdf_of, tmp_path
):
    round_, comments = full_round
    client.force_login(editor)
    url = reverse("consultation:compilation_pdf", kwargs={"pk": round_.pk})
    pdf_of(client, url).getvalue()  # made (read whole, which closes it); its HTML kept
    undecided = AnswerComment.objects.get(comment__startswith=f"[k{comments}]")
    services.disposition_record(undecided, user=editor, decision="accepted", reason="Sent beslut.")
    response = pdf_of(client, url)
    assert response.status_code == 200
    assert "Sent beslut." in pdftotext(response.getvalue(), tmp_path)
