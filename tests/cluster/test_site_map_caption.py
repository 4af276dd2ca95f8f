"""The caption of the site map (/klustret/platser/) says what the colours mean, what they rest on
(the registered initiatives' reports, as of when, over which years), that the demo's initiatives
are example data, and where the sites' positions come from: in Swedish, and in English under /en/."""

import datetime

import pytest

from mineralstrategi.implementation.models import Initiative
from mineralstrategi.organisations.models import Municipality
from tests.captions import caption_text, expected_as_of_and_period

SWEDISH = {
    "colours": "Färger: varje kommun är färgad efter antalet godkända initiativ som genomförs där",
    "source": "Källa: de registrerade initiativens egna rapporter till plattformen.",
    "as_of": "Läget {date}, datum för den senaste rapporten eller ändringen; initiativen pågår {period}.",
    "example": "Exempeldata: initiativen är påhittade för demonstrationen.",
    "positions": "Anläggningarnas lägen: publicerade koordinater (uppslagsverksartiklar)",
    "approximate": "annars ungefärliga inom några kilometer",
    "borders": "Kommungränser: okfse/sweden-geojson",
}
ENGLISH = {
    "colours": "Colours: each municipality is shaded by the number of approved initiatives",
    "source": "Source: the registered initiatives' own reports to the platform.",
    "as_of": "As of {date}, the date of the latest report or change; the initiatives run {period}.",
    "example": "Example data: the initiatives are invented for the demonstration.",
    "positions": "Positions of the sites: published coordinates (encyclopedia articles)",
    "approximate": "otherwise approximate to within a few kilometres",
    "borders": "Municipality borders: okfse/sweden-geojson",
}


def map_caption(client, soup, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return caption_text(soup(response).select_one("figure.map-figure figcaption"))


@pytest.mark.parametrize(
    ("path", "expected", "other"),
    [("/klustret/platser/", SWEDISH, ENGLISH), ("/en/klustret/platser/", ENGLISH, SWEDISH)],
    ids=["sv", "en"],
)
def test_the_map_caption_says_what_the_colours_mean_and_what_they_rest_on(
    db, demo_data, client, soup, path, expected, other
):
    caption = map_caption(client, soup, path)
    date, period = expected_as_of_and_period(Initiative.objects.all())

    for key, text in expected.items():
        assert text.format(date=date, period=period) in caption, key
    for key, text in other.items():
        assert text.format(date=date, period=period) not in caption, key


def test_real_initiatives_get_no_example_label_and_a_mix_is_counted(
    db, client, soup, covered, region_vasterbotten
):
    def register(title: str, *, example: bool) -> None:
        initiative = Initiative.objects.create(
            strategy=covered,
            title=title,
            description="x",
            lead_organisation=region_vasterbotten,
            start_date=datetime.date(2015, 1, 1),
            end_date=datetime.date(2019, 12, 31),
            approved_at=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
            is_example=example,
        )
        initiative.municipalities.add(Municipality.objects.get(code="2482"))

    assert "Inget initiativ har godkänts ännu." in map_caption(client, soup, "/klustret/platser/")

    register("Verklig insats", example=False)
    caption = map_caption(client, soup, "/klustret/platser/")
    assert "Exempeldata" not in caption and "exempeldata" not in caption
    assert "initiativen pågår 2015–2019." in caption

    register("Påhittad insats", example=True)
    assert "1 av initiativen är påhittade exempeldata." in map_caption(
        client, soup, "/klustret/platser/"
    )
