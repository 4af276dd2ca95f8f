import pytest
from django.contrib.auth import get_user_model

from mineralstrategi.demo.loader import demo_load, demo_logins
from mineralstrategi.organisations.models import ContactPerson, Membership, Organisation


@pytest.mark.django_db
def test_demo_loads_the_partnership_and_a_second_run_changes_nothing():
    first = demo_load()
    counts = (
        Organisation.objects.count(),
        ContactPerson.objects.count(),
        Membership.objects.count(),
    )

    second = demo_load()

    assert first.changed and not second.changed
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
def test_demo_contacts_are_example_data_and_logins_work():
    demo_load()

    assert not ContactPerson.objects.filter(is_example=False).exists()
    assert ContactPerson.objects.filter(is_press_contact=True, is_public=True).exists()
    for username, password, _ in demo_logins():
        assert get_user_model().objects.get(username=username).check_password(password)
    officer = get_user_model().objects.get(username="skelleftea")
    assert officer.memberships.get().organisation.municipality.code == "2482"
