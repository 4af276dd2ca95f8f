"""The pages: registering through the form (the lead organisation is the member's own), bad input
answered with field errors and nothing saved, approval, the roll-up and how-to-contribute pages."""

import pytest

from mineralstrategi.implementation import services
from mineralstrategi.implementation.models import Initiative


def form_data(section_keys, organisation, **overrides):
    data = {
        "organisation": str(organisation.pk),
        "title": "Vätgas i pelletsverket",
        "description": "Försök med vätgas i stället för olja.",
        "sections": [str(key) for key in section_keys],
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "budget": "2500000",
        "status": "ongoing",
        "progress": "25",
        "municipalities": ["2482"],
        "results": "",
        "partners_wanted": "Forskare inom förbränning",
        "funding-TOTAL_FORMS": "3",
        "funding-INITIAL_FORMS": "0",
        "funding-0-kind": "eu_regional_fund",
        "funding-0-funder": "ERUF",
        "funding-0-amount": "1000000",
        "funding-1-kind": "own_funds",
        "funding-1-amount": "1500000",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "Förstudie klar",
        "milestones-0-due_date": "2025-06-30",
    }
    data.update(overrides)
    return data


@pytest.fixture
def create_url(strategy):
    return f"/en/genomforande/{strategy.slug}/insatser/ny/"


def test_a_contributor_registers_through_the_form(
    client, contributor, create_url, section, skelleftea
):
    client.force_login(contributor)
    response = client.post(create_url, form_data([section("Insats 1.1.1").key], skelleftea))

    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert initiative.lead_organisation == skelleftea
    assert [f.amount for f in initiative.funding.all()] == [1_500_000, 1_000_000]
    assert initiative.milestones.get().title == "Förstudie klar"


def test_a_forged_lead_organisation_is_refused(
    client, contributor, create_url, section, kiruna, soup
):
    client.force_login(contributor)
    response = client.post(create_url, form_data([section("Insats 1.1.1").key], kiruna))

    assert response.status_code == 400
    assert soup(response).select("#id_organisation_error li")
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"start_date": "2027-01-01", "end_date": "2026-01-01"}, "#id_end_date_error"),
        ({"budget": "-100"}, "#id_budget_error"),
        ({"budget": "mycket"}, "#id_budget_error"),
        ({"funding-0-amount": "-5"}, ".formset .field-errors"),
        ({"sections": []}, "#id_sections_error"),
    ],
)
def test_bad_input_is_answered_with_field_errors_and_saves_nothing(
    client, contributor, create_url, section, skelleftea, soup, overrides, field_error
):
    client.force_login(contributor)
    response = client.post(
        create_url, form_data([section("Insats 1.1.1").key], skelleftea, **overrides)
    )
    assert response.status_code == 400
    assert soup(response).select(field_error)
    assert not Initiative.objects.exists()


def test_a_visitor_is_sent_to_log_in_and_a_viewer_is_refused(client, viewer, create_url):
    assert client.get(create_url).status_code == 302
    client.force_login(viewer)
    assert client.get(create_url).status_code == 403


def test_a_member_of_another_organisation_cannot_change_the_initiative(
    client, register, section, other_contributor, strategy, skelleftea
):
    initiative = register(section("Insats 1.1.1"))
    client.force_login(other_contributor)
    url = f"/en/genomforande/{strategy.slug}/insatser/{initiative.pk}/andra/"

    # Not approved: not even visible to another organisation.
    assert client.get(url).status_code == 404
    initiative.approved_at = initiative.created_at
    initiative.save()
    response = client.post(url, form_data([section("Mål 1.1").key], skelleftea, title="Kapad"))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Elektrifierade gruvtruckar"


def test_an_editor_approves_and_the_initiative_is_listed_publicly(
    client, register, section, editor, strategy
):
    initiative = register(section("Insats 1.1.1"))
    list_url = f"/en/genomforande/{strategy.slug}/insatser/"
    assert initiative.title not in client.get(list_url).content.decode()

    client.force_login(editor)
    assert initiative.title in client.get(list_url).content.decode()  # in the approval queue
    response = client.post(
        f"/en/genomforande/{strategy.slug}/insatser/{initiative.pk}/godkann/", {"action": "approve"}
    )
    assert response.status_code == 302
    client.logout()
    assert initiative.title in client.get(list_url).content.decode()


