"""Registering, changing, approving and reporting on initiatives: who may, and what bad input does."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from mineralstrategi.implementation import selectors, services
from mineralstrategi.implementation.models import FundingSource, Initiative
from mineralstrategi.implementation.services import FundingRow
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.strategy.conftest import adopt, make_strategy

from .conftest import initiative_input


def test_a_contributor_registers_an_initiative_for_their_organisation(
    register, section, skelleftea, contributor
):
    initiative = register(section("Insats 1.1.1"), partners_wanted="  Forskare  ")

    assert initiative.lead_organisation == skelleftea
    assert initiative.created_by == contributor
    assert not initiative.is_approved
    assert initiative.partners_wanted == "Forskare"
    assert sorted(f.amount for f in initiative.funding.all()) == [400_000, 600_000]
    assert initiative.history.first().history_user == contributor


def test_a_viewer_or_a_member_of_another_organisation_cannot_register_for_it(
    strategy, section, skelleftea, viewer, other_contributor
):
    for user in (viewer, other_contributor, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.initiative_create(
                strategy=strategy,
                organisation=skelleftea,
                user=user,
                data=initiative_input([section("Insats 1.1.1").key]),
            )
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"start_date": datetime.date(2026, 1, 1), "end_date": datetime.date(2025, 1, 1)},
            "end_date",
        ),
        ({"budget": Decimal(-1)}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"funding": [FundingRow("own_funds", Decimal(-5))]}, "funding"),
        ({"funding": [FundingRow("own_funds", "ten")]}, "funding"),
        ({"funding": [FundingRow("lottery", Decimal(5))]}, "funding"),
        ({"section_keys": []}, "sections"),
        ({"progress": 101}, "progress"),
        ({"status": "dreaming"}, "status"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    strategy, section, skelleftea, contributor, overrides, field
):
    with pytest.raises(ValidationError) as raised:
        services.initiative_create(
            strategy=strategy,
            organisation=skelleftea,
            user=contributor,
            data=initiative_input([section("Insats 1.1.1").key], **overrides),
        )
    assert field in raised.value.message_dict
    assert not Initiative.objects.exists() and not FundingSource.objects.exists()


def test_sections_of_another_strategy_or_text_sections_are_refused(
    register, section, editor, region_vasterbotten
):
    other = make_strategy(region_vasterbotten, title="Annan", slug="annan", counties=())
    stranger = strategy_services.section_create(
        version=strategy_services.strategy_draft(other), user=editor, kind="direction", title="X"
    )
    for served in (section("Vision"), stranger):
        with pytest.raises(ValidationError) as raised:
            register(served)
        assert "sections" in raised.value.message_dict
    assert not Initiative.objects.exists()


def test_only_the_lead_organisations_contributors_change_an_initiative(
    register, section, other_contributor, viewer, contributor
):
    initiative = register(section("Insats 1.1.1"))

    for user in (other_contributor, viewer):
        with pytest.raises(PermissionDenied):
            services.initiative_update(
                initiative,
                user=user,
                data=initiative_input([section("Mål 1.1").key], title="Kapat"),
            )
    initiative.refresh_from_db()
    assert initiative.title == "Elektrifierade gruvtruckar"

    services.initiative_update(
        initiative, user=contributor, data=initiative_input([section("Mål 1.1").key], title="Nytt")
    )
    initiative.refresh_from_db()
    assert initiative.title == "Nytt"
    assert [str(link.section_key) for link in initiative.section_links.all()] == [
        str(section("Mål 1.1").key)
    ]


def test_strategy_editors_of_the_partnership_approve_and_unlist(
    register, section, editor, contributor, kiruna, make_member
):
    initiative = register(section("Insats 1.1.1"))
    outsider_editor = make_member(kiruna, Role.STRATEGY_EDITOR, username="kirunaeditor")

    for user in (contributor, outsider_editor):
        with pytest.raises(PermissionDenied):
            services.initiative_approve(initiative, user=user)

    services.initiative_approve(initiative, user=editor)
    initiative.refresh_from_db()
    assert initiative.is_approved and initiative.approved_by == editor

    services.initiative_unlist(initiative, user=editor)
    initiative.refresh_from_db()
    assert not initiative.is_approved


def test_unapproved_initiatives_are_seen_by_their_organisation_and_the_editors_only(
    register, section, strategy, editor, contributor, viewer, other_contributor
):
    register(section("Insats 1.1.1"))

    def visible(user):
        return len(selectors.initiative_list(strategy, user))

    assert visible(contributor) == 1
    assert visible(viewer) == 1  # a member of the lead organisation reads it
    assert visible(editor) == 1
    assert visible(other_contributor) == 0
    assert visible(AnonymousUser()) == 0


def test_the_latest_progress_update_sets_the_progress(
    register, section, contributor, other_contributor
):
    initiative = register(section("Insats 1.1.1"), progress=10)

    services.progress_update_add(
        initiative,
        user=contributor,
        date=datetime.date(2026, 3, 1),
        progress=55,
        text="Etapp 1 klar",
        status="ongoing",
    )
    services.progress_update_add(
        initiative,
        user=contributor,
        date=datetime.date(2026, 1, 1),
        progress=30,
        text="Sent inrapporterad",
    )
    initiative.refresh_from_db()
    assert initiative.progress == 55
    with pytest.raises(PermissionDenied):
        services.progress_update_add(
            initiative,
            user=other_contributor,
            date=datetime.date(2026, 4, 1),
            progress=99,
            text="x",
        )


def test_links_follow_the_section_key_into_a_new_frozen_and_adopted_version(
    register, section, strategy, editor
):
    initiative = register(section("Insats 2.1.1"))
    services.initiative_approve(initiative, user=editor)
    version = strategy_services.version_freeze(strategy, user=editor, label="Antagen")
    adopt(version, editor)
    strategy.refresh_from_db()

    listed = selectors.initiative_list(strategy, editor)
    served = listed[0].sections[0]
    assert served.key == section("Insats 2.1.1").key
    assert served.version_id == version.pk  # resolved against the adopted version
    figures = selectors.strategy_rollup(strategy)
    assert {row.section.title: row.result.count for row in figures.rows}["Inriktning 2"] == 1
