"""The site search finds approved initiatives, and only those."""

from mineralstrategi.implementation import services
from mineralstrategi.portal.search import site_search


def test_search_finds_approved_initiatives_only(register, section, editor):
    action = section("Insats 1.1.1")
    listed = register(action, title="Elektrifierade gruvtruckar i Kristineberg")
    register(action, title="Elektrifierade borriggar, ännu inte godkända")
    services.initiative_approve(listed, user=editor)

    hits = [hit for hit in site_search("elektrifierade") if hit.kind == "initiative"]

    assert [hit.title for hit in hits] == ["Elektrifierade gruvtruckar i Kristineberg"]
    assert hits[0].url == listed.get_absolute_url()
