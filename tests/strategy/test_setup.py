"""Setting up a strategy: the service (empty, a copy of another strategy's sections, an outline
from Markdown or Word), the guided pages at /strategi/ny/, `POST /api/strategies` and
`manage strategy_create`; each checked by what a person then sees."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mineralstrategi.organisations.models import County, Organisation, Role
from mineralstrategi.organisations.services import api_token_create
from mineralstrategi.strategy import services
from mineralstrategi.strategy.models import Strategy
from mineralstrategi.strategy.outlines import OutlineError, docx_outline, markdown_outline

OUTLINE = """# Hållbar gruvdrift
Gruvor som tar hänsyn till rennäringen.
## Minskade utsläpp
### Elektrifierade transporter
## Vatten
# Kompetens
"""

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(*paragraphs: tuple[str, str], prologue: str = "") -> bytes:
    """A Word document of (style id, text) paragraphs; styles "Rubrik1"… are named "heading N"
    as Swedish Word names them."""
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        if style
        else f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for style, text in paragraphs
    )
    styles = "".join(
        f'<w:style w:styleId="Rubrik{n}"><w:name w:val="heading {n}"/></w:style>' for n in (1, 2, 3)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f"{prologue}<w:document {W}><w:body>{body}</w:body></w:document>"
        )
        archive.writestr("word/styles.xml", f"<w:styles {W}>{styles}</w:styles>")
    return buffer.getvalue()


@pytest.fixture
def jamtland(geography):
    return County.objects.get(name="Jämtlands län")


@pytest.fixture
def setter(region_vasterbotten, make_member):
    """An administrator (not an editor) of the lead organisation: may set a strategy up."""
    return make_member(region_vasterbotten, Role.ADMINISTRATOR, username="setter")


def setup(user, lead, counties, **overrides):
    values = {"title": "Mineralstrategi för Jämtland", "start_year": 2026, "end_year": 2035}
    return services.strategy_create(user=user, lead=lead, counties=counties, **(values | overrides))


def titles(strategy) -> list[tuple[str, str, str]]:
    """(parent title, title, kind, position) of the working draft's sections, sorted."""
    draft = services.strategy_draft(strategy)
    return sorted(
        (s.parent.title if s.parent else "", s.title, s.kind, s.position)
        for s in draft.sections.select_related("parent")
    )


# --- Outlines ----------------------------------------------------------------------------------


def test_markdown_headings_become_an_outline_with_depths_and_texts():
    headings = markdown_outline(OUTLINE + "```\n# not a heading\n```\n")
    assert [(h.depth, h.title) for h in headings] == [
        (1, "Hållbar gruvdrift"),
        (2, "Minskade utsläpp"),
        (3, "Elektrifierade transporter"),
        (2, "Vatten"),
        (1, "Kompetens"),
    ]
    assert headings[0].body == "Gruvor som tar hänsyn till rennäringen."
    assert "# not a heading" in headings[-1].body


def test_word_heading_styles_become_an_outline_in_any_language():
    data = docx(
        ("Rubrik1", "Inriktning"), ("", "Brödtext."), ("Heading2", "Mål"), ("Rubrik3", "Åtgärd")
    )
    headings = docx_outline(data)
    assert [(h.depth, h.title) for h in headings] == [(1, "Inriktning"), (2, "Mål"), (3, "Åtgärd")]
    assert headings[0].body == "Brödtext."


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"not a zip", "not a docx"),
        (docx(("", "Bara brödtext.")), "no headings"),
        (
            docx(("Rubrik1", "&a;"), prologue='<!DOCTYPE x [<!ENTITY a "b">]>'),
            "not a docx",
        ),
    ],
)
def test_what_is_no_word_outline_is_refused(data, reason):
    with pytest.raises(OutlineError, match=reason):
        docx_outline(data)


# --- The service -------------------------------------------------------------------------------


