"""The compilation PDF is laid out by Typst from the compilation as data (issue #19): what a
person wrote is printed as it is, never read as Typst markup; its words are in the reader's
language; it is a tagged PDF/UA document with its language and title."""

import shutil
import subprocess  # nosec B404 # pdftotext, with a fixed argument list

import pytest
from django.urls import reverse
from django.utils import translation

from mineralstrategi.consultation import services
from mineralstrategi.consultation.exports import COMPILATION_TEMPLATE
from mineralstrategi.consultation.models import ConsultationRound
from mineralstrategi.consultation.services import OutcomeInput
from mineralstrategi.organisations.models import Role
from mineralstrategi.typst_pdf import TypstFailed, render_typst_pdf, template_path
from tests.conftest import meeting_begun
from tests.pdf_structure import accessibility

from .test_meetings import _planned

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")

# Typst syntax a comment may hold: each must come out as the literal text.
TYPST_SYNTAX = [
    '#read("/etc/passwd")',
    "#set page(width: 3cm)",
    "]",
    "$x^2$",
    "*bold*",
    "@ref",
    "<label>",
    '#import "@preview/cetz:0.3.0"',
    "\\ // /* not a comment */",
]
SWEDISH = "Översiktsplanen måste säkra vägar för rennäringen i Åsele och Älvsbyn."


@pytest.fixture
def commented_round(round_, editor, make_member, skelleftea, sections):
    """Skellefteå's answer: a comment of Typst syntax and one of Swedish letters, both decided
    with a reason of Typst syntax too."""
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER)
    first, second = list(sections.values())[:2]
    consultee = round_.consultees.get(organisation=skelleftea)
    answer = services.answer_save_draft(
        consultee,
        user=officer,
        position="object",
        section_comments={
            first.pk: ("propose", " ".join(TYPST_SYNTAX), "#emph[Ny] lydelse $y$."),
            second.pk: ("object", SWEDISH, ""),
        },
    )
    answer = services.answer_submit(answer, user=officer)
    for comment in answer.comments.all():
        services.disposition_record(
            comment, user=editor, decision="noted", reason='Beslutat #text(red)["skäl"].'
        )
    return round_


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "compilation.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # nosec
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def compilation_pdf(client, pdf_of, round_, language: str) -> bytes:
    with translation.override(language):
        url = reverse("consultation:compilation_pdf", kwargs={"pk": round_.pk})
    response = pdf_of(client, url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.getvalue()


def test_typst_syntax_in_a_comment_is_printed_as_text(
    client, commented_round, editor, pdf_of, tmp_path
):
    client.force_login(editor)
    pdf = compilation_pdf(client, pdf_of, commented_round, "sv")
    text = pdftotext(pdf, tmp_path)
    for syntax in TYPST_SYNTAX:
        assert syntax in text
    assert "#emph[Ny] lydelse $y$." in text
    assert 'Beslutat #text(red)["skäl"].' in text
    assert "root:" not in text  # no file of the server was read


def test_swedish_words_and_letters_in_a_swedish_request(
    client, commented_round, editor, pdf_of, tmp_path
):
    client.force_login(editor)
    pdf = compilation_pdf(client, pdf_of, commented_round, "sv")
    text = pdftotext(pdf, tmp_path)
    assert SWEDISH in text and "Skellefteå kommun" in text
    assert "Remissammanställning" in text and "Ställning:" in text and "Beslut:" in text
    found = accessibility(pdf)
    assert found.tagged and found.language == "sv"
    assert found.title.startswith("Remissammanställning") and commented_round.title in found.title
    assert found.tags["H1"] == 1 and found.tags["H2"] >= 5 and found.tags["H3"] >= 2


def test_english_words_in_an_english_request(client, commented_round, editor, pdf_of, tmp_path):
    client.force_login(editor)
    pdf = compilation_pdf(client, pdf_of, commented_round, "en")
    text = pdftotext(pdf, tmp_path)
    assert "Comments per section" in text and "Stance:" in text and "Decision: Noted" in text
    assert "Ställning:" not in text
    assert accessibility(pdf).language == "en"


def test_a_template_is_read_only_from_the_package():
    assert template_path("consultation/typst/compilation.typ").is_file()
    for elsewhere in ("../../../etc/passwd", "/etc/passwd", "consultation/models.py"):
        with pytest.raises(ValueError):
            template_path(elsewhere)


def test_a_document_the_compiler_refuses_fails_with_its_message():
    with pytest.raises(TypstFailed, match="(?i)json"):
        render_typst_pdf(COMPILATION_TEMPLATE, "{not json")


def test_the_samrad_and_the_reason_for_compiling_undecided_are_in_the_pdf(
    client, commented_round, editor, sections, skelleftea, pdf_of, tmp_path
):
    meeting = meeting_begun(_planned(commented_round, editor, title="Samråd med samebyarna"))
    services.meeting_record(
        meeting,
        user=editor,
        notes="Protokoll: *renskötseln* diskuterades.\n\nAndra stycket.",
        participants=[skelleftea],
        outcomes=[OutcomeInput("Visionen ska nämna renskötseln.", sections["Vision"])],
    )
    services.disposition_record(
        meeting.outcomes.get(), user=editor, decision="accepted", reason="Vi skriver om."
    )
    ConsultationRound.objects.filter(pk=commented_round.pk).update(
        compiled_reason="Tiden tog slut.", compiled_undecided="Kiruna kommun: [k9]"
    )
    client.force_login(editor)
    text = pdftotext(compilation_pdf(client, pdf_of, commented_round, "en"), tmp_path)
    assert "Compiled with comments undecided Tiden tog slut." in text
    assert "Kiruna kommun: [k9]" in text
    assert "Dialogue meetings (samråd) Samråd med samebyarna" in text
    assert "Participating organisations: Skellefteå kommun" in text
    assert "Minutes Protokoll: renskötseln diskuterades. Andra stycket." in text  # as it reads
    assert "Visionen ska nämna renskötseln. (about Vision)" in text
    assert "Decision: Accepted · Reason: Vi skriver om." in text
