"""Generated strategies: a section tree (background, vision, directions, goals, actions) written
into the working draft with its history, then frozen version by version through the real
services, with a few sections edited between versions so that versions differ, and the last one
adopted. Every text is marked as example text."""

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from mineralstrategi.organisations.models import County
from mineralstrategi.strategy.models import Dimension, Section, SectionKind
from mineralstrategi.strategy.services import (
    AdoptionInput,
    section_update,
    strategy_create,
    strategy_draft,
    version_adopt,
    version_freeze,
)

from .context import Context
from .people import PREFIX, editor_memberships, partnership

DIRECTIONS = [
    "Hållbar utvinning och förädling",
    "Innovation och teknikutveckling",
    "Kompetensförsörjning",
    "Attraktiva och växande samhällen",
    "Cirkulär användning av metaller och mineral",
    "Samexistens med rennäringen och friluftslivet",
    "Infrastruktur, energi och transporter",
    "Vatten, natur och klimat",
]
GOALS = [
    "Fler företag i leverantörsledet",
    "Minskade utsläpp från gruvor och förädling",
    "Fler kvinnor i gruvnäringen",
    "Tidig och öppen dialog om markanvändning",
    "Fler forskningsprojekt i testbäddar",
    "Fler examinerade inom mineralteknik",
    "Mer återanvänt gruvavfall",
    "Bostäder i takt med nya arbetstillfällen",
]
ACTIONS = [
    "Kartlägg behoven",
    "Starta ett samverkansprogram",
    "Inrätta en gemensam kunskapsbank",
    "Genomför pilotprojekt",
    "Utveckla en regional handlingsplan",
    "Följ upp årligen med indikatorer",
]
SENTENCES = [
    "Mineralnäringen svänger med världsmarknadens priser, och strategin ska hålla genom hela cykeln.",
    "Arbetet sker i samverkan mellan kommuner, regioner, lärosäten, företag och samebyar.",
    "Insatserna ska bidra till både ekonomisk tillväxt och minskad miljöpåverkan.",
    "Kunskapen om geologi, teknik och samhällsplanering behöver spridas i hela regionen.",
    "Uppföljningen görs med indikatorer som läses mot metallpriscykeln.",
    "Tidig dialog med berörda minskar konflikterna om mark och vatten.",
    "Nya arbetstillfällen kräver bostäder, service och kommunikationer.",
    "Testbäddar och demonstrationsanläggningar gör forskningsresultat användbara.",
]


def body(rng, sentences: int = 4) -> str:
    return "Exempeltext (genererad): " + " ".join(rng.choices(SENTENCES, k=sentences))


def strategies(ctx: Context) -> None:
    counties = list(County.objects.order_by("code"))
    if ctx.scale.counties is not None:
        counties = [c for c in counties if c.code in ctx.scale.counties]
    for number in range(1, ctx.scale.strategies + 1):
        partners = partnership(ctx, number)
        editor = ctx.editors[number - 1]
        editor_memberships(ctx, editor, partners)
        strategy = strategy_create(
            title=f"Exempelstrategi {number} för mineralnäringen (genererad)",
            slug=f"{PREFIX}strategi-{number}",
            start_year=2020,
            end_year=2030,
            partnership=partners,
            counties=counties,
            summary=body(ctx.rng(f"strategy-{number}"), 2),
            is_example=True,
        )
        sections = _draft_tree(ctx, strategy, editor, number)
        _freeze_versions(ctx, strategy, editor, number)
        ctx.strategies.append(type(strategy).objects.get(pk=strategy.pk))
        ctx.done("draft sections", sections)
    ctx.counts["strategies"] = ctx.scale.strategies
    ctx.counts["frozen versions"] = ctx.scale.strategies * ctx.scale.versions
    ctx.counts["frozen sections"] = ctx.counts["draft sections"] * ctx.scale.versions


def _draft_tree(ctx: Context, strategy, editor, number: int) -> int:
    """Write the draft's sections level by level (a child needs its parent's id)."""
    rng = ctx.rng(f"sections-{number}")
    draft = strategy_draft(strategy)
    scale = ctx.scale
    dimensions = Dimension.values

    def section(kind, title, parent=None, position=0, dimension=""):
        return Section(
            version=draft, key=ctx.key(rng), parent=parent, kind=kind, dimension=dimension,
            title=title, body_markdown=body(rng), position=position, is_example=True,
            updated_by=editor,
        )  # fmt: skip

    top = [
        section(SectionKind.TEXT, "Bakgrund", position=0),
        section(
            SectionKind.VISION, "Vision: en hållbar och konkurrenskraftig mineralnäring", position=1
        ),
    ]
    top += [
        section(
            SectionKind.DIRECTION,
            f"Inriktning {d}: {DIRECTIONS[(d - 1 + number) % len(DIRECTIONS)]}",
            position=d + 1,
            dimension=dimensions[(d - 1) % len(dimensions)],
        )
        for d in range(1, scale.directions + 1)
    ]
    directions = bulk_create_with_history(top, Section, default_user=editor)[2:]
    goals = bulk_create_with_history(
        [
            section(
                SectionKind.GOAL,
                f"Mål {d}.{g}: {rng.choice(GOALS)}",
                direction,
                g,
                direction.dimension,
            )
            for d, direction in enumerate(directions, start=1)
            for g in range(1, scale.goals_per_direction + 1)
        ],
        Section,
        default_user=editor,
    )
    actions = [
        section(SectionKind.ACTION, f"Insats {goal.title.split(':')[0][4:]}.{a}: "
                f"{rng.choice(ACTIONS)}", goal, a, goal.dimension)
        for goal in goals
        for a in range(1, scale.actions_per_goal + 1)
    ]  # fmt: skip
    bulk_create_with_history(actions, Section, default_user=editor, batch_size=500)
    return len(top) + len(goals) + len(actions)


def _freeze_versions(ctx: Context, strategy, editor, number: int) -> None:
    rng = ctx.rng(f"versions-{number}")
    for version in range(1, ctx.scale.versions + 1):
        if version > 1:
            _edit_some_sections(strategy, editor, rng, version)
        label = "Remissversion" if version == 1 else f"Omarbetad version {version}"
        if version == ctx.scale.versions:
            label = "Förslag till beslut"
        frozen = version_freeze(strategy, user=editor, label=label)
    version_adopt(
        frozen,
        user=editor,
        decision=AdoptionInput(
            body="Regionfullmäktige",
            decided_on=timezone.localdate(),
            reference=f"RF § {number + 1}",
            without_consultation_reason=(
                "Exempeltext: en genererad strategi; dess remisser läggs in efter antagandet."
            ),
            is_example=True,
        ),
    )


def _edit_some_sections(strategy, editor, rng, version: int) -> None:
    draft = strategy_draft(strategy)
    sections = list(draft.sections.exclude(kind=SectionKind.TEXT).order_by("position", "pk"))
    for section in rng.sample(sections, min(3, len(sections))):
        section_update(
            section,
            user=editor,
            expected_revision=section.revision,
            title=section.title,
            body_markdown=f"{body(rng)} (Ändrad inför version {version}.)",
        )
