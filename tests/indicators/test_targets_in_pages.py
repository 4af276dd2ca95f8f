"""Targets, baselines and links to strategy goals kept in the indicator's own pages (issue #22):
the services' rules and refusals, and what a person sees after each write."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from mineralstrategi.indicators import services
from mineralstrategi.indicators.models import IndicatorLink, Observation, Target
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.strategy.conftest import build_tree, make_strategy

pytestmark = pytest.mark.django_db


def target_input(**changes) -> services.TargetInput:
    values = {
        "geo_level": "county", "geo_code": "25", "baseline_year": 2015, "baseline_value": 5050.0,
        "target_year": 2030, "target_value": 6000.5, "baseline_years_averaged": 3,
    }  # fmt: skip
    return services.TargetInput(**(values | changes))


@pytest.fixture
def maintainer(region_vasterbotten, make_member):
    """A strategy editor of Region Västerbotten, the indicator's owner."""
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="agare")


@pytest.fixture
def observed(employment):
    Observation.objects.bulk_create(
        Observation(indicator=employment, geo_level=level, geo_code=code, period=str(year),
                    value=value + 10 * (year - 2010))
        for level, code, value in [("county", "25", 5000), ("municipality", "2482", 1500)]
        for year in range(2010, 2025)
    )  # fmt: skip
    return employment


# --- Services -----------------------------------------------------------------------------------


def test_a_maintainer_adds_changes_and_removes_a_target_each_audited(employment, maintainer):
    target = services.target_create(employment, user=maintainer, data=target_input())
    assert (target.geo_code, target.target_value) == ("25", 6000.5)
    services.target_update(target, user=maintainer, data=target_input(target_value=6500))
    assert Target.objects.get().target_value == 6500
    services.target_delete(target, user=maintainer)
    assert not Target.objects.exists()
    history = Target.history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert {h.history_user for h in history} == {maintainer}


@pytest.mark.parametrize("who", ["anonymous", "registered", "other_organisation", "viewer"])
def test_outsiders_may_not_add_change_or_remove_targets(
    who, employment, region_vasterbotten, kiruna, make_member, django_user_model
):
    user = {
        "anonymous": lambda: AnonymousUser(),
        "registered": lambda: django_user_model.objects.create_user("utan"),
        "other_organisation": lambda: make_member(kiruna, Role.ADMINISTRATOR),
        "viewer": lambda: make_member(region_vasterbotten, Role.VIEWER),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.target_create(employment, user=user, data=target_input())
    target = Target.objects.create(indicator=employment, **services._target_fields(target_input()))
    with pytest.raises(PermissionDenied):
        services.target_update(target, user=user, data=target_input(target_value=1))
    with pytest.raises(PermissionDenied):
        services.target_delete(target, user=user)
    assert Target.objects.get().target_value == 6000.5


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_the_rules_of_a_target_are_told_by_field(employment, maintainer, settings):
    settings.LANGUAGE_CODE = "en"

    def make(**changes):
        return lambda: services.target_create(
            employment, user=maintainer, data=target_input(**changes)
        )

    assert _errors(make(target_year=2015))["target_year"] == [
        "The target year (2015) must come after the baseline year (2015)."
    ]
    assert _errors(make(geo_code="99"))["geo_code"] == ["There is no county with the code “99”."]
    assert _errors(make(geo_level="municipality", geo_code="25"))["geo_code"] == [
        "There is no municipality with the code “25”."
    ]
    assert _errors(make(geo_level="site", geo_code="kiruna-gruva"))["geo_level"]
    services.target_create(employment, user=maintainer, data=target_input())
    assert _errors(make(target_value=1))["geo_code"] == [
        "Norrbottens län already has a target for this indicator: change or remove that one."
    ]
    assert Target.objects.count() == 1


def test_changing_a_target_to_another_place_that_has_one_is_refused(employment, maintainer):
    services.target_create(employment, user=maintainer, data=target_input())
    other = services.target_create(employment, user=maintainer, data=target_input(geo_code="24"))
    errors = _errors(
        lambda: services.target_update(other, user=maintainer, data=target_input(geo_code="25"))
    )
    assert "Norrbottens län" in errors["geo_code"][0]
    services.target_update(other, user=maintainer, data=target_input(geo_code="24", target_value=1))


@pytest.fixture
def strategy(region_vasterbotten, frameworks):
    return make_strategy(region_vasterbotten)


@pytest.fixture
def strategy_editor(region_vasterbotten, make_member):
    return make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="redaktor")


