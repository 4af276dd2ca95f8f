"""Frameworks kept by an organisation's strategy editors: who may create and change them, the
checks with their messages, the items' order, removal refused while sections link, the pasted
list, and the audit trail naming the user (strategy/services.py, rules.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import selectors, services
from mineralstrategi.strategy.models import Framework, FrameworkItem
from mineralstrategi.strategy.services import FrameworkInput, ItemInput


def rus(**overrides) -> FrameworkInput:
    values = {
        "code": "rus-vasterbotten-2030",
        "name": "Regional utvecklingsstrategi för Västerbotten 2030",
        "kind": "regional",
        "url": "https://example.org/rus",
        "description": "Länets strategi.",
        "source": "Regionfullmäktige 2024-06-18",
    }
    return FrameworkInput(**{**values, **overrides})


@pytest.fixture
def framework(frameworks, editor, region_vasterbotten) -> Framework:
    """A framework of Region Västerbotten beside the loaded ones (whose rows are copied first)."""
    return services.framework_create(user=editor, owner=region_vasterbotten, data=rus())


def add(framework, user, code, title, parent=None, title_en=""):
    return services.framework_item_add(
        framework, user=user, data=ItemInput(code, title, title_en, parent)
    )


def reading_order(framework) -> list[str]:
    return list(framework.items.order_by("position").values_list("code", flat=True))


def messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in errors] for field, errors in error.message_dict.items()}


# --- Who may -------------------------------------------------------------------------------------


def test_a_strategy_editor_creates_a_framework_of_their_organisation(
    editor, region_vasterbotten, frameworks
):
    last = max(Framework.objects.values_list("position", flat=True))
    framework = services.framework_create(user=editor, owner=region_vasterbotten, data=rus())
    assert framework.owner == region_vasterbotten
    assert framework.position == last + 1  # after the loaded frameworks
    record = framework.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor
    assert record.history_organisation == region_vasterbotten


@pytest.mark.parametrize("who", ["anonymous", "viewer", "administrator", "other_editor"])
def test_others_may_not_create_one_for_the_organisation(
    who, region_vasterbotten, kiruna, make_member
):
    user = {
        "anonymous": lambda: AnonymousUser(),
        "viewer": lambda: make_member(region_vasterbotten, Role.VIEWER),
        "administrator": lambda: make_member(region_vasterbotten, Role.ADMINISTRATOR),
        "other_editor": lambda: make_member(kiruna, Role.STRATEGY_EDITOR),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.framework_create(user=user, owner=region_vasterbotten, data=rus())
    assert not Framework.objects.filter(code="rus-vasterbotten-2030").exists()


@pytest.mark.parametrize("who", ["anonymous", "viewer", "other_editor"])
def test_only_the_owners_editors_change_the_framework_and_its_items(
    who, framework, region_vasterbotten, kiruna, make_member, editor
):
    item = add(framework, editor, "1", "Attraktiva livsmiljöer")
    user = {
        "anonymous": lambda: AnonymousUser(),
        "viewer": lambda: make_member(region_vasterbotten, Role.VIEWER),
        "other_editor": lambda: make_member(kiruna, Role.STRATEGY_EDITOR),
    }[who]()
    refused = [
        lambda: services.framework_update(framework, user=user, data=rus(name="Kapad")),
        lambda: add(framework, user, "2", "Kapad punkt"),
        lambda: services.framework_items_paste(framework, user=user, text="3 Kapad"),
        lambda: services.framework_item_update(item, user=user, data=ItemInput("1", "Kapad")),
        lambda: services.framework_item_move(item, user=user, direction="down"),
        lambda: services.framework_item_delete(item, user=user),
    ]
    for attempt in refused:
        with pytest.raises(PermissionDenied):
            attempt()
    assert reading_order(framework) == ["1"]
    framework.refresh_from_db()
    assert framework.name != "Kapad"


def test_a_loaded_framework_is_changed_by_a_superuser_only(editor, superuser, frameworks):
    sdg = Framework.objects.get(code="sdg")
    with pytest.raises(PermissionDenied):
        add(sdg, editor, "18.1", "Ett nytt delmål")
    item = add(sdg, superuser, "18.1", "Ett nytt delmål")
    assert item.history.get().history_user == superuser


# --- Checks and their messages -------------------------------------------------------------------


def test_a_taken_code_is_refused_with_the_name_of_the_framework_that_has_it(
    editor, region_vasterbotten, frameworks
):
    with pytest.raises(ValidationError) as refused:
        services.framework_create(user=editor, owner=region_vasterbotten, data=rus(code="sdg"))
    assert messages(refused.value) == {
        "code": [
            "The code “sdg” is already used by the framework “Agenda 2030: de globala målen för "
            "hållbar utveckling”. Choose another."
        ]
    }


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (rus(code=""), "code", "Give the framework a code"),
        (rus(code="RUS Västerbotten"), "code", "only lower-case letters"),
        (rus(code="ny"), "code", "the address of a page"),
        (rus(name="  "), "name", "Give the framework a name"),
        (rus(kind="galactic"), "kind", "Choose the kind"),
        (rus(url="inte en adress"), "url", "valid URL"),
    ],
)
def test_faulty_fields_are_named(editor, region_vasterbotten, data, field, words):
    with pytest.raises(ValidationError) as refused:
        services.framework_create(user=editor, owner=region_vasterbotten, data=data)
    assert words in " ".join(messages(refused.value)[field])


def test_the_framework_is_changed_and_keeps_its_own_code(framework, editor):
    services.framework_update(framework, user=editor, data=rus(name="RUS 2030, reviderad"))
    framework.refresh_from_db()
    assert framework.name == "RUS 2030, reviderad"
    assert [r.history_user for r in framework.history.all()] == [editor, editor]


def test_item_checks_name_the_fault(framework, editor):
    add(framework, editor, "1", "Attraktiva livsmiljöer")
    with pytest.raises(ValidationError) as refused:
        add(framework, editor, "1", "Samma kod")
    assert messages(refused.value)["code"] == [
        "The code “1” is already used by another item of "
        "“Regional utvecklingsstrategi för Västerbotten 2030”."
    ]
    with pytest.raises(ValidationError) as refused:
        add(framework, editor, "1 a", "")
    assert set(messages(refused.value)) == {"code", "title_sv"}


def test_an_item_of_another_framework_is_no_parent(framework, editor, frameworks):
    other = FrameworkItem.objects.get(framework__code="sdg", code="8.2")
    with pytest.raises(ValidationError) as refused:
        add(framework, editor, "1", "Punkt", parent=other)
    assert "must be an item of this framework" in messages(refused.value)["parent"][0]


# --- Order ----------------------------------------------------------------------------------------


def test_an_item_goes_under_its_parent_and_moves_up_and_down(framework, editor):
    one = add(framework, editor, "1", "Ett")
    two = add(framework, editor, "2", "Två")
    add(framework, editor, "1.1", "Ett ett", parent=one)
    assert reading_order(framework) == ["1", "1.1", "2"]
    services.framework_item_move(two, user=editor, direction="up")
    assert reading_order(framework) == ["1", "2", "1.1"]
    services.framework_item_move(two, user=editor, direction="up")
    assert reading_order(framework) == ["2", "1", "1.1"]
    with pytest.raises(ValidationError, match="already first"):
        services.framework_item_move(two, user=editor, direction="up")
    # The moves are recorded, each by its editor.
    assert {r.history_user for r in FrameworkItem.history.filter(id=two.pk)} == {editor}


def test_an_item_cannot_go_under_itself_or_its_own_items(framework, editor):
    one = add(framework, editor, "1", "Ett")
    child = add(framework, editor, "1.1", "Ett ett", parent=one)
    for parent in (one, child):
        with pytest.raises(ValidationError, match="under itself"):
            services.framework_item_update(one, user=editor, data=ItemInput("1", "Ett", "", parent))


def test_a_changed_parent_moves_the_item_under_it(framework, editor):
    one = add(framework, editor, "1", "Ett")
    add(framework, editor, "2", "Två")
    three = add(framework, editor, "3", "Tre")
    services.framework_item_update(
        three, user=editor, data=ItemInput("1.1", "Ett ett", "One one", one)
    )
    assert reading_order(framework) == ["1", "1.1", "2"]
    three.refresh_from_db()
    assert (three.parent, three.title_en) == (one, "One one")


# --- Removal --------------------------------------------------------------------------------------


def test_removal_is_refused_while_sections_link_to_the_item(framework, editor, strategy, tree):
    item = add(framework, editor, "1", "Attraktiva livsmiljöer")
    services.section_link_add(tree[1], user=editor, item_id=item.pk)
    services.section_link_add(tree[2], user=editor, item_id=item.pk)
    with pytest.raises(ValidationError) as refused:
        services.framework_item_delete(item, user=editor)
    assert "cannot be removed: 2 sections link to it" in refused.value.messages[0]
    services.section_link_remove(tree[1], user=editor, item_id=item.pk)
    with pytest.raises(ValidationError) as refused:
        services.framework_item_delete(item, user=editor)
    assert "cannot be removed: 1 section links to it" in refused.value.messages[0]
    services.section_link_remove(tree[2], user=editor, item_id=item.pk)
    pk = item.pk
    services.framework_item_delete(item, user=editor)
    assert not FrameworkItem.objects.filter(pk=pk).exists()
    removed = FrameworkItem.history.filter(id=pk, history_type="-").get()
    assert removed.history_user == editor


def test_removal_is_refused_while_items_are_placed_under_it(framework, editor):
    one = add(framework, editor, "1", "Ett")
    add(framework, editor, "1.1", "Ett ett", parent=one)
    with pytest.raises(ValidationError, match="1 item is placed under it"):
        services.framework_item_delete(one, user=editor)


# --- Many at once ---------------------------------------------------------------------------------


def test_pasted_lines_become_items_under_their_parents(framework, editor):
    add(framework, editor, "2", "Två")
    added = services.framework_items_paste(
        framework,
        user=editor,
        text="1\tEtt\tOne\n\n1.1 Ett ett\n2.1  Två ett  \n3\tTre\n",
    )
    assert [item.code for item in added] == ["1", "1.1", "2.1", "3"]
    assert reading_order(framework) == ["2", "2.1", "1", "1.1", "3"]
    items = {item.code: item for item in framework.items.select_related("parent")}
    assert items["1"].title_en == "One"
    assert items["1.1"].parent == items["1"] and items["2.1"].parent == items["2"]
    assert items["2.1"].title_sv == "Två ett"


def test_a_faulty_paste_adds_nothing_and_names_each_line(framework, editor):
    add(framework, editor, "1", "Ett")
    with pytest.raises(ValidationError) as refused:
        services.framework_items_paste(
            framework, user=editor, text="2 Två\n1 Ett igen\n3\n2 Två igen"
        )
    assert messages(refused.value)["text"] == [
        "Line 2: The code “1” is already used by another item of "
        "“Regional utvecklingsstrategi för Västerbotten 2030”.",
        "Line 3: Give the item its Swedish title.",
        "Line 4: The code “2” is already used by another item of "
        "“Regional utvecklingsstrategi för Västerbotten 2030”.",
    ]
    assert reading_order(framework) == ["1"]


# --- Used at once ---------------------------------------------------------------------------------


def test_the_new_items_are_offered_where_sections_are_linked(framework, editor, tree):
    item = add(framework, editor, "1", "Attraktiva livsmiljöer")
    groups = dict(selectors.link_choices())
    assert (item.pk, "1 Attraktiva livsmiljöer") in groups[framework.name]
    services.section_link_add(tree[1], user=editor, item_id=item.pk)
    linked = selectors.framework_linked_sections(framework, editor)[item.pk]
    assert [entry.section.title for entry in linked] == [tree[1].title]
    assert not selectors.framework_linked_sections(framework, AnonymousUser())  # a draft's
