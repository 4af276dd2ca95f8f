"""Every CSV and XLSX download of the platform, fed texts that a spreadsheet would run as formulas:
none comes out as a formula, each comes out as text, and a signed number such as `-1930` (a real
statistics category code) comes out as it went in.

The export endpoints are found by introspection, as the permission matrix finds the write
endpoints: every page of Django's URL resolver and every operation of the NinjaAPI whose code
reaches the export layer (`mineralstrategi.exports`). A new export endpoint fails
`test_every_export_endpoint_has_a_row` until it is given a row in EXPORTS.
"""

import csv
import datetime
import dis
import inspect
import io
import types
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from mineralstrategi import exports
from mineralstrategi.api.api import api
from mineralstrategi.cluster.services import SiteInput, site_save
from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.implementation import services as implementation_services
from mineralstrategi.indicators.models import Commodity, Indicator, Observation, PricePoint
from mineralstrategi.ingest.dimensions import breakdown_key
from mineralstrategi.organisations.models import County, OrganisationKind, Role
from mineralstrategi.organisations.services import organisation_create
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.models import Framework, FrameworkItem
from tests.consultation.conftest import make_round
from tests.implementation.conftest import initiative_input
from tests.security.test_permission_matrix import _walk

FORMULAS = (
    '=HYPERLINK("http://evil.example/","Öppna")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=SUM(B1:B2)",
    "\r=CMD|' /C calc'!A0",
)
SIGNED_NUMBER = "-1930"  # SCB's birth-year category "born 1930 or earlier"
PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# --- Finding the export endpoints ------------------------------------------------------------

LAYER = (exports.table_response, exports.csv_response, exports.xlsx_response)


def _callees(code: types.CodeType, namespace: dict):
    """What the code loads by global name, and the attributes it reads of a module so loaded
    (`exports.matrix_table`), in its nested functions and comprehensions too."""
    module = None
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            target = namespace.get(instruction.argval)
            module = target if inspect.ismodule(target) else None
            yield target
        elif instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and module is not None:
            yield getattr(module, instruction.argval, None)
            module = None
        else:
            module = None
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _callees(constant, namespace)


def reaches_export_layer(function, seen: set | None = None) -> bool:
    """Whether the function, or any function of ours it calls, calls the export layer."""
    seen = set() if seen is None else seen
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or function in seen:
        return False
    seen.add(function)
    for callee in _callees(code, function.__globals__):
        if any(callee is writer for writer in LAYER):
            return True
        ours = inspect.isfunction(callee) and callee.__module__.startswith("mineralstrategi.")
        if ours and reaches_export_layer(callee, seen):
            return True
    return False


def _view_functions(callback) -> list:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return [callback]
    return [member for member in vars(view_class).values() if inspect.isfunction(member)]


def export_endpoints() -> set[str]:
    pages = {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if not name.startswith("api:")
        and any(reaches_export_layer(f) for f in _view_functions(callback))
    }
    operations = {
        f"api:{method} /api{prefix.rstrip('/')}{path}"
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
        if reaches_export_layer(operation.view_func)
    }
    return pages | operations


# --- One scene whose every exported text is a formula ----------------------------------------


@dataclass
class Scene:
    strategy: object
    frozen: object
    round: object
    indicator: Indicator
    commodity: Commodity


def _strategy(editor, partnership):
    strategy = strategy_services.strategy_create(
        title="Teststrategi",
        slug="teststrategi",
        start_year=2025,
        end_year=2030,
        partnership=[partnership],
        counties=County.objects.filter(code__in=["24", "25"]),
    )
    draft = strategy_services.strategy_draft(strategy)
    for number, title in enumerate(FORMULAS):
        section = strategy_services.section_create(
            version=draft, user=editor, kind="direction", title=title, dimension="economic"
        )
        framework = Framework.objects.create(code=f"ramverk-{number}", name=title, kind="regional")
        item = FrameworkItem.objects.create(framework=framework, code="1", title_sv=title)
        strategy_services.section_link_add(section, user=editor, item_id=item.pk)
    return strategy, draft


def _initiatives(strategy, draft, lead, contributor, superuser):
    keys = [section.key for section in draft.sections.all()]
    for number, title in enumerate(FORMULAS):
        partner = organisation_create(
            name=title, kind=OrganisationKind.COMPANY, slug=f"foretag-{number}"
        )
        initiative = implementation_services.initiative_create(
            strategy=strategy,
            organisation=lead,
            user=contributor,
            data=initiative_input(keys, title=title, partner_ids=[partner.pk]),
        )
        implementation_services.initiative_approve(initiative, user=superuser)


