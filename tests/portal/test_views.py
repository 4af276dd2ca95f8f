"""Portal pages: articles with contacts and comments, events with registration and iCal, the
editors' and moderators' pages, the commenter's own data, the feed and the page furniture."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from mineralstrategi.portal import services
from mineralstrategi.portal.models import Comment, Event, NewsArticle
from mineralstrategi.portal.services import CommentTarget


def en(obj_or_path) -> str:
    """The English page of an object (or a Swedish path), whatever language is active."""
    with translation.override("sv"):
        if not isinstance(obj_or_path, str):
            path = obj_or_path.get_absolute_url()
        elif obj_or_path.startswith("/"):
            path = obj_or_path
        else:
            path = reverse(obj_or_path)
    return "/en" + path


def post_comment(client, url, **data):
    return client.post(
        url,
        {
            "name": "Lisa",
            "email": "lisa@hemligt.example",
            "body": "Bra text!",
            "website": "",
            **data,
        },
    )


PUBLIC = "https://mineralstrategi.example.se"


def part_of_public_address(body: str, path: str) -> bool:
    return f"{PUBLIC}{path}" in body


@pytest.fixture(autouse=True)
def public_address(settings):
    """Links in mails are on the site's public address, whatever host the request came to."""
    settings.SITE_URL = PUBLIC


def test_article_shows_its_contacts_and_press_contact_but_no_private_one(client, article, soup):
    page = soup(client.get(en(article)))

    contacts = page.select(".article-contacts .contact-card")
    names = [card.select_one(".contact-name").get_text(" ", strip=True) for card in contacts]
    assert names == ["Anna Strateg", "Pelle Press Press contact"]
    press = contacts[1].get_text(" ", strip=True)
    for part in ("Presschef", "Region Västerbotten", "070-444 55 66", "press@region.example"):
        assert part in press
    assert "Inte Publik" not in page.get_text()
    assert page.select_one("h1").get_text() == "Strategin är antagen"
    assert page.select_one(".article-body strong").get_text() == "gruvor"
    assert [a.get_text() for a in page.select(".article-links .badge")] == ["beslut", "strategi"]


def test_a_draft_is_hidden_from_visitors_and_previewed_by_editors(client, editor):
    draft = services.article_save(user=editor, title="Hemligt utkast")

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_commenting_under_pre_moderation(client, article, pre_moderation, soup):
    response = post_comment(client, en(article))  # the thank-you is in the language written in

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "pending"
    page = soup(client.get(en(article)))
    assert "once a moderator has read it" in page.select_one(".messages").get_text()
    assert page.select("#comments .comment") == []


def test_a_published_comment_never_shows_the_email(client, article, post_moderation, soup):
    post_comment(client, article.get_absolute_url())

    response = client.get(article.get_absolute_url())
    page = soup(response)
    assert page.select_one("#comments .comment-author").get_text() == "Lisa"
    assert b"hemligt.example" not in response.content


def test_a_bad_comment_form_names_the_field(client, article, soup):
    response = post_comment(client, en(article), email="inte-en-adress")

    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#id_email")["aria-invalid"] == "true"
    assert not Comment.objects.exists()


def test_the_honeypot_field_is_hidden_from_people(client, article, soup):
    page = soup(client.get(article.get_absolute_url()))
    honeypot = page.select_one(".hp-field")
    assert honeypot["aria-hidden"] == "true"
    assert honeypot.select_one("input")["name"] == "website"


def test_report_button_counts_and_three_reports_hide(client, article, post_moderation, soup):
    comment = services.comment_submit(
        CommentTarget(article=article), name="A", email="a@x.se", body="Text", ip="1.1.1.1"
    )
    for number in range(3):
        client.post(
            reverse("portal:comment_report", args=[comment.pk]), REMOTE_ADDR=f"10.3.0.{number}"
        )

    comment.refresh_from_db()
    assert comment.open_reports == 3
    assert soup(client.get(article.get_absolute_url())).select("#comments .comment") == []
    assert client.post(reverse("portal:comment_report", args=[comment.pk])).status_code == 404