@pytest.fixture
def draft_sections(strategy, strategy_editor):
    draft = strategy_services.strategy_draft(strategy)
    build_tree(draft, strategy_editor)
    return {s.title: s for s in draft.sections.select_related("version__strategy")}


def test_a_strategy_editor_links_and_unlinks_audited(employment, strategy_editor, draft_sections):
    goal = draft_sections["Mål 1.1"]
    link = services.indicator_link_create(employment, user=strategy_editor, section=goal)
    assert (link.strategy_id, link.section_key) == (goal.version.strategy_id, goal.key)
    with pytest.raises(ValidationError, match="följer redan upp"):
        services.indicator_link_create(employment, user=strategy_editor, section=goal)
    with pytest.raises(ValidationError):
        services.indicator_link_create(
            employment, user=strategy_editor, section=draft_sections["Vision"]
        )
    services.indicator_link_delete(link, user=strategy_editor)
    assert not IndicatorLink.objects.exists()
    assert {h.history_user for h in IndicatorLink.history.all()} == {strategy_editor}


def test_only_a_strategys_editors_link_to_it(
    employment, draft_sections, region_vasterbotten, kiruna, make_member
):
    goal = draft_sections["Mål 1.1"]
    for user in (
        AnonymousUser(),
        make_member(kiruna, Role.STRATEGY_EDITOR),  # another organisation
        make_member(region_vasterbotten, Role.ADMINISTRATOR),  # maintains the indicator
    ):
        with pytest.raises(PermissionDenied):
            services.indicator_link_create(employment, user=user, section=goal)
    assert not IndicatorLink.objects.exists()


def test_the_editors_of_a_strategy_that_follows_the_indicator_up_set_its_targets(
    employment, kiruna, make_member, client
):
    """Region Västerbotten keeps the indicator; Kiruna's strategy links it to a goal, so Kiruna's
    strategy editors set where it should go. Before the link they may not; Kiruna's other roles
    never may."""
    editor = make_member(kiruna, Role.STRATEGY_EDITOR, username="kirunaredaktor")
    administrator = make_member(kiruna, Role.ADMINISTRATOR, username="kirunaadmin")
    strategy = make_strategy(kiruna, slug="kirunas-strategi")
    draft = strategy_services.strategy_draft(strategy)
    build_tree(draft, editor)
    goal = draft.sections.get(title="Mål 1.1")
    client.force_login(editor)
    assert client.get(_targets_url(employment)).status_code == 403
    assert "Mål och utgångsvärden" not in _indicator_page(client, employment)
    with pytest.raises(PermissionDenied):
        services.target_create(employment, user=editor, data=target_input())

    services.indicator_link_create(employment, user=editor, section=goal)

    assert "Mål och utgångsvärden" in _indicator_page(client, employment)
    response = client.post(_targets_url(employment), FORM, follow=True)
    assert response.status_code == 200
    assert "Målet för Norrbottens län är sparat." in response.content.decode()
    target = Target.objects.get()
    assert target.history.get().history_user == editor
    with pytest.raises(PermissionDenied):
        services.target_update(target, user=administrator, data=target_input(target_value=1))
    assert Target.objects.get().target_value == 6000.5


def _indicator_page(client, indicator) -> str:
    return client.get(reverse("indicators:detail", args=[indicator.code])).content.decode()


# --- Pages --------------------------------------------------------------------------------------


def _targets_url(indicator):
    return reverse("indicators:targets", args=[indicator.code])


FORM = {
    "place": "county:25",
    "baseline_year": "2015",
    "baseline_value": "5 050",
    "baseline_years_averaged": "3",
    "target_year": "2030",
    "target_value": "6000,5",
}


