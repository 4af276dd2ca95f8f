import pytest

from mineralstrategi.organisations.geography import read_municipalities
from mineralstrategi.organisations.models import County, Municipality, Organisation
from mineralstrategi.organisations.services import geography_load


def test_reference_file_has_every_municipality_with_corrected_names():
    municipalities = {m.code: m for m in read_municipalities()}
    assert len(municipalities) == 290
    assert municipalities["2514"].name == "Kalix kommun"
    assert municipalities["2513"].name == "Överkalix kommun"
    assert not [m for m in municipalities.values() if m.name.endswith("xs kommun")]


@pytest.mark.django_db
def test_load_creates_counties_municipalities_and_their_organisations():
    result = geography_load()

    assert (result.counties_created, result.municipalities_created) == (21, 290)
    assert County.objects.get(code="25").municipalities.count() == 14
    assert County.objects.get(code="24").municipalities.count() == 15
    assert Municipality.objects.get(code="2584").name == "Kiruna kommun"
    assert Organisation.objects.filter(kind="municipality").count() == 290
    kiruna = Organisation.objects.get(municipality__code="2584")
    assert (kiruna.county.code, kiruna.helix_role) == ("25", "public")


@pytest.mark.django_db
def test_load_is_idempotent_and_repairs_a_changed_name():
    geography_load()
    Municipality.objects.filter(code="2514").update(name="Kalixs kommun")

    second = geography_load()

    assert second.municipalities_updated == 1
    assert Municipality.objects.get(code="2514").name == "Kalix kommun"
    assert not geography_load().changed
    assert Organisation.objects.filter(kind="municipality").count() == 290
