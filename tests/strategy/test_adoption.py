"""Adoption as a decision: the form, the confirmation that names the version adopted and the one
it supersedes, the record with its history, the refusals (a draft, a future date, no body, an
open consultation, no compiled consultation without a reason), and what everyone then sees, in
Swedish: the version page, the superseded version's "Tidigare antagen", the PDF and the API."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Adoption
from tests.consultation.conftest import make_round

from .conftest import adopt, decision

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def swedish_interface():
    """What a person sees: the pages in Swedish (the strategy suite's default is English)."""
    with translation.override("sv"):
        yield


def _url(strategy, number: int, suffix: str = "") -> str:
    return f"/strategi/{strategy.slug}/version/{number}/{suffix}"


def _compiled_round(version, editor, skelleftea, number="RV 2025/17"):
    round_ = make_round(version, editor, number=number)
    consultation_services.consultee_add(round_, user=editor, organisation=skelleftea)
    consultation_services.consultation_send(round_, user=editor)
    consultation_services.round_status_set(round_, user=editor, status="closed")
    consultation_services.round_status_set(round_, user=editor, status="compiled")
    return round_


def facts(list_element) -> dict[str, str]:
    """A definition list as {term: description}, each as a person reads it."""
    terms = [" ".join(dt.get_text().split()) for dt in list_element.select("dt")]
    details = [" ".join(dd.get_text().split()) for dd in list_element.select("dd")]
    return dict(zip(terms, details, strict=True))


def _form(**overrides) -> dict:
    data = {
        "body": "Regionfullmäktige",
        "organisation": "",
        "decided_on": TODAY().isoformat(),
        "reference": "RF § 112, RUN 2025/81",
        "note": "",
        "without_consultation_reason": "",
    }
    return {**data, **overrides}


def test_the_editor_reviews_confirms_and_everyone_sees_the_decision(
    client, soup, strategy, frozen, editor, skelleftea, region_vasterbotten, pdf_of
):
    _compiled_round(frozen, editor, skelleftea)
    client.force_login(editor)

    form = soup(client.get(_url(strategy, 1, "anta/")))
    assert form.select_one("h1").get_text() == "Registrera antagandet av Version 1: Remissversion"
    assert "RV 2025/17" in form.select_one("dl.facts").get_text()
    assert not form.select("[name=without_consultation_reason]")  # compiled: no reason needed

    typed = _form(organisation=str(region_vasterbotten.pk), note="Beslutet justerat 2025-05-02.")
    review = client.post(_url(strategy, 1, "anta/"), {**typed, "action": "review"})
    page = soup(review)
    assert page.select_one("h1").get_text() == "Bekräfta antagandet"
    facts = page.select_one("[data-decision]").get_text(" ", strip=True)
    assert "Regionfullmäktige, Region Västerbotten" in facts
    assert "RF § 112, RUN 2025/81" in facts and TODAY().isoformat() in facts
    basis = page.select_one("dl.facts").get_text(" ", strip=True)
    assert "Version 1: Remissversion" in basis
    assert "Ingenting: ingen version av strategin har antagits tidigare." in basis
    assert not Adoption.objects.exists()  # nothing is recorded before the confirmation
    button = page.select_one("button[value=confirm]")
    assert button.get_text() == "Anta version 1"
    hidden = {i["name"]: i["value"] for i in page.select("input[type=hidden]")}
    assert hidden["reference"] == "RF § 112, RUN 2025/81"

    done = client.post(_url(strategy, 1, "anta/"), {**typed, "action": "confirm"}, follow=True)
    page = soup(done)
    assert "Version 1 är antagen genom beslut av Regionfullmäktige, Region Västerbotten" in (
        page.select_one(".messages").get_text()
    )
    adoption = Adoption.objects.get()
    assert adoption.history.get().history_user == editor
    strategy.refresh_from_db()
    assert strategy.adopted_version == frozen and strategy.status == "adopted"

    client.logout()
    public = soup(client.get(_url(strategy, 1)))
    assert public.select_one(".lead [data-adoption-state]").get_text() == "Antagen"
    decision_box = public.select_one("[data-adoption]")
    assert decision_box.select_one("h2").get_text() == "Antagande"
    text = decision_box.get_text(" ", strip=True)
    for shown in (
        "Antagen av Regionfullmäktige, Region Västerbotten",
        f"Beslutsdatum {TODAY().isoformat()}",
        "Referens RF § 112, RUN 2025/81",
        "Remiss RV 2025/17, stängd och sammanställd",
        "Beslutet justerat 2025-05-02.",
    ):
        assert shown in text, shown
    assert not public.select("a[href$='/anta/']")

    pdf = pdf_of(client, _url(strategy, 1, "pdf/"))
    first = PdfReader(io.BytesIO(pdf.getvalue())).pages[0].extract_text()
    assert "Version 1: Remissversion (antagen)" in first
    assert "Antagen av" in first and "Regionfullmäktige, Region Västerbotten" in first
    assert "RF § 112, RUN 2025/81" in first and TODAY().isoformat() in first


def test_a_later_adoption_makes_the_earlier_one_previously_adopted(
    client, soup, strategy, frozen, editor, pdf_of
):
    earlier = TODAY() - datetime.timedelta(days=0)
    adopt(frozen, editor, decided_on=earlier, reference="RF § 12")
    second = services.version_freeze(strategy, user=editor, label="Revidering")

    client.force_login(editor)
    review = soup(
        client.post(
            _url(strategy, 2, "anta/"),
            _form(without_consultation_reason="Endast redaktionella ändringar.", action="review"),
        )
    )
    supersedes = facts(review.select_one("dl.facts"))["Ersätter"]
    assert supersedes == (
        f"Version 1: Remissversion, antagen {earlier.isoformat()} av Regionfullmäktige "
        "(RF § 12). Den kommer att kallas ”tidigare antagen”."
    )
    client.post(
        _url(strategy, 2, "anta/"),
        _form(without_consultation_reason="Endast redaktionella ändringar.", action="confirm"),
    )
    first = Adoption.objects.get(version=frozen)
    assert first.superseded_by == Adoption.objects.get(version=second)
    assert first.history.first().history_user == editor

    client.logout()
    listing = soup(client.get(f"/strategi/{strategy.slug}/"))
    rows = [row.get_text(" ", strip=True) for row in listing.select("tbody tr")]
    assert (
        f"Tidigare antagen antagen {earlier.isoformat()}, ersatt {TODAY().isoformat()}" in (rows[0])
    )
    assert "Antagen" in rows[1] and "Tidigare" not in rows[1]
    old = soup(client.get(_url(strategy, 1)))
    assert old.select_one(".lead [data-adoption-state]").get_text() == "Tidigare antagen"
    box = old.select_one("[data-adoption]").get_text(" ", strip=True)
    assert box.startswith("Tidigare antagen")
    assert (
        f"Ersatt {TODAY().isoformat()} av version 2 (Regionfullmäktige, RF § 112, RUN 2025/81)"
        in box
    )
    new = soup(client.get(_url(strategy, 2)))
    assert "Endast redaktionella ändringar." in new.select_one("[data-adoption]").get_text()
    options = [
        o.get_text()
        for o in soup(client.get(f"/strategi/{strategy.slug}/jamfor/")).select(
            "select[name=from] option"
        )
    ]
    assert options == [
        "Version 1: Remissversion (tidigare antagen)",
        "Version 2: Revidering (antagen)",
    ]
    pdf = pdf_of(client, _url(strategy, 1, "pdf/"))
    first_page = PdfReader(io.BytesIO(pdf.getvalue())).pages[0].extract_text()
    assert "Version 1: Remissversion (tidigare antagen)" in first_page
    assert "Ersatt" in first_page

    api = client.get(f"/api/strategies/{strategy.pk}").json()
    assert [(v["number"], v["is_adopted"], v["adoption_state"]) for v in api["versions"]] == [
        (1, False, "superseded"),
        (2, True, "adopted"),
    ]
    old_decision = api["versions"][0]["adoption"]
    assert old_decision["decided_on"] == earlier.isoformat()
    assert old_decision["reference"] == "RF § 12"
    assert old_decision["superseded_on"] == TODAY().isoformat()
    assert old_decision["superseded_by_version"] == 2
    assert api["versions"][1]["adoption"]["without_consultation_reason"] == (
        "Endast redaktionella ändringar."
    )


def test_bad_input_is_shown_on_the_form_with_everything_typed(
    client, soup, strategy, frozen, editor
):
    client.force_login(editor)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    typed = _form(body="", decided_on=tomorrow, note="Min anteckning", action="review")
    response = client.post(_url(strategy, 1, "anta/"), typed)
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one(".error-summary")
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert links == {"#id_body": "Beslutande organ: Detta fält måste fyllas i."}
    assert page.select_one("#id_note").get_text().strip() == "Min anteckning"
    assert page.select_one("#id_reference")["value"] == "RF § 112, RUN 2025/81"

    # The date is well-formed: the service refuses it, named beside the field.
    response = client.post(_url(strategy, 1, "anta/"), {**typed, "body": "Regionfullmäktige"})
    page = soup(response)
    errors = page.select_one("#id_decided_on_error").get_text()
    assert f"Beslutsdatumet {tomorrow} ligger i framtiden" in errors
    assert page.select_one("#id_body")["value"] == "Regionfullmäktige"
    # No consultation was held: the reason is asked for, beside its field.
    response = client.post(_url(strategy, 1, "anta/"), _form(action="confirm"))
    assert response.status_code == 400
    assert "Ingen remiss har hållits på version 1" in (
        soup(response).select_one("#id_without_consultation_reason_error").get_text()
    )
    assert not Adoption.objects.exists()


def test_an_open_consultation_refuses_the_adoption(
    client, soup, strategy, frozen, editor, skelleftea
):
    round_ = make_round(frozen, editor)
    consultation_services.consultee_add(round_, user=editor, organisation=skelleftea)
    consultation_services.consultation_send(round_, user=editor)
    client.force_login(editor)
    form = soup(client.get(_url(strategy, 1, "anta/")))
    assert facts(form.select_one("dl.facts"))["Remiss"] == "RV 2025/17 (version 1): öppen"
    response = client.post(
        _url(strategy, 1, "anta/"), _form(without_consultation_reason="Brådskar.", action="confirm")
    )
    assert response.status_code == 400
    assert "Remissen RV 2025/17 på version 1 är fortfarande öppen" in (
        soup(response).select_one(".error-summary").get_text()
    )
    # Closed but not compiled: a reason is needed, and then it is recorded and shown.
    consultation_services.round_status_set(round_, user=editor, status="closed")
    with pytest.raises(ValidationError) as refused:
        adopt(frozen, editor, without_consultation_reason="")
    assert "without_consultation_reason" in refused.value.error_dict
    adoption = adopt(frozen, editor, without_consultation_reason="Sammanställningen dröjer.")
    assert adoption.consultation == "" and adoption.without_consultation_reason


def test_a_compiled_round_on_an_earlier_version_counts(strategy, frozen, editor, skelleftea):
    _compiled_round(frozen, editor, skelleftea)
    second = services.version_freeze(strategy, user=editor, label="Förslag till beslut")
    adoption = adopt(second, editor, without_consultation_reason="ignored")
    assert adoption.consultation == "RV 2025/17"
    assert adoption.without_consultation_reason == ""


def test_only_a_frozen_version_is_adopted_and_only_once(strategy, frozen, draft, editor):
    with pytest.raises(ValidationError):
        adopt(draft, editor)
    adopt(frozen, editor)
    with pytest.raises(ValidationError, match="antogs redan"):
        adopt(frozen, editor)
    with pytest.raises(ValidationError) as refused:
        services.version_adopt(
            frozen, user=editor, decision=decision(body=" ", reference="", decided_on=None)
        )
    assert {"body", "reference", "decided_on"} <= set(refused.value.error_dict)


def test_a_draft_or_a_missing_version_is_no_server_error(client, strategy, frozen, editor):
    client.force_login(editor)
    assert client.get(f"/strategi/{strategy.slug}/version/9/anta/").status_code == 404
    response = client.post(_url(strategy, 1, "anta/"), {"action": "confirm", "decided_on": "x"})
    assert response.status_code == 400


def test_a_frozen_version_s_text_is_kept_and_its_adoption_shows_on_the_next_read(
    client, strategy, frozen, editor, skelleftea
):
    """Issue #19: a frozen version's text is the same for everybody who may read it and is
    rendered once; its adoption (which adds the links to each section's comments) shows on the
    very next read."""
    from mineralstrategi.caching.until_a_write import KEPT_FRAGMENTS

    client.force_login(editor)
    first = client.get(_url(strategy, frozen.number)).content.decode()
    hits = KEPT_FRAGMENTS.hits
    second = client.get(_url(strategy, frozen.number)).content.decode()

    assert KEPT_FRAGMENTS.hits == hits + 1
    text = second.partition('<nav class="toc"')[2]
    assert text == first.partition('<nav class="toc"')[2]
    assert frozen.sections.first().title in text
    assert "Kommentarer om avsnittet" not in second

    _compiled_round(frozen, editor, skelleftea)
    adopt(frozen, editor)

    after = client.get(_url(strategy, frozen.number)).content.decode()
    assert "Kommentarer om avsnittet" in after