def test_a_maintainer_adds_a_target_in_the_page_and_it_shows_where_targets_show(
    client, observed, maintainer, soup
):
    client.force_login(maintainer)
    detail = soup(client.get(observed.get_absolute_url()))
    assert detail.select_one(f"a[href='{_targets_url(observed)}']")

    response = client.post(_targets_url(observed), FORM, follow=True)
    assert response.status_code == 200
    page = soup(response)
    row = page.select_one("table[data-targets] tbody tr")
    assert row.th.text == "Norrbottens län"
    assert "6000,5" in row.text and "2030" in row.text and "5050" in row.text
    assert page.html["lang"] == "sv"

    client.logout()
    public = soup(client.get(observed.get_absolute_url()))
    status_row = [
        r for r in public.select(".status-table tbody tr") if r.th.text == "Norrbottens län"
    ]
    assert "6000,5" in status_row[0].text and "2030" in status_row[0].text
    assert not public.select_one(f"a[href='{_targets_url(observed)}']")
    api = client.get(f"/api/indicators/{observed.code}/status").json()
    county = next(item for item in api if item["geo"] == "25")
    assert (county["target_value"], county["target_year"]) == (6000.5, 2030)


def test_bad_input_gets_a_400_with_the_error_summary_naming_the_field(
    client, observed, maintainer, soup
):
    client.force_login(maintainer)
    response = client.post(
        _targets_url(observed), FORM | {"target_year": "2010", "target_value": "sex tusen"}
    )
    assert response.status_code == 400
    summary = [li.text for li in soup(response).select(".error-summary li")]
    assert summary == [
        "Målår: Målåret (2010) måste komma efter basåret (2015).",
        "Målvärde: Skriv ett tal, t.ex. 12,5.",
    ]
    assert not Target.objects.exists()


def test_the_place_that_has_a_target_is_named_and_the_target_changed_and_removed(
    client, observed, maintainer, soup
):
    client.force_login(maintainer)
    client.post(_targets_url(observed), FORM)
    response = client.post(_targets_url(observed), FORM | {"target_value": "7000"})
    assert response.status_code == 400
    summary = soup(response).select_one(".error-summary").text
    assert "Plats" in summary and "Norrbottens län har redan ett mål" in summary

    target = Target.objects.get()
    edit = reverse("indicators:target_edit", args=[observed.code, target.pk])
    form = soup(client.get(edit))
    assert form.select_one("#id_target_value")["value"] == "6000,5"
    page = soup(client.post(edit, FORM | {"target_value": "6 100,25"}, follow=True))
    assert "6100,25" in page.select_one("table[data-targets] tbody tr").text

    delete = reverse("indicators:target_delete", args=[observed.code, target.pk])
    confirm = soup(client.get(delete))
    assert "Norrbottens län" in confirm.h1.text and Target.objects.exists()
    page = soup(client.post(delete, follow=True))
    assert not page.select("table[data-targets]") and not Target.objects.exists()
    assert Target.history.filter(history_type="-").get().history_user == maintainer


