"""Demo content of the public portal: news around the demo strategy, the final seminar in
Skellefteå with registrations, and comments (some waiting for moderation).

All text is written for the demonstration (no real press release is quoted) and flagged as
example content; the people who register and comment are invented. Idempotent: content that
exists (by slug) is left alone.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from mineralstrategi.organisations.models import ContactPerson, Organisation
from mineralstrategi.portal import services
from mineralstrategi.portal.models import (
    Comment,
    CommentStatus,
    Event,
    EventRegistration,
    NewsArticle,
    RegistrationStatus,
)
from mineralstrategi.portal.rules import EDITORS_GROUP, MODERATORS_GROUP
from mineralstrategi.strategy.models import Section, Strategy

from . import timeline
from .strategy import SLUG as STRATEGY_SLUG
from .strategy import key_of
from .timeline import moment

PORTAL_USERNAME = "webbredaktor"
PORTAL_LOGIN = (PORTAL_USERNAME, "Portal editor and comment moderator (staff)")
SEMINAR_SLUG = "slutseminarium-mineralstrategin-skelleftea"

ARTICLES = [
    {
        "slug": "remissutkastet-skickat-till-kommunerna",
        "days_ago": timeline.ROUND_1_OPENS,  # the day the round was sent out
        "title": "Utkastet till mineralstrategi har skickats till kommunerna",
        "lead": (
            "Alla 29 kommuner i Norrbotten och Västerbotten har fått remissutkastet till den "
            "regionala mineralstrategin. Även företag, samebyar, universitet och organisationer "
            "är välkomna att svara."
        ),
        "body": """\
Partnerskapet bakom strategin har arbetat med utkastet sedan i våras. Nu är det dags för
kommunerna och andra berörda att tycka till.

Remissen är uppdelad efter strategins avsnitt. För varje avsnitt kan man **stödja** texten,
**invända** eller **föreslå en ny formulering**. Svaren blir allmänna handlingar.

- Sista dag för svar är sex veckor efter utskicket.
- Under remisstiden hålls dialogmöten i Luleå och Umeå.
- Frågor om remissen besvaras av kontaktpersonerna nedan.

*Exempeltext skriven för demonstrationen.*""",
        "organisation": "region-vasterbotten",
        "author_name": "Partnerskapet för mineralstrategin",
        "tags": "remiss, kommuner",
        "contacts": ["Anna Lindqvist", "Mikael Lantto"],
        "press": "Erik Nordin",
    },
    {
        "slug": "valkommen-till-slutseminariet-i-skelleftea",
        "days_ago": 20,
        "title": "Välkommen till slutseminariet om mineralstrategin i Skellefteå",
        "lead": (
            "Strategiarbetet avslutas med ett seminarium i Skellefteå där vi går igenom vad "
            "remissen gav och hur strategin ska genomföras. Anmälan är öppen."
        ),
        "body": """\
Under remisstiden kom många synpunkter från kommuner, företag och organisationer. På
slutseminariet berättar partnerskapet hur synpunkterna har tagits om hand och vilka insatser
som prioriteras de första åren.

Seminariet är öppet för alla som arbetar med eller berörs av mineralnäringen i regionen.
Antalet platser är begränsat; när platserna är slut kan du ställa dig på väntelista.

*Exempeltext skriven för demonstrationen.*""",
        "organisation": "2482",
        "author_name": "Partnerskapet för mineralstrategin",
        "tags": "seminarium, Skellefteå",
        "contacts": ["Emma Lundström"],
        "press": "Erik Nordin",
    },
    {
        "slug": "mineralstrategin-ar-antagen",
        "days_ago": timeline.ADOPTED,  # the day of the decision
        "title": "Mineralstrategin för Norrbotten och Västerbotten är antagen",
        "lead": (
            "Efter remiss och dialogmöten har Regionfullmäktige antagit den regionala strategin "
            "för en hållbar och innovativ mineralnäring. Nu börjar arbetet med att genomföra den."
        ),
        "body": """\
Den antagna versionen skiljer sig från remissutkastet på flera punkter. Bland annat talar
visionen nu om **fossilfri** utvinning, målet om kvinnor i näringen har fått en siffra (minst
30 procent år 2030) och en ny insats har tillkommit: en testbädd för fossilfri gruvdrift och
återvinning av restprodukter.