def test_an_administrator_sets_up_an_empty_strategy_led_by_their_organisation(
    setter, region_vasterbotten, kiruna, jamtland
):
    strategy = setup(setter, region_vasterbotten, [jamtland], partnership=[kiruna])
    assert strategy.slug == "mineralstrategi-for-jamtland"
    assert strategy.lead == region_vasterbotten
    assert set(strategy.partnership.all()) == {region_vasterbotten, kiruna}
    assert list(strategy.counties.all()) == [jamtland]
    assert services.strategy_draft(strategy).sections.count() == 0
    record = strategy.history.get()
    assert record.history_type == "+" and record.history_user == setter
    assert record.history_organisation == region_vasterbotten  # in its audit trail
    assert setup(setter, region_vasterbotten, [jamtland]).slug == "mineralstrategi-for-jamtland-2"


def test_an_outline_becomes_the_sections_of_the_draft(setter, region_vasterbotten, jamtland):
    strategy = setup(setter, region_vasterbotten, [jamtland], outline=markdown_outline(OUTLINE))
    assert titles(strategy) == [
        ("", "Hållbar gruvdrift", "direction", 0),
        ("", "Kompetens", "direction", 1),
        ("Hållbar gruvdrift", "Minskade utsläpp", "goal", 0),
        ("Hållbar gruvdrift", "Vatten", "goal", 1),
        ("Minskade utsläpp", "Elektrifierade transporter", "action", 0),
    ]
    section = services.strategy_draft(strategy).sections.get(title="Hållbar gruvdrift")
    assert section.body_markdown == "Gruvor som tar hänsyn till rennäringen."
    assert section.history.get().history_user == setter


def test_a_copy_takes_the_sections_structure_and_the_texts_only_when_asked(
    strategy, tree, editor, region_vasterbotten, jamtland
):
    bare = setup(editor, region_vasterbotten, [jamtland], copy_from=strategy)
    assert titles(bare) == titles(strategy)
    draft = services.strategy_draft(bare)
    assert not draft.sections.exclude(body_markdown="").exists()
    assert not set(draft.sections.values_list("key", flat=True)) & set(
        services.strategy_draft(strategy).sections.values_list("key", flat=True)
    )
    full = setup(editor, region_vasterbotten, [jamtland], copy_from=strategy, copy_texts=True)
    assert services.strategy_draft(full).sections.get(title="Vision").body_markdown == "En vision."


def test_an_outsider_copies_only_what_is_public(strategy, tree, outsider, kiruna, jamtland):
    with pytest.raises(ValidationError) as refused:
        setup(outsider, kiruna, [jamtland], copy_from=strategy)
    assert "copy_from" in refused.value.message_dict


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"counties": []}, "counties"),
        ({"start_year": 2035, "end_year": 2026}, "end_year"),
        ({"title": "  "}, "title"),
        ({"slug": "ny"}, "slug"),
    ],
)
def test_bad_setups_are_refused_naming_the_field(
    setter, region_vasterbotten, jamtland, overrides, field
):
    values = {"counties": [jamtland]} | overrides
    with pytest.raises(ValidationError) as refused:
        setup(setter, region_vasterbotten, **values)
    assert field in refused.value.message_dict
    assert not Strategy.objects.exists()


