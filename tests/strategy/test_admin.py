"""The admin shows a frozen version's sections read-only and refuses to change or delete them,
even for a superuser; a working draft's sections can be corrected there."""

from django.urls import reverse

from mineralstrategi.strategy.models import Section


def change_url(section):
    return reverse("admin:strategy_section_change", args=[section.pk])


def test_frozen_section_is_read_only_in_the_admin(client, superuser, frozen_section):
    client.force_login(superuser)
    page = client.get(change_url(frozen_section))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="title"' not in html and 'name="body_markdown"' not in html
    assert "Inriktning 1" in html


def test_posting_a_change_to_a_frozen_section_is_refused(client, superuser, frozen_section):
    client.force_login(superuser)
    response = client.post(
        change_url(frozen_section),
        {"title": "Ändrad i admin", "kind": "goal", "body_markdown": "x", "position": 0},
    )
    assert response.status_code == 403
    frozen_section.refresh_from_db()
    assert frozen_section.title == "Inriktning 1"


def test_deleting_a_frozen_section_or_version_is_refused(client, superuser, frozen, frozen_section):
    client.force_login(superuser)
    delete = reverse("admin:strategy_section_delete", args=[frozen_section.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    version_delete = reverse("admin:strategy_strategyversion_delete", args=[frozen.pk])
    assert client.post(version_delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:strategy_section_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [frozen_section.pk], "post": "yes"},
    )
    assert Section.objects.filter(pk=frozen_section.pk).exists()
    assert response.status_code in (200, 302, 403)


def test_a_draft_section_can_be_corrected_in_the_admin(client, superuser, tree):
    section = tree[2]
    client.force_login(superuser)
    response = client.post(
        change_url(section),
        {
            "version": section.version_id,
            "parent": section.parent_id,
            "kind": "goal",
            "dimension": "",
            "title": "Mål rättat i admin",
            "body_markdown": section.body_markdown,
            "position": 0,
            "links-TOTAL_FORMS": 0,
            "links-INITIAL_FORMS": 0,
            "links-MIN_NUM_FORMS": 0,
            "links-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert section.title == "Mål rättat i admin"
    assert section.revision == 2  # open edit forms notice the change
    assert section.history.first().history_user == superuser


def test_partnership_editors_have_no_admin_access_to_sections(client, editor, tree):
    client.force_login(editor)
    assert client.get(change_url(tree[1])).status_code in (302, 403)
