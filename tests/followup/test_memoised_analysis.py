"""The statistics behind the dashboard and the indicator page are kept between renders, keyed on
the data themselves: a second render computes nothing, and changed data are never served stale."""

from django.db.models import F

from mineralstrategi.caching.until_a_write import forget_everything
from mineralstrategi.indicators.cycle import PLACE_MEMO, PRICE_CYCLE_MEMO
from mineralstrategi.indicators.models import Observation, PricePoint
from mineralstrategi.indicators.selectors import STATUS_MEMO

ANALYSIS = "/api/indicators/gruv-investeringar/analysis"


def _clear_memos():
    forget_everything()
    for memo in (PLACE_MEMO, PRICE_CYCLE_MEMO, STATUS_MEMO):
        memo.clear()


def test_a_second_dashboard_render_computes_no_statistics_again(client, demo, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # render twice, rather than serve the second from the cache
    _clear_memos()
    assert client.get(f"/en/uppfoljning/{demo.slug}/", {"year": 2024}).status_code == 200
    computed = PLACE_MEMO.misses, PRICE_CYCLE_MEMO.misses, STATUS_MEMO.misses
    assert computed[0] > 0 and computed[1] > 0 and computed[2] > 0

    forget_everything()  # the follow-up itself is kept until a write (tested elsewhere)
    assert client.get(f"/en/uppfoljning/{demo.slug}/", {"year": 2024}).status_code == 200
    assert (PLACE_MEMO.misses, PRICE_CYCLE_MEMO.misses, STATUS_MEMO.misses) == computed
    assert PLACE_MEMO.hits > 0 and PRICE_CYCLE_MEMO.hits > 0


def test_changed_observations_give_a_new_analysis_not_the_kept_one(client, demo):
    before = client.get(ANALYSIS, {"geo": "25"}).json()
    Observation.objects.filter(
        indicator__code="gruv-investeringar", geo_code="25", period="2022"
    ).update(value=F("value") * 3)

    after = client.get(ANALYSIS, {"geo": "25"}).json()
    _clear_memos()
    computed_afresh = client.get(ANALYSIS, {"geo": "25"}).json()

    assert after == computed_afresh
    assert after["observed"] != before["observed"]
    assert after["trend"] != before["trend"] and after["adjusted"] != before["adjusted"]


def test_changed_prices_give_a_new_price_cycle_and_adjustment(client, demo):
    before = client.get(ANALYSIS, {"geo": "25"}).json()
    PricePoint.objects.filter(commodity__code="iron_ore", month__startswith="2021").update(
        value=F("value") * 2
    )

    after = client.get(ANALYSIS, {"geo": "25"}).json()
    _clear_memos()

    assert after == client.get(ANALYSIS, {"geo": "25"}).json()
    assert after["price_cycle"] != before["price_cycle"]
    assert after["adjusted"] != before["adjusted"]


def test_prices_known_only_at_a_cut_change_its_provisional_band(client, demo):
    """The revisions rest on the price cycle as it stood at each cut: a change of the 2020 prices
    (before the last cut) must give new revisions, not the kept ones."""
    before = client.get(ANALYSIS, {"geo": "25"}).json()["adjusted_revision"]
    PricePoint.objects.filter(commodity__code="iron_ore", month__startswith="2020").update(
        value=F("value") * 1.5
    )

    after = client.get(ANALYSIS, {"geo": "25"}).json()["adjusted_revision"]
    _clear_memos()

    assert after == client.get(ANALYSIS, {"geo": "25"}).json()["adjusted_revision"]
    assert after["end_revisions"] != before["end_revisions"]
