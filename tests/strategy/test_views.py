"""The pages: permissions on the object, the locking conflict in the browser's terms, frozen
versions refused, safe rendering, publication, exports and a fixed number of queries."""

import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Section
from tests.pdf_structure import accessibility

from .conftest import build_tree


class Elements(HTMLParser):
    """Start tags with their attributes, to check pages by structure."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag, **attrs):
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]


def url(name, strategy, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"slug": strategy.slug, **kwargs})


def edit_url(strategy, section):
    return url("section_edit", strategy, pk=section.pk)


# --- Permissions ----------------------------------------------------------------------------


def test_anonymous_reads_frozen_versions_but_not_the_draft(client, strategy, frozen, tree):
    assert client.get(url("detail", strategy)).status_code == 200
    assert client.get(url("version", strategy, number=1)).status_code == 200
    response = client.get(url("draft", strategy))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert client.get(edit_url(strategy, tree[1])).status_code == 302


def test_a_partner_member_reads_the_draft_but_cannot_edit(client, strategy, tree, partner_viewer):
    client.force_login(partner_viewer)
    assert client.get(url("draft", strategy)).status_code == 200
    page = client.get(edit_url(strategy, tree[1]))
    assert page.status_code == 200
    assert not Elements(page.content.decode()).find("textarea", name="body_markdown")
    response = client.post(
        edit_url(strategy, tree[1]),
        {"title": "X", "kind": "direction", "body_markdown": "X", "revision": tree[1].revision},
    )
    assert response.status_code == 403
    assert Section.objects.get(pk=tree[1].pk).title == "Inriktning 1"


def test_an_editor_of_another_organisation_sees_nothing_of_the_draft(
    client, strategy, tree, outsider
):
    client.force_login(outsider)
    assert client.get(url("draft", strategy)).status_code == 403
    assert client.get(edit_url(strategy, tree[1])).status_code == 403
    assert client.post(url("freeze", strategy), {"label": "x"}).status_code == 403
    response = client.post(
        url("section_comment", strategy, pk=tree[1].pk), {"body": "Inte min strategi"}
    )
    assert response.status_code == 403
    assert not tree[1].comments.exists()
    assert strategy.versions.count() == 1


# --- Editing and the locking conflict ---------------------------------------------------------


def test_editor_saves_a_section(client, strategy, tree, editor):
    client.force_login(editor)
    section = tree[1]
    response = client.post(
        edit_url(strategy, section),
        {
            "title": "Inriktning ett",
            "kind": "direction",
            "dimension": "social",
            "parent": "",
            "body_markdown": "Ny text.",
            "revision": section.revision,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.title, section.body_markdown, section.dimension) == (
        "Inriktning ett",
        "Ny text.",
        "social",
    )
    assert section.updated_by == editor


def test_conflict_keeps_the_typed_text_and_shows_the_colleagues(
    client, strategy, tree, editor, colleague
):
    section = tree[1]
    loaded_at = section.revision
    services.section_update(
        Section.objects.get(pk=section.pk),
        user=colleague,
        expected_revision=loaded_at,
        title="Inriktning 1",
        body_markdown="Kollegans nya formulering.",
    )
    client.force_login(editor)
    mine = "Min egen <formulering> som inte får försvinna."
    response = client.post(
        edit_url(strategy, section),
        {
            "title": "Inriktning 1",
            "kind": "direction",
            "dimension": "economic",
            "parent": "",
            "body_markdown": mine,
            "revision": loaded_at,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kollegans nya formulering." in html
    textarea_start = html.index('name="body_markdown"')
    assert "Min egen &lt;formulering&gt; som inte får försvinna." in html[textarea_start:]
    revision_inputs = Elements(html).find("input", name="revision")
    assert revision_inputs[0]["value"] == str(loaded_at + 1)
    section.refresh_from_db()
    assert section.body_markdown == "Kollegans nya formulering."

    # Saving again from the conflict page (with the current revision) succeeds.
    response = client.post(
        edit_url(strategy, section),
        {
            "title": "Inriktning 1",
            "kind": "direction",
            "dimension": "economic",
            "parent": "",
            "body_markdown": mine,
            "revision": loaded_at + 1,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body_markdown == mine


def test_moving_a_section_under_itself_is_refused_with_a_message(client, strategy, tree, editor):
    client.force_login(editor)
    direction, action = tree[1], tree[3]
    response = client.post(
        edit_url(strategy, direction),
        {
            "title": "Inriktning 1",
            "kind": "direction",
            "parent": action.pk,
            "body_markdown": "ändrad",
            "revision": direction.revision,
        },
    )
    assert response.status_code == 400
    assert "cannot be moved under itself" in response.content.decode()
    direction.refresh_from_db()
    assert direction.parent is None and direction.body_markdown == "Text om inriktning 1."


def test_linking_to_an_unknown_item_is_refused(client, strategy, tree, editor):
    client.force_login(editor)
    response = client.post(
        url("section_link", strategy, pk=tree[1].pk), {"item": "424242"}, follow=True
    )
    assert "There is no framework item 424242" in response.content.decode()
    assert tree[1].links.count() == 1


def test_editor_links_comments_and_freezes(client, strategy, tree, editor, sdg):
    client.force_login(editor)
    client.post(url("section_link", strategy, pk=tree[2].pk), {"item": sdg("9.5").pk})
    assert [link.item.code for link in tree[2].links.all()] == ["9.5"]
    client.post(url("section_comment", strategy, pk=tree[2].pk), {"body": "Stämmer detta?"})
    assert tree[2].comments.get().author == editor
    response = client.post(url("freeze", strategy), {"label": "Remissversion"})
    assert response.status_code == 302
    assert response["Location"] == url("version", strategy, number=1)
    assert strategy.versions.get(number=1).label == "Remissversion"


# --- Frozen versions through the pages ------------------------------------------------------


def test_frozen_sections_cannot_be_edited_through_the_pages(
    client, strategy, frozen, frozen_section, editor, sdg, superuser
):
    for user in (editor, superuser):
        client.force_login(user)
        for post_url, data in [
            (
                edit_url(strategy, frozen_section),
                {
                    "title": "Ändrad",
                    "kind": "direction",
                    "body_markdown": "Ändrad",
                    "revision": frozen_section.revision,
                },
            ),
            (url("section_link", strategy, pk=frozen_section.pk), {"item": sdg("9.5").pk}),
            (
                url("section_link", strategy, pk=frozen_section.pk),
                {"item": sdg("8.2").pk, "action": "remove"},
            ),
            (url("section_comment", strategy, pk=frozen_section.pk), {"body": "Hej"}),
        ]:
            response = client.post(post_url, data)
            assert response.status_code == 409, post_url
            assert "is frozen and cannot be changed" in response.content.decode()
    frozen_section.refresh_from_db()
    assert frozen_section.title == "Inriktning 1"
    assert [link.item.code for link in frozen_section.links.all()] == ["8.2"]


# --- Rendering, publication, comparison, traceability -----------------------------------------


def test_script_in_a_body_is_inert_on_every_page(client, strategy, draft, editor):
    services.section_create(
        version=draft,
        user=editor,
        kind="text",
        title="<b>Rubrik</b>",
        body_markdown="Hej <script>alert('x')</script> <img src=x onerror=alert(2)>",
    )
    services.version_freeze(strategy, user=editor)
    client.force_login(editor)
    for page in (url("version", strategy, number=1), url("draft", strategy)):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html
        assert "onerror" not in html
        assert "<b>Rubrik</b>" not in html and "&lt;b&gt;Rubrik&lt;/b&gt;" in html


def test_publication_page_has_contents_and_an_anchor_per_section(client, strategy, frozen):
    response = client.get(url("version", strategy, number=1))
    elements = Elements(response.content.decode())
    sections = list(frozen.sections.all())
    for section in sections:
        assert elements.find("section", id=f"section-{section.key}")
        assert elements.find(
            "a", href=f"{url('version', strategy, number=1)}#section-{section.key}"
        )
    assert elements.find("nav", **{"aria-labelledby": "toc-heading"})


def test_pdf_has_contents_page_numbers_and_the_running_header(client, strategy, frozen, pdf_of):
    from pypdf import PdfReader

    response = pdf_of(client, url("version_pdf", strategy, number=1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.getvalue()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3  # title page, contents, the text
    assert "Teststrategi för mineralnäringen" in pages[0]
    header = "Region Västerbotten · Version 1: Remissversion · "
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text
        if number > 1:  # every page but the title page carries the running header
            assert header in text
    contents = pages[1]
    assert "Inriktning 1" in contents and "Mål 1.1" in contents
    # An accessible document: tagged (PDF/UA), in the interface's language (these tests read
    # English), titled, with its headings.
    found = accessibility(pdf)
    assert found.tagged and found.language == "en"
    assert "Teststrategi för mineralnäringen" in found.title
    assert found.tags["H1"] >= 1 and found.tags["H2"] >= 1


def test_compare_shows_word_level_changes(client, strategy, frozen, tree, editor):
    section = Section.objects.get(pk=tree[1].pk)
    services.section_update(
        section,
        user=editor,
        expected_revision=section.revision,
        title="Inriktning 1",
        body_markdown="Text om den **första** [inriktningen](https://example.se/).",
    )
    services.section_delete(Section.objects.get(pk=tree[3].pk), user=editor)
    services.version_freeze(strategy, user=editor, label="Antagen")
    response = client.get(url("compare", strategy) + "?from=1&to=2")
    html = response.content.decode()
    # The words as a reader sees them, without the Markdown around them.
    assert "<del>inriktning 1</del><ins>den första inriktningen</ins>" in html
    assert "**" not in html and "](https" not in html
    assert "0 added, 1 removed, 1 changed, 0 moved" in " ".join(html.split())


def test_traceability_matrix_both_ways_and_exports(client, strategy, frozen, sdg):
    from openpyxl import load_workbook

    response = client.get(url("traceability", strategy))
    assert response.status_code == 200
    assert "SDG 8.2" in response.content.decode()
    by_item = client.get(url("traceability", strategy) + "?by=item").content.decode()
    assert "8.2 Högre produktivitet" in by_item

    csv_text = client.get(url("traceability", strategy) + "?format=csv").content.decode()
    header, *rows = [line.split(",") for line in csv_text.strip().splitlines()]
    column = header.index(next(h for h in header if h.endswith(": 8.2")))
    linked = [row[0] for row in rows if row[column] == "x"]
    assert linked == ["1 Inriktning 1"]

    xlsx = client.get(url("traceability", strategy) + "?format=xlsx&by=item").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][1].startswith("8.2 ")
    assert values[1][values[0].index("1 Inriktning 1")] == "x"


def test_spreadsheet_cells_never_start_a_formula(client, strategy, draft, editor):
    services.section_create(version=draft, user=editor, kind="text", title="=HYPERLINK(1)")
    services.version_freeze(strategy, user=editor)
    csv_text = client.get(url("traceability", strategy) + "?format=csv").content.decode()
    assert "'=HYPERLINK(1)" in csv_text


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("directions", [1, 6])
def test_strategy_page_query_count_is_fixed(
    client, strategy, draft, editor, sdg, directions, django_assert_num_queries
):
    sections = build_tree(draft, editor, directions=directions, goals=2, actions=2)
    for section in sections:
        services.section_link_add(section, user=editor, item_id=sdg("9.5").pk)
    services.version_freeze(strategy, user=editor)
    # strategy, partnership, counties, versions, sections, links with items
    with django_assert_num_queries(6):
        response = client.get(url("detail", strategy))
    assert response.status_code == 200
    # The publication page of the same version: the same six.
    with django_assert_num_queries(6):
        client.get(url("version", strategy, number=1))


@pytest.mark.parametrize("directions", [1, 6])
def test_draft_page_query_count_is_fixed(
    client, strategy, draft, editor, directions, django_assert_num_queries
):
    build_tree(draft, editor, directions=directions, goals=2, actions=2)
    client.force_login(editor)
    client.get(url("draft", strategy))
    # session, user, strategy, partnership, counties, versions, memberships, sections, links,
    # unread notifications (the bell)
    with django_assert_num_queries(10):
        client.get(url("draft", strategy))