def _compilation(frozen, editor, consultee_organisation, officer):
    round_ = make_round(frozen, editor)
    consultee = consultation_services.consultee_add(
        round_, user=editor, organisation=consultee_organisation
    )
    consultation_services.consultation_send(round_, user=editor)
    sections = frozen.sections.order_by("position")
    answer = consultation_services.answer_save_draft(
        consultee,
        user=officer,
        position="support_with_changes",
        comment=FORMULAS[0],
        section_comments={s.pk: ("propose", t, t) for s, t in zip(sections, FORMULAS, strict=True)},
    )
    consultation_services.answer_submit(answer, user=officer)
    return round_


def _indicators(owner):
    for number, name in enumerate(FORMULAS):
        Indicator.objects.create(
            code=f"indikator-{number}",
            name=name,
            definition="Antal.",
            unit=SIGNED_NUMBER if number == 0 else "personer",
            dimension="economic",
            desired_direction="increase",
            source_organisation=name,
            owner=owner,
        )
    categories = [*FORMULAS, SIGNED_NUMBER]
    indicator = Indicator.objects.get(code="indikator-1")
    indicator.unit = "@personer"
    indicator.disaggregations = [
        {
            "id": "Fodelsear",
            "label": "Födelseår",
            "total_label": "Totalt",
            "categories": [{"id": c, "label": c} for c in categories],
        }
    ]
    indicator.save()
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            geo_level="county",
            geo_code="24",
            period="2024",
            breakdown=breakdown_key({"Fodelsear": c}),
            value=-4.5,
        )
        for c in categories
    )
    return indicator


def _commodities():
    for number, name in enumerate(FORMULAS):
        commodity = Commodity.objects.create(
            code=f"metall-{number}", name=name, unit="+USD/mt", source=name, group=""
        )
        PricePoint.objects.create(commodity=commodity, month="2024-01", value=-1.5)
    commodity = Commodity.objects.get(code="metall-0")
    commodity.unit = FORMULAS[1]
    commodity.save()
    return commodity


def _sites(superuser):
    for number, name in enumerate(FORMULAS):
        site_save(
            SiteInput(
                name=name,
                kind="mine",
                status="operating",
                latitude=67.07,
                longitude=20.95,
                commodities=name,
                operator_name=name,
                source=name,
            ),
            user=superuser,
            slug=f"plats-{number}",
        )


@pytest.fixture
def scene(skelleftea, kiruna, region_vasterbotten, make_member, superuser) -> Scene:
    editor = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    strategy, draft = _strategy(editor, region_vasterbotten)
    frozen = strategy_services.version_freeze(strategy, user=editor, label="Remissversion")
    contributor = make_member(skelleftea, Role.CONTRIBUTOR, username="contributor")
    _initiatives(strategy, draft, skelleftea, contributor, superuser)
    officer = make_member(kiruna, Role.CONSULTATION_OFFICER, username="officer")
    round_ = _compilation(frozen, editor, kiruna, officer)
    indicator = _indicators(region_vasterbotten)
    commodity = _commodities()
    _sites(superuser)
    return Scene(strategy, frozen, round_, indicator, commodity)


# --- The rows: each export endpoint, its downloads, and the texts each must carry -------------


@dataclass(frozen=True)
class Export:
    url: Callable[[Scene], str]
    parameter: str = "export"
    # Further CSV downloads of the same endpoint (e.g. ?export=opensdg).
    more_csv: tuple[str, ...] = ()
    # Whether SIGNED_NUMBER is among its texts.
    signed_number: bool = False
    # The formulas the scene puts at the start of its texts.
    formulas: tuple[str, ...] = FORMULAS


EXPORTS = {
    "implementation:rollup": Export(
        lambda s: reverse("implementation:rollup", args=[s.strategy.slug])
    ),
    "implementation:initiative_list": Export(
        lambda s: reverse("implementation:initiative_list", args=[s.strategy.slug])
    ),
    "indicators:list": Export(lambda s: reverse("indicators:list"), signed_number=True),
    "indicators:detail": Export(
        lambda s: s.indicator.get_absolute_url(), more_csv=("opensdg",), signed_number=True
    ),
    "indicators:commodity_list": Export(lambda s: reverse("indicators:commodity_list")),
    "indicators:commodity": Export(
        lambda s: reverse("indicators:commodity", args=[s.commodity.code]), formulas=FORMULAS[:2]
    ),
    "cluster:sites": Export(lambda s: reverse("cluster:sites")),
    "cluster:network": Export(lambda s: reverse("cluster:network")),
    "consultation:compilation": Export(
        lambda s: reverse("consultation:compilation", args=[s.round.pk]), parameter="format"
    ),
    "strategy:traceability": Export(
        lambda s: reverse("strategy:traceability", args=[s.strategy.slug]), parameter="format"
    ),
}


