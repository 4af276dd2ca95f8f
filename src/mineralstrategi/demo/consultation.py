"""The demo consultation, told in order: the strategy's consultation draft (version 1) sent to the
29 municipalities of Norrbotten and Västerbotten and eleven other actors, with submitted, draft,
declined and missing answers; a decision on every comment, one proposal carried into the working
draft, one dialogue meeting (samråd) planned, held and recorded with its outcomes; the round closed
and compiled. Only then is version 2 frozen and adopted by a decision of Regionfullmäktige
(`strategy.strategy_demo_adopt`). Version 3, an addition on the after-treatment of closed mines,
is then on a second round, still open, with a samråd planned for next week.

Both rounds are open to the public, with a few published example comments from the public, most
of them decided on. Every comment is written for the section it is on. Every answer, comment, decision, meeting note
and the adoption's reference are invented for the demonstration and flagged as example data, which
the pages say. The answers are written by demo officers of each organisation (users without a
password, who cannot sign in); in the open second round Skellefteå has not answered, so that the
demo login `skelleftea` can answer it, and Kiruna has a draft that only `kiruna` sees.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import ConsultationRound, RoundStatus
from mineralstrategi.consultation.services import OutcomeInput, PersonInput
from mineralstrategi.organisations.geography import official_municipality_name
from mineralstrategi.organisations.models import Organisation, Role
from mineralstrategi.organisations.services import membership_grant
from mineralstrategi.strategy.models import Strategy

from . import timeline
from .strategy import SLUG, key_of, strategy_demo_adopt, strategy_demo_revision
from .timeline import day, happened, moment, spread

REGISTRY_NUMBER = "RV 2014/0412"

OTHER_CONSULTEES = [
    "lkab",
    "boliden-mineral",
    "svemin",
    "sgu",
    "bergsstaten",
    "georange",
    "north-sweden-european-office",
    "gabna-sameby",
    "laevas-sameby",
    "svenska-samernas-riksforbund",
    "naturskyddsforeningen-norrbotten",
]
# Municipality codes or organisation slugs, by what they did with the round.
SUBMITTED = [
    "2523", "2521", "2580", "2480", "2481", "2418", "2421", "2510", "2506",
    "lkab", "boliden-mineral", "svemin", "sgu", "gabna-sameby", "naturskyddsforeningen-norrbotten",
]  # fmt: skip
DRAFTS = ["2505", "2582", "laevas-sameby"]
DECLINED = {
    "2401": f"{official_municipality_name('2401')} berörs inte direkt av gruvnäringen och avstår från att yttra sig.",
    "2409": "Kommunen har inga synpunkter och avstår.",
    "bergsstaten": "Bergsstaten yttrar sig inte över regionala strategier av hänsyn till sin roll som tillståndsmyndighet.",
}  # fmt: skip

POSITIONS = ["support", "support_with_changes", "support_with_changes", "object", "support"]
OVERALL = [
    "Exempeltext: Vi ställer oss bakom strategins inriktning och ser fram emot att delta i genomförandet.",
    "Exempeltext: Strategin är välskriven men behöver tydligare mål för kompetensförsörjning och bostäder.",
    "Exempeltext: Vi stöder strategin under förutsättning att markanvändningskonflikterna tas på större allvar.",
    "Exempeltext: Strategin väger inte in rennäringens behov och vi kan därför inte ställa oss bakom den.",
    "Exempeltext: Bra underlag. Vi har några förslag på formuleringar.",
]
# What the consultees wrote, section by section (by the section's name in `strategy.py`): each
# comment is about the section it is on. A proposal carries the section's whole new wording.
SECTION_COMMENTS = {
    "bakgrund": ("support", "Exempeltext: Bakgrunden beskriver väl vad näringen betyder för regionens sysselsättning och skatteintäkter.", ""),
    "vision": ("support", "Exempeltext: Visionen fångar det vi vill nå: en näring som växer utan att tränga undan rennäringen och andra näringar.", ""),
    "attraktiva": ("support", "Exempeltext: Inriktningen är central för gruvkommunerna: människor måste vilja bo kvar också när konjunkturen vänder.", ""),
    "attraktiva-mal-1": ("object", "Exempeltext: Målet säger inget om vem som bär kostnaden när en kommun snabbt måste bygga bostäder, skola och vård för en ny gruva.", ""),
    "attraktiva-insats-1": ("support", "Exempeltext: En gemensam planeringsberedskap är precis vad kommunen har saknat vid de senaste etableringarna.", ""),
    "attraktiva-insats-2": ("object", "Exempeltext: En informationskampanj löser inte bristen på bostäder och service; pengarna gör mer nytta i planeringen.", ""),
    "attraktiva-mal-2": ("support", "Exempeltext: Bra att samhällsomvandlingen i Kiruna, Gällivare och Malmberget lyfts; de boende behöver insyn i besluten.", ""),
    "innovation": ("support", "Exempeltext: Universiteten och företagen har redan ett starkt samarbete kring gruvforskning att bygga vidare på.", ""),
    "innovation-mal-1": ("support", "Exempeltext: Fler testbäddar och tillämpade projekt behövs för att forskningsresultaten ska nå företagen.", ""),
    "innovation-insats-1": (
        "propose",
        "Exempeltext: Arenan bör uttryckligen vara öppen för små leverantörsföretag.",
        "En arena där företag, också små leverantörer, och forskare möts kring konkreta behov och testar nya lösningar.",
    ),
    "innovation-mal-2": ("support", "Exempeltext: Att utvinna metall ur sand, slagg och gråberg är viktigt för oss; målet bör få en indikator.", ""),
    "kompetens": ("object", "Exempeltext: Inriktningen bör också ta upp validering av utländsk kompetens och rekrytering från andra länder.", ""),
    "kompetens-mal-1": ("object", "Exempeltext: Målet är för vagt för att kunna följas upp; ange hur många utbildningsplatser som behövs.", ""),
    "kompetens-insats-1": (
        "propose",
        "Exempeltext: Universiteten bör ingå i kompetensrådet.",
        "Ett råd med företag, universitet, utbildningsanordnare och arbetsförmedling som varje år bedömer behoven.",
    ),
    "kompetens-mal-2": (
        "propose",
        "Exempeltext: Målet behöver en siffra för att kunna följas upp.",
        "Andelen kvinnor bland de anställda i näringen är minst 30 procent år 2030.",
    ),
    "infrastruktur": ("support", "Exempeltext: Elförsörjningen är i dag det största hindret för nya etableringar; bra att den får en egen inriktning.", ""),
    "infrastruktur-mal-1": ("object", "Exempeltext: Målet nämner inte Norrbotniabanan, som är avgörande för transporterna längs kusten.", ""),
    "infrastruktur-insats-1": ("support", "Exempeltext: Ett gemensamt underlag ger regionen större tyngd inför den nationella transportplanen.", ""),
    "infrastruktur-mal-2": ("object", "Exempeltext: Nya kraftledningar och vindkraftsparker berör renbetesmarker; det måste framgå av målet.", ""),
    "miljo": ("object", "Exempeltext: Avsnittet underskattar påverkan på renskötseln och på vattnet i hela avrinningsområdet.", ""),
    "miljo-mal-1": (
        "propose",
        "Exempeltext: Förtydliga att samråd ska ske innan områden pekas ut.",
        "Samebyarna deltar från första skedet, innan områden pekas ut, i planer som berör deras marker och renbetesområden, och samråden redovisas öppet.",
    ),
    "miljo-insats-1": ("support", "Exempeltext: En vägledning för samråd efterfrågas av både samebyar och företag.", ""),
    "miljo-mal-2": ("object", "Exempeltext: Målet bör säga vem som betalar efterbehandlingen när ett bolag har gått i konkurs.", ""),
    "genomforande": ("object", "Exempeltext: Kommunerna saknas i styrgruppen, fast det är de som bär följderna av nya etableringar.", ""),
    "uppfoljning": ("support", "Exempeltext: Bra att indikatorerna läses mot metallpriserna; annars blir uppföljningen missvisande.", ""),
}  # fmt: skip
COMMENTED = list(SECTION_COMMENTS)
ACCEPTED = ("accepted", "Exempeltext: Förslaget har arbetats in i texten.")
PARTLY = ("partly_accepted", "Exempeltext: Delvis tillgodosett; formuleringen har justerats.")
NOT_ACCEPTED = (
    "not_accepted",
    "Exempeltext: Frågan ligger utanför strategins ram och hanteras i andra planer.",
)
NOTED = ("noted", "Exempeltext: Synpunkten noteras och tas med i genomförandet.")
# The decisions the team takes, by the comment's stance, in turn.
DECISIONS = {
    "support": [NOTED],
    "object": [NOTED, PARTLY, NOT_ACCEPTED],
    "propose": [PARTLY, NOT_ACCEPTED],
}
# The proposal whose wording was carried into the draft (and so into version 2).
APPLIED = "kompetens-mal-2"

# The second round: version 3, an addition on the after-treatment of closed mines, is open.
SECOND_REGISTRY_NUMBER = "RV 2015/0102"
SECOND_CONSULTEES = ["lkab", "boliden-mineral", "gabna-sameby", "naturskyddsforeningen-norrbotten"]
SECOND_SUBMITTED = {
    "2580": {"miljo-insats-2": ("support", "Exempeltext: Planen behövs; kommunen har själv två nedlagda gruvområden som väntar på efterbehandling.", "")},
    "2523": {"miljo-insats-2": (
        "propose",
        "Exempeltext: Planen bör omfatta också gråbergsupplagen.",
        "Länsstyrelserna, kommunerna och företagen tar fram en plan för vilka nedlagda gruvor och gråbergsupplag som efterbehandlas först och hur arbetet finansieras.",
    )},
    "boliden-mineral": {"miljo-insats-2": ("object", "Exempeltext: Finansieringen bör bygga på de säkerheter som redan ställs enligt miljöbalken, inte på en ny avgift.", "")},
    "naturskyddsforeningen-norrbotten": {"miljo-mal-2": ("support", "Exempeltext: Vi välkomnar att efterbehandlingen får en egen insats under målet.", "")},
}  # fmt: skip
# The public's comments on the rounds (both open to the public): section -> (writer, comment,
# (decision, reason) or None). Invented, like every answer.
PUBLIC_COMMENTS = {
    "miljo": (
        "Inga-Lill Páve",
        "Exempeltext: Som renskötare vill jag att avsnittet säger hur flyttleder och kalvningsland skyddas när nya gruvor planeras, inte bara att samråd ska hållas.",
        ("partly_accepted", "Exempeltext: Avsnittet om samråd förtydligas; flyttlederna nämns i nästa version."),
    ),
    "kompetens-mal-1": (
        "Johan Lindberg",
        "Exempeltext: Min dotter vill läsa gruvteknik men utbildningen finns bara på en ort. Målet borde också säga att utbildningarna ska finnas nära där ungdomarna bor.",
        ("noted", "Exempeltext: Synpunkten tas med i handlingsplanen för kompetensförsörjning."),
    ),
    "infrastruktur-mal-2": (
        "Karin Öhman",
        "Exempeltext: Bra att elförsörjningen får ett eget mål. Skriv också att hushållens elpriser inte får bära kostnaden för de nya ledningarna.",
        ("not_accepted", "Exempeltext: Elpriserna avgörs inte av den regionala strategin."),
    ),
}  # fmt: skip
SECOND_PUBLIC_COMMENTS = {
    "miljo-insats-2": (
        "Erik Holmström",
        "Exempeltext: Det gamla gruvområdet vid vår by har legat orört i trettio år. Börja med de platser där ingen ansvarig verksamhetsutövare finns kvar.",
        ("noted", "Exempeltext: Hur platserna prioriteras prövas i den fortsatta beredningen av insatsen."),
    ),
    "miljo-mal-2": (
        "Anna Sjöberg",
        "Exempeltext: Bra att utsläppen till vatten tas upp. Ange vilka vattendrag som mäts, så att vi som bor längs älven kan följa resultaten.",
        None,
    ),
}  # fmt: skip
# Kiruna's draft, which only the demo login `kiruna` sees; Skellefteå has not answered.
SECOND_DRAFT = (
    "2584",
    {"miljo-insats-2": ("object", "Exempeltext: Vi vill se vilka områden i Kiruna som planen omfattar innan vi tar ställning.", "")},
)  # fmt: skip


def _organisation(key: str) -> Organisation:
    if key.isdigit():
        return Organisation.objects.get(municipality__code=key)
    return Organisation.objects.get(slug=key)


def _demo_officer(organisation: Organisation):
    """A user who answers for the organisation in the demo; has no password, cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=f"remiss-{organisation.slug}"[:150],
        defaults={"first_name": "Exempelhandläggare", "last_name": organisation.name[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_grant(user=user, organisation=organisation, role=Role.CONSULTATION_OFFICER)
    return user


def _comments(index: int, sections: dict) -> dict:
    """Two or three section comments per answer, on sections chosen by the answer's index, each
    with the text written for its section."""
    chosen = {}
    for offset in range(2 + index % 2):
        name = COMMENTED[(index * 3 + offset * 7) % len(COMMENTED)]
        chosen[sections[name].pk] = SECTION_COMMENTS[name]
    return chosen


def _by_name(version) -> dict:
    """The version's sections by their name in the demo text."""
    names = {
        key_of(name): name
        for name in [*SECTION_COMMENTS, *PUBLIC_COMMENTS, *SECOND_PUBLIC_COMMENTS, "miljo-insats-2"]
    }
    return {
        names[section.key]: section for section in version.sections.all() if section.key in names
    }


def _answer(consultee, organisation, index, comments, *, submit: bool):
    officer = _demo_officer(organisation)
    answer = services.answer_save_draft(
        consultee,
        user=officer,
        position=POSITIONS[index % len(POSITIONS)],
        comment=OVERALL[index % len(OVERALL)],
        section_comments=comments,
    )
    return services.answer_submit(answer, user=officer) if submit else answer


@transaction.atomic
def consultation_demo_load() -> dict[str, int]:
    """The story after version 1 was frozen: its consultation sent, answered, every comment
    decided, closed and compiled; version 2 adopted by decision; version 3 on a second
    consultation, still open. Each step is dated on the demo's timeline (`timeline.py`).
    Idempotent: if the first round exists, nothing is changed."""
    if ConsultationRound.objects.filter(registry_number=REGISTRY_NUMBER).exists():
        return {}
    strategy = Strategy.objects.get(slug=SLUG)
    version = strategy.versions.get(number=1)
    users = get_user_model().objects
    owner, editor = users.get(username="strateg"), users.get(username="redaktor")
    with happened(moment(timeline.ROUND_1_OPENS, 9)):
        # The deadline is moved back to its day once the answers are in: the services take no
        # answer after a round's deadline, and the answers were given before it.
        round_ = services.round_create(
            version=version,
            user=owner,
            title="Regional mineralstrategi för Norrbotten och Västerbotten",
            registry_number=REGISTRY_NUMBER,
            opens_on=day(timeline.ROUND_1_OPENS),
            deadline=timeline.today(),
            instructions=(
                "Exempeltext: Regionen remitterar förslaget till regional mineralstrategi. Lämna "
                "gärna synpunkter avsnitt för avsnitt: om ni stöder texten, invänder mot den eller "
                "föreslår en ny lydelse. Svaren blir allmänna handlingar."
            ),
            contact_name="Anna Lindqvist",
            contact_email="anna.lindqvist@regionvasterbotten.example",
            is_example=True,
            is_public=True,
        )
        services.consultees_add_municipalities(round_, user=owner)
        for slug in OTHER_CONSULTEES:
            services.consultee_add(round_, user=owner, organisation=_organisation(slug))
        services.consultation_send(round_, user=owner)

    sections = _by_name(version)
    consultees = {c.organisation_id: c for c in round_.consultees.select_related("round")}
    # Answers come in from the first week to the deadline day; the drafts were last saved in
    # the last weeks, and never submitted.
    when = dict(
        zip(
            SUBMITTED,
            spread(len(SUBMITTED), timeline.ROUND_1_OPENS - 3, timeline.ROUND_1_DEADLINE),
            strict=True,
        )
    )
    when |= dict(
        zip(
            DRAFTS,
            spread(len(DRAFTS), timeline.ROUND_1_DEADLINE + 12, timeline.ROUND_1_DEADLINE + 2),
            strict=True,
        )
    )
    comments = []
    for index, key in enumerate(SUBMITTED + DRAFTS):
        organisation = _organisation(key)
        with happened(moment(when[key], 9 + index % 7, 5 * (index % 12))):
            answer = _answer(
                consultees[organisation.pk],
                organisation,
                index,
                _comments(index, sections),
                submit=key in SUBMITTED,
            )
        if key in SUBMITTED:
            comments.extend(answer.comments.select_related("section").order_by("pk"))
    declined = spread(len(DECLINED), timeline.ROUND_1_OPENS - 4, timeline.ROUND_1_OPENS - 15)
    for (key, reason), days_ago in zip(DECLINED.items(), declined, strict=True):
        organisation = _organisation(key)
        with happened(moment(days_ago, 11)):
            services.consultee_decline(
                consultees[organisation.pk], user=_demo_officer(organisation), reason=reason
            )

    samrad = _held_samrad(round_, owner, sections)
    public = _public_comments(round_, sections, PUBLIC_COMMENTS, owner, timeline.ROUND_1_OPENS)
    deadline = day(timeline.ROUND_1_DEADLINE)
    ConsultationRound.objects.filter(pk=round_.pk).update(deadline=deadline)
    round_.history.update(deadline=deadline)
    round_.refresh_from_db()
    with happened(moment(timeline.ROUND_1_CLOSED, 8)):
        services.round_status_set(round_, user=owner, status=RoundStatus.CLOSED)

    # The team decides on the comments in the weeks after the deadline.
    names = {section.pk: name for name, section in sections.items()}
    applied = False
    decided = spread(len(comments), timeline.DISPOSITIONS_FROM, timeline.DISPOSITIONS_UNTIL)
    for index, comment in enumerate(comments):
        choices = DECISIONS[comment.stance]
        decision, reason = choices[index % len(choices)]
        carried = names[comment.section_id] == APPLIED and not applied
        if carried:
            decision, reason = ACCEPTED
        with happened(moment(decided[index], 9 + index % 8)):
            disposition = services.disposition_record(
                comment, user=editor, decision=decision, reason=reason
            )
            if carried:
                services.proposal_apply(disposition, user=editor)
                applied = True

    _public_dispositions(public, editor, timeline.DISPOSITIONS_UNTIL)
    for outcome, (decision, reason) in zip(
        samrad.outcomes.order_by("position"), SAMRAD_DECISIONS, strict=True
    ):
        with happened(moment(timeline.DISPOSITIONS_UNTIL, 16)):
            services.disposition_record(outcome, user=editor, decision=decision, reason=reason)

    with happened(moment(timeline.ROUND_1_COMPILED, 14)):
        services.round_status_set(round_, user=owner, status=RoundStatus.COMPILED)
    strategy_demo_adopt(strategy, consultation=REGISTRY_NUMBER)
    second = _second_round(strategy_demo_revision(strategy), owner)
    return {
        "consultation rounds": 2,
        "consultation answers": len(SUBMITTED) + len(DRAFTS) + second,
        "dispositions": len(comments),
        "adoptions": 1,
    }


SAMRAD_PEOPLE = [
    PersonInput("Nils-Johan Labba", "nils-johan.labba@gabna.example", "Gabna sameby"),
    PersonInput("Ellen Kuhmunen", "ellen.kuhmunen@girjas.example", "Girjas sameby"),
    PersonInput("Per-Anders Omma", "", "Baste čearru"),
    PersonInput("Maria Lindberg", "maria.lindberg@lansstyrelsen-norrbotten.example", "Länsstyrelsen i Norrbotten"),
    PersonInput("Anna Lindqvist", "anna.lindqvist@regionvasterbotten.example", "Region Västerbotten"),
]  # fmt: skip
SAMRAD_ORGANISATIONS = (
    "gabna-sameby",
    "laevas-sameby",
    "girjas-sameby",
    "baste-cearru",
    "lansstyrelsen-norrbotten",
    "region-vasterbotten",
)


# The team's decisions on the samråd's three outcomes, in their order.
SAMRAD_DECISIONS = [
    ("accepted", "Exempeltext: Målet har förtydligats i den nya versionen."),
    ("accepted", "Exempeltext: Insatsen beskriver nu att vägledningen tas fram med samebyarna."),
    ("noted", "Exempeltext: Ett uppföljande samråd planeras till våren."),
]


def _held_samrad(round_, owner, sections):
    """The first round's samråd with the Sami villages: planned a week ahead, held in Jokkmokk,
    its minutes, participants and outcomes recorded the day after."""
    organisations = [_organisation(slug) for slug in SAMRAD_ORGANISATIONS]
    with happened(moment(timeline.SAMRAD + 6, 14)):
        meeting = services.meeting_plan(
            round_,
            user=owner,
            title="Samråd med samebyarna i Norrbotten",
            held_at=moment(timeline.SAMRAD, 10),
            ends_at=moment(timeline.SAMRAD, 15),
            place="Ájtte, Jokkmokk",
            agenda=(
                "Exempeltext:\n\n1. Remissen och hur den besvaras\n"
                "2. Inriktningen Miljö och samexistens med rennäringen\n"
                "3. Tidiga samråd: vad en vägledning behöver innehålla\n4. Fortsatt dialog"
            ),
            invited_organisations=organisations,
            people=SAMRAD_PEOPLE,
            is_example=True,
        )
    people = {person.name: person for person in meeting.people.all()}
    with happened(moment(timeline.SAMRAD - 1, 16)):
        services.meeting_record(
            meeting,
            user=owner,
            notes=(
                "Exempeltext: Samebyarna framförde att strategin behöver beskriva hur "
                "renskötselns markbehov vägs in tidigt i planeringen, innan områden pekas ut. "
                "Länsstyrelsen redogjorde för hur samråd i dag dokumenteras i tillståndsärenden. "
                "Parterna var överens om att en gemensam vägledning behövs."
            ),
            participants=[o for o in organisations if o.slug != "laevas-sameby"],
            participant_people=[
                people[name]
                for name in (
                    "Nils-Johan Labba",
                    "Per-Anders Omma",
                    "Maria Lindberg",
                    "Anna Lindqvist",
                )
            ],
            more_people=[PersonInput("Jon Henrik Sarri", "", "Baste čearru")],
            sections=[sections["miljo"], sections["miljo-mal-1"]],
            outcomes=[
                OutcomeInput(
                    "Exempeltext: Målet förtydligas så att samebyarna deltar redan innan områden "
                    "pekas ut, inte först när en ansökan lämnas in.",
                    sections["miljo-mal-1"],
                ),
                OutcomeInput(
                    "Exempeltext: Vägledningen för tidiga samråd tas fram tillsammans med "
                    "samebyarna och beskriver hur samrådet dokumenteras och redovisas öppet.",
                    sections["miljo-insats-1"],
                ),
                OutcomeInput(
                    "Exempeltext: Ett nytt samråd hålls innan strategin antas.",
                ),
            ],
        )
    return meeting


def _planned_samrad(round_, owner, sections) -> None:
    """The second round's samråd on the addition, planned for next week, open for registration;
    two of the invited have registered."""
    with happened(moment(timeline.ROUND_2_OPENS - 1, 11)):
        meeting = services.meeting_plan(
            round_,
            user=owner,
            title="Samråd om efterbehandling av nedlagda gruvor",
            held_at=moment(-7, 13),
            ends_at=moment(-7, 16),
            place="Stadshuset, Skellefteå",
            link="https://meet.example.se/samrad-efterbehandling",
            agenda=(
                "Exempeltext:\n\n1. Tillägget om efterbehandling\n"
                "2. Vem bär kostnaden när ett bolag har gått i konkurs?\n3. Frågor"
            ),
            invited_organisations=[_organisation(slug) for slug in SECOND_CONSULTEES[:3]],
            people=[
                PersonInput("Maria Lindberg", "maria.lindberg@lansstyrelsen-norrbotten.example", "Länsstyrelsen i Norrbotten"),
                PersonInput("Ellen Kuhmunen", "ellen.kuhmunen@girjas.example", "Girjas sameby"),
                PersonInput("Per-Anders Omma", "", "Baste čearru"),
            ],
            registration_open=True,
            is_example=True,
        )  # fmt: skip
    with happened(moment(timeline.ROUND_2_OPENS - 3, 9)):
        for person in meeting.people.filter(name__in=["Maria Lindberg", "Ellen Kuhmunen"]):
            services.meeting_register(meeting, person=person, ip="demo")


def _second_round(version, owner) -> int:
    """Version 3 on consultation, open: a few answers in, Kiruna's draft, Skellefteå's to give."""
    with happened(moment(timeline.ROUND_2_OPENS, 9)):
        round_ = services.round_create(
            version=version,
            user=owner,
            title="Tillägg till mineralstrategin om efterbehandling av nedlagda gruvor",
            registry_number=SECOND_REGISTRY_NUMBER,
            opens_on=day(timeline.ROUND_2_OPENS),
            deadline=day(-timeline.ROUND_2_DEADLINE_AFTER),
            instructions=(
                "Exempeltext: Partnerskapet remitterar ett tillägg till den antagna strategin: en "
                "insats om efterbehandling av nedlagda gruvor. Övriga avsnitt är oförändrade."
            ),
            contact_name="Anna Lindqvist",
            contact_email="anna.lindqvist@regionvasterbotten.example",
            is_example=True,
            is_public=True,
        )
        services.consultees_add_municipalities(round_, user=owner)
        for slug in SECOND_CONSULTEES:
            services.consultee_add(round_, user=owner, organisation=_organisation(slug))
        services.consultation_send(round_, user=owner)
    sections = _by_name(version)
    consultees = {c.organisation_id: c for c in round_.consultees.select_related("round")}
    answers = [*((key, texts, True) for key, texts in SECOND_SUBMITTED.items())]
    answers.append((*SECOND_DRAFT, False))
    _planned_samrad(round_, owner, sections)
    given = spread(len(answers), timeline.ROUND_2_OPENS - 1, 1)
    for index, (key, texts, submit) in enumerate(answers):
        organisation = _organisation(key)
        comments = {sections[name].pk: text for name, text in texts.items()}
        with happened(moment(given[index], 10 + index)):
            _answer(consultees[organisation.pk], organisation, index, comments, submit=submit)
    public = _public_comments(round_, sections, SECOND_PUBLIC_COMMENTS, owner, 6)
    _public_dispositions(public, owner, 1)
    return len(answers)


def _public_comments(round_, sections, texts, moderator, first_day: int) -> list:
    """The public's example comments on the round, each written for its section, published by
    the round's owner; returned with the decision each gets (or None)."""
    comments = []
    for index, (name, (writer, body, decision)) in enumerate(texts.items()):
        with happened(moment(first_day - 2 * index, 19, 10 * index)):
            comment = services.public_comment_submit(
                round_,
                section=sections[name],
                user=None,
                name=writer,
                email=f"exempel{index + 1}@example.invalid",
                body=body,
                ip=f"192.0.2.{100 + index}",
                is_example=True,
            )
        with happened(moment(first_day - 2 * index - 1, 9)):
            services.public_comment_moderate(comment, user=moderator, action="publish")
        comments.append((comment, decision))
    return comments


def _public_dispositions(comments, editor, days_ago: int) -> None:
    for comment, decision in comments:
        if decision is None:
            continue
        with happened(moment(days_ago, 15)):
            services.disposition_record(
                comment, user=editor, decision=decision[0], reason=decision[1]
            )
