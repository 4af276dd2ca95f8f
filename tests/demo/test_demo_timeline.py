"""The demo's story in the order a person reads it on the pages, in Swedish: version 1 frozen, its
consultation sent out (the news says so that day), answered before the deadline, version 2 frozen
after it and adopted by a decision (the news of the adoption dated on the decision day), then
version 3 frozen and on a second round that is open now with its deadline ahead."""

import datetime
import re

import pytest
from django.utils import formats, translation

from mineralstrategi.consultation.models import ConsultationRound, today_in_stockholm
from mineralstrategi.demo import timeline
from mineralstrategi.demo.consultation import REGISTRY_NUMBER, SECOND_REGISTRY_NUMBER
from mineralstrategi.demo.strategy import SLUG

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(ISO.search(text).group())


def _facts(dl) -> dict[str, str]:
    return {
        dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text().split())
        for dt in dl.select("dt")
    }


def _round(client, soup, registry_number: str) -> dict[str, datetime.date]:
    round_ = ConsultationRound.objects.get(registry_number=registry_number)
    facts = _facts(soup(client.get(f"/remiss/{round_.pk}/")).select_one("dl.facts"))
    return {"opens": _date(facts["Startdatum"]), "deadline": _date(facts["Sista svarsdag"])}


def _submitted(client, soup, registry_number: str) -> list[datetime.date]:
    round_ = ConsultationRound.objects.get(registry_number=registry_number)
    page = soup(client.get(f"/remiss/{round_.pk}/yttranden/"))
    texts = [p.get_text() for p in page.select("p.muted") if "Inlämnat" in p.get_text()]
    return [_date(text) for text in texts]


def _news_date(client, soup, slug: str) -> datetime.date:
    """The article's date as its page shows it (and as its <time> tells machines)."""
    time = soup(client.get(f"/nyheter/{slug}/")).select_one("article time, main time")
    shown = datetime.datetime.fromisoformat(time["datetime"]).date()
    with translation.override("sv"):
        assert time.get_text() == formats.date_format(shown, "DATE_FORMAT")
    return shown


@pytest.mark.django_db
def test_the_demo_dates_tell_the_story_in_order(client, soup, demo_data):
    today = today_in_stockholm()

    listing = soup(client.get(f"/strategi/{SLUG}/"))
    frozen = [_date(row.select("td")[1].get_text()) for row in listing.select("tbody tr")]
    first_round = _round(client, soup, REGISTRY_NUMBER)
    answers = _submitted(client, soup, REGISTRY_NUMBER)
    adoption = _facts(
        soup(client.get(f"/strategi/{SLUG}/version/2/")).select_one("[data-adoption] dl")
    )
    decided = _date(adoption["Beslutsdatum"])
    second_round = _round(client, soup, SECOND_REGISTRY_NUMBER)

    # Version 1 is frozen, then sent out; the news of the sending is dated that day.
    assert frozen[0] <= first_round["opens"] < first_round["deadline"]
    sent_news = _news_date(client, soup, "remissutkastet-skickat-till-kommunerna")
    assert sent_news == first_round["opens"]
    assert first_round["deadline"] - first_round["opens"] == datetime.timedelta(weeks=6)
    # The answers came in while the round was open, not all on one day.
    assert len(answers) >= 10 and len(set(answers)) > 5
    assert all(first_round["opens"] <= when <= first_round["deadline"] for when in answers)
    # After the deadline: version 2 frozen, then adopted; the news of it on the decision day.
    assert first_round["deadline"] < frozen[1] < decided < today
    assert _news_date(client, soup, "mineralstrategin-ar-antagen") == decided
    # Months later: version 3 frozen and out on a second round, open now.
    assert decided < frozen[2] <= second_round["opens"] <= today < second_round["deadline"]
    # The story takes most of a year, as the timeline says.
    assert frozen[0] == timeline.day(timeline.VERSION_1_FROZEN)
    assert decided == timeline.day(timeline.ADOPTED)
