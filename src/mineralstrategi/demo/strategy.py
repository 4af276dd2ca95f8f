"""The demo strategy: a regional strategy for the mineral sector of Norrbotten and Västerbotten.

All text is invented for the demonstration (written for this platform, quoting no real document)
and flagged as example text. Version 1 is the consultation draft; after its consultation was closed
and compiled, version 2 was adopted by decision; version 3, an addition, is on a second consultation
(see `consultation.py`).
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from mineralstrategi.organisations.models import County, Organisation
from mineralstrategi.strategy.models import (
    FrameworkItem,
    Section,
    Strategy,
    StrategyStatus,
    StrategyVersion,
)
from mineralstrategi.strategy.services import (
    AdoptionInput,
    frameworks_load,
    section_create,
    section_delete,
    section_link_add,
    section_move,
    section_update,
    strategy_create,
    strategy_status_set,
    version_adopt,
    version_freeze,
)

from . import timeline
from .timeline import day, happened, moment

SLUG = "mineralstrategi-norrbotten-vasterbotten"
KEY_NAMESPACE = uuid.UUID("6f1c0b52-3a1e-4c55-9a53-2f1d8b0f7a10")
PARTNERS = [
    "lansstyrelsen-norrbotten",
    "lansstyrelsen-vasterbotten",
    "region-vasterbotten",
    "norrbottens-lans-landsting",
    "lulea-tekniska-universitet",
    "umea-universitet",
]


@dataclass
class S:
    """One section of the demo text: a stable name (its key), kind, dimension, title, body,
    framework links ("framework:code") and subsections."""

    name: str
    kind: str
    title: str
    body: str = ""
    dimension: str = ""
    links: list[str] = field(default_factory=list)
    children: list["S"] = field(default_factory=list)


def key_of(name: str) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, name)


CONSULTATION_DRAFT = [
    S(
        "bakgrund",
        "text",
        "Bakgrund",
        """\
Norrbotten och Västerbotten står för större delen av Sveriges produktion av järnmalm och basmetaller.
Gruvorna, förädlingen och leverantörerna ger arbete och skatteintäkter i hela regionen, men
näringen svänger med världsmarknadens metallpriser och påverkar mark, vatten, renskötsel och
samhällen under lång tid.

Strategin är framtagen i samverkan mellan länsstyrelserna, regionerna och universiteten i de två
länen. Den beskriver vart vi vill, vilka mål som gäller och vilka insatser parterna gör
tillsammans.""",
    ),
    S(
        "vision",
        "vision",
        "Vision 2030",
        """\
År 2030 är Norrbotten och Västerbotten världsledande i **hållbar och innovativ** utvinning och
förädling av mineral. Näringen bidrar till attraktiva samhällen, lever sida vid sida med
rennäringen och andra näringar och drar nytta av forskning i världsklass.""",
        links=["sdg:9", "sdg:12", "mineralstrategi-2013:MS1"],
    ),
    S(
        "attraktiva",
        "direction",
        "Attraktiva och hållbara gruvregioner",
        """\
Gruvorterna ska vara platser där människor vill bo och stanna, också när konjunkturen vänder.""",
        "social",
        ["rus-norrbotten:N2", "rus-vasterbotten:V2", "mineralstrategi-2013:MS6"],
        [
            S(
                "attraktiva-mal-1",
                "goal",
                "Gruvorternas befolkning och service är stabil genom konjunkturerna",
                """\
Kommunerna har planberedskap, bostäder och service som klarar både snabb tillväxt och nedgång.""",
                "social",
                ["sdg:11.3", "sdg:11.a"],
                [
                    S(
                        "attraktiva-insats-1",
                        "action",
                        "Gemensam planeringsberedskap vid nya gruvetableringar",
                        """\
Länsstyrelserna och kommunerna tar fram en gemensam modell för hur en etablering följs upp med
bostäder, skola, vård och kollektivtrafik, med tydlig ansvarsfördelning mellan parterna.""",
                        "social",
                        ["sdg:11.3", "rt:RT2"],
                    ),
                    S(
                        "attraktiva-insats-2",
                        "action",
                        "Informationskampanj om livet i gruvorterna",
                        """\
En gemensam kampanj som visar upp livet och arbetsmarknaden i regionens gruvorter.""",
                        "social",
                    ),
                ],
            ),
            S(
                "attraktiva-mal-2",
                "goal",
                "Samhällsomvandlingen i Kiruna, Gällivare och Malmberget sker i dialog",
                """\