def test_moderator_works_the_queue(client, article, moderator, pre_moderation, soup):
    post_comment(client, article.get_absolute_url())
    post_comment(client, article.get_absolute_url(), name="Spammare", email="s@x.se")
    first, spam = Comment.objects.order_by("pk")
    client.force_login(moderator)

    page = soup(client.get(en("portal:moderation")))
    assert len(page.select(".moderation-item")) == 2
    assert "lisa@hemligt.example" in page.select_one(f"#moderate-{first.pk}").get_text()
    client.post(reverse("portal:moderate", args=[first.pk]), {"action": "approve"})
    client.post(reverse("portal:moderate", args=[spam.pk]), {"action": "delete"})

    assert list(Comment.objects.values_list("status", flat=True)) == ["published"]
    assert soup(client.get(en("portal:moderation"))).select(".moderation-item") == []
    post_comment(client, article.get_absolute_url(), name="Tredje", email="t@x.se")
    swedish = soup(client.get("/moderering/"))
    assert [th.text for th in swedish.select("thead th")][-1] == "Åtgärd"  # not "Insats"


def test_moderation_is_closed_to_others(client, article, editor):
    assert client.get(reverse("portal:moderation")).status_code == 302
    client.force_login(editor)
    assert client.get(reverse("portal:moderation")).status_code == 403


def test_commenter_asks_for_their_data_and_deletes_it(client, article, post_moderation, soup):
    post_comment(client, article.get_absolute_url())

    client.post(reverse("portal:my_comments_request"), {"email": "lisa@hemligt.example"})

    link = mail.outbox[0].body.split(PUBLIC)[1].split()[0]
    page = soup(client.get(en(link.removeprefix("/en"))))
    assert "Bra text!" in page.select_one("table").get_text()
    data = client.get(link, {"format": "json"}).json()
    assert data["comments"][0]["text"] == "Bra text!"
    assert data["comments"][0]["on"] == "Strategin är antagen"
    client.post(link)
    assert not Comment.objects.exists()
    assert client.get(link[:-4] + "abc/").status_code == 400


def test_comment_on_a_section_of_the_adopted_strategy(
    client, adopted_strategy, post_moderation, soup
):
    strategy, section = adopted_strategy
    url = reverse("portal:section_comments", kwargs={"slug": strategy.slug, "key": section.key})

    post_comment(client, url, body="Om *visionen*")

    comment = Comment.objects.get()
    assert (comment.strategy, comment.section_key) == (strategy, section.key)
    page = soup(client.get(url))
    assert page.select_one("h1").get_text() == section.title
    assert page.select_one("#comments .comment-body em").get_text() == "visionen"
    other = "00000000-0000-0000-0000-000000000000"
    assert client.get(url.replace(str(section.key), other)).status_code == 404


def test_event_page_registration_and_ical(client, seminar, soup):
    page = soup(client.get(en(seminar)))
    assert " ".join(page.select_one("#registration p").get_text().split()) == "2 places, 2 left."

    for number in range(3):
        client.post(
            seminar.get_absolute_url(),
            {"name": f"P{number}", "email": f"p{number}@x.se", "website": ""},
            REMOTE_ADDR=f"10.4.0.{number}",
        )

    assert list(seminar.registrations.values_list("status", flat=True)) == [
        "confirmed", "confirmed", "waiting",
    ]  # fmt: skip
    page = soup(client.get(en(seminar)))
    assert page.select_one("#registration button").get_text() == "Join the waiting list"
    calendar = client.get(reverse("portal:event_ical", args=[seminar.slug]))
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"SUMMARY:Slutseminarium i Skellefte" in calendar.content


def test_cancel_link_frees_a_place_for_the_waiting_list(client, seminar):
    for number in range(3):
        client.post(
            seminar.get_absolute_url(),
            {"name": f"P{number}", "email": f"p{number}@x.se"},
            REMOTE_ADDR=f"10.4.0.{number}",
        )
    (link,) = [
        part.removeprefix(PUBLIC) for part in mail.outbox[0].body.split() if "/avboka/" in part
    ]
    assert part_of_public_address(mail.outbox[0].body, link)

    assert client.get(link).status_code == 200
    client.post(link)

    assert list(seminar.registrations.values_list("status", flat=True)) == [
        "cancelled", "confirmed", "confirmed",
    ]  # fmt: skip


