"""The demo strategy: the consultation draft, the version adopted by decision after its
consultation was compiled, and an addition on a second consultation; labelled as example text."""

from mineralstrategi.demo import timeline
from mineralstrategi.demo.loader import demo_load
from mineralstrategi.strategy import selectors
from mineralstrategi.strategy.models import Section, Strategy


def test_demo_strategy_loads_once_with_three_versions(db, client, demo_data):
    strategy = Strategy.objects.get()
    assert strategy.is_example
    assert strategy.partnership.count() == 6
    assert sorted(strategy.counties.values_list("code", flat=True)) == ["24", "25"]
    consultation, adopted, addition = strategy.versions.frozen()
    assert [v.label for v in (consultation, adopted, addition)] == [
        "Remissversion",
        "Förslag till beslut",
        "Remissversion: tillägg om efterbehandling",
    ]
    assert strategy.adopted_version == adopted and strategy.status == "revision"
    assert adopted.adoption.consultation == "RV 2014/0412" and adopted.adoption.is_example
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


def test_the_demo_adoption_as_the_public_reads_it(db, client, soup, demo_data):
    strategy = Strategy.objects.get()
    page = soup(client.get(f"/strategi/{strategy.slug}/version/2/"))
    assert page.select_one(".lead [data-adoption-state]").get_text() == "Antagen"
    box = page.select_one("[data-adoption]")
    assert "påhittade för demonstrationen" in box.select_one(".example-label").get_text()
    facts = {
        dt.get_text(): " ".join(dt.find_next_sibling("dd").get_text().split())
        for dt in box.select("dt")
    }
    assert facts["Antagen av"] == "Regionfullmäktige, Region Västerbotten"
    assert facts["Beslutsdatum"] == timeline.day(timeline.ADOPTED).isoformat()
    assert facts["Referens"] == "RF § 87, RUN 2014/0412"
    assert facts["Remiss"] == "Remiss RV 2014/0412, stängd och sammanställd"
    listing = soup(client.get(f"/strategi/{strategy.slug}/"))
    states = [
        (row.select_one("a").get_text(), row.select_one("[data-adoption-state]"))
        for row in listing.select("tbody tr")
    ]
    assert [(name, state.get_text() if state else None) for name, state in states] == [
        ("Version 1: Remissversion", None),
        ("Version 2: Förslag till beslut", "Antagen"),
        ("Version 3: Remissversion: tillägg om efterbehandling", None),
    ]