Flytten av stadskärnor och bostäder planeras öppet och med de boende.""",
                "social",
                ["sdg:11.1", "sdg:16.7"],
            ),
        ],
    ),
    S(
        "innovation",
        "direction",
        "Innovation och forskning",
        """\
Regionens universitet, företag och offentliga aktörer utvecklar tillsammans den teknik som gör
gruvdriften säkrare, mer resurseffektiv och fossilfri.""",
        "innovation",
        ["mineralstrategi-2013:MS5", "rt:RT1", "rus-norrbotten:N1", "rus-vasterbotten:V1"],
        [
            S(
                "innovation-mal-1",
                "goal",
                "Fler forskningsresultat kommer till användning i näringen",
                """\
Samarbetet mellan Luleå tekniska universitet, Umeå universitet och företagen ger fler
tillämpade projekt och fler nya företag.""",
                "innovation",
                ["sdg:9.5", "sdg:8.2"],
                [
                    S(
                        "innovation-insats-1",
                        "action",
                        "Gemensam innovationsarena för mineralnäringen",
                        """\
En arena där företag, leverantörer och forskare möts kring konkreta behov och testar nya lösningar.""",
                        "innovation",
                        ["sdg:9.5", "sdg:17.17"],
                    ),
                ],
            ),
            S(
                "innovation-mal-2",
                "goal",
                "Mer metall återvinns ur gruvavfall och restprodukter",
                """\
Nya metoder gör det möjligt att utvinna värde ur sand, slagg och äldre gråberg.""",
                "environmental",
                ["sdg:12.2", "sdg:12.5"],
            ),
        ],
    ),
    S(
        "kompetens",
        "direction",
        "Kompetens- och arbetskraftsförsörjning",
        """\
Näringen och regionen behöver fler med rätt utbildning, och fler kvinnor och unga i branschen.""",
        "social",
        ["rt:RT3", "rus-norrbotten:N3", "rus-vasterbotten:V3"],
        [
            S(
                "kompetens-mal-1",
                "goal",
                "Utbildningarna motsvarar näringens behov",
                """\
Gymnasieskolor, yrkeshögskolor och universitet erbjuder utbildningar som leder till arbete i
mineralnäringen och dess leverantörsled.""",
                "social",
                ["sdg:4.4", "sdg:4.3"],
                [
                    S(
                        "kompetens-insats-1",
                        "action",
                        "Regionalt kompetensråd för mineralnäringen",
                        """\
Ett råd med företag, utbildningsanordnare och arbetsförmedling som varje år bedömer behoven.""",
                        "social",
                        ["sdg:4.4"],
                    ),
                ],
            ),
            S(
                "kompetens-mal-2",
                "goal",
                "Fler kvinnor arbetar i mineralnäringen",
                """\
Andelen kvinnor bland de anställda ökar varje år under strategiperioden.""",
                "social",
                ["sdg:5.5", "sdg:8.5"],
            ),
        ],
    ),
    S(
        "infrastruktur",
        "direction",
        "Infrastruktur och energi",
        """\
Malmtransporter, persontrafik och elförsörjning ska klara en växande och fossilfri produktion.""",
        "economic",
        ["mineralstrategi-2013:MS4", "rus-norrbotten:N4", "rus-vasterbotten:V4"],
        [
            S(
                "infrastruktur-mal-1",
                "goal",
                "Järnvägen och vägarna har kapacitet för malm och människor",
                """\
Malmbanan och stambanan har den kapacitet som näringen och persontrafiken behöver.""",
                "economic",
                ["sdg:9.1"],
                [
                    S(
                        "infrastruktur-insats-1",
                        "action",
                        "Gemensamt underlag för den nationella transportplanen",
                        """\
Parterna tar fram ett gemensamt underlag om behoven av investeringar i järnväg och väg.""",
                        "economic",
                        ["sdg:9.1", "rt:RT2"],
                    ),
                ],
            ),
            S(
                "infrastruktur-mal-2",
                "goal",
                "Elförsörjningen räcker för en fossilfri förädling",
                """\
Nätkapaciteten och produktionen av förnybar el byggs ut i takt med näringens omställning.""",
                "environmental",
                ["sdg:7.2", "sdg:7.3"],
            ),
        ],
    ),
    S(
        "miljo",
        "direction",
        "Miljö och samexistens med rennäringen",
        """\
Utvinningen ska ske med så liten påverkan som möjligt på mark, vatten och biologisk mångfald, och
i samråd med samebyarna.""",
        "environmental",
        ["mineralstrategi-2013:MS1", "mineralstrategi-2013:MS2", "rus-norrbotten:N5"],
        [
            S(
                "miljo-mal-1",
                "goal",
                "Samråd med samebyar sker tidigt och på lika villkor",
                """\
