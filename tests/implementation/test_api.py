"""The initiatives and action plans in the JSON API, with the same visibility as the pages."""

import datetime

from mineralstrategi.implementation import services


def test_initiatives_are_listed_with_their_sections_and_filtered(
    client, register, section, editor, strategy, kiruna, other_contributor
):
    served = section("Insats 1.1.1")
    approved = register(served, municipality_codes=["2482", "2584"])
    services.initiative_approve(approved, user=editor)
    services.initiative_approve(
        register(
            section("Insats 2.1.1"),
            organisation=kiruna,
            user=other_contributor,
            status="completed",
            start_date=datetime.date(2018, 1, 1),
            end_date=datetime.date(2019, 12, 31),
        ),
        user=editor,
    )
    register(served, title="Inte godkänd")

    everything = client.get("/api/initiatives").json()["items"]
    assert {i["title"] for i in everything} == {"Elektrifierade gruvtruckar"}
    item = next(i for i in everything if i["id"] == approved.pk)
    assert item["lead_organisation"]["name"] == "Skellefteå kommun"
    assert item["sections"][0]["key"] == str(served.key)
    assert item["sections"][0]["outline"] == "1.1.1"
    assert sorted(item["municipality_codes"]) == ["2482", "2584"]
    assert item["budget"] == "1000000"  # decimals travel as strings, exactly

    def titles(query):
        return sorted(i["title"] for i in client.get(f"/api/initiatives?{query}").json()["items"])

    assert titles(f"section={section('Inriktning 1').key}") == ["Elektrifierade gruvtruckar"]
    assert titles("municipality=2584") == ["Elektrifierade gruvtruckar"]
    assert titles("status=completed") == ["Elektrifierade gruvtruckar"]
    assert titles("period=2018") == ["Elektrifierade gruvtruckar"]
    assert titles(f"organisation={kiruna.slug}") == ["Elektrifierade gruvtruckar"]
    assert client.get("/api/initiatives?status=dreaming").status_code == 422


def test_an_unapproved_initiative_is_hidden_from_the_public_but_not_from_its_organisation(
    client, register, section, contributor
):
    initiative = register(section("Insats 1.1.1"))
    assert client.get(f"/api/initiatives/{initiative.pk}").status_code == 404
    client.force_login(contributor)
    detail = client.get(f"/api/initiatives/{initiative.pk}").json()
    assert detail["approved"] is False
    assert [f["kind"] for f in detail["funding"]] == ["own_funds", "eu_regional_fund"]


def test_action_plans_are_listed_with_their_initiative_counts(
    client, register, section, editor, strategy
):
    initiative = register(section("Insats 1.1.1"))
    services.action_plan_create(
        strategy,
        user=editor,
        title="Handlingsplan 2026",
        first_year=2026,
        last_year=2026,
        initiatives=[initiative],
    )
    plans = client.get(f"/api/action-plans?strategy={strategy.slug}").json()
    assert [(p["title"], p["initiative_count"], p["strategy"]) for p in plans] == [
        ("Handlingsplan 2026", 1, strategy.slug)
    ]


def test_the_follow_up_report_gets_the_approved_initiatives_of_the_year_by_section_key(
    register, section, editor, strategy
):
    from mineralstrategi.implementation.selectors import initiatives_by_section_key

    served = section("Insats 1.1.1")
    listed = register(served)  # 2025–2027
    services.initiative_approve(listed, user=editor)
    register(served, title="Inte godkänd")

    assert initiatives_by_section_key(strategy, year=2026) == {served.key: [listed]}
    assert initiatives_by_section_key(strategy, year=2030) == {}


def test_initiatives_come_a_hundred_a_page_each_once(client, strategy, sections, skelleftea):
    from tests.implementation.test_query_counts import bulk_initiatives

    bulk_initiatives(strategy, sections, skelleftea, 130)

    first = client.get("/api/initiatives").json()
    rest = client.get("/api/initiatives", {"offset": 100}).json()
    small = client.get("/api/initiatives", {"limit": 7, "status": "ongoing"}).json()

    assert (first["count"], len(first["items"]), len(rest["items"])) == (130, 100, 30)
    assert len({i["id"] for i in first["items"] + rest["items"]}) == 130
    assert all(i["sections"] for i in first["items"] + rest["items"])
    assert (small["count"], len(small["items"])) == (130, 7)