def test_outsiders_are_refused_the_pages(client, observed, kiruna, make_member):
    target = Target.objects.create(indicator=observed, **services._target_fields(target_input()))
    urls = [
        _targets_url(observed),
        reverse("indicators:target_edit", args=[observed.code, target.pk]),
        reverse("indicators:target_delete", args=[observed.code, target.pk]),
        reverse("indicators:links", args=[observed.code]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url or "logga" in response.url
    client.force_login(make_member(kiruna, Role.ADMINISTRATOR))
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, FORM).status_code == 403
    assert Target.objects.get().target_value == 6000.5


def test_a_strategy_editor_links_the_indicator_in_the_page(
    client, observed, strategy, strategy_editor, draft_sections, soup
):
    client.force_login(strategy_editor)
    url = reverse("indicators:links", args=[observed.code])
    page = soup(client.get(url))
    options = [o.text for o in page.select("#id_section option")]
    assert "Mål 1.1: Mål 1.1" in " ".join(options) or any("Mål 1.1" in o for o in options)
    assert not any("Vision" in o for o in options)

    goal = draft_sections["Mål 1.1"]
    page = soup(client.post(url, {"section": goal.pk}, follow=True))
    assert [li.a.text for li in page.select("[data-links] li")] == ["Mål: Mål 1.1"]
    assert soup(client.get(observed.get_absolute_url())).find(string=lambda s: s and "Mål 1.1" in s)

    bad = client.post(url, {"section": "999999"})
    assert bad.status_code == 400 and soup(bad).select(".error-summary li")

    link = IndicatorLink.objects.get()
    delete = reverse("indicators:link_delete", args=[observed.code, link.pk])
    assert "Mål 1.1" in soup(client.get(delete)).h1.text
    page = soup(client.post(delete, follow=True))
    assert not page.select("[data-links]") and not IndicatorLink.objects.exists()


def test_the_years_averaged_may_be_left_empty_for_one_year(client, observed, maintainer):
    client.force_login(maintainer)
    form = {key: value for key, value in FORM.items() if key != "baseline_years_averaged"}
    assert client.post(_targets_url(observed), form).status_code == 302
    assert Target.objects.get().baseline_years_averaged == 1


def test_the_new_pages_speak_swedish_in_swedish_and_english_in_english(
    client, observed, maintainer, strategy_editor, draft_sections, make_member, soup
):
    """No English interface sentence (nor a stray English word) on the Swedish pages, no Swedish
    one on the English pages (the catalogue as word list, as tests/config does for public pages)."""
    from tests.config.test_pages_speak_one_language import (
        ENGLISH_WORDS,
        found_as_element_text,
        found_in_running_text,
        sentences,
        visible_page,
    )

    english, swedish = sentences()
    target = Target.objects.create(indicator=observed, **services._target_fields(target_input()))
    link = IndicatorLink.objects.create(
        indicator=observed,
        strategy=draft_sections["Mål 1.1"].version.strategy,
        section_key=draft_sections["Mål 1.1"].key,
    )
    code = observed.code
    pages = {
        maintainer: [
            _targets_url(observed),
            reverse("indicators:target_edit", args=[code, target.pk]),
            reverse("indicators:target_delete", args=[code, target.pk]),
            reverse("indicators:links", args=[code]),  # without a strategy to link to
        ],
        strategy_editor: [
            reverse("indicators:links", args=[code]),
            reverse("indicators:link_delete", args=[code, link.pk]),
        ],
    }
    for user, paths in pages.items():
        client.force_login(user)
        for path in paths:
            page = visible_page(client.get(path).content.decode())
            assert found_in_running_text(english, page) == [], path
            assert found_in_running_text({w: w for w in ENGLISH_WORDS}, page) == [], path
            english_page = visible_page(client.get("/en" + path).content.decode())
            assert found_as_element_text(swedish, english_page) == [], path
    client.force_login(maintainer)
    with translation.override("sv"):  # the English pages above left English active
        bad = client.post(_targets_url(observed), FORM | {"target_year": "1"})
    assert bad.status_code == 400
    assert found_in_running_text(english, visible_page(bad.content.decode())) == []


def test_the_choices_are_the_drafts_of_the_strategies_the_person_edits(
    client, observed, strategy, draft_sections, kiruna, make_member, soup
):
    """An editor of another partnership's strategy sees only that strategy's directions and
    goals; a section of a strategy they do not edit, or of a frozen version, is refused."""
    kiruna_editor = make_member(kiruna, Role.STRATEGY_EDITOR, username="kirunaredaktor")
    own = make_strategy(kiruna, title="Kirunas strategi", slug="kiruna")
    build_tree(strategy_services.strategy_draft(own), kiruna_editor, directions=1)
    client.force_login(kiruna_editor)
    url = reverse("indicators:links", args=[observed.code])
    groups = soup(client.get(url)).select("#id_section optgroup")
    assert [group["label"] for group in groups] == ["Kirunas strategi"]

    other = draft_sections["Mål 1.1"]
    response = client.post(url, {"section": other.pk})
    assert response.status_code == 400 and soup(response).select(".error-summary li")
    with pytest.raises(PermissionDenied):
        services.indicator_link_create(observed, user=kiruna_editor, section=other)
    frozen = strategy_services.version_freeze(own, user=kiruna_editor, label="Version 1")
    with pytest.raises(ValidationError, match="arbetsutkast"):
        services.indicator_link_create(
            observed, user=kiruna_editor, section=frozen.sections.get(kind="goal")
        )
    assert not IndicatorLink.objects.exists()
