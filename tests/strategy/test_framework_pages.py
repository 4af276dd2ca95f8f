"""The pages where an organisation's strategy editors keep a framework: what a person sees after
each write, refusals, bad input answered 400 with the error summary, the new items used at once
on the section's page, and the public framework page with its linking sections."""

import pytest
from django.urls import reverse
from django.utils import translation

from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Framework, FrameworkItem

FORM = {
    "owner": "",
    "code": "rus-vasterbotten-2030",
    "name": "RUS Västerbotten 2030",
    "kind": "regional",
    "url": "example.org/rus",
    "description": "Länets strategi.",
    "source": "Regionfullmäktige 2024-06-18",
}


def rev(name, **kwargs):
    return reverse(f"strategy:{name}", kwargs=kwargs)


def text(soup_page, selector) -> str:
    return " ".join(" ".join(e.get_text(" ") for e in soup_page.select(selector)).split())


@pytest.fixture
def framework(frameworks, editor, region_vasterbotten) -> Framework:
    return services.framework_create(
        user=editor,
        owner=region_vasterbotten,
        data=services.FrameworkInput(
            code="rus-vasterbotten-2030", name="RUS Västerbotten 2030", kind="regional"
        ),
    )


def item_post(client, framework, **fields):
    data = {"item-code": "", "item-title_sv": "", "item-title_en": "", "item-parent": ""}
    data.update({f"item-{name}": value for name, value in fields.items()})
    return client.post(rev("framework_item_add", code=framework.code), data)


def test_the_list_offers_to_add_a_framework_to_strategy_editors_only(
    client, frameworks, editor, partner_viewer, soup
):
    link = f'a[href="{rev("framework_create")}"]'
    assert not soup(client.get(rev("framework_list"))).select(link)
    client.force_login(partner_viewer)
    assert not soup(client.get(rev("framework_list"))).select(link)
    client.force_login(editor)
    assert soup(client.get(rev("framework_list"))).select(link)


def test_an_editor_creates_a_framework_and_lands_on_its_edit_page(
    client, frameworks, editor, region_vasterbotten, soup
):
    client.force_login(editor)
    page = soup(client.get(rev("framework_create")))
    # One organisation to choose from: it is chosen.
    assert [o.get_text() for o in page.select("select[name=owner] option")] == [
        "Region Västerbotten"
    ]
    response = client.post(rev("framework_create"), {**FORM, "owner": region_vasterbotten.pk})
    assert response.status_code == 302
    assert response["Location"] == rev("framework_edit", code="rus-vasterbotten-2030")
    page = soup(client.get(response["Location"]))
    assert "“RUS Västerbotten 2030” is added" in text(page, "[role=status], .messages")
    assert page.select_one("h1").get_text() == "Edit RUS Västerbotten 2030"
    framework = Framework.objects.get(code="rus-vasterbotten-2030")
    assert framework.owner == region_vasterbotten and framework.url == "https://example.org/rus"
    listed = soup(client.get(rev("framework_list")))
    row = [tr for tr in listed.select("tbody tr") if "RUS Västerbotten 2030" in tr.get_text()][0]
    assert "Region Västerbotten" in row.get_text()


def test_a_taken_code_is_answered_400_with_the_error_summary(
    client, frameworks, editor, region_vasterbotten, soup
):
    client.force_login(editor)
    response = client.post(
        rev("framework_create"), {**FORM, "code": "sdg", "owner": region_vasterbotten.pk}
    )
    assert response.status_code == 400
    summary = soup(response).select_one(".error-summary")
    assert "The code “sdg” is already used by the framework" in summary.get_text()
    assert summary.select_one("a")["href"] == "#id_code"
    # What was typed stays in the form.
    assert soup(response).select_one("input[name=name]")["value"] == "RUS Västerbotten 2030"


def test_an_organisation_not_theirs_is_no_choice(client, frameworks, editor, kiruna, soup):
    client.force_login(editor)
    response = client.post(rev("framework_create"), {**FORM, "owner": kiruna.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in soup(response).select_one(".error-summary").get_text()
    assert not Framework.objects.filter(code=FORM["code"]).exists()


def test_anonymous_is_sent_to_log_in_and_others_are_refused(
    client, framework, partner_viewer, outsider
):
    pages = [
        rev("framework_create"),
        rev("framework_edit", code=framework.code),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(partner_viewer)
    assert client.get(rev("framework_create")).status_code == 403
    client.force_login(outsider)  # a strategy editor of Kiruna: may add Kiruna's, not change this
    assert client.get(rev("framework_create")).status_code == 200
    assert client.get(rev("framework_edit", code=framework.code)).status_code == 403
    assert item_post(client, framework, code="1", title_sv="Kapad").status_code == 403
    assert not framework.items.exists()


def test_items_are_added_changed_moved_and_shown_on_the_public_page(
    client, framework, editor, soup
):
    client.force_login(editor)
    response = item_post(client, framework, code="1", title_sv="Attraktiva livsmiljöer")
    assert response.status_code == 302
    one = framework.items.get(code="1")
    item_post(client, framework, code="2", title_sv="Hållbar tillväxt", title_en="Growth")
    item_post(client, framework, code="1.1", title_sv="Boende", parent=one.pk)
    page = soup(client.get(rev("framework_edit", code=framework.code)))
    assert [row.select_one("strong").get_text() for row in page.select("tbody tr")] == [
        "1",
        "1.1",
        "2",
    ]
    two = framework.items.get(code="2")
    client.post(rev("framework_item_move", code=framework.code, pk=two.pk), {"direction": "up"})
    page = soup(client.get(rev("framework_edit", code=framework.code)))
    assert [row.select_one("strong").get_text() for row in page.select("tbody tr")] == [
        "1",
        "2",
        "1.1",
    ]
    response = client.post(
        rev("framework_item_edit", code=framework.code, pk=two.pk),
        {"item-code": "2", "item-title_sv": "Hållbar tillväxt i hela länet", "item-parent": ""},
    )
    assert response.status_code == 302
    client.logout()
    public = soup(client.get(rev("framework", code=framework.code)))
    assert [
        " ".join(li.get_text(" ").split()) for li in public.select(".framework-items > li")
    ] == [
        "1 Attraktiva livsmiljöer",
        "2 Hållbar tillväxt i hela länet",
        "1.1 Boende",
    ]


def test_bad_item_input_is_answered_400_with_the_error_summary(client, framework, editor, soup):
    client.force_login(editor)
    item_post(client, framework, code="1", title_sv="Ett")
    response = item_post(client, framework, code="1", title_sv="")
    assert response.status_code == 400
    summary = soup(response).select_one(".error-summary")
    assert "Title in Swedish: This field is required." in summary.get_text()
    response = item_post(client, framework, code="1", title_sv="Igen")
    assert response.status_code == 400
    assert "already used by another item" in soup(response).select_one(".error-summary").text
    one = framework.items.get()
    response = client.post(
        rev("framework_item_edit", code=framework.code, pk=one.pk),
        {"item-code": "", "item-title_sv": "Ett", "item-parent": ""},
    )
    assert response.status_code == 400
    assert soup(response).select_one(".error-summary a")["href"] == "#id_item-code"
    response = client.post(
        rev("framework_item_move", code=framework.code, pk=one.pk), {"direction": "up"}
    )
    assert response.status_code == 400
    assert "is already first" in soup(response).select_one(".error-summary").get_text()


def test_pasted_lines_are_added_and_a_faulty_paste_names_its_lines(client, framework, editor, soup):
    client.force_login(editor)
    response = client.post(
        rev("framework_items_paste", code=framework.code),
        {"paste-text": "1\tAttraktiva livsmiljöer\n1.1\tBoende\n2 Hållbar tillväxt"},
    )
    assert response.status_code == 302
    page = soup(client.get(response["Location"]))
    assert "Added 3 items." in page.get_text()
    assert len(page.select("tbody tr")) == 3
    response = client.post(
        rev("framework_items_paste", code=framework.code), {"paste-text": "3 Tre\n2 Igen"}
    )
    assert response.status_code == 400
    summary = soup(response).select_one(".error-summary").get_text()
    assert "Line 2: The code “2” is already used" in summary
    assert framework.items.count() == 3


def test_the_item_linked_from_a_section_is_not_removed_and_the_page_says_why(
    client, framework, editor, strategy, tree, soup
):
    client.force_login(editor)
    item_post(client, framework, code="1", title_sv="Attraktiva livsmiljöer")
    item_post(client, framework, code="2", title_sv="Hållbar tillväxt")
    one, two = framework.items.order_by("position")
    # The new item is offered on the section's page at once, and linked from there.
    section_page = soup(client.get(rev("section_edit", slug=strategy.slug, pk=tree[1].pk)))
    group = section_page.select_one(f'select[name=item] optgroup[label="{framework.name}"]')
    assert [o.get_text() for o in group.select("option")] == [
        "1 Attraktiva livsmiljöer",
        "2 Hållbar tillväxt",
    ]
    client.post(rev("section_link", slug=strategy.slug, pk=tree[1].pk), {"item": one.pk})
    response = client.post(rev("framework_item_delete", code=framework.code, pk=one.pk))
    assert response.status_code == 400
    assert (
        "“1 Attraktiva livsmiljöer” cannot be removed: 1 section links to it."
        in soup(response).select_one(".error-summary").get_text()
    )
    response = client.post(rev("framework_item_delete", code=framework.code, pk=two.pk))
    assert response.status_code == 302
    page = soup(client.get(response["Location"]))
    assert "Removed “2 Hållbar tillväxt”." in page.get_text()
    assert [row.select_one("strong").get_text() for row in page.select("tbody tr")] == ["1"]
    assert not FrameworkItem.objects.filter(pk=two.pk).exists()


def test_the_public_page_shows_the_sections_linking_as_each_reader_may_see_them(
    client, framework, editor, strategy, tree, partner_viewer, soup
):
    item = services.framework_item_add(
        framework, user=editor, data=services.ItemInput("1", "Attraktiva livsmiljöer")
    )
    services.section_link_add(tree[1], user=editor, item_id=item.pk)
    url = rev("framework", code=framework.code)
    # Only in the working draft: its partnership sees it, the public not yet.
    assert not soup(client.get(url)).select(".framework-linking")
    client.force_login(partner_viewer)
    linking = soup(client.get(url)).select_one(f"#item-{item.pk} .framework-linking")
    assert "Inriktning 1" in linking.get_text() and "working draft" in linking.get_text()
    assert linking.select_one("a")["href"].endswith(
        rev("draft", slug=strategy.slug) + f"#{tree[1].anchor}"
    )
    # Frozen, the version is everyone's.
    services.version_freeze(strategy, user=editor, label="Remissversion")
    client.logout()
    linking = soup(client.get(url)).select_one(f"#item-{item.pk} .framework-linking")
    assert "Inriktning 1" in linking.get_text() and "version 1" in linking.get_text()


def test_the_swedish_pages_are_in_swedish(client, framework, editor, soup):
    client.force_login(editor)
    services.framework_item_add(
        framework, user=editor, data=services.ItemInput("1", "Attraktiva livsmiljöer")
    )
    with translation.override("sv"):
        pages = [
            client.get(reverse("strategy:framework_list")),
            client.get(reverse("strategy:framework_create")),
            client.get(reverse("strategy:framework_edit", kwargs={"code": framework.code})),
        ]
    listing, create, edit = (soup(page) for page in pages)
    assert "Lägg till ett ramverk" in listing.get_text()
    for page in (listing, create, edit):
        words = page.select_one("main").get_text(" ")
        for english in ("Add", "Framework", "Kept by", "Items", "Code", "Title", "Save"):
            assert f" {english} " not in f" {' '.join(words.split())} ", english


def test_an_item_is_offered_no_place_under_itself_or_its_own_items(client, framework, editor, soup):
    one = services.framework_item_add(framework, user=editor, data=services.ItemInput("1", "Ett"))
    services.framework_item_add(
        framework, user=editor, data=services.ItemInput("1.1", "Ett ett", "", one)
    )
    services.framework_item_add(framework, user=editor, data=services.ItemInput("2", "Två"))
    client.force_login(editor)
    page = soup(client.get(rev("framework_item_edit", code=framework.code, pk=one.pk)))
    offered = [o.get_text() for o in page.select("select[name=item-parent] option")]
    assert offered == ["– top level –", "2 Två"]


def test_the_audit_trail_names_who_changed_the_framework_and_its_items(
    client, framework, editor, superuser, soup
):
    client.force_login(editor)
    item_post(client, framework, code="1", title_sv="Attraktiva livsmiljöer")
    client.force_login(superuser)
    for model, name in (
        ("strategy.framework", "RUS Västerbotten 2030"),
        ("strategy.frameworkitem", "Attraktiva livsmiljöer"),
    ):
        # The loaded frameworks' records have no user (the data files); ours name the editor.
        page = soup(client.get(reverse("audit:log"), {"model": model}))
        ours = [row for row in page.select("tr.audit-entry") if name in row.get_text()]
        assert ours, model
        assert {row.select_one(".audit-user").get_text() for row in ours} == {"editor"}
        assert {row.select_one(".audit-organisation").get_text() for row in ours} == {
            "Region Västerbotten"
        }


def test_a_framework_is_removed_once_no_section_links_to_it(
    client, framework, editor, strategy, tree, soup
):
    client.force_login(editor)
    item_post(client, framework, code="1", title_sv="Attraktiva livsmiljöer")
    item_post(client, framework, code="1.1", title_sv="Boende", parent="")
    one = framework.items.get(code="1")
    services.section_link_add(tree[1], user=editor, item_id=one.pk)
    edit_page = soup(client.get(rev("framework_edit", code=framework.code)))
    confirm_url = edit_page.select_one("[data-remove-framework-link]")["href"]
    assert confirm_url == rev("framework_delete", code=framework.code)

    confirm = soup(client.get(confirm_url))
    assert "1 section of a strategy links to its items" in confirm.select_one(
        "[data-framework-links]"
    ).get_text(" ", strip=True)
    assert confirm.select_one("[data-remove-framework]") is None
    refused = client.post(confirm_url)
    assert refused.status_code == 400
    assert "cannot be removed: 1 section links to its items" in soup(refused).select_one(
        ".error-summary"
    ).get_text(" ", strip=True)
    assert Framework.objects.filter(pk=framework.pk).exists()

    services.section_link_remove(tree[1], user=editor, item_id=one.pk)
    confirm = soup(client.get(confirm_url))
    assert "The framework and its 2 items go." in confirm.get_text(" ", strip=True)
    removed = client.post(confirm_url)
    assert removed["Location"] == rev("framework_list")
    listing = soup(client.get(removed["Location"]))
    assert "Removed “RUS Västerbotten 2030”." in listing.get_text()
    assert "RUS Västerbotten 2030" not in text(listing, "main table")
    assert client.get(framework.get_absolute_url()).status_code == 404
    assert not FrameworkItem.objects.filter(framework_id=framework.pk).exists()
    deletions = [
        *Framework.history.filter(history_type="-"),
        *FrameworkItem.history.filter(history_type="-"),
    ]
    assert len(deletions) == 3 and {h.history_user for h in deletions} == {editor}
