"""The outcomes of a held samråd are decided on like comments: on the handling page, by the same
service, counted before the round is compiled, and shown with their decisions in the
compilation (page, table and API)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mineralstrategi.consultation import selectors, services
from mineralstrategi.consultation.models import Disposition, RoundStatus
from mineralstrategi.consultation.services import OutcomeInput
from tests.conftest import meeting_begun

from .test_meetings import _planned


@pytest.fixture
def outcome(round_, editor, sections):
    meeting = meeting_begun(_planned(round_, editor, title="Samråd med samebyarna"))
    services.meeting_record(
        meeting,
        user=editor,
        notes="Protokoll.",
        outcomes=[OutcomeInput("Visionen ska nämna renskötseln.", sections["Vision"])],
    )
    return meeting.outcomes.get()


def test_an_outcome_of_a_held_meeting_gets_a_decision_and_counts_for_compiling(
    round_, editor, outcome
):
    services.round_status_set(round_, user=editor, status=RoundStatus.CLOSED)
    with pytest.raises(ValidationError) as refused:
        services.round_status_set(round_, user=editor, status=RoundStatus.COMPILED)
    assert "1 comment has no decision" in " ".join(refused.value.messages)
    assert outcome in selectors.undecided_comments(round_)

    services.disposition_record(outcome, user=editor, decision="accepted", reason="Ja.")
    assert outcome not in selectors.undecided_comments(round_)
    assert Disposition.objects.get(outcome=outcome).target == outcome
    services.round_status_set(round_, user=editor, status=RoundStatus.COMPILED)
    assert round_.status == RoundStatus.COMPILED


def test_the_registrar_decides_on_the_handling_page_and_the_compilation_shows_it(
    client, round_, editor, outcome, soup
):
    client.force_login(editor)
    handling = reverse("consultation:handling", kwargs={"pk": round_.pk})
    page = soup(client.get(handling))
    article = page.select_one(f"#outcome-{outcome.pk}")
    assert "Visionen ska nämna renskötseln." in article.text
    assert f"#outcome-{outcome.pk}" in {
        a["href"].split(handling)[-1] for a in page.select(".undecided-links a")
    }

    client.post(
        reverse(
            "consultation:outcome_disposition", kwargs={"pk": round_.pk, "outcome": outcome.pk}
        ),
        {"decision": "partly_accepted", "reason": "Vi lägger till en mening."},
    )
    page = soup(client.get(handling))
    assert (
        "Vi lägger till en mening."
        in page.select_one(f"#outcome-{outcome.pk} [data-testid=decision]").text
    )
    assert not page.select(".undecided-links a")

    compilation = soup(client.get(reverse("consultation:compilation", kwargs={"pk": round_.pk})))
    assert (
        "Vi lägger till en mening." in compilation.select_one("[data-testid=outcome-decision]").text
    )
    api = client.get(f"/api/consultations/{round_.pk}/compilation").json()
    (item,) = api["samrad_outcomes"]
    assert item["outcome"] == "Visionen ska nämna renskötseln."
    assert item["disposition"]["decision"] == "partly_accepted" and api["samrad_undecided"] == 0


def test_only_the_team_decides(client, round_, officer, outcome):
    client.force_login(officer)
    response = client.post(
        reverse(
            "consultation:outcome_disposition", kwargs={"pk": round_.pk, "outcome": outcome.pk}
        ),
        {"decision": "accepted", "reason": "Ja."},
    )
    assert response.status_code in (403, 404)
    assert not Disposition.objects.filter(outcome=outcome).exists()
