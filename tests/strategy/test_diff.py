"""The pure diff: sections matched by key, word-level spans."""

from mineralstrategi.strategy.diff import (
    ChangeKind,
    PlacementKind,
    SectionSnapshot,
    Span,
    diff_versions,
    place_proposal,
    tokenize,
    word_diff,
)


def snap(key, title="T", body="", parent=None, position=0, links=()):
    return SectionSnapshot(
        key=key,
        title=title,
        body=body,
        parent_key=parent,
        position=position,
        links=frozenset(links),
    )


def test_tokens_join_back_to_the_text():
    text = "Malmbanan, och  stambanan.\nNy rad – åäö!"
    assert "".join(tokenize(text)) == text


def test_word_diff_marks_inserted_and_deleted_words():
    spans = word_diff("Gruvan växer snabbt i dag.", "Gruvan växer långsamt i dag.")
    assert spans == [
        Span("equal", "Gruvan växer "),
        Span("delete", "snabbt"),
        Span("insert", "långsamt"),
        Span("equal", " i dag."),
    ]


def test_word_diff_groups_neighbouring_changes():
    spans = word_diff("ökar varje år", "är minst 30 procent år")
    assert spans == [
        Span("delete", "ökar varje"),
        Span("insert", "är minst 30 procent"),
        Span("equal", " år"),
    ]


def test_word_diff_of_equal_texts_is_one_equal_span():
    assert word_diff("samma text", "samma text") == [Span("equal", "samma text")]
    assert word_diff("", "") == []


def test_sections_are_matched_by_key_not_by_title():
    old = [snap("a", "Gammal rubrik", "text"), snap("b", "Kvar", "text")]
    new = [snap("a", "Ny rubrik", "text"), snap("b", "Kvar", "text")]
    result = diff_versions(old, new)
    assert [(c.key, c.kind) for c in result.changes] == [
        ("a", ChangeKind.CHANGED),
        ("b", ChangeKind.UNCHANGED),
    ]
    assert result.changes[0].fields_changed == ["title"]


def test_added_removed_changed_and_moved():
    old = [
        snap("vision", "Vision", "Ett"),
        snap("d1", "Inriktning 1"),
        snap("g1", "Mål", parent="d1"),
        snap("gone", "Tas bort", "bort", parent="d1", position=1),
        snap("d2", "Inriktning 2", position=1),
    ]
    new = [
        snap("vision", "Vision", "Ett två"),
        snap("d1", "Inriktning 1"),
        snap("d2", "Inriktning 2", position=1),
        snap("g1", "Mål", parent="d2"),
        snap("new", "Ny insats", "ny", parent="d2", position=1),
    ]
    result = diff_versions(old, new)
    kinds = {change.key: change.kind for change in result.changes}
    assert kinds == {
        "vision": ChangeKind.CHANGED,
        "d1": ChangeKind.UNCHANGED,
        "gone": ChangeKind.REMOVED,
        "d2": ChangeKind.UNCHANGED,
        "g1": ChangeKind.MOVED,
        "new": ChangeKind.ADDED,
    }
    # A removed section is shown after the section that preceded it in the old version (g1).
    assert [c.key for c in result.changes] == ["vision", "d1", "d2", "g1", "gone", "new"]
    assert result.counts == {"added": 1, "removed": 1, "changed": 1, "moved": 1, "unchanged": 2}
    vision = result.changes[0]
    assert Span("insert", " två") in vision.body_spans


def test_a_shift_in_position_alone_is_no_change():
    old = [snap("a", position=0), snap("b", position=1)]
    new = [snap("b", position=0)]
    result = diff_versions(old, new)
    assert result.changes[1].kind == ChangeKind.UNCHANGED


def test_link_changes_make_a_section_changed():
    old = [snap("a", links={"sdg:8.2"})]
    new = [snap("a", links={"sdg:9.5"})]
    change = diff_versions(old, new).changes[0]
    assert change.kind == ChangeKind.CHANGED
    assert change.links_added == ["sdg:9.5"]
    assert change.links_removed == ["sdg:8.2"]


def test_identical_versions_have_no_changes():
    sections = [snap("a", "A", "x"), snap("b", "B", "y", parent="a")]
    assert not diff_versions(sections, sections).has_changes


SECTION = (
    "Länen ska ha en hållbar gruvnäring. Prospekteringen ökar varje år och ger nya fynd.\n\n"
    "Samebyarna deltar i samråd när planer tas fram. Samråden redovisas i efterhand."
)


def test_a_proposal_about_one_sentence_replaces_that_sentence_only():
    placement = place_proposal(SECTION, "Prospekteringen är minst på 2020 års nivå varje år.")
    assert placement.kind == PlacementKind.PASSAGE
    assert placement.replaced == "Prospekteringen ökar varje år och ger nya fynd."
    assert placement.text == SECTION.replace(
        "Prospekteringen ökar varje år och ger nya fynd.",
        "Prospekteringen är minst på 2020 års nivå varje år.",
    )


def test_a_proposal_may_rewrite_several_sentences_of_one_paragraph():
    proposal = (
        "Samebyarna deltar från första skedet, innan områden pekas ut, i planer som berör "
        "deras marker, och samråden redovisas öppet."
    )
    placement = place_proposal(SECTION, proposal)
    assert placement.kind == PlacementKind.PASSAGE
    assert placement.replaced == (
        "Samebyarna deltar i samråd när planer tas fram. Samråden redovisas i efterhand."
    )
    assert placement.text.startswith("Länen ska ha en hållbar gruvnäring. Prospekteringen ökar")
    assert placement.text.endswith(proposal)


def test_a_proposal_like_no_passage_is_added_at_the_end():
    placement = place_proposal(SECTION, "Vattnet i älvarna skyddas mot läckage från gråberg.")
    assert placement.kind == PlacementKind.ADDED
    assert placement.text == SECTION + "\n\nVattnet i älvarna skyddas mot läckage från gråberg."


def test_a_proposal_like_the_whole_text_replaces_it():
    proposal = SECTION.replace("hållbar", "långsiktigt hållbar").replace("efterhand", "öppet")
    placement = place_proposal(SECTION, proposal)
    assert placement.kind == PlacementKind.WHOLE
    assert placement.text == proposal
    assert place_proposal("", "Ny text.").text == "Ny text."


def test_markdown_is_compared_as_a_reader_sees_it():
    from mineralstrategi.markup import markdown_as_text

    text = "Detta är **viktigt** och [en länk](https://x.se).\n\n## Rubrik\n\nSlut &amp; klart < 5"
    assert markdown_as_text(text) == "Detta är viktigt och en länk.\n\nRubrik\n\nSlut & klart < 5"