def test_the_rollup_page_shows_bars_and_numbers_at_every_level(
    client, register, section, editor, strategy, soup
):
    for progress, budget in ((100, 300_000), (0, 100_000)):
        services.initiative_approve(
            register(section("Insats 1.1.1"), progress=progress, budget=budget), user=editor
        )
    page = soup(client.get(f"/en/genomforande/{strategy.slug}/"))

    rows = {row["data-key"]: row for row in page.select("table.rollup-table tbody tr")}
    for title in ("Inriktning 1", "Mål 1.1", "Insats 1.1.1"):
        row = rows[str(section(title).key)]
        assert row.select_one(".bar-value").get_text(strip=True) == "75 %"
        assert row.select_one(".bar-fill")["width"] == "75"
        assert [td.get_text(strip=True) for td in row.select("td.numeric")] == ["2", "400,000"]
    assert (
        rows[str(section("Inriktning 2").key)].select_one(".no-progress").get_text()
        == "no initiatives"
    )


def test_the_weighting_is_chosen_per_strategy(client, register, section, editor, strategy, soup):
    for progress, budget in ((100, 300_000), (0, 100_000)):
        services.initiative_approve(
            register(section("Insats 1.1.1"), progress=progress, budget=budget), user=editor
        )
    services.weighting_set(strategy, user=editor, weighting="equal")
    page = soup(client.get(f"/en/genomforande/{strategy.slug}/"))
    row = page.select_one(f'tr[data-key="{section("Mål 1.1").key}"]')
    assert row.select_one(".bar-value").get_text(strip=True) == "50 %"


def test_how_to_contribute_shows_who_leads_and_where_partners_are_wanted(
    client, register, section, editor, strategy, soup
):
    services.initiative_approve(
        register(section("Insats 1.1.1"), partners_wanted="Forskare i elektrifiering"), user=editor
    )
    register(section("Insats 1.1.1"), title="Ännu inte godkänd")
    direction = section("Inriktning 1")

    page = soup(client.get(f"/en/genomforande/{strategy.slug}/bidra/{direction.key}/"))

    assert page.select_one("h1").get_text(strip=True) == f"1 {direction.title}"
    rows = page.select("#underway-heading + .table-scroll table tbody tr")
    assert [r.select_one("th a").get_text(strip=True) for r in rows] == [
        "Elektrifierade gruvtruckar"
    ]
    assert rows[0].select("td")[0].get_text(strip=True) == "Skellefteå kommun"
    assert "Forskare i elektrifiering" in page.select_one(".wanted-list").get_text()
    assert page.select_one(f'a[href="/en/genomforande/{strategy.slug}/insatser/ny/"]')


def test_editors_choose_the_weighting_in_the_browser_and_others_cannot(
    client, editor, contributor, strategy, soup
):
    url = f"/en/genomforande/{strategy.slug}/viktning/"
    client.force_login(contributor)
    assert not soup(client.get(f"/en/genomforande/{strategy.slug}/")).select(".weighting-form")
    assert client.post(url, {"weighting": "equal"}).status_code == 403

    client.force_login(editor)
    page = soup(client.get(f"/en/genomforande/{strategy.slug}/"))
    assert page.select_one('.weighting-form input[value="budget"]').has_attr("checked")
    assert client.post(url, {"weighting": "equal"}).status_code == 302
    assert strategy.implementation_settings.weighting == "equal"


def test_an_editor_makes_a_yearly_action_plan_of_the_approved_initiatives(
    client, register, section, editor, contributor, strategy, soup
):
    import datetime

    in_2026 = register(section("Insats 1.1.1"))
    services.initiative_approve(in_2026, user=editor)
    services.initiative_approve(
        register(
            section("Insats 1.1.1"),
            title="Förra året",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2021, 1, 1),
        ),
        user=editor,
    )
    register(section("Insats 1.1.1"), title="Ej godkänd")
    url = f"/en/genomforande/{strategy.slug}/handlingsplaner/"
    plan = {"title": "Handlingsplan 2026", "first_year": "2026", "last_year": "2026"}

    client.force_login(contributor)
    assert client.post(url, plan).status_code == 403
    client.force_login(editor)
    bad = client.post(url, {**plan, "first_year": "2027"})
    assert bad.status_code == 400 and soup(bad).select("#id_last_year_error")

    response = client.post(url, plan)
    assert response.status_code == 302
    page = soup(client.get(response["Location"]))
    assert [a.get_text() for a in page.select("table.data-table tbody th a")] == [in_2026.title]


