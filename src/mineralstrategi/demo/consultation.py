"""The demo consultation: the strategy's consultation draft (version 1) sent to the 29 municipalities
of Norrbotten and Västerbotten and eleven other actors, with submitted, draft, declined and
missing answers, dispositions on most comments, one proposal carried into the working draft and one
dialogue meeting (samråd).

Every answer, comment, decision and meeting note is invented for the demonstration and the round is
flagged as example data, which the pages say. The answers are written by demo officers of each
organisation (users without a password, who cannot sign in); Skellefteå has not answered, so that
the demo login `skelleftea` can answer it, and Kiruna has a draft that only `kiruna` sees.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from mineralstrategi.consultation import services
from mineralstrategi.consultation.models import STOCKHOLM, ConsultationRound, today_in_stockholm
from mineralstrategi.organisations.geography import official_municipality_name
from mineralstrategi.organisations.models import Organisation, Role
from mineralstrategi.organisations.services import membership_grant
from mineralstrategi.strategy.models import Strategy

from .strategy import SLUG

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
DRAFTS = ["2584", "2582", "laevas-sameby"]
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
SUPPORT_TEXTS = [
    "Exempeltext: Vi instämmer i beskrivningen.",
    "Exempeltext: Avsnittet speglar våra prioriteringar väl.",
    "Exempeltext: Bra att detta lyfts fram.",
]
OBJECT_TEXTS = [
    "Exempeltext: Avsnittet underskattar påverkan på renskötseln och vattnet.",
    "Exempeltext: Målet är för vagt för att kunna följas upp.",
    "Exempeltext: Vi saknar en koppling till den kommunala planeringen.",
]
PROPOSALS = [
    (
        "Exempeltext: Förtydliga att samråd ska ske tidigt.",
        "Exempeltext: Samråd med berörda samebyar, kommuner och invånare ska ske tidigt, innan "
        "områden pekas ut, och redovisas öppet.",
    ),
    (
        "Exempeltext: Lägg till kompetensförsörjning.",
        "Exempeltext: Regionen ska tillsammans med universiteten och näringen säkra den "
        "kompetens som gruvor, förädling och leverantörer behöver, med särskild vikt vid "
        "utbildning nära orterna.",
    ),
]
ACCEPTED = ("accepted", "Exempeltext: Förslaget har arbetats in i texten.")
PARTLY = ("partly_accepted", "Exempeltext: Delvis tillgodosett; formuleringen har justerats.")
NOT_ACCEPTED = (
    "not_accepted",
    "Exempeltext: Frågan hanteras i annan lagstiftning och tas inte in.",
)
NOTED = ("noted", "Exempeltext: Synpunkten noteras och tas med i genomförandet.")
# The decisions the team takes, by the comment's stance, in turn.
DECISIONS = {
    "support": [NOTED],
    "object": [NOT_ACCEPTED, PARTLY, NOTED],
    "propose": [ACCEPTED, PARTLY, NOT_ACCEPTED],
}


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


def _comments(index: int, sections: list) -> dict:
    """Two or three section comments per answer, varied by the answer's index."""
    chosen = {}
    for offset in range(2 + index % 2):
        section = sections[(index * 3 + offset * 5) % len(sections)]
        kind = (index + offset) % 3
        if kind == 0:
            chosen[section.pk] = ("support", SUPPORT_TEXTS[index % 3], "")
        elif kind == 1:
            chosen[section.pk] = ("object", OBJECT_TEXTS[index % 3], "")
        else:
            comment, text = PROPOSALS[index % 2]
            chosen[section.pk] = ("propose", comment, text)
    return chosen