Strategin följs upp varje år med indikatorer för ekonomi, miljö, sociala frågor och
innovation. Uppföljningen läses mot metallpriserna, så att det går att se vad som är
strategins förtjänst och vad som beror på konjunkturen.

Läs strategin och kommentera gärna de olika avsnitten.

*Exempeltext skriven för demonstrationen.*""",
        "organisation": "lansstyrelsen-norrbotten",
        "author_name": "Partnerskapet för mineralstrategin",
        "tags": "strategi, beslut",
        "contacts": ["Mikael Lantto", "Anna Lindqvist"],
        "press": "Karin Björk",
    },
]

SEMINAR_PROGRAMME = """\
- **09.30** Kaffe och registrering
- **10.00** Välkommen – Skellefteå kommun
- **10.15** Vad remissen gav: synpunkterna och hur de hanterades
- **11.00** Strategins inriktningar och de första insatserna
- **12.00** Lunch
- **13.00** Samtal: forskning, näringsliv och samebyar om genomförandet
- **14.30** Så följer vi upp strategin – indikatorer och metallpriser
- **15.00** Avslutning

*Exempelprogram skrivet för demonstrationen.*"""

REGISTRANTS = [
    ("Ella Exempelsson", "Exempelbolaget AB"),
    ("Oskar Provberg", "Skellefteå kommun"),
    ("Lina Testlund", "Umeå universitet"),
    ("Nils Demoström", "Region Västerbotten"),
    ("Sofia Påhittad", "Exempelgruvan AB"),
    ("Jonas Låtsasson", "Luleå tekniska universitet"),
    ("Maja Fiktiv", "Länsstyrelsen Västerbotten"),
    ("Anton Prov", "Leverantörsföretaget AB (exempel)"),
]

ARTICLE_COMMENTS = [
    (
        "Berit i Boliden",
        "Bra att målet om kvinnor i näringen har fått en siffra i den antagna versionen.",
        True,
    ),
    ("Gustav", "Hur ska kommunerna få del av uppföljningen? Kommer siffrorna per kommun?", True),
    ("Renskötare, exempel", "Vi vill gärna vara med tidigt när insatserna planeras.", True),
    ("Anonym läsare", "Finns strategin på engelska också?", False),
    ("Hanna", "När kommer den första uppföljningsrapporten?", False),
]


def _organisation(key: str) -> Organisation | None:
    lookup = {"municipality__code": key} if key.isdigit() else {"slug": key}
    return Organisation.objects.filter(**lookup).first()


def _contact(name: str) -> ContactPerson | None:
    return ContactPerson.objects.filter(name=name).first()


def _portal_user(result):
    user, created = get_user_model().objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={
            "first_name": "Wilma",
            "last_name": "Webbredaktör",
            "email": f"{PORTAL_USERNAME}@mineralstrategi.example",
            "is_staff": True,
        },
    )
    if created:
        from .organisations import DEMO_PASSWORD

        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        result.count("users")
    for name in (EDITORS_GROUP, MODERATORS_GROUP):
        group, _created = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


WELCOME_SLUG = "kom-igang-med-demonstrationen"


def _welcome_text(strategy) -> str:
    """Where a first visitor of the demo starts: who to log in as and three things to try."""
    from .organisations import DEMO_PASSWORD

    slug = strategy.slug
    return f"""\
Det här är en demonstration av plattformen, med exempeldata för Norrbotten och Västerbotten.
Alla demokonton har lösenordet `{DEMO_PASSWORD}`; `mineralstrategi demo` skriver ut dem i
terminalen, med nyckeln för tvåstegsverifieringen.

1. **Läs strategin och uppföljningen**, utan att logga in: [strategin](/strategi/{slug}/) och
   [uppföljningen](/uppfoljning/{slug}/), där varje indikator läses mot konjunkturen.
2. **Svara på remissen som kommun**: logga in som `skelleftea` och öppna [remisserna](/remiss/).
3. **Driv årets uppföljning som redaktör**: logga in som `redaktor` och öppna
   [årshjulet](/uppfoljning/{slug}/arshjul/), med rapporteringen, lamporna och årsrapporten.

Breven som plattformen skickar hamnar som filer i datamappens `mail/`.

