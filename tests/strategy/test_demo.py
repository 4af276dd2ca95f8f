"""The demo strategy: two frozen versions with real differences, labelled as example text."""

from mineralstrategi.demo.loader import demo_load
from mineralstrategi.strategy import selectors
from mineralstrategi.strategy.models import Section, Strategy


def test_demo_strategy_loads_once_with_two_versions(db, client, demo_data):
    strategy = Strategy.objects.get()
    assert strategy.is_example
    assert strategy.partnership.count() == 6
    assert sorted(strategy.counties.values_list("code", flat=True)) == ["24", "25"]
    consultation, adopted = strategy.versions.frozen()
    assert (consultation.label, adopted.label) == ("Remissversion", "Antagen version")
    assert strategy.adopted_version == adopted
    directions = adopted.sections.filter(kind="direction").count()
    assert 4 <= directions <= 6
    assert not Section.objects.filter(is_example=False).exists()
    assert adopted.sections.filter(links__isnull=False).distinct().count() >= 15

    counts = selectors.version_diff(consultation, adopted).counts
    assert counts["added"] >= 1 and counts["removed"] >= 1 and counts["changed"] >= 1
    assert counts["moved"] >= 1

    assert not demo_load().changed  # idempotent
    page = client.get(f"/strategi/{strategy.slug}/version/2/")
    assert "Example text" in page.content.decode() or "Exempeltext" in page.content.decode()
