"""The audit trail of one strategy: a strategy's pages link it for those who read the audit trail,
and the filter by strategy (`audit.selectors.STRATEGY_PATHS`) lists the changes of the strategy and
of its parts, never another strategy's, composed with the other filters, in a fixed number of
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineralstrategi.audit import selectors as audit_selectors
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.models import Strategy
from tests.strategy.conftest import make_strategy

from .conftest import user_for
from .test_audit_trail import _edit_section_as
from .test_permission_matrix import _draft_section


def test_every_audited_model_leads_to_its_strategy_or_is_said_to_have_none():
    audited = {model.instance_type._meta.label_lower for model in audit_selectors.audited_models()}
    declared = set(audit_selectors.STRATEGY_PATHS)
    assert not declared & audit_selectors.NOT_OF_A_STRATEGY
    assert audited == declared | audit_selectors.NOT_OF_A_STRATEGY
    for model in audit_selectors.audited_models():
        for path in audit_selectors.STRATEGY_PATHS.get(model.instance_type._meta.label_lower, ()):
            if path == "id":
                assert model.instance_type is Strategy
                continue
            reached = model  # the historical model, whose relations the filter follows
            for name in path.split("__"):
                reached = reached._meta.get_field(name).related_model
            assert reached is Strategy, (model, path)


def _pages(scene):
    slug = scene.strategy.slug
    section = _draft_section(scene)
    return {
        "strategy": reverse("strategy:detail", args=[slug]),
        "working draft": reverse("strategy:draft", args=[slug]),
        "frozen version": reverse("strategy:version", args=[slug, scene.frozen.number]),
        "section": reverse("strategy:section_edit", args=[slug, section.pk]),
    }


@pytest.mark.parametrize("role", ["superuser", "organisation_administrator"])
def test_the_strategys_pages_link_its_audit_trail_for_who_reads_it(
    client, scene, make_member, soup, role
):
    client.force_login(user_for(role, scene, make_member))
    trail = f"{reverse('audit:log')}?strategy={scene.strategy.pk}"
    for name, url in _pages(scene).items():
        links = soup(client.get(url)).select("main a.trail-link")
        assert [a["href"] for a in links] == [trail], name
        assert links[0].text == "Strategins ändringar (granskningsloggen)"


@pytest.mark.parametrize("role", ["anonymous", "viewer", "strategy_editor"])
def test_no_link_to_the_audit_trail_for_who_may_not_read_it(client, scene, make_member, soup, role):
    user = user_for(role, scene, make_member)
    if user is not None:
        client.force_login(user)
    pages = _pages(scene)
    if role == "anonymous":  # the draft and its sections are the partnership's
        pages = {name: pages[name] for name in ("strategy", "frozen version")}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert not soup(response).select("a[href^='/granskning/']"), name


def _other_strategy(scene, make_member):
    """Kiruna's strategy, with a section Kiruna's editor wrote."""
    other = make_strategy(scene.other, title="Kirunas strategi", slug="kirunas-strategi")
    editor = make_member(scene.other, Role.STRATEGY_EDITOR, username="kirunaeditor")
    strategy_services.section_create(
        version=strategy_services.strategy_draft(other), user=editor, kind="vision",
        title="Kirunas vision", body_markdown="Text.",
    )  # fmt: skip
    return other


def test_the_link_leads_to_the_strategys_own_changes_and_no_other_strategys(
    client, scene, make_member, soup
):
    other = _other_strategy(scene, make_member)
    _edit_section_as(client, scene, scene.editor, "Granskad rubrik")
    client.force_login(user_for("superuser", scene, make_member))
    link = soup(client.get(reverse("strategy:detail", args=[scene.strategy.slug])))
    page = soup(client.get(link.select_one("main a.trail-link")["href"]))

    objects = " ".join(
        row.select_one(".audit-object").text for row in page.select("tr.audit-entry")
    )
    assert "Granskad rubrik" in objects  # a section of its working draft
    assert scene.strategy.title in objects  # its own row
    assert f"{scene.strategy.title} – version 1" in objects  # its frozen version
    assert scene.round.title in objects  # its consultation round
    assert scene.initiative.title in objects  # its initiative
    assert "Kirunas" not in objects and other.title not in objects
    assert scene.indicator.name not in objects  # an indicator is of no one strategy
    chosen = page.select_one("#audit-strategy option[selected]")
    assert chosen["value"] == str(scene.strategy.pk) and chosen.text == scene.strategy.title
    # Read as people read it: Swedish field names, names for ids, times to the minute.
    edit = next(r for r in page.select("tr.audit-entry") if "Granskad rubrik" in r.text)
    assert "titel" in [f.text for f in edit.select(".audit-field")]
    assert len(edit.select_one("time").text) == len("2026-12-07 10:45")

    # With the other filters: the kind of object, the user.
    query = {"strategy": scene.strategy.pk, "model": "strategy.section"}
    sections = soup(client.get(reverse("audit:log"), query))
    kinds = {
        r.select_one(".audit-object").text.split(":")[0] for r in sections.select("tr.audit-entry")
    }
    assert kinds == {"Avsnitt"}
    theirs = soup(client.get(reverse("audit:log"), {"strategy": other.pk, "user": "kirunaeditor"}))
    assert [r.select_one(".audit-object").text for r in theirs.select("tr.audit-entry")] == [
        "Avsnitt: Kirunas vision"
    ]


def test_the_strategys_trail_is_paged_and_its_queries_do_not_grow(client, scene, make_member, soup):
    _other_strategy(scene, make_member)
    root = user_for("superuser", scene, make_member)
    client.force_login(root)
    url = reverse("audit:log")
    query = {"strategy": scene.strategy.pk}
    client.get(url, query)  # warm up (content types, the session)
    with CaptureQueriesContext(connection) as before:
        client.get(url, query)
    key = _draft_section(scene).key
    for n in range(60):  # more than a page
        _edit_section_as(client, scene, scene.editor, f"Rubrik {n}", key)
    client.force_login(root)
    with CaptureQueriesContext(connection) as after:
        page = soup(client.get(url, query))
    assert len(after) == len(before)
    assert len(page.select("tr.audit-entry")) == 50
    older = page.select_one("a[href*='page=2']")["href"]
    assert f"strategy={scene.strategy.pk}" in older
    assert "Rubrik 59" in page.text and "Rubrik 0<" not in page.text
