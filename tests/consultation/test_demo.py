"""The demo rounds: the first sent to the 29 municipalities and eleven other actors, with every kind
of answer, a decision on every comment, a proposal carried into the draft and a samråd, closed and
compiled before the strategy was adopted; the second, on an addition, open for the demo logins.
Every comment fits the section it is on. Loaded once."""

import pytest

from mineralstrategi.consultation import selectors
from mineralstrategi.consultation.models import AnswerComment, ConsultationRound
from mineralstrategi.demo.consultation import (
    SECOND_REGISTRY_NUMBER,
    SECTION_COMMENTS,
    consultation_demo_load,
)
from mineralstrategi.demo.strategy import key_of

pytestmark = (
    pytest.mark.sqlite_in_ci
)  # the demo's content, alike on either database: CI reads it once


@pytest.mark.django_db
def test_the_demo_round(client, demo_data):
    round_ = ConsultationRound.objects.get(registry_number="RV 2014/0412")
    assert round_.is_example and round_.version.number == 1
    assert round_.consultees.filter(organisation__kind="municipality").count() == 29
    assert round_.consultees.exclude(organisation__kind="municipality").count() == 11
    assert round_.status == "compiled" and not round_.compiled_reason
    data = selectors.compilation(round_)
    assert data.state_counts == {"answered": 15, "declined": 3, "silent": 22}
    assert sum(data.decision_counts.values()) > 0 and data.undecided == 0
    assert len(data.changes) == 1
    assert round_.meetings.count() == 1
    # The samråd was held, its outcomes each about the section they were written for; the open
    # round has one planned for next week.
    held = round_.meetings.get()
    assert held.status == "held" and held.is_example and "Exempeltext" in held.notes
    assert [o.section.title if o.section else None for o in held.outcomes.all()] == [
        "Samråd med samebyar sker tidigt och på lika villkor",
        "Vägledning för tidiga samråd",
        None,
    ]
    assert held.people.filter(participated=True).count() == 5
    # Adopted only after the round was compiled, and the adoption says so.
    assert round_.strategy.adopted_version.adoption.consultation == round_.registry_number
    # Every comment is one written for its section.
    for comment in AnswerComment.objects.select_related("section", "answer__consultee"):
        name = next(
            n for n in [*SECTION_COMMENTS, "miljo-insats-2"] if key_of(n) == comment.section.key
        )
        if comment.answer.consultee.round_id == round_.pk:
            assert comment.comment == SECTION_COMMENTS[name][1], (name, comment.comment)
        else:
            assert name in ("miljo-insats-2", "miljo-mal-2")
    # The second round is open: Skellefteå is left for the demo login to answer; Kiruna's draft
    # is Kiruna's alone.
    second = ConsultationRound.objects.get(registry_number=SECOND_REGISTRY_NUMBER)
    assert second.status == "open" and second.version.number == 3
    skelleftea = second.consultees.get(organisation__municipality__code="2482")
    assert skelleftea.state == "silent" and not skelleftea.answers.exists()
    assert (
        second.consultees.get(organisation__municipality__code="2584").answers.get().status
        == "draft"
    )
    planned = second.meetings.get()
    assert planned.status == "planned" and planned.takes_registrations()
    assert planned.people.filter(registration="registered").count() == 2
    page = client.get(planned.get_absolute_url()).content.decode()
    assert "Example data" in page and "Planned" in page
    assert consultation_demo_load() == {}
    page = client.get(f"/en/remiss/{round_.pk}/")
    assert b"Example data" in page.content
    assert "Sammanställd" in client.get(f"/remiss/{round_.pk}/").content.decode()


@pytest.mark.django_db
def test_the_demo_pages_for_the_team_and_the_officers(client, demo_data, pdf_of):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    round_ = ConsultationRound.objects.get(registry_number="RV 2014/0412")
    second = ConsultationRound.objects.get(registry_number=SECOND_REGISTRY_NUMBER)
    base = f"/en/remiss/{round_.pk}"
    client.force_login(users.get(username="strateg"))
    for path in ("/", "/lagesbild/", "/hantering/", "/sammanstallning/", "/yttranden/"):
        assert client.get(base + path).status_code == 200, path
    assert pdf_of(client, base + "/sammanstallning/pdf/").getvalue().startswith(b"%PDF-")
    assert client.get("/en/remiss/").status_code == 200
    assert (
        client.get("/en/strategi/mineralstrategi-norrbotten-vasterbotten/ny-remiss/").status_code
        == 200
    )
    for username, code in (("skelleftea", "2482"), ("kiruna", "2584")):
        client.force_login(users.get(username=username))
        consultee = second.consultees.get(organisation__municipality__code=code)
        response = client.get(f"/en/remiss/{second.pk}/mitt-svar/")
        assert response.status_code == 302 and response["Location"].endswith(
            f"/svar/{consultee.pk}/"
        )
        assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_demo_rounds_are_open_to_the_public_with_example_comments(client, demo_data):
    from bs4 import BeautifulSoup

    from mineralstrategi.consultation.models import PublicComment
    from mineralstrategi.demo.consultation import PUBLIC_COMMENTS, SECOND_PUBLIC_COMMENTS

    first = ConsultationRound.objects.get(registry_number="RV 2014/0412")
    second = ConsultationRound.objects.get(registry_number=SECOND_REGISTRY_NUMBER)
    assert first.is_public and second.is_public
    # Every example comment is published on the section it was written for; most are decided.
    for round_, texts in ((first, PUBLIC_COMMENTS), (second, SECOND_PUBLIC_COMMENTS)):
        comments = PublicComment.objects.filter(round=round_).select_related("section")
        assert {(c.section.key, c.body) for c in comments} == {
            (key_of(name), body) for name, (_writer, body, _decision) in texts.items()
        }
        assert all(c.is_published and c.is_example for c in comments)
    data = selectors.compilation(first)
    assert data.public_undecided == 0 and sum(data.public_decision_counts.values()) == 3
    # The open round's public page shows them beside their sections, labelled as example data.
    page = BeautifulSoup(client.get(f"/remiss/{second.pk}/forslaget/").content, "html.parser")
    section = page.select_one(f"section[data-section='{key_of('miljo-mal-2')}']")
    (comment,) = section.select(".public-comment")
    assert "Anna Sjöberg" in comment.text and "Exempeldata" in comment.text
    assert "(1 synpunkt)" in section.select_one("h2").text
    assert page.select("form[action*=synpunkt]")
