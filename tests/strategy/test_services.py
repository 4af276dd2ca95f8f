"""Drafting, locking, freezing and the frozen version's immutability, through the services and
the models (the layer every interface goes through)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import (
    Framework,
    FrameworkItem,
    FrozenVersionError,
    Section,
    SectionLink,
    StrategyVersion,
)
from mineralstrategi.strategy.services import EditConflict

from .conftest import adopt


def test_frameworks_hold_the_17_goals_and_169_targets(frameworks):
    sdg = Framework.objects.get(code="sdg")
    goals = sdg.items.filter(parent__isnull=True)
    assert goals.count() == 17
    assert sdg.items.filter(parent__isnull=False).count() == 169
    target = FrameworkItem.objects.get(framework=sdg, code="8.2")
    assert target.parent.code == "8"
    assert target.title_en.startswith("Achieve higher levels of economic productivity")
    assert sdg.items.get(code="12.a").parent.code == "12"


def test_frameworks_load_is_idempotent(frameworks):
    assert not services.frameworks_load().changed


def test_a_strategy_starts_with_one_working_draft(strategy):
    assert list(strategy.versions.values_list("number", flat=True)) == [None]


def test_freeze_copies_the_tree_with_keys_and_links_and_the_draft_goes_on(
    strategy, tree, editor, sdg
):
    version = services.version_freeze(strategy, user=editor, label="Remissversion")
    assert version.number == 1 and version.frozen_by == editor and version.is_frozen
    draft = services.strategy_draft(strategy)
    draft_sections = {s.key: s for s in draft.sections.all()}
    frozen_sections = {s.key: s for s in version.sections.all()}
    assert draft_sections.keys() == frozen_sections.keys()
    for key, copy in frozen_sections.items():
        original = draft_sections[key]
        assert copy.pk != original.pk
        assert (copy.title, copy.body_markdown, copy.kind) == (
            original.title,
            original.body_markdown,
            original.kind,
        )
        assert (copy.parent.key if copy.parent else None) == (
            original.parent.key if original.parent else None
        )
        assert copy.parent is None or copy.parent.version_id == version.pk
    direction = version.sections.get(title="Inriktning 1")
    assert [link.item for link in direction.links.all()] == [sdg("8.2")]

    second = services.version_freeze(strategy, user=editor, label="Antagen")
    assert second.number == 2


def test_locking_refuses_a_save_over_a_newer_change(tree, editor, colleague):
    section = tree[1]
    loaded_at = section.revision
    # The colleague loads the same revision and saves first.
    colleague_copy = Section.objects.get(pk=section.pk)
    services.section_update(
        colleague_copy,
        user=colleague,
        expected_revision=loaded_at,
        title="Inriktning 1",
        body_markdown="Kollegans text.",
    )
    with pytest.raises(EditConflict) as conflict:
        services.section_update(
            Section.objects.get(pk=section.pk),
            user=editor,
            expected_revision=loaded_at,
            title="Inriktning 1",
            body_markdown="Min text.",
        )
    assert conflict.value.current.body_markdown == "Kollegans text."
    assert conflict.value.current.updated_by == colleague
    section.refresh_from_db()
    assert section.body_markdown == "Kollegans text."
    assert section.revision == loaded_at + 1

    # Saving again with the revision now current is accepted (a deliberate merge).
    services.section_update(
        section,
        user=editor,
        expected_revision=section.revision,
        title="Inriktning 1",
        body_markdown="Sammanslagen text.",
    )
    section.refresh_from_db()
    assert section.body_markdown == "Sammanslagen text."


def test_every_change_is_audited_with_before_and_after(tree, editor, colleague):
    section = tree[1]
    services.section_update(
        section,
        user=colleague,
        expected_revision=section.revision,
        title="Ny rubrik",
        body_markdown="Ny text.",
    )
    newest, before = section.history.order_by("-history_date", "-history_id")[:2]
    assert newest.history_user == colleague
    assert (newest.title, newest.body_markdown) == ("Ny rubrik", "Ny text.")
    assert (before.title, before.body_markdown) == ("Inriktning 1", "Text om inriktning 1.")


def test_frozen_version_refuses_every_service(frozen, frozen_section, editor, sdg):
    calls = [
        lambda: services.section_update(
            frozen_section,
            user=editor,
            expected_revision=frozen_section.revision,
            title="Ändrad",
            body_markdown="Ändrad",
        ),
        lambda: services.section_create(version=frozen, user=editor, kind="goal", title="Nytt"),
        lambda: services.section_move(frozen_section, user=editor, parent=None, position=9),
        lambda: services.section_delete(frozen_section, user=editor),
        lambda: services.section_link_add(frozen_section, user=editor, item_id=sdg("9.5").pk),
        lambda: services.section_link_remove(frozen_section, user=editor, item_id=sdg("8.2").pk),
        lambda: services.section_comment_add(frozen_section, user=editor, body="Hej"),
    ]
    for call in calls:
        with pytest.raises(FrozenVersionError):
            call()
    frozen_section.refresh_from_db()
    assert frozen_section.title == "Inriktning 1"
    assert frozen.sections.count() == 7
    assert frozen_section.links.count() == 1


def test_frozen_version_refuses_model_save_and_delete(frozen, frozen_section, sdg):
    frozen_section.title = "Ändrad"
    with pytest.raises(FrozenVersionError):
        frozen_section.save()
    with pytest.raises(FrozenVersionError):
        frozen_section.delete()
    with pytest.raises(FrozenVersionError):
        Section(version=frozen, kind="goal", title="Insmugglad").save()
    with pytest.raises(FrozenVersionError):
        SectionLink(section=frozen_section, item=sdg("9.5")).save()
    with pytest.raises(FrozenVersionError):
        frozen_section.links.first().delete()
    version = StrategyVersion.objects.get(pk=frozen.pk)
    version.label = "Annan"
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        version.delete()
    assert Section.objects.get(pk=frozen_section.pk).title == "Inriktning 1"


def test_later_edits_go_to_the_draft(frozen, tree, editor):
    section = Section.objects.get(pk=tree[1].pk)
    services.section_update(
        section, user=editor, expected_revision=section.revision, title="Ny", body_markdown="x"
    )
    assert frozen.sections.filter(title="Inriktning 1").exists()
    assert not frozen.sections.filter(title="Ny").exists()


def test_a_section_cannot_move_under_itself_or_its_descendant(tree, editor):
    direction, goal, action = tree[1], tree[2], tree[3]
    for new_parent in (direction, goal, action):
        with pytest.raises(ValidationError) as error:
            services.section_move(direction, user=editor, parent=new_parent, position=0)
        assert "cannot be moved under itself" in str(error.value)
    with pytest.raises(ValidationError):
        services.section_update(
            Section.objects.get(pk=direction.pk),
            user=editor,
            expected_revision=direction.revision,
            title="Inriktning 1",
            body_markdown="ändrad",
            parent=action,
        )
    direction.refresh_from_db()
    assert direction.parent is None
    assert direction.body_markdown == "Text om inriktning 1."  # nothing saved halfway


def test_a_link_to_an_unknown_item_is_refused(tree, editor):
    for bad in (999_999, "inte-ett-id", None):
        with pytest.raises(ValidationError) as error:
            services.section_link_add(tree[1], user=editor, item_id=bad)
        assert "no framework item" in str(error.value)
    assert tree[1].links.count() == 1


def test_only_partnership_editors_write(tree, draft, outsider, partner_viewer, strategy):
    for user in (outsider, partner_viewer):
        with pytest.raises(PermissionDenied):
            services.section_create(version=draft, user=user, kind="goal", title="Nytt")
        with pytest.raises(PermissionDenied):
            services.version_freeze(strategy, user=user)
        with pytest.raises(PermissionDenied):
            services.section_comment_add(tree[1], user=user, body="Hej")


def test_adopt_needs_a_frozen_version(strategy, frozen, draft, editor):
    with pytest.raises(ValidationError):
        adopt(draft, editor)
    adopt(frozen, editor)
    strategy.refresh_from_db()
    assert strategy.adopted_version == frozen
    assert strategy.status == "adopted"


def test_comment_is_stored_with_author(tree, colleague):
    comment = services.section_comment_add(tree[1], user=colleague, body="  Bra formulerat!  ")
    assert comment.body == "Bra formulerat!" and comment.author == colleague
    with pytest.raises(ValidationError):
        services.section_comment_add(tree[1], user=colleague, body="   ")
