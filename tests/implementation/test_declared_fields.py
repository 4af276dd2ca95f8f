"""An initiative's own fields are declared once (`INITIATIVE_FIELDS`): every field of that list is
asked for on the form with its value, written by the service, shown by the JSON API and in the
download. A field added to the model and the list reaches them all; one left out of a face fails
here."""

import csv
import datetime
import io

from mineralstrategi.implementation import services
from mineralstrategi.implementation.models import INITIATIVE_FIELDS

STATED = {
    "title": "Vätgas i pelletsverket",
    "description": "Försök med vätgas i stället för olja.",
    "start_date": datetime.date(2025, 3, 1),
    "end_date": datetime.date(2026, 6, 30),
    "budget": 1_250_000,
    "status": "ongoing",
    "progress": 35,
    "results": "Första ugnen är ombyggd.",
    "partners_wanted": "Forskare i metallurgi",
}


def test_the_list_is_the_one_the_tests_state():
    """This file gives a value for every declared field; a new one is added here too."""
    assert set(INITIATIVE_FIELDS) == set(STATED)


def _as_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def test_every_declared_field_reaches_form_api_and_download(
    client, strategy, register, section, contributor, editor, soup
):
    initiative = register(section("Insats 1.1.1"), **STATED)
    services.initiative_approve(initiative, user=editor)
    client.force_login(contributor)

    form = soup(client.get(f"/en/genomforande/{strategy.slug}/insatser/{initiative.pk}/andra/"))
    detail = client.get(f"/api/initiatives/{initiative.pk}").json()
    download = client.get(f"/en/genomforande/{strategy.slug}/insatser/?export=csv")
    (row,) = csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")))

    for name, value in STATED.items():
        control = form.select_one(f"[name={name}]")
        assert control is not None, f"the form does not ask for {name}"
        shown = (
            control.get_text()
            if control.name == "textarea"
            else control.select_one("option[selected]")["value"]
            if control.name == "select"
            else control["value"]
        )
        assert shown.strip() == _as_text(value), name
        assert _as_text(detail[name]) == _as_text(value), f"the API shows {name} wrongly"
        assert row[name] == _as_text(value), f"the download shows {name} wrongly"
