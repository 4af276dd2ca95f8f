"""Demo implementation: example initiatives against the demo strategy, yearly action plans, and the
real mines, plants and test beds of Norrbotten and Västerbotten (status 2014).

The initiatives are invented (titles, budgets, progress) and flagged as example data; their
organisations and places are real. The sites are real, their positions approximate (see
`cluster/data/ATTRIBUTION.md`). Idempotent: nothing is created twice.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from mineralstrategi.cluster.models import Site
from mineralstrategi.cluster.services import SiteInput, site_save
from mineralstrategi.implementation.models import Initiative, InitiativeStatus
from mineralstrategi.implementation.services import (
    FundingRow,
    InitiativeInput,
    MilestoneRow,
    action_plan_create,
    initiative_approve,
    initiative_create,
    initiative_return,
    progress_update_add,
    settings_for,
)
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.strategy.models import Strategy

from .strategy import SLUG, key_of

SITES_FILE = Path(__file__).resolve().parent.parent / "cluster" / "data" / "sites.csv"
REFERENCE_DATE = datetime.date(2026, 6, 30)  # "today" for the example statuses and progress

# (sections served, title, lead, partners, municipality codes, partners wanted)
INITIATIVES = [
    # Attraktiva platser och samhällsomvandling
    (["attraktiva-insats-1"], "Samhällsomvandlingen i Kiruna – dialogforum med invånarna", "2584", ["lkab", "lansstyrelsen-norrbotten"], ["2584"], ""),
    (["attraktiva-insats-1"], "Nya Malmberget – planering av bostäder i Gällivare", "2523", ["lkab"], ["2523"], "Byggföretag och arkitekter med erfarenhet av flytt av bebyggelse."),
    (["attraktiva-mal-1"], "Inflyttarservice i gruvkommunerna", "2523", ["2584", "2521"], ["2523", "2584", "2521"], ""),
    (["attraktiva-mal-1"], "Attraktiva boendemiljöer i Pajala", "2521", ["northland-resources"], ["2521"], "Fastighetsägare som vill bygga hyresrätter."),
    (["attraktiva-mal-2"], "Kultur och fritid i växande gruvorter", "norrbottens-lans-landsting", ["2584", "2523"], ["2584", "2523"], ""),
    (["attraktiva-mal-2"], "Renskötsel och gruvdrift – gemensam planering", "gabna-sameby", ["lkab", "lansstyrelsen-norrbotten"], ["2584"], "Fler samebyar och forskare i samhällsplanering."),
    (["attraktiva"], "Lokala leverantörer i Skelleftefältet", "2482", ["boliden-mineral", "georange"], ["2482"], ""),
    (["attraktiva-mal-1"], "Service i glesbygd nära gruvorna i Storuman", "2421", ["dragon-mining-sweden"], ["2421"], ""),
    (["attraktiva-insats-1"], "Stadsflytten i Kiruna – kulturmiljöer som flyttas", "lansstyrelsen-norrbotten", ["2584", "lkab"], ["2584"], ""),
    (["attraktiva-mal-2"], "Samiska perspektiv i gruvkommunernas översiktsplaner", "svenska-samernas-riksforbund", ["mala-sameby", "laevas-sameby"], ["2584", "2418"], "Kommuner som vill pröva arbetssättet."),
    # Innovation
    (["innovation-insats-1"], "Elektrifierade gruvtruckar i full skala", "boliden-mineral", ["lulea-tekniska-universitet"], ["2523"], ""),
    (["innovation-insats-1"], "Fossilfri pelletsproduktion – förstudie", "lkab", ["lulea-tekniska-universitet"], ["2584", "2580"], ""),
    (["innovation-insats-2"], "Testbädd för återvinning av metaller ur restprodukter", "lulea-tekniska-universitet", ["boliden-mineral", "ltu-business"], ["2580", "2482"], "Företag med restprodukter att pröva i testbädden."),
    (["innovation-insats-2"], "Gråbergsdeponier som resurs", "umea-universitet", ["bjorkdalsgruvan", "dragon-mining-sweden"], ["2482", "2421"], ""),
    (["innovation-mal-1"], "Innovationsslussen för gruvleverantörer", "ltu-business", ["georange", "lulea-tekniska-universitet"], ["2580", "2482"], "Små leverantörsföretag med en idé."),
    (["innovation-mal-1"], "Digital tvilling av underjordsgruvan", "lulea-tekniska-universitet", ["lkab"], ["2584"], ""),
    (["innovation-mal-2"], "Energieffektiv anrikning", "boliden-mineral", ["umea-universitet"], ["2482"], ""),
    (["innovation-mal-2"], "Sensorbaserad sortering av malm", "lulea-tekniska-universitet", ["lkab", "boliden-mineral"], ["2584", "2523"], ""),
    (["innovation"], "Prospekteringsdata öppna för alla", "sgu", ["georange"], ["2482", "2418", "2421"], ""),
    (["innovation-mal-1"], "Geofysiska metoder för djupprospektering", "georange", ["sgu", "lulea-tekniska-universitet"], ["2418", "2482"], "Prospekteringsbolag som vill pröva metoderna."),
    (["innovation-insats-1"], "Batterielektriska borriggar", "northland-resources", ["lulea-tekniska-universitet"], ["2521"], ""),
    # Kompetens
    (["kompetens-insats-1"], "Gruvutbildning på gymnasiet i Gällivare och Kiruna", "2523", ["lkab", "2584"], ["2523", "2584"], ""),
    (["kompetens-insats-1"], "Yrkeshögskola för underhållstekniker", "2482", ["boliden-mineral"], ["2482"], "Fler arbetsgivare som tar emot praktikanter."),
    (["kompetens-mal-1"], "Valideringsprogram för nyanlända med gruverfarenhet", "lansstyrelsen-vasterbotten", ["2482", "2480"], ["2482", "2480"], ""),
    (["kompetens-mal-2"], "Fler kvinnor i gruvan – mentorprogram", "svemin", ["lkab", "boliden-mineral"], ["2584", "2523", "2482"], ""),
    (["kompetens-mal-2"], "Jämställda arbetsplatser under jord", "lulea-tekniska-universitet", ["lkab"], ["2584"], ""),
    (["kompetens"], "Forskarskola i mineralteknik", "lulea-tekniska-universitet", ["umea-universitet", "boliden-mineral", "lkab"], ["2580", "2480"], ""),
    (["kompetens-mal-1"], "Sommarjobb i gruvnäringen för unga", "region-vasterbotten", ["boliden-mineral", "bjorkdalsgruvan"], ["2482", "2481"], ""),
    (["kompetens-insats-1"], "Fjärrstyrning av maskiner – utbildning", "ltu-business", ["lkab"], ["2584"], ""),
    (["kompetens-mal-1"], "Kompetensförsörjning i leverantörsledet", "georange", ["region-vasterbotten"], ["2482", "2418"], "Leverantörsföretag som saknar personal."),
    # Infrastruktur
    (["infrastruktur-insats-1"], "Malmbanan – utredning av ökad kapacitet", "lansstyrelsen-norrbotten", ["lkab", "2584"], ["2584", "2523", "2580"], ""),
    (["infrastruktur-insats-1"], "Norrbotniabanan – regional samverkan", "region-vasterbotten", ["2482", "2480", "lansstyrelsen-vasterbotten"], ["2482", "2480"], ""),
    (["infrastruktur-mal-1"], "Väg- och transportplan för Kaunisvaara", "2521", ["northland-resources", "lansstyrelsen-norrbotten"], ["2521"], ""),
    (["infrastruktur-mal-1"], "Hamnen i Luleå – djupare farled", "2580", ["lkab"], ["2580"], ""),
    (["infrastruktur-mal-2"], "Förnybar el till gruvorna i inlandet", "region-vasterbotten", ["2421", "dragon-mining-sweden"], ["2421", "2481"], "Energibolag och nätägare."),
    (["infrastruktur"], "Bredband till gruvorter i inlandet", "norrbottens-lans-landsting", ["2521", "2523"], ["2521", "2523"], ""),
    (["infrastruktur-mal-1"], "Transporter av koncentrat till Rönnskär", "boliden-mineral", ["2482"], ["2482"], ""),
    (["infrastruktur-mal-2"], "Laddinfrastruktur för tunga gruvfordon", "boliden-mineral", ["lulea-tekniska-universitet"], ["2523", "2482"], ""),
    (["infrastruktur-insats-1"], "EU:s transportkorridorer och Malmbanan", "north-sweden-european-office", ["lansstyrelsen-norrbotten"], ["2584", "2580"], ""),
    # Miljö
    (["miljo-insats-1"], "Efterbehandling av Laisvallgruvan – uppföljning", "boliden-mineral", ["lansstyrelsen-norrbotten"], ["2506"], ""),
    (["miljo-insats-1"], "Vattenrening med våtmarker vid gruvor", "umea-universitet", ["boliden-mineral", "lansstyrelsen-vasterbotten"], ["2482", "2481"], ""),
    (["miljo-mal-1"], "Renbete och gruvor – kumulativa effekter", "umea-universitet", ["gabna-sameby", "laevas-sameby", "girjas-sameby"], ["2584", "2523"], "Fler samebyar som vill delta i kartläggningen."),
    (["miljo-mal-1"], "Samråd med samebyar – gemensam vägledning", "lansstyrelsen-norrbotten", ["svenska-samernas-riksforbund", "bergsstaten"], ["2584", "2523", "2510"], ""),
    (["miljo-mal-2"], "Klimatneutral anrikning i Boliden", "boliden-mineral", [], ["2482"], ""),
    (["miljo-mal-2"], "Minskade utsläpp från pelletsverk", "lkab", ["lulea-tekniska-universitet"], ["2584", "2523"], ""),
    (["miljo"], "Naturvärden vid prospektering – inventering", "naturskyddsforeningen-norrbotten", ["sgu"], ["2510", "2584"], "Ideella inventerare och botaniker."),
    (["miljo-insats-1"], "Damm säkerhet vid sandmagasin", "lansstyrelsen-vasterbotten", ["boliden-mineral", "dragon-mining-sweden"], ["2482", "2421"], ""),
    (["miljo-mal-1"], "Buller och damm i Svappavaara", "2584", ["lkab"], ["2584"], ""),
    (["infrastruktur-mal-2"], "Energieffektivisering i gruvornas ventilation", "lulea-tekniska-universitet", ["lkab", "boliden-mineral"], ["2584", "2482"], ""),
    (["miljo-mal-2", "innovation-mal-2"], "Cirkulära flöden av metaller i regionen", "region-vasterbotten", ["umea-universitet", "boliden-mineral"], ["2482", "2480"], "Återvinningsföretag och kommuner."),
]  # fmt: skip

FUNDING_PATTERNS = [
    [("eu_regional_fund", "Europeiska regionala utvecklingsfonden", 40), ("region", "", 20), ("own_funds", "", 40)],
    [("national_agency", "Vinnova", 50), ("own_funds", "", 50)],
    [("own_funds", "", 100)],
    [("eu_regional_fund", "Europeiska regionala utvecklingsfonden", 50), ("municipality", "", 25), ("private", "", 25)],
    [("national_agency", "Tillväxtverket", 30), ("region", "", 30), ("own_funds", "", 40)],
    [("national_agency", "Energimyndigheten", 60), ("private", "", 40)],
]  # fmt: skip

UNAPPROVED = {7, 29, 45}  # awaiting the editors, so that the approval queue has content
# Of those, returned to their organisation for changes, with the editor's reason.
RETURNED = {
    29: (
        "Exempel: beskriv hur regionens medfinansiering är tänkt och vilka kommuner som deltar, "
        "så tar vi upp insatsen igen."
    ),
}
CANCELLED = {20}


def _organisation(key: str) -> Organisation:
    if key.isdigit():
        return Organisation.objects.get(municipality__code=key)
    return Organisation.objects.get(slug=key)


def _period(index: int) -> tuple[datetime.date, datetime.date]:
    start_year = 2016 + (index * 7) % 12
    duration = 2 + (index * 3) % 5
    start = datetime.date(start_year, 1 + (index * 5) % 12, 1)
    end = datetime.date(min(start_year + duration, 2030), 12, 31)
    return start, end


def _status_and_progress(index: int, start, end) -> tuple[str, int]:
    if index in CANCELLED:
        return InitiativeStatus.CANCELLED, 20
    if end < REFERENCE_DATE:
        return InitiativeStatus.COMPLETED, 100
    if start > REFERENCE_DATE:
        return InitiativeStatus.PLANNED, 0
    elapsed = (REFERENCE_DATE - start).days / max(1, (end - start).days)
    return InitiativeStatus.ONGOING, min(95, int(elapsed * 100) - (index % 4) * 5 + 5)


def _budget(index: int) -> Decimal:
    return Decimal(((index * 37) % 23 + 2) * 250_000)


def _funding(index: int, budget: Decimal) -> list[FundingRow]:
    return [
        FundingRow(kind=kind, funder=funder, amount=(budget * share / 100).quantize(Decimal(1)))
        for kind, funder, share in FUNDING_PATTERNS[index % len(FUNDING_PATTERNS)]
    ]


def _site_input(row: dict, operators: dict) -> SiteInput:
    return SiteInput(
        name=row["name"],
        kind=row["kind"],
        status=row["status"],
        latitude=float(row["lat"]),
        longitude=float(row["lon"]),
        commodities=row["commodities"],
        operator=operators.get(row["operator_slug"]),
        operator_name=row["operator_name"],
        opened=int(row["opened"]) if row["opened"] else None,
        closed=int(row["closed"]) if row["closed"] else None,
        source=f"{row['source']}. Position: {row['position_source']}",
    )


def _differs(site: Site, data: SiteInput) -> bool:
    return any(getattr(site, name) != value for name, value in vars(data).items())


def sites_demo_load(result) -> None:
    """Create the sites of `cluster/data/sites.csv`, and correct those a database loaded before
    holds with other facts (a position or source corrected in the file)."""
    admin = get_user_model().objects.get(username="admin")
    existing = {site.slug: site for site in Site.objects.select_related("operator")}
    operators = {o.slug: o for o in Organisation.objects.all()}
    with SITES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            data = _site_input(row, operators)
            site = existing.get(row["slug"])
            if site is None:
                site_save(data, user=admin, slug=row["slug"])
                result.count("sites")
            elif _differs(site, data):
                site_save(data, user=admin, site=site)
                result.count("sites corrected")


def _initiative_input(index: int, spec) -> InitiativeInput:
    sections, title, _lead, partners, municipalities, wanted = spec
    start, end = _period(index)
    status, progress = _status_and_progress(index, start, end)
    budget = _budget(index)
    return InitiativeInput(
        title=title,
        description=(
            f"Exempeldata: {title.lower()}. Insatsen är påhittad för att visa plattformen; "
            "organisationerna och platserna är verkliga."
        ),
        start_date=start,
        end_date=end,
        budget=budget,
        status=status,
        progress=progress,
        results="Exempel: rapport och workshop genomförda." if status == "completed" else "",
        partners_wanted=wanted if status in ("planned", "ongoing") else "",
        section_keys=[str(key_of(name)) for name in sections],
        partner_ids=[_organisation(key).pk for key in partners],
        municipality_codes=municipalities,
        funding=_funding(index, budget),
        milestones=[
            MilestoneRow("Projektstart", start, reached=start <= REFERENCE_DATE),
            MilestoneRow("Slutrapport", end, reached=end <= REFERENCE_DATE),
        ],
        is_example=True,
    )


@transaction.atomic
def implementation_demo_load(result) -> None:
    sites_demo_load(result)
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is None or Initiative.objects.filter(strategy=strategy).exists():
        return
    users = get_user_model().objects
    admin, editor = users.get(username="admin"), users.get(username="redaktor")
    settings_for(strategy)
    created = []
    for index, spec in enumerate(INITIATIVES):
        data = _initiative_input(index, spec)
        initiative = initiative_create(
            strategy=strategy, organisation=_organisation(spec[2]), user=admin, data=data
        )
        progress = initiative.progress  # as registered; the updates below change it
        if initiative.status == InitiativeStatus.ONGOING and progress > 10:
            progress_update_add(
                initiative,
                user=admin,
                date=REFERENCE_DATE - datetime.timedelta(days=90),
                progress=max(0, progress - 10),
                text="Exempel: första etappen klar enligt plan.",
            )
            progress_update_add(
                initiative,
                user=admin,
                date=REFERENCE_DATE - datetime.timedelta(days=10),
                progress=progress,
                text="Exempel: arbetet fortsätter; delrapport lämnad till partnerskapet.",
            )
        if index in RETURNED:
            initiative_return(initiative, user=editor, reason=RETURNED[index])
        elif index not in UNAPPROVED:
            initiative_approve(initiative, user=editor)
        created.append(initiative)
        result.count("initiatives")
    for year in range(2016, REFERENCE_DATE.year + 1):
        action_plan_create(
            strategy,
            user=editor,
            title=f"Handlingsplan {year}",
            first_year=year,
            last_year=year,
            description="Exempeldata: de insatser partnerskapet följer upp under året.",
            initiatives=[i for i in created if year in i.years()],
            is_example=True,
        )
        result.count("action plans")
