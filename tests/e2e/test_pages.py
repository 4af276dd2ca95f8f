"""The public pages in a real browser: content, keyboard access, language switch, page tools,
accessibility (axe-core), and a clean console under the Content-Security-Policy."""

import re

import pytest
from django.utils import translation

from tests.page_types import page_addresses

from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

HOME_HEADING = "A regional strategy for a sustainable and innovative mineral sector"


def home_heading(language: str) -> str:
    """The home page's heading in a language (the msgid where no translation exists yet)."""
    with translation.override(language):
        return translation.gettext(HOME_HEADING)


# Stands in for the browser's speech synthesis, with the voices given (a JSON list), and records
# what the page asks it to say.
FAKE_SPEECH = """
(() => {
  const spoken = [];
  const voices = VOICES;
  const fake = {
    speaking: false, paused: false, pending: false,
    speak(utterance) {
      spoken.push({text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name});
      this.speaking = true;
    },
    cancel() { this.speaking = false; }, pause() {}, resume() {},
    getVoices() { return voices; },
    addEventListener() {}, removeEventListener() {},
  };
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; this.voice = null; };
  Object.defineProperty(window, "__spoken", {value: spoken});
  Object.defineProperty(window, "speechSynthesis", {configurable: true, get: () => fake});
})();
"""
SWEDISH_VOICE = '[{"name": "Alva", "lang": "sv-SE"}, {"name": "Daniel", "lang": "en-GB"}]'
ENGLISH_VOICE_ONLY = '[{"name": "Daniel", "lang": "en-GB"}]'


def speech(voices: str) -> str:
    return FAKE_SPEECH.replace("VOICES", voices)


# A browser without speech synthesis.
NO_SPEECH = """
delete window.speechSynthesis;
delete Window.prototype.speechSynthesis;
"""

PAGES = {
    "home": "/",
    "home in English": "/en/",
    "organisation": "/organisationer/region-vasterbotten/",
    "municipality": "/kommuner/2482/",
    "county list": "/lan/",
    "log in": "/konto/login/",
    "strategy, adopted version": "/strategi/mineralstrategi-norrbotten-vasterbotten/version/2/",
    "strategy, comparison": "/strategi/mineralstrategi-norrbotten-vasterbotten/jamfor/?from=1&to=2",
    "indicator list": "/indikatorer/",
    "indicator with chart and map": "/indikatorer/gruv-sysselsatta/",
    "metal prices": "/metallpriser/iron_ore/",
    "commodity price list": "/metallpriser/?group=all",
    "privacy notice": "/om/personuppgifter/",
    "accessibility statement": "/om/tillganglighet/",
}
NOT_FOUND = "/sidan-finns-inte/"


def test_home_page_shows_the_demo_region(read_only_demo_site, page):
    response = page.goto(read_only_demo_site + "/")

    assert response.status == 200
    assert page.locator("h1").inner_text() == home_heading("sv")
    counties = page.locator("[aria-labelledby=region-heading] .card-list h3").all_inner_texts()
    assert sorted(counties) == ["Norrbottens län", "Västerbottens län"]
    assert page.get_by_role("link", name="Region Västerbotten").is_visible()


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(read_only_demo_site, page):
    page.goto(read_only_demo_site + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName + '#' + document.activeElement.id") == (
        "MAIN#main"
    )


