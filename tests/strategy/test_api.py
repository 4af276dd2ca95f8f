"""The strategy API: public frozen versions, draft only for the partnership, the diff, and no
way to write."""

import pytest

from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Section


def test_strategies_list_and_detail(client, strategy, frozen):
    listed = client.get("/api/strategies").json()
    assert [s["slug"] for s in listed] == ["teststrategi"]
    assert listed[0]["county_codes"] == ["24", "25"]
    assert listed[0]["partnership"][0]["name"] == "Region Västerbotten"
    detail = client.get(f"/api/strategies/{strategy.pk}").json()
    assert [v["number"] for v in detail["versions"]] == [1]


def test_versions_list_shows_the_draft_to_partnership_members_only(
    client, strategy, frozen, partner_viewer, outsider
):
    path = f"/api/strategies/{strategy.pk}/versions"
    assert [v["number"] for v in client.get(path).json()] == [1]
    client.force_login(outsider)
    assert [v["number"] for v in client.get(path).json()] == [1]
    client.force_login(partner_viewer)
    assert [v["number"] for v in client.get(path).json()] == [1, None]


def test_version_with_its_section_tree(client, strategy, frozen):
    data = client.get(f"/api/strategies/{strategy.pk}/versions/1").json()
    assert data["number"] == 1 and data["label"] == "Remissversion"
    titles = [section["title"] for section in data["sections"]]
    assert titles == ["Vision", "Inriktning 1", "Inriktning 2"]
    direction = data["sections"][1]
    assert direction["outline"] == "1"
    assert direction["links"] == [
        {
            "framework": "sdg",
            "code": "8.2",
            "title": "Högre produktivitet genom diversifiering, teknik och innovation",
        }
    ]
    goal = direction["sections"][0]
    assert (goal["title"], goal["outline"]) == ("Mål 1.1", "1.1")
    assert goal["sections"][0]["title"] == "Insats 1.1.1"
    assert direction["key"] == str(frozen.sections.get(title="Inriktning 1").key)


def test_unknown_version_and_strategy_are_404(client, strategy, frozen):
    assert client.get(f"/api/strategies/{strategy.pk}/versions/7").status_code == 404
    assert client.get("/api/strategies/999999").status_code == 404


def test_body_html_is_sanitised(client, strategy, draft, editor):
    services.section_create(
        version=draft, user=editor, kind="text", title="X", body_markdown="<script>x()</script>ok"
    )
    services.version_freeze(strategy, user=editor)
    data = client.get(f"/api/strategies/{strategy.pk}/versions/1").json()
    assert "<script" not in data["sections"][0]["body_html"]
    assert data["sections"][0]["body_markdown"] == "<script>x()</script>ok"


def test_diff(client, strategy, frozen, tree, editor):
    section = Section.objects.get(pk=tree[1].pk)
    services.section_update(
        section,
        user=editor,
        expected_revision=section.revision,
        title="Inriktning ett",
        body_markdown=section.body_markdown,
    )
    services.version_freeze(strategy, user=editor)
    data = client.get(f"/api/strategies/{strategy.pk}/diff?from=1&to=2").json()
    assert data["counts"]["changed"] == 1
    (change,) = data["changes"]
    assert change["kind"] == "changed" and change["fields_changed"] == ["title"]
    assert {"op": "insert", "text": "ett"} in change["title_spans"]
    assert {"op": "delete", "text": "1"} in change["title_spans"]


def test_diff_refuses_bad_numbers(client, strategy, frozen):
    base = f"/api/strategies/{strategy.pk}/diff"
    assert client.get(f"{base}?from=1&to=9").status_code == 404
    assert client.get(f"{base}?from=x&to=1").status_code == 422
    assert client.get(f"{base}?from=1").status_code == 422


def test_frameworks(client, frameworks):
    data = client.get("/api/frameworks").json()
    sdg = next(f for f in data if f["code"] == "sdg")
    assert len(sdg["items"]) == 17 + 169
    target = next(item for item in sdg["items"] if item["code"] == "13.2")
    assert target["parent"] == "13"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_cannot_change_a_version(client, strategy, frozen, superuser, method):
    client.force_login(superuser)
    response = getattr(client, method)(
        f"/api/strategies/{strategy.pk}/versions/1",
        data={"label": "ändrad"},
        content_type="application/json",
    )
    assert response.status_code == 405
    frozen.refresh_from_db()
    assert frozen.label == "Remissversion"


def test_strategies_list_query_count_is_fixed(client, strategy, frozen, django_assert_num_queries):
    # strategies with adopted version, partnership, counties
    with django_assert_num_queries(3):
        client.get("/api/strategies")