Samebyarna deltar från första skedet i planer som berör deras marker och renbetesområden.""",
                "social",
                ["sdg:16.7", "sdg:10.2"],
                [
                    S(
                        "miljo-insats-1",
                        "action",
                        "Vägledning för tidiga samråd",
                        """\
Länsstyrelserna tar, tillsammans med samebyar och företag, fram en vägledning för hur samråd
genomförs och dokumenteras.""",
                        "social",
                        ["sdg:16.7"],
                    ),
                ],
            ),
            S(
                "miljo-mal-2",
                "goal",
                "Utsläppen till vatten minskar och efterbehandlingen förbättras",
                """\
Verksamheterna minskar sina utsläpp av metaller till vatten, och nedlagda gruvor efterbehandlas.""",
                "environmental",
                ["sdg:6.3", "sdg:15.1"],
            ),
        ],
    ),
    S(
        "genomforande",
        "text",
        "Genomförande",
        """\
Partnerskapet ansvarar för strategin. En styrgrupp med en företrädare för varje part träffas
två gånger om året, och en årlig handlingsplan anger vem som gör vad.""",
    ),
    S(
        "uppfoljning",
        "text",
        "Uppföljning",
        """\
Strategin följs upp varje år med indikatorer för ekonomi, miljö, sociala förhållanden och
innovation. Eftersom näringen följer metallpriserna läses indikatorerna mot konjunkturen.""",
    ),
]


def _item(reference: str, cache: dict[str, FrameworkItem]) -> FrameworkItem:
    framework, code = reference.split(":", 1)
    framework = {"rt": "regional-tillvaxt"}.get(framework, framework)
    return cache[f"{framework}:{code}"]


def _create_tree(version, user, sections: list[S], items, parent=None) -> int:
    created = 0
    for position, spec in enumerate(sections):
        section = section_create(
            version=version,
            user=user,
            kind=spec.kind,
            title=spec.title,
            body_markdown=spec.body,
            dimension=spec.dimension,
            parent=parent,
            position=position,
            is_example=True,
            key=key_of(spec.name),
        )
        for reference in spec.links:
            section_link_add(section, user=user, item_id=_item(reference, items).pk)
        created += 1 + _create_tree(version, user, spec.children, items, section)
    return created


def _section(version, name: str) -> Section:
    return Section.objects.select_related("version__strategy").get(
        version=version, key=key_of(name)
    )


def _edit(version, user, name: str, *, title: str | None = None, body: str | None = None):
    section = _section(version, name)
    section_update(
        section,
        user=user,
        expected_revision=section.revision,
        title=title or section.title,
        body_markdown=section.body_markdown if body is None else body,
    )


def _revise_after_consultation(version, editor, items) -> None:
    """The changes between the consultation draft and the adopted version (invented)."""
    _edit(
        version,
        editor,
        "vision",
        body="""\
År 2030 är Norrbotten och Västerbotten världsledande i **hållbar, fossilfri och innovativ**
utvinning och förädling av mineral. Näringen bidrar till attraktiva samhällen, lever sida vid sida
med rennäringen och andra näringar och drar nytta av forskning och utbildning i världsklass.""",
    )
    _edit(version, editor, "infrastruktur", title="Infrastruktur, energi och digital uppkoppling")
    women = "Andelen kvinnor bland de anställda i näringen är minst 30 procent år 2030."
    if _section(version, "kompetens-mal-2").body_markdown != women:  # unless the proposal did it
        _edit(version, editor, "kompetens-mal-2", body=women)
    section_delete(_section(version, "attraktiva-insats-2"), user=editor)
    goal = _section(version, "innovation-mal-2")
    section = section_create(
        version=version,
        user=editor,
        kind="action",
        title="Testbädd för fossilfri gruvdrift och återvinning av restprodukter",
        body_markdown="""\