def test_language_switch_goes_to_english_and_back(read_only_demo_site, page):
    page.goto(read_only_demo_site + "/")
    assert page.locator("html").get_attribute("lang") == "sv"

    page.locator(".language-switch").get_by_role("link", name="English", exact=True).click()
    page.wait_for_url(read_only_demo_site + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == HOME_HEADING

    page.locator(".language-switch").get_by_role("link", name="Svenska", exact=True).click()
    page.wait_for_url(read_only_demo_site + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == home_heading("sv")


def test_language_switch_keeps_the_page(read_only_demo_site, page):
    page.goto(read_only_demo_site + "/kommuner/2482/")

    page.locator(".language-switch").get_by_role("link", name="English", exact=True).click()

    page.wait_for_url(read_only_demo_site + "/en/kommuner/2482/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Skellefteå")


def test_listen_reads_the_main_content_aloud(read_only_demo_site, open_page):
    page = open_page(init_scripts=(speech(SWEDISH_VOICE),))
    page.goto(read_only_demo_site + "/strategi/mineralstrategi-norrbotten-vasterbotten/version/2/")
    print_button = page.locator("[data-action=print]")
    listen_button = page.locator("[data-action=listen]")

    assert print_button.is_visible()
    assert listen_button.is_visible()
    listen_button.click()

    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1
    text = spoken[0]["text"]
    assert text.startswith(page.locator("main h1").inner_text())
    # The text of the page only: not its breadcrumbs, contents list nor forms.
    assert "Innehåll" not in text and "›" not in text
    assert (spoken[0]["lang"], spoken[0]["voice"]) == ("sv-SE", "Alva")
    assert listen_button.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-action=stop]").is_visible()
    assert page.locator("[data-listen-status]").is_hidden()


def test_listen_says_when_the_browser_has_no_voice_of_the_language(read_only_demo_site, open_page):
    page = open_page(init_scripts=(speech(ENGLISH_VOICE_ONLY),))
    page.goto(read_only_demo_site + "/")
    page.locator("[data-action=listen]").click()
    assert page.evaluate("window.__spoken")[0]["lang"] == "sv-SE"
    status = page.locator("[data-listen-status]")
    assert status.is_visible() and "ingen röst för sidans språk" in status.inner_text()


def test_listen_is_not_offered_by_a_browser_without_voices(read_only_demo_site, open_page):
    page = open_page(init_scripts=(speech("[]"),))
    page.goto(read_only_demo_site + "/")
    page.wait_for_timeout(1800)  # the page waits for voices that load late
    assert page.locator("[data-action=print]").is_visible()
    assert page.locator("[data-action=listen]").is_hidden()
    assert page.locator("[data-action=stop]").is_hidden()


def test_listen_is_hidden_where_the_browser_cannot_speak(read_only_demo_site, open_page):
    page = open_page(init_scripts=(NO_SPEECH,))
    page.goto(read_only_demo_site + "/")

    assert page.evaluate("'speechSynthesis' in window") is False
    assert page.locator("[data-action=print]").is_visible()
    assert page.locator("[data-action=listen]").is_hidden()


def axe_walk(django_db_blocker) -> dict[str, str]:
    """Every page type of the language check, in Swedish, and the pages above it leaves out (the
    log-in page, English, other rows of the same types), and a missing page."""
    with django_db_blocker.unblock():
        pages = page_addresses()
    seen = set(pages.values())
    pages |= {name: path for name, path in PAGES.items() if path not in seen}
    return pages | {"not found": NOT_FOUND}


def test_no_page_type_has_a_serious_accessibility_violation(
    read_only_demo_site, open_page, django_db_blocker
):
    """axe-core's serious and critical violations on every page type, in one browser page."""
    page = open_page(bypass_csp=True)  # axe-core is injected as a script the CSP would refuse
    found = {}
    for name, path in axe_walk(django_db_blocker).items():
        response = page.goto(read_only_demo_site + path)
        assert response.status == (404 if path == NOT_FOUND else 200), (name, path)
        if violations := axe_violations(page):
            found[f"{name} ({path})"] = [
                f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
                for v in violations
            ]

    assert found == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(texts) for name, texts in found.items()
    )


def test_accessibility_check_finds_a_serious_violation(read_only_demo_site, open_page):
    """The check above can fail: an unnamed link and an image without text are reported."""
    page = open_page(bypass_csp=True)
    page.goto(read_only_demo_site + NOT_FOUND)
    page.evaluate(
        """() => {
            document.getElementById("main").insertAdjacentHTML(
                "beforeend", '<a href="/"><img src="/static/none.png"></a>');
        }"""
    )

    found = {violation["id"] for violation in axe_violations(page)}

    assert {"image-alt", "link-name"} <= found


def test_csp_refuses_an_inline_script(read_only_demo_site, page):
    """The recorder above can fail: an inline script is refused and reported."""
    page.goto(read_only_demo_site + "/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true;";
            document.body.appendChild(script);
        }"""
    )

    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan === undefined")
    assert any(re.match(r"script-src", v) for v in page.evaluate("window.__cspViolations"))
    assert any("Content Security Policy" in e for e in page.log.console_errors)


PAGE_WEIGHT_LIMIT = 500_000  # bytes over the wire, with an empty cache (issue #19)
PAGE_REQUEST_LIMIT = 20


def test_every_page_type_loads_in_few_requests_and_under_half_a_megabyte_without_errors(
    read_only_demo_site, open_page, django_db_blocker
):
    """What a browser pays with an empty cache, for each page type: requests and bytes over the
    wire (bodies as sent plus headers). The pages people use while logged in are measured by
    `benchmarks/browser_cost.py`. On the way, each page runs under the CSP without a console
    error or a violation, and its own scripts ran (the print tool is shown only by site.js)."""
    addresses = {
        name: path for name, path in axe_walk(django_db_blocker).items() if path != NOT_FOUND
    }
    heavy, faults = {}, {}
    for name, path in addresses.items():
        page = open_page()  # a new context: an empty cache
        finished = []
        page.on("requestfinished", lambda request, finished=finished: finished.append(request))
        # Every request of a public page is made before its load event: no page fetches more
        # afterwards (htmx polls only on a running import's own page).
        page.goto(read_only_demo_site + path, wait_until="load")
        weight = sum(
            sizes["responseBodySize"] + sizes["responseHeadersSize"]
            for sizes in (request.sizes() for request in finished)
        )
        if weight > PAGE_WEIGHT_LIMIT or len(finished) > PAGE_REQUEST_LIMIT:
            heavy[name] = (len(finished), weight)
        errors = [
            *page.evaluate("window.__cspViolations"), *page.log.console_errors,
            *page.log.page_errors,
        ]  # fmt: skip
        if errors or not page.locator("[data-action=print]").is_visible():
            faults[f"{name} ({path})"] = errors or ["site.js did not run"]
        page.context.close()
    assert heavy == {}, f"(requests, bytes) over the limits: {heavy}"
    assert faults == {}, f"console errors or CSP violations: {faults}"