def test_only_administrators_and_editors_of_the_lead_set_up(
    region_vasterbotten, kiruna, make_member, jamtland
):
    viewer = make_member(region_vasterbotten, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        setup(viewer, region_vasterbotten, [jamtland])
    kiruna_editor = make_member(kiruna, Role.STRATEGY_EDITOR)
    with pytest.raises(PermissionDenied):
        setup(kiruna_editor, region_vasterbotten, [jamtland])
    assert not Strategy.objects.exists()


# --- The pages ---------------------------------------------------------------------------------


def form_data(lead, county, **overrides):
    return {
        "title": "Mineralstrategi för Jämtland",
        "start_year": "2026",
        "end_year": "2035",
        "counties": [county.pk],
        "lead": lead.pk,
        "start": "empty",
    } | overrides


def test_the_guided_setup_lands_on_the_new_draft_with_the_outline(
    client, setter, region_vasterbotten, jamtland, soup
):
    client.force_login(setter)
    page = soup(client.get(reverse("strategy:list")))
    assert page.select_one(f'a[href="{reverse("strategy:setup")}"]')
    form = soup(client.get(reverse("strategy:setup")))
    assert [o.text for o in form.select("select[name=lead] option")] == ["Region Västerbotten"]
    outline = SimpleUploadedFile("disposition.md", OUTLINE.encode(), content_type="text/markdown")
    response = client.post(
        reverse("strategy:setup"),
        form_data(region_vasterbotten, jamtland, start="outline", outline=outline),
        follow=True,
    )
    strategy = Strategy.objects.get()
    assert response.redirect_chain[-1][0] == reverse("strategy:draft", args=[strategy.slug])
    draft_page = soup(response)
    assert "Mineralstrategi för Jämtland" in draft_page.h1.text
    text = draft_page.get_text()
    for title in ("Hållbar gruvdrift", "Minskade utsläpp", "Elektrifierade transporter"):
        assert title in text
    listing = soup(client.get(reverse("strategy:list"))).get_text()
    assert "Mineralstrategi för Jämtland" in listing and "Jämtlands län" in listing


def test_an_empty_strategy_invites_the_first_section(
    client, setter, editor, region_vasterbotten, jamtland, soup
):
    client.force_login(editor)
    client.post(reverse("strategy:setup"), form_data(region_vasterbotten, jamtland))
    strategy = Strategy.objects.get()
    page = soup(client.get(reverse("strategy:draft", args=[strategy.slug])))
    assert "write the first one" in page.select_one(".empty-state").text


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"counties": []}, "counties", "at least one county"),
        ({"end_year": "2020"}, "end_year", "before the first year"),
        ({"start": "outline"}, "outline", "Choose the outline file"),
        (
            {"start": "outline", "outline": SimpleUploadedFile("d.md", b"Ingen rubrik alls.")},
            "outline",
            "has no headings",
        ),
        (
            {"start": "outline", "outline": SimpleUploadedFile("d.docx", b"not a zip")},
            "outline",
            "not a Word document",
        ),
        ({"start": "copy"}, "copy_from", "Choose the strategy"),
    ],
)
def test_bad_input_in_the_pages_is_named_never_a_500(
    client, setter, region_vasterbotten, jamtland, soup, overrides, field, message
):
    client.force_login(setter)
    response = client.post(
        reverse("strategy:setup"), form_data(region_vasterbotten, jamtland, **overrides)
    )
    assert response.status_code == 400
    errors = soup(response).select_one(f"#id_{field}_error")
    assert errors is not None and message in errors.text
    assert not Strategy.objects.exists()


