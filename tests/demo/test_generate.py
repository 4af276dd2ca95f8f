"""`mineralstrategi generate --scale demo` through the real command function, on the test database."""

import pytest
from django.db import transaction

from mineralstrategi import cli
from mineralstrategi.consultation.models import Answer, AnswerStatus, Consultee
from mineralstrategi.demo.generate import SCALES, checksums
from mineralstrategi.implementation.models import Initiative
from mineralstrategi.indicators.models import Indicator, Observation, PricePoint
from mineralstrategi.organisations.models import County, Municipality, Organisation
from mineralstrategi.portal.models import Comment, NewsArticle
from mineralstrategi.strategy.models import FrozenVersionError, Section, Strategy, StrategyVersion

pytestmark = pytest.mark.sqlite_in_ci  # generated data, alike on either database: CI makes it once

SCALE = SCALES["demo"]


@pytest.fixture
def run(db, monkeypatch):
    """run(*arguments) -> exit code of `mineralstrategi generate --scale demo …`."""
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the test database is already set up
    # The command sets MINERALSTRATEGI_DATA_DIR for its process; monkeypatch undoes that after.
    monkeypatch.setenv("MINERALSTRATEGI_DATA_DIR", "")

    def run(*arguments: str) -> int:
        return cli.main(["generate", "--scale", "demo", *arguments])

    return run


def generated_municipalities():
    return Municipality.objects.filter(county__code__in=SCALE.counties)


def test_the_demo_scale_has_the_counts_of_its_spec(run, capsys):
    assert run("--seed", "3") == 0

    municipalities = generated_municipalities().count()
    assert (County.objects.count(), Municipality.objects.count()) == (21, 290)
    assert Organisation.objects.filter(slug__startswith="gen-").count() == SCALE.organisations
    assert Strategy.objects.filter(is_example=True).count() == SCALE.strategies
    assert StrategyVersion.objects.frozen().count() == SCALE.strategies * SCALE.versions
    assert Section.objects.count() == SCALE.sections_per_version * (SCALE.versions + 1)
    assert Indicator.objects.filter(is_example=True).count() == SCALE.indicators
    assert Observation.objects.count() == SCALE.indicators * municipalities * SCALE.years
    assert PricePoint.objects.exists()
    assert Consultee.objects.count() == SCALE.rounds * municipalities
    assert Answer.objects.filter(status=AnswerStatus.SUBMITTED).count() == Consultee.objects.count()
    assert Initiative.objects.filter(is_example=True).count() == SCALE.initiatives
    assert NewsArticle.objects.count() == SCALE.news
    assert Comment.objects.count() == SCALE.comments
    output = capsys.readouterr().out
    assert "Generated the demo data set (seed 3)" in output
    assert f"{SCALE.comments} comments" in output


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(run):
    def generated_with(seed: str) -> dict[str, str]:
        with transaction.atomic():
            assert run("--seed", seed) == 0
            digests = checksums()
            transaction.set_rollback(True)
        return digests

    first, again, other = generated_with("5"), generated_with("5"), generated_with("6")

    assert first == again
    assert all(first[part] != other[part] for part in first)


def test_a_second_run_is_refused_and_changes_nothing(run, capsys):
    assert run() == 0
    before = checksums(), Organisation.objects.count(), Observation.objects.count()
    capsys.readouterr()

    assert run("--seed", "2") == 2

    assert "already holds generated data" in capsys.readouterr().err
    assert (checksums(), Organisation.objects.count(), Observation.objects.count()) == before


def test_every_observation_belongs_to_an_example_indicator_with_every_place_and_year(run):
    run()
    municipalities = set(generated_municipalities().values_list("code", flat=True))
    years = {str(year) for year in range(2024 - SCALE.years + 1, 2025)}

    for indicator in Indicator.objects.filter(is_example=True):
        rows = set(indicator.observations.values_list("geo_level", "geo_code", "period"))
        assert rows == {("municipality", code, year) for code in municipalities for year in years}
        assert "Exempeldata" in indicator.method
    assert not Observation.objects.exclude(indicator__in=Indicator.objects.all()).exists()
    assert not Observation.objects.filter(value__isnull=True).exists()


def test_answers_carry_their_round_registry_reference_and_the_answering_municipality(run):
    run()

    for answer in Answer.objects.select_related("consultee__round", "consultee__organisation"):
        consultee = answer.consultee
        assert answer.registry_reference == consultee.registry_reference
        assert consultee.organisation.kind == "municipality"
        assert answer.created_by.memberships.filter(organisation=consultee.organisation).exists()
        assert answer.comments.count() == 2
        assert all(
            c.section.version_id == consultee.round.version_id for c in answer.comments.all()
        )
    numbers = sorted(Consultee.objects.values_list("answer_number", flat=True))
    assert numbers == list(range(1, generated_municipalities().count() + 1))


def test_frozen_versions_stay_immutable_and_bulk_rows_have_history(run):
    run()
    frozen_section = Section.objects.filter(version__number__isnull=False).first()

    frozen_section.title = "Changed"
    with pytest.raises(FrozenVersionError):
        frozen_section.save()
    for model in (Organisation, Initiative, Comment, Answer, Indicator):
        assert model.history.count() >= model.objects.count() > 0
    assert (
        Section.history.filter(version__number__isnull=True).count() >= SCALE.sections_per_version
    )
    draft_edits = Section.history.filter(history_type="~").count()
    assert draft_edits == 3 * (SCALE.versions - 1) * SCALE.strategies


def test_generated_people_follow_things_and_are_told_once(run, capsys):
    from mineralstrategi.notifications import services
    from mineralstrategi.notifications.models import Event, Follow, Notification

    assert run() == 0
    output = capsys.readouterr().out

    assert Follow.objects.count() > 0
    events = Event.objects.count()
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"section_changed", "version_frozen", "version_adopted", "round_sent"} <= kinds
    assert {"initiative_approved", "indicator_values", "comment_awaits_moderation"} <= kinds
    assert not Event.objects.filter(fanned_out_at__isnull=True).exists()
    notifications = Notification.objects.count()
    assert notifications > 0
    for line in (
        f"notification events: {events}",
        f"notifications: {notifications}",
        "notification mails at once:",
        "notification digests (daily):",
        "notification digests (weekly):",
    ):
        assert line in output, line
    # The worker's run of what the generation queued tells no one again.
    assert all(
        services.fan_out(pk).notifications == 0 for pk in Event.objects.values_list("pk", flat=True)
    )
    assert Notification.objects.count() == notifications
