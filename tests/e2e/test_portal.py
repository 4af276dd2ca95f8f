"""The public portal in a real browser: accessibility of every public page type (axe-core), a
visitor who reads, prints, listens, comments and registers with the keyboard only, a moderator
working the queue, and the print stylesheet."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from mineralstrategi.demo.organisations import DEMO_PASSWORD
from mineralstrategi.demo.portal import PORTAL_USERNAME, SEMINAR_SLUG
from mineralstrategi.demo.strategy import SLUG as STRATEGY_SLUG
from mineralstrategi.demo.strategy import key_of
from mineralstrategi.portal.models import Comment, EventRegistration

from .conftest import axe_violations, pass_second_step
from .handbook import handbook_picture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sqlite_in_ci,
]  # the browser walks share out between the CI runs

ARTICLE = "/nyheter/mineralstrategin-ar-antagen/"
SEMINAR = f"/evenemang/{SEMINAR_SLUG}/"
SECTION_COMMENTS = f"/kommentarer/strategi/{STRATEGY_SLUG}/{key_of('vision')}/"

PUBLIC_PAGES = {
    "home": "/",
    "news list": "/nyheter/",
    "article": ARTICLE,
    "article in English": "/en" + ARTICLE,
    "event list": "/evenemang/",
    "event": SEMINAR,
    "search results": "/sok/?q=strategi",
    "strategy section comments": SECTION_COMMENTS,
    "your comments": "/mina-kommentarer/",
    "organisation with contacts": "/organisationer/region-vasterbotten/",
}
STAFF_PAGES = {
    "editorial desk": "/redaktion/",
    "article editor": "/redaktion/nyheter/ny/",
    "event editor": "/redaktion/evenemang/nytt/",
    "moderation": "/moderering/",
}

# Stands in for the browser's speech synthesis: three voices, and a record of every call.
FAKE_SPEECH = """
(() => {
  const calls = [];
  const voices = [
    {name: "Samantha", lang: "en-US", localService: true, default: true},
    {name: "Alva", lang: "sv-SE", localService: true, default: false},
    {name: "Daniel", lang: "en-GB", localService: true, default: false},
  ];
  const fake = {
    speaking: false, paused: false, pending: false,
    speak(u) { calls.push({call: "speak", text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); this.speaking = true; },
    cancel() { calls.push({call: "cancel"}); this.speaking = false; this.paused = false; },
    pause() { calls.push({call: "pause"}); this.paused = true; },
    resume() { calls.push({call: "resume"}); this.paused = false; },
    getVoices() { return voices; },
    addEventListener() {}, removeEventListener() {},
  };
  // The browser's own utterance accepts only its own voice objects; the stand-in takes any.
  window.SpeechSynthesisUtterance = function (text) {
    this.text = text; this.lang = ""; this.voice = null; this.onend = null;
  };
  Object.defineProperty(window, "__speech", {value: calls});
  Object.defineProperty(window, "speechSynthesis", {configurable: true, get: () => fake});
})();
"""

PRINT_RECORDER = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


def describe(violations) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations
    )


def log_in(page, base: str, username: str = PORTAL_USERNAME) -> None:
    page.goto(f"{base}/en/konto/login/?next=/en/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    pass_second_step(page, username)  # the portal editor is staff: two-step verification
    page.wait_for_url(f"{base}/en/")


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        }"""
    )


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def test_every_page_type_passes_axe_and_fits_a_phone(demo_site, open_page):
    page = open_page(bypass_csp=True)  # axe-core is injected as a script the CSP would refuse
    failures = {}
    for name, path in PUBLIC_PAGES.items():
        response = page.goto(demo_site + path)
        assert response.status == 200, name
        if violations := axe_violations(page):
            failures[name] = describe(violations)
    log_in(page, demo_site)
    for name, path in STAFF_PAGES.items():
        page.goto(demo_site + path)
        if violations := axe_violations(page):
            failures[name] = describe(violations)

    page.set_viewport_size({"width": 360, "height": 740})
    too_wide = []
    for name, path in {**PUBLIC_PAGES, **STAFF_PAGES}.items():
        page.goto(demo_site + path)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
            too_wide.append(name)

    assert failures == {}, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
    assert too_wide == []