def test_who_may_open_the_setup(client, partner_viewer):
    response = client.get(reverse("strategy:setup"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    client.force_login(partner_viewer)
    assert client.get(reverse("strategy:setup")).status_code == 403


# --- The API -----------------------------------------------------------------------------------


@pytest.fixture
def bearer(setter):
    _, token = api_token_create(user=setter, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_sets_up_a_strategy_with_a_word_outline(
    client, bearer, region_vasterbotten, jamtland
):
    outline = SimpleUploadedFile(
        "disposition.docx", docx(("Rubrik1", "Inriktning"), ("Rubrik2", "Mål"))
    )
    response = client.post(
        "/api/strategies",
        {
            "name": "Mineralstrategi för Jämtland",
            "county": [jamtland.code],
            "lead": region_vasterbotten.slug,
            "start_year": 2026,
            "end_year": 2035,
            "outline": outline,
        },
        **bearer,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "mineralstrategi-for-jamtland"
    assert body["county_codes"] == [jamtland.code]
    assert body["lead"]["slug"] == region_vasterbotten.slug
    assert body["sections"] == 2
    assert body["draft_url"] == reverse("strategy:draft", args=[body["slug"]])
    listed = client.get("/api/strategies").json()
    assert [s["slug"] for s in listed] == ["mineralstrategi-for-jamtland"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"county": ["99"]}, "counties"),
        ({"end_year": 2020}, "end_year"),
        ({"lead": "no-such-organisation"}, "lead"),
    ],
)
def test_the_api_names_what_is_wrong(
    client, bearer, region_vasterbotten, jamtland, overrides, field
):
    data = {
        "name": "X",
        "county": [jamtland.code],
        "lead": region_vasterbotten.slug,
        "start_year": 2026,
        "end_year": 2035,
    } | overrides
    response = client.post("/api/strategies", data, **bearer)
    assert response.status_code == 422
    assert [item["loc"][-1] for item in response.json()["detail"]] == [field]
    assert not Strategy.objects.exists()


def test_the_api_refuses_the_anonymous_and_those_without_a_role(
    client, region_vasterbotten, jamtland, kiruna
):
    data = {
        "name": "X",
        "county": [jamtland.code],
        "lead": kiruna.slug,
        "start_year": 2026,
        "end_year": 2030,
    }
    assert client.post("/api/strategies", data).status_code == 401
    assert not Strategy.objects.exists()


def test_the_api_refuses_a_lead_the_caller_does_not_administer(client, bearer, kiruna, jamtland):
    data = {"name": "X", "county": [jamtland.code], "lead": kiruna.slug}
    response = client.post(
        "/api/strategies", data | {"start_year": 2026, "end_year": 2030}, **bearer
    )
    assert response.status_code == 403
    assert not Strategy.objects.exists()


# --- The command -------------------------------------------------------------------------------


def run(*arguments) -> list[str]:
    out = io.StringIO()
    call_command("strategy_create", *arguments, stdout=out)
    return out.getvalue().strip().splitlines()


def test_the_command_prints_the_slug_on_its_last_line(
    region_vasterbotten, kiruna, jamtland, tmp_path
):
    outline = tmp_path / "disposition.md"
    outline.write_text(OUTLINE, encoding="utf-8")
    lines = run(
        "--name", "Mineralstrategi för Jämtland",
        "--county", jamtland.code,
        "--county", County.objects.get(name="Västerbottens län").code,
        "--lead", region_vasterbotten.slug,
        "--partner", kiruna.slug,
        "--period", "2026-2035",
        "--outline", str(outline),
    )  # fmt: skip
    strategy = Strategy.objects.get(slug=lines[-1])
    assert (strategy.start_year, strategy.end_year) == (2026, 2035)
    assert strategy.counties.count() == 2 and strategy.lead == region_vasterbotten
    assert services.strategy_draft(strategy).sections.count() == 5


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--county", "99"], "--county: No county has the code 99."),
        (["--period", "2035-2026"], "--period: The last year comes before the first year."),
        (["--period", "soon"], "--period: 'soon' is not a period"),
    ],
)
def test_the_command_names_what_is_wrong(region_vasterbotten, jamtland, arguments, message):
    base = {
        "--name": "X",
        "--county": jamtland.code,
        "--lead": region_vasterbotten.slug,
        "--period": "2026-2030",
    }
    base.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        run(*[part for pair in base.items() for part in pair])
    assert not Strategy.objects.exists()


def test_a_strategy_saved_in_the_admin_gets_its_working_draft(
    client, superuser, geography, jamtland
):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:strategy_strategy_add"),
        {
            "title": "Adminstrategi",
            "slug": "adminstrategi",
            "start_year": 2026,
            "end_year": 2030,
            "status": "drafting",
            "counties": [jamtland.pk],
            "partnership": [Organisation.objects.filter(municipality__county=jamtland)[0].pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    strategy = Strategy.objects.get(slug="adminstrategi")
    assert client.get(reverse("strategy:draft", args=[strategy.slug])).status_code == 200


def test_strategies_saved_without_a_draft_get_one_by_the_migration(strategy, jamtland):
    import importlib

    from django.apps import apps

    bare = Strategy.objects.create(title="Utan utkast", slug="utan", start_year=2026, end_year=2030)
    migration = importlib.import_module("mineralstrategi.strategy.migrations.0005_working_drafts")
    migration.add_missing_drafts(apps, None)
    assert services.strategy_draft(bare).sections.count() == 0
    assert strategy.versions.filter(number__isnull=True).count() == 1


# Transactional: Django's command runner closes the database connections when it ends, which on
# PostgreSQL would end the transaction a plain test runs in.
@pytest.mark.django_db(transaction=True)
def test_mineralstrategi_manage_strategy_create_prints_the_slug_last(
    region_vasterbotten, jamtland, capsys
):
    from mineralstrategi import cli

    arguments = ["--name", "Mineralstrategi för Jämtland", "--county", jamtland.code]
    arguments += ["--lead", region_vasterbotten.slug, "--period", "2026-2035"]
    assert cli.main(["manage", "strategy_create", *arguments]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "mineralstrategi-for-jamtland"
    assert Strategy.objects.get(slug=last).counties.get() == jamtland
