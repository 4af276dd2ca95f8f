"""Choice widgets rendered once until the next write: the same HTML as Django's own widgets, a new
organisation on the next render, and no sharing between different choices."""

import pytest
from django import forms
from django.utils.text import slugify

from mineralstrategi.caching.kept_widgets import (
    KEPT_WIDGETS,
    KeptCheckboxSelectMultiple,
    KeptSelect,
    KeptSelectMultiple,
)
from mineralstrategi.organisations.models import Organisation, OrganisationKind


def _organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=slugify(name), kind=OrganisationKind.COMPANY)


def _forms(queryset, widget_class, plain_class, field_class=forms.ModelChoiceField):
    class Kept(forms.Form):
        organisation = field_class(queryset=queryset, widget=widget_class)

    class Plain(forms.Form):
        organisation = field_class(queryset=queryset, widget=plain_class)

    return Kept, Plain


@pytest.mark.parametrize(
    ("kept", "plain", "field_class"),
    [
        (KeptSelect, forms.Select, forms.ModelChoiceField),
        (KeptSelectMultiple, forms.SelectMultiple, forms.ModelMultipleChoiceField),
        (KeptCheckboxSelectMultiple, forms.CheckboxSelectMultiple, forms.ModelMultipleChoiceField),
    ],
)
def test_the_html_is_django_s_own_unbound_bound_and_with_errors(db, kept, plain, field_class):
    boliden, lkab = _organisation("Boliden Mineral AB"), _organisation("LKAB")
    Kept, Plain = _forms(Organisation.objects.order_by("name"), kept, plain, field_class)
    chosen = lkab.pk if field_class is forms.ModelChoiceField else [lkab.pk]

    for data in (None, {"organisation": chosen}, {"organisation": "not-a-number"}):
        for _ in range(2):  # the second comes from what was kept
            kept_html = str(Kept(data)["organisation"])
            assert kept_html == str(Plain(data)["organisation"])
    assert f'value="{boliden.pk}"' in kept_html and "LKAB" in kept_html


def test_a_second_render_is_kept_and_a_write_shows_on_the_next(db):
    _organisation("Boliden Mineral AB")
    Kept, _ = _forms(Organisation.objects.order_by("name"), KeptSelect, forms.Select)
    str(Kept()["organisation"])
    hits = KEPT_WIDGETS.hits

    str(Kept()["organisation"])
    assert KEPT_WIDGETS.hits == hits + 1

    _organisation("Zinkgruvan Mining AB")
    assert "Zinkgruvan Mining AB" in str(Kept()["organisation"])


def test_other_choices_are_never_shared(db):
    _organisation("Boliden Mineral AB")
    _organisation("LKAB")
    All, _ = _forms(Organisation.objects.order_by("name"), KeptSelect, forms.Select)
    Some, _ = _forms(Organisation.objects.filter(name="LKAB"), KeptSelect, forms.Select)
    str(All()["organisation"])

    assert "Boliden" not in str(Some()["organisation"])


def test_a_field_s_own_labels_and_a_list_of_choices_are_keyed(db):
    _organisation("LKAB")
    Kept, _ = _forms(Organisation.objects.all(), KeptSelect, forms.Select)
    str(Kept()["organisation"])
    shouting = Kept()
    shouting.fields["organisation"].label_from_instance = lambda o: o.name.upper() + "!"
    assert "LKAB!" in str(shouting["organisation"])

    class Listed(forms.Form):
        choice = forms.ChoiceField(choices=[], widget=KeptSelect)

    first, second = Listed(), Listed()
    first.fields["choice"].choices = [("1", "Arjeplog")]
    second.fields["choice"].choices = [("1", "Arvidsjaur")]
    assert "Arjeplog" in str(first["choice"]) and "Arvidsjaur" in str(second["choice"])
