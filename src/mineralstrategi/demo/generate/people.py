"""Generated organisations, the users who act for them, and their memberships.

Organisation names are plainly invented ("Exempelbolaget 123 AB"); every generated slug and user
name starts with `gen-`. The users have unusable passwords: they own pages and answers but cannot
sign in (an administrator can give one a password with `mineralstrategi manage changepassword`).
"""

from django.contrib.auth import get_user_model
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from mineralstrategi.organisations.models import (
    DEFAULT_HELIX_ROLE,
    County,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
)
from mineralstrategi.organisations.services import geography_load

from .context import EXAMPLE_NOTE, Context

PREFIX = "gen-"
KINDS = [  # kind, name pattern, weight
    (OrganisationKind.COMPANY, "Exempelbolaget {n} AB", 60),
    (OrganisationKind.INTEREST_ORGANISATION, "Exempelföreningen {n}", 10),
    (OrganisationKind.UNIVERSITY, "Exempeluniversitetet {n}", 4),
    (OrganisationKind.AGENCY, "Exempelmyndigheten {n}", 6),
    (OrganisationKind.REGION, "Exempelregionen {n}", 6),
    (OrganisationKind.SAMI_VILLAGE, "Exempelsameby {n}", 8),
    (OrganisationKind.OTHER, "Exempelnätverket {n}", 6),
]


def geography_and_organisations(ctx: Context) -> None:
    geography_load()
    municipalities = Municipality.objects.select_related("county").order_by("code")
    if ctx.scale.counties is not None:
        municipalities = municipalities.filter(county__code__in=ctx.scale.counties)
    ctx.municipalities = list(municipalities)
    by_municipality = {
        o.municipality_id: o
        for o in Organisation.objects.filter(municipality__in=ctx.municipalities)
    }
    ctx.municipal_organisations = [by_municipality[m.pk] for m in ctx.municipalities]
    ctx.organisations = _organisations(ctx)
    ctx.done("organisations (generated)", len(ctx.organisations))
    _users_and_memberships(ctx)


def _organisations(ctx: Context) -> list[Organisation]:
    rng = ctx.rng("organisations")
    counties = list(County.objects.order_by("code"))
    if ctx.scale.counties is not None:
        counties = [c for c in counties if c.code in ctx.scale.counties]
    kinds, patterns, weights = zip(*KINDS, strict=True)
    organisations = []
    for n in range(1, ctx.scale.organisations + 1):
        index = rng.choices(range(len(kinds)), weights=weights)[0]
        name = patterns[index].format(n=n)
        organisations.append(
            Organisation(
                name=name,
                slug=f"{PREFIX}{slugify(name)}",
                kind=kinds[index],
                helix_role=DEFAULT_HELIX_ROLE[kinds[index]],
                county=rng.choice(counties),
                description=f"{EXAMPLE_NOTE} En påhittad organisation.",
            )
        )
    return bulk_create_with_history(organisations, Organisation, batch_size=500)


def _unusable_password(rng) -> str:
    return f"!generated-{rng.getrandbits(64):016x}"  # "!" marks it unusable, as Django does


def _users_and_memberships(ctx: Context) -> None:
    rng = ctx.rng("users")
    user_model = get_user_model()
    wanted: list[tuple[str, str, Organisation | None, str]] = []  # username, name, org, role
    for organisation in ctx.organisations:
        number = organisation.name.split()[1]
        wanted.append((f"{PREFIX}medlem-{number}", "Exempelmedlem", organisation, Role.CONTRIBUTOR))
    for municipality, organisation in zip(
        ctx.municipalities, ctx.municipal_organisations, strict=True
    ):
        wanted.append(
            (f"{PREFIX}remiss-{municipality.code}", "Exempelhandläggare", organisation,
             Role.CONSULTATION_OFFICER)
        )  # fmt: skip
    for n in range(1, ctx.scale.strategies + 1):
        wanted.append((f"{PREFIX}strateg-{n}", "Exempelstrateg", None, Role.STRATEGY_EDITOR))
    wanted.append((f"{PREFIX}moderator", "Exempelmoderator", None, ""))
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=username,
                first_name=first_name,
                last_name=username.removeprefix(PREFIX),
                email=f"{username}@exempel.example",
                password=_unusable_password(rng),
            )
            for username, first_name, _, _ in wanted
        ],
        batch_size=500,
    )
    memberships = [
        Membership(user=user, organisation=organisation, role=role, title="Exempelroll")
        for user, (_, _, organisation, role) in zip(users, wanted, strict=True)
        if organisation is not None
    ]
    bulk_create_with_history(memberships, Membership, batch_size=500)
    ctx.member_of = {m.organisation_id: m.user for m in memberships}
    ctx.editors = [u for u in users if u.username.startswith(f"{PREFIX}strateg-")]
    ctx.moderator = users[-1]
    ctx.done("users", len(users))
    ctx.done("memberships", len(memberships))


def partnership(ctx: Context, number: int) -> list[Organisation]:
    """The organisations that own strategy `number`: public bodies and universities first."""
    rng = ctx.rng(f"partnership-{number}")
    public = [
        o
        for o in ctx.organisations
        if o.kind in {OrganisationKind.REGION, OrganisationKind.UNIVERSITY, OrganisationKind.AGENCY}
    ]
    pool = public if len(public) >= 3 else ctx.organisations
    return rng.sample(pool, min(4, len(pool)))


def editor_memberships(ctx: Context, editor, organisations) -> None:
    bulk_create_with_history(
        [
            Membership(user=editor, organisation=o, role=Role.STRATEGY_EDITOR, title="Exempelroll")
            for o in organisations
        ],
        Membership,
    )
    ctx.counts["memberships"] = ctx.counts.get("memberships", 0) + len(organisations)
