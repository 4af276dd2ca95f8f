"""`matches`: one object against a read rule's Q, evaluated in Python as the database would, so
that a rule's condition is written once for the detail page and the list."""

import datetime

import pytest
from django.db.models import F, Q

from mineralstrategi.consultation.models import SENT_OUT, ConsultationRound
from mineralstrategi.implementation.models import APPROVED, Initiative
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.organisations.visibility import matches
from mineralstrategi.portal.models import NewsArticle, published_q

NOW = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)


def test_isnull_and_negation():
    assert matches(Initiative(approved_at=NOW), APPROVED)
    assert not matches(Initiative(approved_at=None), APPROVED)
    assert matches(ConsultationRound(status="open"), SENT_OUT)
    assert not matches(ConsultationRound(status="planned"), SENT_OUT)


@pytest.mark.parametrize(
    ("status", "published_at", "public"),
    [
        ("published", NOW - datetime.timedelta(hours=1), True),
        ("published", NOW, True),  # lte: public from its very minute
        ("published", NOW + datetime.timedelta(hours=1), False),  # scheduled
        ("published", None, False),  # NULL compares with nothing, as in SQL
        ("draft", NOW - datetime.timedelta(hours=1), False),
    ],
)
def test_comparisons_with_and_and_null(status, published_at, public):
    article = NewsArticle(status=status, published_at=published_at)
    assert matches(article, published_q(NOW)) is public


def test_or_in_and_a_forward_relation():
    article = NewsArticle(status="draft", published_at=None)
    assert matches(article, Q(status__in=["draft"]) | Q(published_at__gte=NOW))
    assert matches(NewsArticle(organisation=Organisation(slug="x")), Q(organisation__slug="x"))
    assert not matches(NewsArticle(organisation=None), Q(organisation__slug="x"))


def test_a_condition_it_cannot_evaluate_is_refused_not_guessed():
    with pytest.raises(TypeError):
        matches(NewsArticle(status="draft"), Q(status=F("lead")))
    with pytest.raises(TypeError):
        matches(NewsArticle(status="draft"), Q(status="draft") ^ Q(lead=""))