def test_every_export_endpoint_has_a_row():
    found = export_endpoints()
    assert found == EXPORTS.keys(), (
        f"without a row: {sorted(found - EXPORTS.keys())}; "
        f"rows for no endpoint: {sorted(EXPORTS.keys() - found)}"
    )


# --- The checks ------------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _lines(text: str) -> str:
    """XML turns a carriage return into a line feed; compare the texts as XML keeps them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def assert_texts_only(texts: list[str], export: Export, *, keeps_cr: bool = True) -> None:
    """No text begins like a formula unless it is a number; every formula seeded for the export
    begins a text, after the apostrophe that makes it one; the signed number is as it went in."""
    running = [t for t in texts if t.startswith(PREFIXES) and not _is_number(t)]
    assert not running, f"texts a spreadsheet would run: {running}"
    shown = [t[1:] if keeps_cr else _lines(t[1:]) for t in texts if t.startswith("'")]
    # A text that a service stripped of its leading tab or carriage return is a formula still.
    missing = [
        formula
        for formula in export.formulas
        if not any(
            text.startswith((formula if keeps_cr else _lines(formula), formula.strip()))
            for text in shown
        )
    ]
    assert not missing, f"not in the download as text: {missing}"
    if export.signed_number:
        assert SIGNED_NUMBER in texts


def _download(client, scene: Scene, export: Export, file_format: str):
    response = client.get(export.url(scene), {export.parameter: file_format})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


@pytest.fixture
def signed_in(client, superuser):
    client.force_login(superuser)
    return client


def check_csv(content: bytes, export: Export) -> None:
    text = content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert_texts_only(cells, export)


def check_xlsx(content: bytes, export: Export) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for sheet in [n for n in archive.namelist() if n.startswith("xl/worksheets/")]:
            xml = archive.read(sheet).decode()
            assert "<f>" not in xml and "<f " not in xml, f"a formula in {sheet}"
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
    assert_texts_only(texts, export, keeps_cr=False)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_download_has_a_formula(signed_in, scene, name):
    """Each of the endpoint's downloads: CSV (and its other CSV forms), then XLSX."""
    export = EXPORTS[name]
    for file_format in ("csv", *export.more_csv):
        check_csv(_download(signed_in, scene, export, file_format), export)
    check_xlsx(_download(signed_in, scene, export, "xlsx"), export)


# --- The layer itself ------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_becomes_text(text):
    assert exports.spreadsheet_safe(text) == f"'{text}"


@pytest.mark.parametrize("text", ["-1930", "-4", "+5,5", "-1930-1940", "1930-", "Kiruna", ""])
def test_numbers_ranges_and_plain_texts_stay_as_they_are(text):
    assert exports.spreadsheet_safe(text) == text


def test_a_cell_the_rule_lets_through_is_still_text_in_xlsx():
    """A signed number is not escaped; in XLSX it is a string all the same, never a number or a
    formula (the data type is "s")."""
    response = exports.xlsx_response("t", ["-1930"], [["-1930", -4, Decimal("1.5")]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows())
    assert (header[0].value, header[0].data_type) == ("-1930", "s")
    assert [(c.value, c.data_type) for c in row] == [("-1930", "s"), (-4, "n"), (1.5, "n")]


def test_a_text_like_an_error_code_is_text_in_xlsx():
    """openpyxl makes "#N/A" an error cell and "=…" a formula unless told the cell is a string."""
    response = exports.xlsx_response("t", ["#N/A"], [["#DIV/0!"]])
    cells = [cell for row in load_workbook(io.BytesIO(response.content)).active for cell in row]
    assert [(c.value, c.data_type) for c in cells] == [("#N/A", "s"), ("#DIV/0!", "s")]


def test_columns_read_attributes_and_functions():
    @dataclass
    class Thing:
        title: str
        day: datetime.date

    header, rows = exports.table_of(
        [exports.Column("title", "title"), exports.Column("year", lambda t: t.day.year)],
        [Thing("=1+1", datetime.date(2025, 5, 1))],
    )
    assert header == ["title", "year"]
    assert list(rows) == [["=1+1", 2025]]
