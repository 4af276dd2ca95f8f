"""Every user text field, filled with each of the payloads in xss_payloads.txt, renders inert in
Chromium: no dialog opens, no injected call runs, and no page carries an event-handler attribute,
an htmx handler or a script URL that came from user text.

The payloads call `__xss(n)`; an init script defines it to record the call. The content is
created in bulk through the services (as editors and visitors would create it), then each page
is loaded once. The pages are loaded with the Content-Security-Policy bypassed, so that escaping
and sanitising alone must hold; a second pass under the site's own policy must report no
violation at all (nothing even tried to run).
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from mineralstrategi.demo.portal import PORTAL_USERNAME, SEMINAR_SLUG
from mineralstrategi.demo.strategy import SLUG as STRATEGY_SLUG
from mineralstrategi.demo.strategy import key_of
from mineralstrategi.portal import services
from mineralstrategi.portal.models import Event
from mineralstrategi.portal.services import CommentTarget
from mineralstrategi.strategy.models import Strategy
from tests.conftest import meeting_begun

from .test_portal import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def packed(limit: int = 200) -> list[list[str]]:
    """The payloads in groups whose text, joined by spaces, fits a field of `limit` characters:
    every payload still lands in every field, in a few dozen objects instead of a hundred."""
    groups: list[list[str]] = [[]]
    for payload in PAYLOADS:
        if groups[-1] and len(" ".join([*groups[-1], payload])) > limit:
            groups.append([])
        groups[-1].append(payload)
    return groups


XSS_RECORDER = """
window.__xssCalls = [];
window.__xss = function (marker) { window.__xssCalls.push(String(marker)); };
"""

# Anything in the page that could run script and did not come from the site's own templates.
DANGEROUS_MARKUP = """() => {
    const found = [];
    const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"];
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            const value = attribute.value.trim().toLowerCase();
            if (name.startsWith("on") || name.startsWith("hx-on") || name.startsWith("data-hx-on")) {
                found.push(element.tagName + " " + name);
            }
            if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text)/.test(value.replace(/\\s/g, ""))) {
                found.push(element.tagName + " " + name + "=" + value.slice(0, 40));
            }
        }
    }
    for (const script of document.querySelectorAll("script")) {
        if (!script.src || !new URL(script.src).pathname.startsWith("/static/")) {
            found.push("script " + (script.src || script.textContent.slice(0, 40)));
        }
    }
    for (const tag of ["iframe", "object", "embed", "svg", "math", "base", "meta[http-equiv]", "form[action^='javascript']"]) {
        for (const element of document.querySelectorAll("main " + tag)) {
            found.push("element " + tag);
        }
    }
    return found;
}"""


def test_payload_list_is_long_and_varied():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for family in (
        "<script",
        "onerror",
        "javascript:",
        "<svg",
        "data:",
        "&#",
        "expression(",
        "hx-on",
    ):
        assert any(family in payload.lower() for payload in PAYLOADS), family


@pytest.fixture
def payload_content(demo_site, settings, tmp_path):
    """Every payload in every user text field: editors' articles, visitors' comments on an
    article and on a strategy section, and registrations for the seminar."""
    settings.MEDIA_ROOT = tmp_path
    settings.MINERALSTRATEGI = {
        **settings.MINERALSTRATEGI,
        "COMMENT_MODERATION": "post",
        "COMMENT_RATE_LIMIT": 1_000_000,
        "ANONYMOUS_SEARCHES_PER_MINUTE": 0,  # off: one address searches every payload
    }
    cache.clear()
    editor = get_user_model().objects.get(username=PORTAL_USERNAME)
    published = timezone.now() - timedelta(minutes=5)
    articles = []
    for number, group in enumerate(packed()):
        text = " ".join(group)
        articles.append(
            services.article_save(
                user=editor,
                title=text,
                lead=text,
                body_markdown="\n\n".join(group),
                author_name=text,
                tags=", ".join(group),
                image=SimpleUploadedFile(f"bild{number}.png", PNG, content_type="image/png"),
                image_alt=text,
                status="published",
                published_at=published,
            )
        )
    host = articles[0]
    strategy = Strategy.objects.get(slug=STRATEGY_SLUG)
    section_key = key_of("vision")
    seminar = Event.objects.get(slug=SEMINAR_SLUG)
    for number, payload in enumerate(PAYLOADS):
        visitor = {"name": payload[:100], "email": f"xss{number}@example.se", "body": payload}
        services.comment_submit(CommentTarget(article=host), ip=f"10.9.{number}.1", **visitor)
        services.comment_submit(
            CommentTarget(strategy=strategy, section_key=section_key),
            ip=f"10.9.{number}.2",
            **visitor,
        )
        services.event_register(
            seminar,
            name=payload[:200],
            email=f"xss{number}@example.se",
            organisation_name=payload[:200],
            ip=f"10.9.{number}.3",
        )
    meetings = _samrad_with_payloads()
    with translation.override("sv"):
        return {
            "samrad": [meeting.get_absolute_url() for meeting in meetings]
            + [meetings[0].round.get_absolute_url()],
            "samrad_staff": [meeting.get_absolute_url() for meeting in meetings]
            + [
                reverse("consultation:meeting_edit", args=[meetings[0].round_id, meetings[0].pk]),
                reverse(
                    "consultation:meeting_minutes", args=[meetings[1].round_id, meetings[1].pk]
                ),
            ],
            "articles": [article.get_absolute_url() for article in articles],
            "editor_forms": [
                reverse("portal:article_edit", args=[article.pk]) for article in articles
            ],
            "comments": [
                host.get_absolute_url(),
                reverse(
                    "portal:section_comments", kwargs={"slug": STRATEGY_SLUG, "key": section_key}
                ),
                reverse("portal:my_comments", args=[services.commenter_token("xss7@example.se")]),
            ],
            "lists": ["/", "/nyheter/", "/sok/?q=xss", "/sok/?q=script", "/api/news"],
            "searches": [f"/sok/?q={_quote(' '.join(group))}" for group in packed()],
            "staff": [
                reverse("portal:event_edit", args=[seminar.pk]),
                reverse("portal:moderation"),
                reverse("portal:editor"),
            ],
        }


def _samrad_with_payloads() -> list:
    """Every payload in every text of a samråd on the demo's open round: one planned (title,
    place, agenda, the invited people's names and organisations), one recorded (minutes,
    participants, outcomes)."""
    from mineralstrategi.consultation import services as consultation_services
    from mineralstrategi.consultation.models import ConsultationRound
    from mineralstrategi.demo.consultation import SECOND_REGISTRY_NUMBER

    round_ = ConsultationRound.objects.get(registry_number=SECOND_REGISTRY_NUMBER)
    owner = get_user_model().objects.get(username="strateg")
    people = [
        consultation_services.PersonInput(f"{n} {payload[:190]}", "", payload[:200])
        for n, payload in enumerate(PAYLOADS)
    ]
    text = " ".join(packed()[0])
    starts = timezone.now() + timedelta(days=3)
    meetings = [
        consultation_services.meeting_plan(
            round_,
            user=owner,
            title=text,
            held_at=starts + timedelta(days=number),
            place=text,
            agenda="\n\n".join(PAYLOADS),
            people=people,
            registration_open=True,
        )
        for number in range(2)
    ]
    section = round_.version.sections.first()
    consultation_services.meeting_record(
        meeting_begun(meetings[1]),
        user=owner,
        notes="\n\n".join(PAYLOADS),
        participant_people=list(meetings[1].people.all()),
        outcomes=[consultation_services.OutcomeInput(p, section) for p in PAYLOADS],
    )
    return meetings


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


class Visit:
    """Loads pages in one browser page and collects what ran and what the markup carries."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.dialogs: list[str] = []
        self.calls: dict[str, list[str]] = {}
        self.markup: dict[str, list[str]] = {}
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def load(self, path: str) -> None:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response.status == 200, path
        if "json" in (response.headers.get("content-type") or ""):
            return
        self.page.wait_for_timeout(20)  # let autofocus and error handlers fire, if any
        if calls := self.page.evaluate("window.__xssCalls"):
            self.calls[path] = calls
        if found := self.page.evaluate(DANGEROUS_MARKUP):
            self.markup[path] = found


