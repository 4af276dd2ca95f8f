"""The portal's demo content: news around the strategy, the seminar with registrations, and
comments, some waiting for moderation; loaded once."""

import pytest
from django.contrib.auth import get_user_model

from mineralstrategi.demo.loader import demo_load
from mineralstrategi.demo.portal import PORTAL_USERNAME
from mineralstrategi.portal import selectors
from mineralstrategi.portal.models import Comment, Event, NewsArticle


@pytest.mark.django_db
def test_demo_portal_content_is_example_data_and_loads_once(client, soup, demo_data):
    counts = (NewsArticle.objects.count(), Event.objects.count(), Comment.objects.count())

    second = demo_load()

    assert not second.changed
    assert counts == (NewsArticle.objects.count(), Event.objects.count(), Comment.objects.count())
    assert counts[0] >= 3 and not NewsArticle.objects.filter(is_example=False).exists()
    seminar = Event.objects.get(slug="slutseminarium-mineralstrategin-skelleftea")
    assert "Skellefteå" in seminar.place and seminar.registration_open
    assert seminar.registrations.filter(status="confirmed").count() >= 5
    moderator = get_user_model().objects.get(username=PORTAL_USERNAME)
    assert selectors.moderation_queue(moderator).count() >= 2
    adopted = NewsArticle.objects.get(slug="mineralstrategin-ar-antagen")
    assert selectors.article_comments(adopted).count() >= 2
    page = soup(client.get("/en" + adopted.get_absolute_url().removeprefix("/en")))
    assert page.select_one(".article-contacts")
    assert page.select(".example-label")


@pytest.mark.django_db
def test_consultation_feed_lists_the_rounds_sent_out(client, demo_data):
    from xml.etree import ElementTree

    from mineralstrategi.consultation.models import ConsultationRound

    sent = ConsultationRound.objects.published().order_by("-sent_at", "-pk")

    response = client.get("/remiss/atom.xml")

    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ElementTree.fromstring(response.content).findall("a:entry", ns)
    assert [entry.find("a:title", ns).text for entry in entries] == [r.title for r in sent]
    assert sent.exists()
    summary = entries[0].find("a:summary", ns).text
    assert sent[0].registry_number in summary and sent[0].deadline.isoformat() in summary


@pytest.mark.django_db
def test_a_first_visitor_of_the_demo_meets_the_welcome_first(client, soup, demo_data):
    """The newest news on the demo's home page says whom to log in as and what to try first."""
    from mineralstrategi.demo.portal import WELCOME_SLUG

    home = soup(client.get("/"))
    first = home.select_one("#news-heading ~ ul li")
    assert "Kom igång med demonstrationen" in first.get_text()
    article = NewsArticle.objects.get(slug=WELCOME_SLUG)
    page = soup(client.get(article.get_absolute_url()))
    links = {a["href"] for a in page.select("main a[href]")}
    slug = article.strategy.slug
    assert {"/remiss/", f"/uppfoljning/{slug}/arshjul/", f"/strategi/{slug}/"} <= links
    assert "mineral-demo-2014" in page.get_text() and "skelleftea" in page.get_text()
    assert page.select(".example-label")
    for path in ("/remiss/", f"/uppfoljning/{slug}/arshjul/", f"/strategi/{slug}/"):
        assert client.get(path).status_code == 200, path
