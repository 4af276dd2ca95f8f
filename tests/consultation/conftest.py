"""Consultation fixtures, chained: strategy of a partnership -> frozen version -> open round with
Skellefteå and Kiruna as consultees -> their officers, members and the team."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import ConsultationRound, today_in_stockholm
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.strategy.conftest import build_tree, make_strategy


def _one_page_pdf() -> bytes:
    """A real PDF of one empty A4 page (attachments are parsed through, not only sniffed)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_BYTES = _one_page_pdf()


def pdf_file(name: str = "yttrande.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(region_vasterbotten, make_member):
    """A strategy editor of the partnership: owns the round."""
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")


@pytest.fixture
def strategy(region_vasterbotten, editor, frameworks):
    return make_strategy(region_vasterbotten)


@pytest.fixture
def frozen(strategy, editor):
    build_tree(strategy_services.strategy_draft(strategy), editor)
    return strategy_services.version_freeze(strategy, user=editor, label="Remissversion")


@pytest.fixture
def sections(frozen):
    """The frozen version's sections by title."""
    return {section.title: section for section in frozen.sections.all()}


def make_round(version, user, *, deadline_in_days: int = 30, number: str = "RV 2025/17"):
    today = today_in_stockholm()
    return services.round_create(
        version=version,
        user=user,
        title="Remiss av teststrategin",
        registry_number=number,
        opens_on=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=deadline_in_days),
        instructions="Svara per avsnitt.",
        contact_name="Anna Lindqvist",
        contact_email="anna@example.org",
    )


@pytest.fixture
def planned_round(frozen, editor) -> ConsultationRound:
    return make_round(frozen, editor)


@pytest.fixture
def round_(planned_round, editor, skelleftea, kiruna, django_capture_on_commit_callbacks):
    """An open round with Skellefteå and Kiruna as consultees (invitations enqueued, not run)."""
    services.consultee_add(planned_round, user=editor, organisation=skelleftea)
    services.consultee_add(planned_round, user=editor, organisation=kiruna)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_send(planned_round, user=editor)
    planned_round.refresh_from_db()
    return planned_round


@pytest.fixture
def skelleftea_consultee(round_, skelleftea):
    return round_.consultees.get(organisation=skelleftea)


@pytest.fixture
def kiruna_consultee(round_, kiruna):
    return round_.consultees.get(organisation=kiruna)


@pytest.fixture
def officer(skelleftea, make_member):
    """Skellefteå's consultation officer."""
    return make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")


@pytest.fixture
def kiruna_officer(kiruna, make_member):
    return make_member(kiruna, Role.CONSULTATION_OFFICER, username="kirunaofficer")


def answer_with_comments(consultee, user, sections, *, submit: bool = False):
    """A draft (or submitted) answer: support on the vision, a proposal on direction 1."""
    answer = services.answer_save_draft(
        consultee,
        user=user,
        position="support_with_changes",
        comment="Vi stöder strategin med ändringar.",
        section_comments={
            sections["Vision"].pk: ("support", "Bra vision.", ""),
            sections["Inriktning 1"].pk: ("propose", "Förtydliga.", "Ny lydelse för inriktning 1."),
        },
    )
    if submit:
        answer = services.answer_submit(answer, user=user)
    return answer
