import base64

import pytest
from django.contrib.auth import get_user_model

from mineralstrategi.demo.loader import demo_load, demo_logins
from mineralstrategi.organisations.models import ContactPerson, Membership, Organisation

pytestmark = (
    pytest.mark.sqlite_in_ci
)  # the demo's content, alike on either database: CI reads it once


@pytest.mark.django_db
def test_demo_loads_the_partnership_and_a_second_run_changes_nothing(demo_data):
    counts = (
        Organisation.objects.count(),
        ContactPerson.objects.count(),
        Membership.objects.count(),
    )

    second = demo_load()

    assert not second.changed
    assert counts == (
        Organisation.objects.count(),
        ContactPerson.objects.count(),
        Membership.objects.count(),
    )
    assert (
        Organisation.objects.filter(county__code__in=["24", "25"], kind="municipality").count()
        == 29
    )
    for slug in ["lansstyrelsen-norrbotten", "region-vasterbotten", "lulea-tekniska-universitet"]:
        assert Organisation.objects.filter(slug=slug).exists()
    assert Organisation.objects.filter(kind="sami_village").count() >= 4


@pytest.mark.django_db
def test_demo_contacts_are_example_data_and_logins_work(demo_data):

    assert not ContactPerson.objects.filter(is_example=False).exists()
    assert ContactPerson.objects.filter(is_press_contact=True, is_public=True).exists()
    for username, password, _ in demo_logins():
        assert get_user_model().objects.get(username=username).check_password(password)
    officer = get_user_model().objects.get(username="skelleftea")
    assert officer.memberships.get().organisation.municipality.code == "2482"


@pytest.mark.django_db
def test_demo_accounts_that_must_verify_have_the_printed_demo_key():
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mineralstrategi.accounts.policy import otp_required_for
    from mineralstrategi.demo.accounts import demo_totp_secret

    demo_load()

    users = get_user_model().objects.all()
    must_verify = {user.username for user in users if otp_required_for(user)}
    assert {"admin", "strateg", "webbredaktor"} <= must_verify
    assert "skelleftea" not in must_verify
    for device in TOTPDevice.objects.filter(user__username__in=must_verify):
        assert device.confirmed
        assert device.verify_token(totp(base64.b32decode(demo_totp_secret())))
    assert (
        set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
        == must_verify
    )