def test_reader_uses_only_the_keyboard_to_read_comment_and_register(demo_site, page):
    page.goto(demo_site + "/en/nyheter/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, f'main a[href="/en{ARTICLE}"]')
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en{ARTICLE}")
    assert (
        page.locator("h1").inner_text()
        == "Mineralstrategin för Norrbotten och Västerbotten är antagen"
    )
    assert page.locator(".article-contacts .contact-card").count() >= 2

    tab_to(page, "#id_name")
    page.keyboard.type("Tangentbordsläsaren")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_email"
    page.keyboard.type("tangent@example.se")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_body"
    page.keyboard.type("Skrivet utan mus.")
    page.keyboard.press("Tab")  # the honeypot is out of the tab order
    # The link to the privacy notice, then the button.
    assert page.evaluate("document.activeElement.textContent.trim()") == (
        "How we handle personal data"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send comment"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "moderator" in page.locator(".messages").inner_text()
    comment = Comment.objects.get(name="Tangentbordsläsaren")
    assert comment.status == "pending" and comment.article.slug == "mineralstrategin-ar-antagen"

    page.goto(demo_site + "/en" + SEMINAR)
    tab_to(page, "#registration #id_name")
    page.keyboard.type("Tangent Bordsson")
    page.keyboard.press("Tab")
    page.keyboard.type("bordsson@example.se")
    page.keyboard.press("Tab")
    page.keyboard.type("Exempelföretaget")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "registered" in page.locator(".messages").inner_text()
    registration = EventRegistration.objects.get(email="bordsson@example.se")
    assert registration.status == "confirmed" and registration.event.slug == SEMINAR_SLUG


def test_listen_speaks_the_article_with_a_swedish_voice_and_pauses_and_stops(demo_site, open_page):
    page = open_page(init_scripts=(FAKE_SPEECH,))
    page.goto(demo_site + ARTICLE)
    listen = page.locator("[data-action=listen]")
    listen.wait_for(state="visible")

    listen.focus()
    page.keyboard.press("Enter")

    spoken = page.evaluate("window.__speech.filter(c => c.call === 'speak')")
    assert len(spoken) == 1
    assert spoken[0]["voice"] == "Alva" and spoken[0]["lang"] == "sv-SE"
    assert "Mineralstrategin för Norrbotten och Västerbotten är antagen" in spoken[0]["text"]
    assert "Send comment" not in spoken[0]["text"] and "Leave this field" not in spoken[0]["text"]
    assert listen.get_attribute("aria-pressed") == "true"

    page.locator("[data-action=pause]").click()
    assert page.locator("[data-action=pause]").get_attribute("aria-pressed") == "true"
    page.locator("[data-action=pause]").click()
    page.locator("[data-action=stop]").click()

    calls = [c["call"] for c in page.evaluate("window.__speech")]
    assert calls[-3:] == ["pause", "resume", "cancel"]
    assert page.locator("[data-action=pause]").is_hidden()
    assert listen.get_attribute("aria-pressed") == "false"

    page.goto(demo_site + "/en" + ARTICLE)
    page.locator("[data-action=listen]").click()
    english = page.evaluate("window.__speech.filter(c => c.call === 'speak')")
    assert (english[-1]["voice"], english[-1]["lang"]) == ("Daniel", "en-GB")


def test_print_button_and_print_stylesheet(demo_site, open_page):
    page = open_page(init_scripts=(PRINT_RECORDER,))
    page.goto(demo_site + ARTICLE)
    page.locator("[data-action=print]").click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")

    source = page.locator(".print-source")
    assert source.is_visible()
    text = source.inner_text()
    assert demo_site + ARTICLE in text
    assert timezone.localdate().isoformat() in text
    for hidden in (".page-tools", ".site-header nav", ".comment-form", ".registration-form"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".article-body").is_visible()


def test_moderator_works_the_queue(demo_site, page):
    waiting = list(Comment.objects.filter(status="pending").order_by("-open_reports", "created_at"))
    assert len(waiting) >= 2
    log_in(page, demo_site)

    page.goto(demo_site + "/moderering/")  # the handbook shows the Swedish page
    handbook_picture(page, "moderator-kommentarer")
    page.goto(demo_site + "/en/moderering/")
    items = page.locator(".moderation-item")
    assert items.count() == len(waiting)
    items.first.get_by_role("button", name=re.compile("^Approve")).click()
    page.wait_for_load_state()
    page.locator(".moderation-item").first.get_by_role("button", name=re.compile("^Hide")).click()
    page.wait_for_load_state()

    assert page.locator(".moderation-item").count() == len(waiting) - 2
    statuses = {c.pk: c.status for c in Comment.objects.filter(pk__in=[w.pk for w in waiting])}
    assert statuses[waiting[0].pk] == "published" and statuses[waiting[1].pk] == "hidden"
    page.goto(demo_site + "/en" + waiting[0].target_url().removeprefix("/en"))
    assert page.locator(f"#comment-{waiting[0].pk}").is_visible()


def test_editor_drafts_then_publishes_an_article_in_the_browser(demo_site, page):
    log_in(page, demo_site)
    page.goto(demo_site + "/en/redaktion/nyheter/ny/")
    page.fill("#id_title", "Dialogmöte i Gällivare")
    page.fill("#id_lead", "Ett exempel på en ingress.")
    page.fill("#id_body_markdown", "Vi träffas om **vatten**.")
    page.fill("#id_tags", "dialog, Gällivare")
    page.select_option("#id_status", "draft")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/redaktion/nyheter/\d+/$"))

    with page.expect_navigation():
        page.get_by_role("link", name="Preview").click()
    assert "Draft: not public" in page.locator(".badge-private").inner_text()
    anonymous = page.context.browser.new_context().new_page()
    assert anonymous.goto(page.url).status == 404

    preview_url = page.url
    page.go_back()
    page.select_option("#id_status", "published")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert anonymous.goto(preview_url).status == 200
    assert anonymous.locator(".article-body strong").inner_text() == "vatten"
    public = anonymous.goto(demo_site + "/nyheter/")
    assert public.status == 200
    assert anonymous.get_by_role("link", name="Dialogmöte i Gällivare").is_visible()
    anonymous.context.close()