def test_the_lead_organisations_contributor_edits_through_the_form(
    client, register, section, contributor, strategy, skelleftea, soup
):
    initiative = register(section("Insats 1.1.1"))
    url = f"/en/genomforande/{strategy.slug}/insatser/{initiative.pk}/andra/"
    client.force_login(contributor)
    page = soup(client.get(url))
    assert page.select_one("#id_title")["value"] == initiative.title
    assert page.select_one("#id_funding-0-amount")["value"] == "600000"
    assert page.select_one("#id_funding-INITIAL_FORMS")["value"] == "2"

    data = form_data([section("Mål 1.1").key], skelleftea, title="Omdöpt")
    data.update({"funding-TOTAL_FORMS": "5", "funding-INITIAL_FORMS": "2"})
    response = client.post(url, data)

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Omdöpt"
    assert initiative.budget == 2_500_000
    assert initiative.history.count() == 2


def test_progress_is_reported_on_the_initiative_page(
    client, register, section, contributor, other_contributor, strategy, soup
):
    initiative = register(section("Insats 1.1.1"), progress=10)
    url = f"/en/genomforande/{strategy.slug}/insatser/{initiative.pk}/lagesrapport/"
    update = {"date": "2026-05-01", "progress": "35", "status": "", "text": "Etapp 1 klar"}

    client.force_login(other_contributor)
    assert client.post(url, update).status_code == 404  # not approved: not even visible

    client.force_login(contributor)
    bad = client.post(url, {**update, "progress": "140"})
    assert bad.status_code == 400 and soup(bad).select("#id_progress_error")
    assert client.post(url, update).status_code == 302
    initiative.refresh_from_db()
    assert initiative.progress == 35
    page = soup(client.get(initiative.get_absolute_url()))
    assert "Etapp 1 klar" in page.select_one("ol.updates").get_text()


def test_the_list_filters_by_organisation_as_lead_or_partner(
    client, register, section, editor, strategy, kiruna, skelleftea, soup
):
    services.initiative_approve(
        register(section("Insats 1.1.1"), partner_ids=[kiruna.pk]), user=editor
    )
    services.initiative_approve(
        register(section("Insats 2.1.1"), title="Bara Skellefteå"), user=editor
    )
    url = f"/en/genomforande/{strategy.slug}/insatser/"

    page = soup(client.get(url))
    assert [o.get_text() for o in page.select("#f-organisation option")][1:] == [
        "Kiruna kommun",
        "Skellefteå kommun",
    ]
    filtered = soup(client.get(f"{url}?organisation={kiruna.slug}"))
    assert [a.get_text() for a in filtered.select("table.data-table tbody th > a")] == [
        "Elektrifierade gruvtruckar"
    ]


def test_the_list_comes_fifty_a_page_keeping_its_filters(
    client, strategy, sections, skelleftea, soup
):
    from tests.implementation.test_query_counts import bulk_initiatives

    bulk_initiatives(strategy, sections, skelleftea, 60)
    url = f"/en/genomforande/{strategy.slug}/insatser/?status=ongoing"

    first = soup(client.get(url))
    second = soup(client.get(url + "&page=2"))
    beyond = soup(client.get(url + "&page=99"))

    assert "60 initiatives" in first.select_one("caption").text
    assert len(first.select("tbody tr")) == 50
    assert len(second.select("tbody tr")) == 10
    assert len(beyond.select("tbody tr")) == 10  # the last page
    assert first.select_one(".pager a[rel=next]")["href"] == "?status=ongoing&page=2"
    titles = {a.text for page in (first, second) for a in page.select("tbody tr a")}
    assert len(titles) == 60  # every initiative once, none twice across the pages
    download = client.get(url + "&page=2&export=csv")
    assert download.content.decode().count("\n") == 61  # the download has them all


def test_parameters_the_list_does_not_read_stay_out_of_its_links(
    client, strategy, sections, skelleftea, soup
):
    """The anonymous page is shared from the cache with every visitor whose query reads the same:
    one visitor's extra parameters must not end up in the links the next visitors get."""
    from tests.implementation.test_query_counts import bulk_initiatives

    bulk_initiatives(strategy, sections, skelleftea, 60)
    url = f"/en/genomforande/{strategy.slug}/insatser/?status=ongoing"

    first = client.get(url + "&next=https%3A%2F%2Fevil.example&period=-1")
    later = client.get(url)

    assert (first["X-Public-Cache"], later["X-Public-Cache"]) == ("miss", "hit")
    links = [a["href"] for a in soup(later).select(".pager a, .downloads a")]
    assert links == [
        "?status=ongoing&page=2",
        "?status=ongoing&export=csv",
        "?status=ongoing&export=xlsx",
    ]
