"""An API key records when it was last used, with one write a minute at most (not one per call)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from mineralstrategi.organisations.models import ApiToken
from mineralstrategi.organisations.services import api_token_create, api_token_user


def test_a_key_records_its_use_at_most_once_a_minute(db):
    user = get_user_model().objects.create_user("keyholder", password="a-long-test-password")
    token, key = api_token_create(user=user, name="test")

    assert api_token_user(key) == user
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    assert api_token_user(key) == user
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert api_token_user(key) == user
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier
