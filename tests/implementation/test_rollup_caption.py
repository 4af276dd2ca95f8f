"""The roll-up bars of /genomforande/<slug>/ (and of its "how to contribute" page) carry a caption:
what a bar measures, that the figures are the registered initiatives' own reports, as of when and
over which years, and that the demo's initiatives are example data; in Swedish, and in English
under /en/."""

import pytest

from mineralstrategi.demo.strategy import SLUG
from mineralstrategi.implementation.models import ImplementationSettings, Initiative
from tests.captions import caption_text, expected_as_of_and_period

SWEDISH = {
    "measure": "Varje stapel, liksom den totala genomförandegraden ovan, visar den "
    "genomförandegrad, i procent från 0 till 100, som de godkända initiativen för avsnittet "
    "eller något under det har rapporterat",
    "source": "Källa: de registrerade initiativens egna rapporter till plattformen.",
    "as_of": "Läget {date}, datum för den senaste rapporten eller ändringen; initiativen pågår {period}.",
    "example": "Exempeldata: initiativen är påhittade för demonstrationen.",
}
ENGLISH = {
    "measure": "Each bar, like the overall progress above, shows the progress, as a percentage "
    "from 0 to 100, that the approved initiatives serving the section or anything under it have "
    "reported",
    "source": "Source: the registered initiatives' own reports to the platform.",
    "as_of": "As of {date}, the date of the latest report or change; the initiatives run {period}.",
    "example": "Example data: the initiatives are invented for the demonstration.",
}
WEIGHTING = {
    ("sv", "equal"): "där alla initiativ väger lika.",
    ("sv", "budget"): "där varje initiativ väger efter sin budget.",
    ("en", "equal"): "each initiative weighed the same.",
    ("en", "budget"): "each initiative weighed by its budget.",
}
LANGUAGES = [("", "sv", SWEDISH, ENGLISH), ("/en", "en", ENGLISH, SWEDISH)]


def caption_of(client, soup, path: str, selector: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return caption_text(soup(response).select_one(selector))


@pytest.mark.parametrize(("prefix", "language", "expected", "other"), LANGUAGES, ids=["sv", "en"])
def test_the_rollup_bars_say_what_they_measure_and_what_they_rest_on(
    db, demo_data, client, soup, prefix, language, expected, other
):
    caption = caption_of(
        client, soup, f"{prefix}/genomforande/{SLUG}/", "figure.rollup-figure figcaption"
    )
    date, period = expected_as_of_and_period(Initiative.objects.filter(strategy__slug=SLUG))

    for key, text in expected.items():
        assert text.format(date=date, period=period) in caption, key
    for key, text in other.items():
        assert text.format(date=date, period=period) not in caption, key
    assert WEIGHTING[(language, current_weighting())] in caption


def current_weighting() -> str:
    return ImplementationSettings.objects.get(strategy__slug=SLUG).weighting


@pytest.mark.parametrize(("prefix", "language", "expected", "other"), LANGUAGES, ids=["sv", "en"])
def test_the_caption_follows_the_weighting(
    db, demo_data, client, soup, prefix, language, expected, other
):
    before = current_weighting()
    other_weighting = "equal" if before == "budget" else "budget"
    ImplementationSettings.objects.filter(strategy__slug=SLUG).update(weighting=other_weighting)

    caption = caption_of(
        client, soup, f"{prefix}/genomforande/{SLUG}/", "figure.rollup-figure figcaption"
    )

    assert WEIGHTING[(language, other_weighting)] in caption
    assert WEIGHTING[(language, before)] not in caption


@pytest.mark.parametrize(
    ("prefix", "measure", "example"),
    [
        ("", "Varje stapel visar den genomförandegrad", SWEDISH["example"]),
        ("/en", "Each bar shows the progress", ENGLISH["example"]),
    ],
    ids=["sv", "en"],
)
def test_the_contribute_page_bars_are_captioned_too(
    db, demo_data, client, soup, prefix, measure, example
):
    caption = caption_of(client, soup, f"{prefix}/genomforande/{SLUG}/bidra/", ".figure-caption")
    date, period = expected_as_of_and_period(Initiative.objects.filter(strategy__slug=SLUG))

    assert measure in caption
    assert example in caption
    assert date in caption and period in caption