@transaction.atomic
def consultation_demo_load() -> dict[str, int]:
    """Create the demo round. Idempotent: if it exists, nothing is changed."""
    if ConsultationRound.objects.filter(registry_number=REGISTRY_NUMBER).exists():
        return {}
    strategy = Strategy.objects.get(slug=SLUG)
    version = strategy.versions.get(number=1)
    users = get_user_model().objects
    owner, editor = users.get(username="strateg"), users.get(username="redaktor")
    today = today_in_stockholm()
    round_ = services.round_create(
        version=version,
        user=owner,
        title="Remiss: Regional mineralstrategi för Norrbotten och Västerbotten",
        registry_number=REGISTRY_NUMBER,
        opens_on=today - datetime.timedelta(days=14),
        deadline=today + datetime.timedelta(days=21),
        instructions=(
            "Exempeltext: Regionen remitterar förslaget till regional mineralstrategi. Lämna "
            "gärna synpunkter avsnitt för avsnitt: om ni stöder texten, invänder mot den eller "
            "föreslår en ny lydelse. Svaren blir allmänna handlingar."
        ),
        contact_name="Anna Lindqvist",
        contact_email="anna.lindqvist@regionvasterbotten.example",
        is_example=True,
    )
    services.consultees_add_municipalities(round_, user=owner)
    for slug in OTHER_CONSULTEES:
        services.consultee_add(round_, user=owner, organisation=_organisation(slug))
    services.consultation_send(round_, user=owner)

    from mineralstrategi.strategy.selectors import flatten, section_tree

    sections = flatten(section_tree(version, with_links=False))
    consultees = {c.organisation_id: c for c in round_.consultees.select_related("round")}
    comments = []
    for index, key in enumerate(SUBMITTED + DRAFTS):
        organisation = _organisation(key)
        officer = _demo_officer(organisation)
        consultee = consultees[organisation.pk]
        answer = services.answer_save_draft(
            consultee,
            user=officer,
            position=POSITIONS[index % len(POSITIONS)],
            comment=OVERALL[index % len(OVERALL)],
            section_comments=_comments(index, sections),
        )
        if key in SUBMITTED:
            answer = services.answer_submit(answer, user=officer)
            comments.extend(answer.comments.order_by("pk"))
    for key, reason in DECLINED.items():
        organisation = _organisation(key)
        services.consultee_decline(
            consultees[organisation.pk], user=_demo_officer(organisation), reason=reason
        )

    applied = 0
    for index, comment in enumerate(comments):
        if index % 5 == 4:
            continue  # some comments still wait for a decision
        choices = DECISIONS[comment.stance]
        decision, reason = choices[index % len(choices)]
        if comment.stance == "propose" and not applied:
            decision, reason = ACCEPTED
        disposition = services.disposition_record(
            comment, user=editor, decision=decision, reason=reason
        )
        if comment.stance == "propose" and decision == "accepted" and not applied:
            try:
                services.proposal_apply(disposition, user=editor)
                applied += 1
            except ValidationError:
                pass  # the section left the working draft after the consultation

    meeting_day = round_.opens_on + datetime.timedelta(days=7)
    services.meeting_record(
        round_,
        user=owner,
        title="Samråd med samebyarna i Norrbotten",
        held_at=datetime.datetime.combine(meeting_day, datetime.time(10, tzinfo=STOCKHOLM)),
        place="Jokkmokk",
        participants=[
            _organisation(slug)
            for slug in (
                "gabna-sameby",
                "laevas-sameby",
                "girjas-sameby",
                "baste-cearru",
                "lansstyrelsen-norrbotten",
                "region-vasterbotten",
            )
        ],
        sections=sections[1:3],
        notes=(
            "Exempeltext: Samebyarna framförde att strategin behöver beskriva hur "
            "renskötselns markbehov vägs in tidigt i planeringen."
        ),
        outcomes=(
            "Exempeltext: Avsnittet om samråd ses över; ett nytt möte hålls innan strategin antas."
        ),
        is_example=True,
    )
    return {
        "consultation rounds": 1,
        "consultation answers": len(SUBMITTED) + len(DRAFTS),
        "dispositions": len(comments) - len(comments) // 5,
    }
