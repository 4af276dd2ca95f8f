"""The demo round: sent to the 29 municipalities and eleven other actors, with every kind of answer,
dispositions on most comments, a proposal carried into the draft and a samråd; loaded once."""

import pytest

from mineralstrategi.consultation import selectors
from mineralstrategi.consultation.models import ConsultationRound
from mineralstrategi.demo.consultation import consultation_demo_load


@pytest.mark.django_db
def test_the_demo_round(client, demo_data):
    round_ = ConsultationRound.objects.get(registry_number="RV 2014/0412")
    assert round_.is_example and round_.version.number == 1
    assert round_.consultees.filter(organisation__kind="municipality").count() == 29
    assert round_.consultees.exclude(organisation__kind="municipality").count() == 11
    data = selectors.compilation(round_)
    assert data.state_counts == {"answered": 15, "declined": 3, "silent": 22}
    assert sum(data.decision_counts.values()) > data.undecided > 0
    assert len(data.changes) == 1
    assert round_.meetings.count() == 1
    # Skellefteå is left for the demo login to answer; Kiruna's draft is Kiruna's alone.
    skelleftea = round_.consultees.get(organisation__municipality__code="2482")
    assert skelleftea.state == "silent" and not skelleftea.answers.exists()
    assert (
        round_.consultees.get(organisation__municipality__code="2584").answers.get().status
        == "draft"
    )
    assert consultation_demo_load() == {}
    page = client.get(f"/en/remiss/{round_.pk}/")
    assert b"Example data" in page.content


@pytest.mark.django_db
def test_the_demo_pages_for_the_team_and_the_officers(client, demo_data):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    round_ = ConsultationRound.objects.get(registry_number="RV 2014/0412")
    base = f"/en/remiss/{round_.pk}"
    client.force_login(users.get(username="strateg"))
    for path in ("/", "/lagesbild/", "/hantering/", "/sammanstallning/", "/yttranden/"):
        assert client.get(base + path).status_code == 200, path
    assert client.get(base + "/sammanstallning/pdf/").content.startswith(b"%PDF-")
    assert client.get("/en/remiss/").status_code == 200
    assert (
        client.get("/en/strategi/mineralstrategi-norrbotten-vasterbotten/ny-remiss/").status_code
        == 200
    )
    for username, code in (("skelleftea", "2482"), ("kiruna", "2584")):
        client.force_login(users.get(username=username))
        consultee = round_.consultees.get(organisation__municipality__code=code)
        response = client.get(f"{base}/mitt-svar/")
        assert response.status_code == 302 and response["Location"].endswith(
            f"/svar/{consultee.pk}/"
        )
        assert client.get(response["Location"]).status_code == 200
