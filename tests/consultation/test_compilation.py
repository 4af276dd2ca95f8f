"""The compilation's numbers, on a round with every kind of consultee (answered, corrected,
declined, drafting, silent), and the same numbers in the page, the CSV/XLSX, the PDF and the API."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from mineralstrategi.caching.until_a_write import KEPT_FRAGMENTS
from mineralstrategi.consultation import selectors, services
from mineralstrategi.consultation.models import RoundStatus
from mineralstrategi.organisations.models import Organisation, Role
from tests.pdf_structure import accessibility


@pytest.fixture
def compiled_round(round_, editor, make_member, sections, skelleftea_consultee, kiruna_consultee):
    """Skellefteå: support + proposal (accepted and applied), then corrected (the correction
    counts, not the first revision). Kiruna: object + support, one noted, one undecided.
    Luleå declined; Gällivare has a draft only; Umeå is silent."""
    officers = {}
    for code in ("2482", "2584", "2580", "2523", "2480"):
        organisation = Organisation.objects.get(municipality__code=code)
        consultee = services.consultee_add(round_, user=editor, organisation=organisation)
        officers[code] = (consultee, make_member(organisation, Role.CONSULTATION_OFFICER))
    vision, d1, d2 = sections["Vision"], sections["Inriktning 1"], sections["Inriktning 2"]

    skelleftea, officer = officers["2482"]
    first = services.answer_save_draft(
        skelleftea,
        user=officer,
        position="support",
        section_comments={vision.pk: ("object", "Fel.", "")},
    )
    services.answer_submit(first, user=officer)
    services.answer_correct(skelleftea, user=officer)
    correction = services.answer_save_draft(
        skelleftea,
        user=officer,
        position="support_with_changes",
        section_comments={
            vision.pk: ("support", "Bra.", ""),
            d1.pk: ("propose", "Skärp.", "Ny lydelse."),
        },
    )
    correction = services.answer_submit(correction, user=officer)
    proposal = correction.comments.get(section=d1)
    services.proposal_apply(
        services.disposition_record(proposal, user=editor, decision="accepted", reason="Ja."),
        user=editor,
    )

    kiruna, kiruna_officer = officers["2584"]
    answer = services.answer_save_draft(
        kiruna,
        user=kiruna_officer,
        position="object",
        comment="Kiruna invänder mot inriktning 2 i sin helhet.",
        section_comments={d2.pk: ("object", "Nej.", ""), vision.pk: ("support", "", "")},
    )
    answer = services.answer_submit(answer, user=kiruna_officer)
    services.disposition_record(
        answer.comments.get(section=d2), user=editor, decision="noted", reason="Noterat."
    )

    lulea, lulea_officer = officers["2580"]
    services.consultee_decline(lulea, user=lulea_officer, reason="Berörs inte.")
    gallivare, gallivare_officer = officers["2523"]
    services.answer_save_draft(
        gallivare,
        user=gallivare_officer,
        position="object",
        section_comments={vision.pk: ("object", "Hemligt utkast.", "")},
    )
    return round_


EXPECTED_STATES = {"answered": 2, "declined": 1, "silent": 2}
EXPECTED_STANCES = {"support": 2, "object": 1, "propose": 1}
EXPECTED_DECISIONS = {"accepted": 1, "partly_accepted": 0, "not_accepted": 0, "noted": 1}


def test_the_numbers(compiled_round, sections):
    data = selectors.compilation(compiled_round)
    assert data.state_counts == EXPECTED_STATES
    assert data.stance_counts == EXPECTED_STANCES
    assert data.decision_counts == EXPECTED_DECISIONS
    assert data.undecided == 2
    assert data.comment_count == 4
    by_title = {entry.section.title: entry.comments for entry in data.sections}
    assert [c.answer.consultee.organisation.name for c in by_title["Vision"]] == [
        "Kiruna kommun",
        "Skellefteå kommun",
    ]
    assert [d.comment.proposed_text for d in data.changes] == ["Ny lydelse."]
    assert data.changes[0].comment.answer.registry_reference == "RV 2025/17-01, revision 2"


def test_the_page_shows_the_same_numbers(client, compiled_round, editor, soup):
    client.force_login(editor)
    page = soup(client.get(reverse("consultation:compilation", kwargs={"pk": compiled_round.pk})))
    totals = {cell["data-total"]: int(cell.text) for cell in page.select("[data-total]")}
    assert totals == {
        **EXPECTED_STATES,
        **EXPECTED_STANCES,
        **EXPECTED_DECISIONS,
        "undecided": 2,
    }
    assert len(page.select("[data-comment]")) == 4
    assert len(page.select("[data-change]")) == 1
    assert "Hemligt utkast." not in str(page)
    overall = {
        row.select("td")[0].contents[0].strip(): [
            cell.get_text(strip=True) for cell in row.select("td")[1:]
        ]
        for row in page.select("[data-overall]")
    }
    assert overall == {
        "Kiruna kommun": [
            "Objects to the proposal",
            "Kiruna invänder mot inriktning 2 i sin helhet.",
        ],
        "Skellefteå kommun": ["Supports it with changes", "–"],
    }


def test_the_compilation_is_published_when_the_round_closes(client, compiled_round, editor):
    url = reverse("consultation:compilation", kwargs={"pk": compiled_round.pk})
    assert client.get(url).status_code == 302  # to the login: still open
    services.round_status_set(compiled_round, user=editor, status=RoundStatus.CLOSED)
    assert client.get(url).status_code == 200


def test_csv_and_xlsx(client, compiled_round, editor):
    client.force_login(editor)
    url = reverse("consultation:compilation", kwargs={"pk": compiled_round.pk})
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 2 + 4  # the header, two overall positions, four section comments
    assert rows[0][:4] == ["Section", "Consultee", "Registry reference", "Stance"]
    overall = [row[1:5] for row in rows[1:] if row[0] == "The whole strategy (overall position)"]
    assert overall == [
        [
            "Kiruna kommun",
            "RV 2025/17-02",
            "Objects to the proposal",
            "Kiruna invänder mot inriktning 2 i sin helhet.",
        ],
        ["Skellefteå kommun", "RV 2025/17-01, revision 2", "Supports it with changes", ""],
    ]
    assert sorted(row[6] for row in rows[3:]) == ["", "", "Accepted", "Noted"]
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook.active.max_row == 7
    assert workbook.active["D2"].value == "Objects to the proposal"


def test_pdf(client, compiled_round, editor, pdf_of):
    client.force_login(editor)
    response = pdf_of(
        client, reverse("consultation:compilation_pdf", kwargs={"pk": compiled_round.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = response.getvalue()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "RV 2025/17" in text and "Ny lydelse." in text and "Skellefteå kommun" in text
    assert "Objects to the proposal" in text and "Kiruna invänder mot inriktning 2" in text
    assert "Hemligt utkast." not in text
    found = accessibility(pdf)  # tagged (PDF/UA), with headings
    assert found.tagged and found.title and found.tags["H1"] >= 1


def test_the_api(client, compiled_round, editor):
    services.round_status_set(compiled_round, user=editor, status=RoundStatus.CLOSED)
    listing = client.get("/api/consultations").json()
    assert [item["registry_number"] for item in listing] == ["RV 2025/17"]
    detail = client.get(f"/api/consultations/{compiled_round.pk}").json()
    states = {c["organisation"]: c["state"] for c in detail["consultees"]}
    assert states["Luleå kommun"] == "declined" and states["Gällivare kommun"] == "silent"
    answers = client.get(f"/api/consultations/{compiled_round.pk}/answers").json()
    assert [(a["registry_reference"], a["is_current"]) for a in answers] == [
        ("RV 2025/17-01", False),
        ("RV 2025/17-01, revision 2", True),
        ("RV 2025/17-02", True),
    ]
    compilation = client.get(f"/api/consultations/{compiled_round.pk}/compilation").json()
    assert compilation["stance_counts"] == EXPECTED_STANCES
    assert compilation["decision_counts"] == EXPECTED_DECISIONS
    assert compilation["state_counts"] == EXPECTED_STATES
    overall = {c["organisation"]: (c["position"], c["comment"]) for c in compilation["consultees"]}
    assert overall["Kiruna kommun"] == (
        "object",
        "Kiruna invänder mot inriktning 2 i sin helhet.",
    )
    assert overall["Umeå kommun"] == ("", "")


def test_the_compilation_in_a_fixed_number_of_queries(
    compiled_round, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        data = selectors.compilation(compiled_round)
        [
            c.disposition
            for entry in data.sections
            for c in entry.comments
            if hasattr(c, "disposition")
        ]


def test_the_compilation_is_kept_until_the_next_write(client, compiled_round, editor, sections):
    """Issue #19: the compilation is the same for everybody who may read it and is kept between
    requests; a decision recorded shows on the very next read (logged-in pages are never served
    from the page cache)."""
    client.force_login(editor)
    url = reverse("consultation:compilation", kwargs={"pk": compiled_round.pk})

    def undecided() -> str:
        return (
            BeautifulSoup(client.get(url).content, "html.parser")
            .select_one('[data-total="undecided"]')
            .text
        )

    assert undecided() == "2"
    hits, rendered = selectors.COMPILATIONS.hits, KEPT_FRAGMENTS.hits
    assert undecided() == "2" and selectors.COMPILATIONS.hits == hits + 1
    assert KEPT_FRAGMENTS.hits == rendered + 1  # the page's body was not rendered again

    kiruna = compiled_round.consultees.get(organisation__municipality__code="2584")
    comment = kiruna.answers.get(status="submitted").comments.get(section=sections["Vision"])
    services.disposition_record(comment, user=editor, decision="noted", reason="Noterat.")

    assert undecided() == "1"