def test_editor_writes_and_schedules_an_article_in_the_site(client, editor, contacts):
    info, press, _hidden = contacts
    client.force_login(editor)
    later = timezone.localtime() + timedelta(days=1)

    response = client.post(
        reverse("portal:article_create"),
        {
            "title": "Planerad nyhet",
            "lead": "Ingress",
            "body_markdown": "Text",
            "tags": "a, b",
            "contacts": [info.pk],
            "press_contact": press.pk,
            "status": "published",
            "published_at": later.strftime("%Y-%m-%dT%H:%M"),
            "comments_open": "on",
        },
    )

    article = NewsArticle.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{article.pk}/")
    assert article.published_at > timezone.now() and not article.is_public
    assert list(article.contacts.all()) == [info] and article.press_contact == press
    assert article.author == editor


def test_editor_creates_an_event(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("portal:event_create"),
        {
            "title": "Dialogmöte",
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T12:00",
            "place": "Luleå",
            "capacity": "20",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get().capacity == 20


def test_editor_pages_are_closed_to_visitors_and_other_staff(client, moderator):
    assert client.get(reverse("portal:article_create")).status_code == 302
    client.force_login(moderator)
    assert client.get(reverse("portal:article_create")).status_code == 403
    assert client.post(reverse("portal:article_create"), {"title": "x"}).status_code == 403
    assert not NewsArticle.objects.exists()


def test_news_feed_is_atom_with_the_published_articles(client, article, editor):
    services.article_save(user=editor, title="Inte publicerad")

    response = client.get(reverse("portal:news_feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert titles == ["Strategin är antagen"]
    content = root.find("a:entry/a:content", ns)
    assert content.get("type") == "html" and "<strong>gruvor</strong>" in content.text


def test_every_page_has_skip_link_tools_language_switch_and_print_date(client, article, soup):
    page = soup(client.get(en(article)))

    assert page.select_one("a.skip-link")["href"] == "#main"
    assert {b["data-action"] for b in page.select(".page-tools button")} >= {"print", "listen"}
    assert page.select_one(".language-switch a")["hreflang"] == "sv"
    footer = page.select_one(".print-source").get_text(" ", strip=True)
    assert f"http://testserver{en(article)}" in footer
    assert timezone.localdate().isoformat() in footer


def test_content_security_policy_allows_no_inline_script(client, article):
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


@pytest.mark.parametrize("name", ["portal:news_list", "portal:event_list", "portal:home"])
def test_list_pages_have_a_fixed_number_of_queries(
    client, editor, name, django_assert_max_num_queries, geography
):
    for number in range(12):
        services.article_save(user=editor, title=f"Nyhet {number}", status="published", tags="x, y")
    with django_assert_max_num_queries(12):
        client.get(reverse(name))


def test_the_adopted_version_links_each_section_to_its_comments(client, adopted_strategy, soup):
    strategy, section = adopted_strategy
    page = soup(client.get(en(f"/strategi/{strategy.slug}/version/{section.version.number}/")))

    link = page.select_one(f"#{section.anchor} .section-comments-link a")
    with translation.override("en"):
        expected = reverse(
            "portal:section_comments", kwargs={"slug": strategy.slug, "key": section.key}
        )
    assert link["href"] == expected


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: the header is the visitor's own and ignored
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the left entry may be forged by the visitor
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (3, "1.2.3.4", "1.2.3.4"),
    ],
)
def test_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    from mineralstrategi.visitors import client_ip

    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "PROXY_COUNT": proxies}
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == expected


def test_the_moderation_queue_comes_fifty_a_page(client, article, moderator, soup):
    Comment.objects.bulk_create(
        Comment(article=article, name=f"N{k}", email="n@example.org", body="x", status="pending")
        for k in range(60)
    )
    client.force_login(moderator)

    first = soup(client.get(en("portal:moderation")))
    second = soup(client.get(en("portal:moderation") + "?page=2"))

    assert "60 comments waiting" in first.select_one("#queue-heading").text
    assert len(first.select(".moderation-item")) == 50
    assert len(second.select(".moderation-item")) == 10
    assert first.select_one(".pager a[rel=next]")["href"] == "?page=2"
    assert (
        len(soup(client.get(en("portal:moderation") + "?page=x")).select(".moderation-item")) == 50
    )


# --- Limits: comments refused with 429 and the text kept; reports counted by reporter ------------


def report(client, comment, ip="10.3.0.1"):
    return client.post(reverse("portal:comment_report", args=[comment.pk]), REMOTE_ADDR=ip)


@pytest.fixture
def published_comment(article, post_moderation):
    return services.comment_submit(
        CommentTarget(article=article), name="A", email="a@x.se", body="Text", ip="1.1.1.1"
    )


def test_a_comment_over_the_limit_gets_429_with_the_text_kept_in_swedish(
    client, article, settings, soup
):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_RATE_LIMIT": 1}
    assert post_comment(client, article.get_absolute_url()).status_code == 302

    refused = post_comment(
        client, article.get_absolute_url(), email="ny@example.se", body="Min långa synpunkt."
    )

    assert refused.status_code == 429
    page = soup(refused)
    assert page.select_one(".comment-form .form-errors").get_text(" ", strip=True) == (
        "För många inskick på kort tid. Försök igen om 10 minuter."
    )
    assert page.select_one(".comment-form textarea[name=body]").get_text().strip() == (
        "Min långa synpunkt."
    )
    assert page.select_one(".comment-form input[name=email]")["value"] == "ny@example.se"
    assert Comment.objects.count() == 1


def test_reports_count_reporters_not_requests(client, published_comment, article, soup):
    for _ in range(3):
        answer = report(client, published_comment, ip="10.3.0.1")
        assert answer.status_code == 302
        assert "Tack. En moderator granskar kommentaren." in soup(client.get(answer.url)).text

    published_comment.refresh_from_db()
    assert published_comment.open_reports == 1
    assert soup(client.get(article.get_absolute_url())).select("#comments .comment")

    report(client, published_comment, ip="10.3.0.2")
    report(client, published_comment, ip="10.3.0.3")
    published_comment.refresh_from_db()
    assert published_comment.open_reports == 3
    assert soup(client.get(article.get_absolute_url())).select("#comments .comment") == []


def test_a_signed_in_reporter_counts_once_from_any_address(
    client, published_comment, django_user_model
):
    reader = django_user_model.objects.create_user("lasare", password="a-long-test-password")
    client.force_login(reader)
    for number in range(3):
        report(client, published_comment, ip=f"10.4.0.{number}")

    published_comment.refresh_from_db()
    assert published_comment.open_reports == 1


def test_a_moderators_approval_clears_the_reports(client, published_comment, moderator, soup):
    for number in range(3):
        report(client, published_comment, ip=f"10.5.0.{number}")
    services.comment_moderate(published_comment, user=moderator, action="approve")

    published_comment.refresh_from_db()
    assert published_comment.open_reports == 0
    assert not published_comment.reports.exists()
    report(client, published_comment, ip="10.5.0.0")  # a new report after the review counts
    published_comment.refresh_from_db()
    assert published_comment.open_reports == 1


def test_reports_over_the_limit_get_a_429_page_in_swedish(
    client, published_comment, article, settings, soup
):
    settings.MINERALSTRATEGI = {**settings.MINERALSTRATEGI, "COMMENT_RATE_LIMIT": 1}
    other = services.comment_submit(
        CommentTarget(article=article), name="B", email="b@x.se", body="Mer", ip="1.1.1.2"
    )
    assert report(client, published_comment).status_code == 302

    refused = report(client, other)

    assert refused.status_code == 429
    page = soup(refused)
    assert page.select_one("h1").get_text() == "För många på kort tid"
    assert page.select_one("[role=alert]").get_text() == (
        "För många inskick på kort tid. Försök igen om 10 minuter."
    )
    assert page.select_one("main a")["href"] == article.get_absolute_url() + "#comments"
    other.refresh_from_db()
    assert other.open_reports == 0
