"""The pages the law asks of a Swedish public-sector site, linked from every page's footer and from
every form that takes personal data, and the site's icon."""

import io

import pytest
from django.core.cache import caches
from django.urls import reverse
from PIL import Image

from mineralstrategi.caching.middleware import RECENT_PAGES

LEGAL = {
    "portal:privacy": ("Så hanterar vi personuppgifter", "How we handle personal data"),
    "portal:accessibility": ("Tillgänglighetsredogörelse", "Accessibility statement"),
    "portal:cookies": ("Kakor", "Cookies"),
}


@pytest.mark.parametrize("name", LEGAL)
def test_each_page_in_swedish_and_english_linked_from_the_footer(client, db, soup, name):
    swedish_title, english_title = LEGAL[name]
    swedish = soup(client.get(reverse(name)))
    assert swedish.h1.text == swedish_title
    footer = {a.text: a["href"] for a in swedish.select("footer .footer-links a")}
    assert footer == {
        "Så hanterar vi personuppgifter": "/om/personuppgifter/",
        "Tillgänglighetsredogörelse": "/om/tillganglighet/",
        "Kakor": "/om/kakor/",
    }
    english = soup(client.get("/en" + reverse(name)))
    assert english.h1.text == english_title
    assert [a["href"] for a in english.select("footer .footer-links a")] == [
        "/en/om/personuppgifter/",
        "/en/om/tillganglighet/",
        "/en/om/kakor/",
    ]


def test_every_page_has_the_footer_links(client, seminar, soup):
    for path in ["/", seminar.get_absolute_url(), "/sidan-finns-inte/", "/konto/login/"]:
        links = [a["href"] for a in soup(client.get(path)).select("footer .footer-links a")]
        assert links == ["/om/personuppgifter/", "/om/tillganglighet/", "/om/kakor/"], path


def test_the_privacy_notice_names_the_controller_or_says_it_is_unnamed(client, db, soup, settings):
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "DATA_CONTROLLER": "",
        "PRIVACY_EMAIL": "",
        "CONTACT_EMAIL": "kontakt@region.example",
        "COMMENT_RATE_WINDOW": 900,
    }
    page = soup(client.get(reverse("portal:privacy")))
    assert page.select_one("[data-controller-missing]")
    assert page.select_one("#controller ~ p a")["href"] == "mailto:kontakt@region.example"
    assert "i 15 minuter" in page.text
    assert page.select_one("#comments a")["href"] == reverse("portal:my_comments_request")

    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "DATA_CONTROLLER": "Region Västerbotten",
        "PRIVACY_EMAIL": "dataskydd@regionvasterbotten.example",
    }
    caches[settings.PUBLIC_CACHE_ALIAS].clear()  # settings change only with a new deployment
    RECENT_PAGES.clear()
    page = soup(client.get(reverse("portal:privacy")))
    assert not page.select_one("[data-controller-missing]")
    assert "Personuppgiftsansvarig är Region Västerbotten." in page.text
    assert "dataskydd@regionvasterbotten.example" in page.select_one("#controller ~ p a")["href"]


def test_forms_that_take_personal_data_link_the_privacy_notice(client, seminar, article, soup):
    pages = {
        "event registration": (seminar.get_absolute_url(), "form.registration-form"),
        "comment": (article.get_absolute_url(), "form.comment-form"),
        "my comments": (reverse("portal:my_comments_request"), "main form"),
    }
    for label, (path, form) in pages.items():
        note = soup(client.get(path)).select_one(f"{form} .privacy-note a")
        assert note is not None, label
        assert note["href"] == reverse("portal:privacy"), label


def test_the_icon_answers_at_the_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


def test_nothing_but_the_needed_cookies_and_no_history_cache(client, db, soup):
    """The cookie page says nothing else is stored in the browser: htmx keeps no page snapshots."""
    head = soup(client.get("/")).select_one("meta[name=htmx-config]")["content"]
    assert '"historyCacheSize": 0' in head
    cookies = soup(client.get(reverse("portal:cookies")))
    assert [code.text for code in cookies.select("tbody code")] == [
        "sessionid",
        "messages",
        "csrftoken",
    ]