En testbädd där företag och forskare prövar elektrifierade maskiner och nya metoder för att
ta tillvara metaller i restprodukter, i full skala.""",
        dimension="innovation",
        parent=goal,
        is_example=True,
        key=key_of("innovation-insats-2"),
    )
    for reference in ("sdg:9.4", "sdg:12.2"):
        section_link_add(section, user=editor, item_id=_item(reference, items).pk)
    # The goal on energy belongs with the environment in the adopted version.
    section_move(
        _section(version, "infrastruktur-mal-2"),
        user=editor,
        parent=_section(version, "miljo"),
        position=2,
    )
    section_link_add(
        _section(version, "miljo-mal-2"), user=editor, item_id=_item("sdg:13.2", items).pk
    )


@transaction.atomic
def strategy_demo_load() -> dict[str, int]:
    """Create the demo strategy with its consultation draft, version 1. Idempotent: if the
    strategy exists, nothing is changed. Needs the demo organisations and users (see
    `loader.demo_load`); the consultation, the revision and the adoption follow in
    `consultation.consultation_demo_load`."""
    created: dict[str, int] = {}
    frameworks = frameworks_load()
    if frameworks.changed:
        created["framework items"] = frameworks.items_created
    if Strategy.objects.filter(slug=SLUG).exists():
        return created

    users = get_user_model().objects
    author = users.get(username="strateg")
    with happened(moment(timeline.DRAFTED)):
        strategy = strategy_create(
            title="Regional strategi för en hållbar och innovativ mineralnäring i Norrbotten och Västerbotten",
            slug=SLUG,
            start_year=2014,
            end_year=2030,
            summary=(
                "Exempeltext: en strategi skriven för att visa plattformen, med vision, inriktningar, "
                "mål och insatser kopplade till nationella, regionala och globala ramverk."
            ),
            partnership=Organisation.objects.filter(slug__in=PARTNERS),
            counties=County.objects.filter(code__in=["25", "24"]),
            is_example=True,
        )
        draft = StrategyVersion.objects.get(strategy=strategy, number__isnull=True)
        created["sections"] = _create_tree(draft, author, CONSULTATION_DRAFT, _items())
    with happened(moment(timeline.VERSION_1_FROZEN, 14)):
        version_freeze(strategy, user=author, label="Remissversion")
    created["strategy versions"] = 1
    return created


def _items() -> dict[str, FrameworkItem]:
    return {
        f"{item.framework.code}:{item.code}": item
        for item in FrameworkItem.objects.select_related("framework")
    }


def strategy_demo_adopt(strategy: Strategy, *, consultation: str) -> StrategyVersion:
    """After the consultation on version 1 is compiled: the partnership's other changes go into
    the draft, the draft is frozen as version 2 and Regionfullmäktige adopts it (an invented
    decision, marked as example data)."""
    editor = get_user_model().objects.get(username="redaktor")
    draft = StrategyVersion.objects.get(strategy=strategy, number__isnull=True)
    with happened(moment(timeline.REVISED)):
        _revise_after_consultation(draft, editor, _items())
    with happened(moment(timeline.VERSION_2_FROZEN, 14)):
        proposal = version_freeze(strategy, user=editor, label="Förslag till beslut")
    proposal.refresh_from_db()  # frozen on its day: the decision is checked against it
    with happened(moment(timeline.ADOPTED, 16)):
        version_adopt(
            proposal,
            user=editor,
            decision=AdoptionInput(
                body="Regionfullmäktige",
                organisation=Organisation.objects.get(slug="region-vasterbotten"),
                decided_on=day(timeline.ADOPTED),
                reference="RF § 87, RUN 2014/0412",
                note=(
                    "Exempeltext: Länsstyrelserna i Norrbottens och Västerbottens län och "
                    "Norrbottens läns landsting har ställt sig bakom strategin genom egna beslut."
                ),
                is_example=True,
            ),
        )
    return proposal


def strategy_demo_revision(strategy: Strategy) -> StrategyVersion:
    """After the adoption: an addition on the after-treatment of closed mines, frozen as version
    3 for a second, smaller consultation; the strategy is under revision."""
    editor = get_user_model().objects.get(username="redaktor")
    draft = StrategyVersion.objects.get(strategy=strategy, number__isnull=True)
    with happened(moment(timeline.ADDITION_DRAFTED)):
        section = section_create(
            version=draft,
            user=editor,
            kind="action",
            title="Gemensam plan för efterbehandling av nedlagda gruvor",
            body_markdown="""Länsstyrelserna, kommunerna och företagen tar fram en plan för vilka nedlagda gruvor som
efterbehandlas först och hur arbetet finansieras.""",
            dimension="environmental",
            parent=_section(draft, "miljo-mal-2"),
            is_example=True,
            key=key_of("miljo-insats-2"),
        )
        section_link_add(section, user=editor, item_id=_item("sdg:6.3", _items()).pk)
    with happened(moment(timeline.VERSION_3_FROZEN, 14)):
        revision = version_freeze(
            strategy, user=editor, label="Remissversion: tillägg om efterbehandling"
        )
        strategy_status_set(strategy, user=editor, status=StrategyStatus.REVISION)
    revision.refresh_from_db()
    return revision