*Exempeltext skriven för demonstrationen.*"""


def _welcome_load(result, editor, strategy, now) -> None:
    """The news article a first visitor meets at the top of the demo's home page (once)."""
    if strategy is None or NewsArticle.objects.filter(slug=WELCOME_SLUG).exists():
        return
    article = services.article_save(
        user=editor,
        title="Kom igång med demonstrationen",
        lead="Tre saker att pröva först, och vem du loggar in som.",
        body_markdown=_welcome_text(strategy),
        status="published",
        published_at=now - timedelta(minutes=1),
        author_name="Mineralstrategi",
        strategy=strategy,
        tags="demo",
        is_example=True,
    )
    article.slug = WELCOME_SLUG
    article.save(update_fields=["slug"])
    result.count("news articles")


def portal_demo_load(result) -> None:
    """Load the demo news, seminar, registrations and comments (once)."""
    editor = _portal_user(result)
    strategy = Strategy.objects.filter(slug=STRATEGY_SLUG).first()
    now = timezone.now()
    for data in ARTICLES:
        if NewsArticle.objects.filter(slug=data["slug"]).exists():
            continue
        article = services.article_save(
            user=editor,
            title=data["title"],
            lead=data["lead"],
            body_markdown=data["body"],
            status="published",
            published_at=moment(data["days_ago"], 15),
            author_name=data["author_name"],
            organisation=_organisation(data["organisation"]),
            strategy=strategy,
            tags=data["tags"],
            contacts=[c for c in map(_contact, data["contacts"]) if c],
            press_contact=_contact(data["press"]),
            is_example=True,
        )
        article.slug = data["slug"]
        article.save(update_fields=["slug"])
        result.count("news articles")

    _welcome_load(result, editor, strategy, now)

    if not Event.objects.filter(slug=SEMINAR_SLUG).exists():
        starts = (now + timedelta(days=30)).replace(hour=8, minute=30, second=0, microsecond=0)
        seminar = services.event_save(
            user=editor,
            title="Slutseminarium om mineralstrategin i Skellefteå",
            lead=(
                "Partnerskapet redovisar remissen och den antagna strategin, och samtalar med "
                "regionens aktörer om genomförandet."
            ),
            programme_markdown=SEMINAR_PROGRAMME,
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            place="Skellefteå, stadshuset (exempel)",
            address="Trädgårdsgatan 4, Skellefteå",
            capacity=40,
            status="published",
            published_at=now - timedelta(days=20),
            organisation=_organisation("2482"),
            strategy=strategy,
            is_example=True,
        )
        seminar.slug = SEMINAR_SLUG
        seminar.save(update_fields=["slug"])
        EventRegistration.objects.bulk_create(
            EventRegistration(
                event=seminar,
                name=name,
                email=f"deltagare{number}@exempel.example",
                organisation_name=organisation,
                status=RegistrationStatus.CONFIRMED,
            )
            for number, (name, organisation) in enumerate(REGISTRANTS, start=1)
        )
        result.created["event registrations"] = len(REGISTRANTS)
        result.count("events")

    adopted = NewsArticle.objects.filter(slug="mineralstrategin-ar-antagen").first()
    if adopted and not Comment.objects.filter(article=adopted).exists():
        for number, (name, body, published) in enumerate(ARTICLE_COMMENTS, start=1):
            Comment.objects.create(
                article=adopted,
                name=name,
                email=f"kommentar{number}@exempel.example",
                body=body,
                status=CommentStatus.PUBLISHED if published else CommentStatus.PENDING,
            )
            result.count("comments")
    if strategy and not Comment.objects.filter(strategy=strategy).exists():
        key = key_of("vision")
        if Section.objects.filter(version__strategy=strategy, key=key).exists():
            Comment.objects.create(
                strategy=strategy,
                section_key=key,
                name="Lisa, exempel",
                email="lisa@exempel.example",
                body="Visionen är tydlig, men vad betyder *världsledande* i praktiken?",
                status=CommentStatus.PUBLISHED,
            )
            Comment.objects.create(
                strategy=strategy,
                section_key=key,
                name="Fredrik, exempel",
                email="fredrik@exempel.example",
                body="Saknar ett mål om återvinning av metaller.",
                status=CommentStatus.PENDING,
            )
            result.created["comments"] = result.created.get("comments", 0) + 2
