"""Generated consultation rounds on the frozen versions, each answered by every municipality in
scope: submitted answers with their registry references (the round's number and the answer's
number, as `answer_submit` builds them) and section comments, all with history rows."""

import datetime

from simple_history.utils import bulk_create_with_history

from mineralstrategi.consultation.models import (
    STOCKHOLM,
    Answer,
    AnswerComment,
    AnswerStatus,
    ConsultationRound,
    Consultee,
    Position,
    RoundStatus,
    Stance,
)
from mineralstrategi.strategy.models import SectionKind

from .context import Context
from .strategies import body

COMMENTS_PER_ANSWER = 2
BATCH = 1000


def consultation(ctx: Context) -> None:
    rounds = _rounds(ctx)
    consultees = _consultees(ctx, rounds)
    answers = _answers(ctx, consultees)
    _answer_comments(ctx, answers)


def _rounds(ctx: Context) -> list[ConsultationRound]:
    rounds = []
    strategies = ctx.strategies
    for r in range(ctx.scale.rounds):
        strategy = strategies[r % len(strategies)]
        number = (r // len(strategies)) % ctx.scale.versions + 1
        opens_on = datetime.date(2016, 1, 15) + datetime.timedelta(days=100 * r)
        sent_at = datetime.datetime.combine(opens_on, datetime.time(9), tzinfo=STOCKHOLM)
        rounds.append(
            ConsultationRound(
                strategy=strategy,
                version=strategy.versions.get(number=number),
                title=f"Remiss {r + 1}: {strategy.title}, version {number}",
                registry_number=f"GEN {opens_on.year}/{r + 1:04d}",
                instructions=body(ctx.rng(f"round-{r}"), 2),
                opens_on=opens_on,
                deadline=opens_on + datetime.timedelta(days=60),
                contact_name="Exempelhandläggare",
                contact_email="remiss@exempel.example",
                status=RoundStatus.COMPILED if r % 2 else RoundStatus.CLOSED,
                last_answer_number=len(ctx.municipal_organisations),
                sent_at=sent_at,
                created_by=ctx.editors[r % len(ctx.editors)],
                is_example=True,
            )
        )
    rounds = bulk_create_with_history(rounds, ConsultationRound)
    ctx.done("consultation rounds", len(rounds))
    return rounds


def _consultees(ctx: Context, rounds) -> list[Consultee]:
    consultees = [
        Consultee(
            round=round_,
            organisation=organisation,
            invited_at=round_.sent_at,
            answer_number=number,
        )
        for round_ in rounds
        for number, organisation in enumerate(ctx.municipal_organisations, start=1)
    ]
    consultees = bulk_create_with_history(consultees, Consultee, batch_size=BATCH)
    ctx.done("consultees", len(consultees))
    return consultees


def _answers(ctx: Context, consultees) -> list[Answer]:
    rng = ctx.rng("answers")
    positions = Position.values
    answers = []
    for consultee in consultees:
        round_ = consultee.round
        officer = ctx.member_of[consultee.organisation_id]
        submitted = datetime.datetime.combine(
            round_.opens_on + datetime.timedelta(days=rng.randint(5, 59)),
            datetime.time(rng.randint(8, 16), rng.randint(0, 59)),
            tzinfo=STOCKHOLM,
        )
        answers.append(
            Answer(
                consultee=consultee,
                revision=1,
                status=AnswerStatus.SUBMITTED,
                position=rng.choice(positions),
                comment=body(rng, 3),
                registry_reference=f"{round_.registry_number}-{consultee.answer_number:02d}",
                created_by=officer,
                submitted_at=submitted,
                submitted_by=officer,
            )
        )
    answers = bulk_create_with_history(answers, Answer, batch_size=BATCH)
    ctx.done("answers (submitted)", len(answers))
    return answers


def _answer_comments(ctx: Context, answers) -> None:
    rng = ctx.rng("answer-comments")
    sections_of = {}
    comments = []
    for answer in answers:
        version_id = answer.consultee.round.version_id
        if version_id not in sections_of:
            sections_of[version_id] = list(
                answer.consultee.round.version.sections.exclude(kind=SectionKind.TEXT).order_by(
                    "position", "pk"
                )
            )
        for section in rng.sample(sections_of[version_id], COMMENTS_PER_ANSWER):
            stance = rng.choice(Stance.values)
            comments.append(
                AnswerComment(
                    answer=answer,
                    section=section,
                    section_key=section.key,
                    stance=stance,
                    comment=body(rng, 2),
                    proposed_text=body(rng, 1) if stance == Stance.PROPOSE else "",
                )
            )
    comments = bulk_create_with_history(comments, AnswerComment, batch_size=BATCH)
    ctx.done("answer section comments", len(comments))