def test_every_payload_in_every_user_field_renders_inert(payload_content, demo_site, open_page):
    page = open_page(bypass_csp=True, init_scripts=(XSS_RECORDER,))
    visit = Visit(page, demo_site)

    for group in ("articles", "comments", "lists", "searches", "samrad"):
        for path in payload_content[group]:
            visit.load(path)
    log_in(page, demo_site)
    for path in payload_content["staff"] + payload_content["editor_forms"]:
        visit.load(path)

    registrar = Visit(open_page(bypass_csp=True, init_scripts=(XSS_RECORDER,)), demo_site)
    log_in(registrar.page, demo_site, username="strateg")
    for path in payload_content["samrad_staff"]:
        registrar.load(path)
    registrar.page.goto(demo_site + payload_content["samrad_staff"][0])
    assert registrar.page.locator("table.meeting-people tr[data-person]").count() == len(PAYLOADS)
    assert (registrar.dialogs, registrar.calls, registrar.markup) == ([], {}, {})

    assert visit.dialogs == []
    assert visit.calls == {}
    assert visit.markup == {}
    # The pages really carry the payloads, as text.
    page.goto(demo_site + payload_content["articles"][1])
    assert page.locator("h1").inner_text() == " ".join(packed()[1])
    page.goto(demo_site + payload_content["comments"][0])
    assert page.locator("#comments .comment").count() == len(PAYLOADS)
    assert "<script>__xss(1)</script>" in page.locator("#comments").inner_text()
    page.goto(demo_site + payload_content["samrad"][1])
    assert page.locator("[data-outcome]").count() == len(PAYLOADS)

    # Under the site's own policy, nothing even tries to run: no violation is reported.
    strict = open_page(init_scripts=(XSS_RECORDER,))
    for path in (
        payload_content["comments"] + payload_content["samrad"] + payload_content["articles"][:10]
    ):
        strict.goto(demo_site + path)
        assert strict.evaluate("window.__cspViolations") == [], path
        assert strict.evaluate("window.__xssCalls") == [], path


def test_the_recorder_catches_a_payload_that_gets_through(demo_site, open_page):
    """The checks above can fail: markup that does run is seen by the recorder and the scan."""
    page = open_page(bypass_csp=True, init_scripts=(XSS_RECORDER,))
    page.goto(demo_site + "/nyheter/")

    page.evaluate(
        """() => document.getElementById("main").insertAdjacentHTML(
            "beforeend", '<img src="x" onerror="__xss(\\'control\\')"><a href="javascript:void(0)">x</a>')"""
    )
    page.wait_for_function("window.__xssCalls.length > 0")

    assert page.evaluate("window.__xssCalls") == ["control"]
    found = page.evaluate(DANGEROUS_MARKUP)
    assert "IMG onerror" in found and any(item.startswith("A href=javascript") for item in found)
