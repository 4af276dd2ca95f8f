"""A whole round through the pages: planned by an editor, every municipality added and the round
sent, invitations sent by the worker, an officer answers from the link, another declines, the
round is closed, comments are handled, an accepted proposal is applied, the next version is
frozen, and the compilation (page and PDF) shows the change with the comment it came from."""

import io
import re
from urllib.parse import urlsplit

from django.urls import reverse
from pypdf import PdfReader

from mineralstrategi.consultation.models import ConsultationRound, Consultee
from mineralstrategi.organisations.models import Role


def test_a_whole_round(
    run_tasks,
    client,
    frozen,
    strategy,
    editor,
    skelleftea,
    kiruna,
    make_member,
    mailoutbox,
    soup,
    django_capture_on_commit_callbacks,
    pdf_of,
):
    officer = make_member(skelleftea, Role.CONSULTATION_OFFICER, username="officer")
    officer.email = "officer@skelleftea.example"
    officer.save()
    kiruna_officer = make_member(kiruna, Role.CONSULTATION_OFFICER, username="kirunaofficer")

    # The editor plans the round, adds the municipalities and sends it.
    client.force_login(editor)
    create = reverse("consultation:create", kwargs={"slug": strategy.slug})
    response = client.post(
        create,
        {
            "title": "Remiss av teststrategin",
            "registry_number": "RV 2025/40",
            "opens_on": "2025-01-01",
            "deadline": "2099-12-31",
            "contact_name": "Anna",
            "contact_email": "anna@example.org",
            "version": frozen.pk,
        },
    )
    round_ = ConsultationRound.objects.get(registry_number="RV 2025/40")
    assert response["Location"].endswith(round_.get_absolute_url())
    action = reverse("consultation:action", kwargs={"pk": round_.pk})
    client.post(action, {"action": "add_municipalities"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action, {"action": "send"})
    run_tasks()
    (invitation,) = mailoutbox  # only Skellefteå's officer has an address
    link = re.search(r"https?://\S+", invitation.body).group(0)
    path = "/en" + urlsplit(link).path  # the mail speaks Swedish; the test reads English

    # Skellefteå's officer answers from the link; Kiruna declines.
    client.force_login(officer)
    sections = {s.title: s for s in frozen.sections.all()}
    direction = sections["Inriktning 1"]
    response = client.post(
        path,
        {
            "action": "review",
            "position": "support_with_changes",
            f"stance_{direction.pk}": "propose",
            f"comment_{direction.pk}": "Lyft batterierna.",
            f"proposed_{direction.pk}": "Inriktningen omfattar hela batterivärdekedjan.",
        },
    )
    # The summary, then the submission with the confirmation.
    response = client.post(response["Location"], {"confirm": "on"}, follow=True)
    assert soup(response).select_one(".registry-reference").text == "RV 2025/40-01"
    client.force_login(kiruna_officer)
    kiruna_consultee = Consultee.objects.get(round=round_, organisation=kiruna)
    client.post(
        reverse("consultation:decline", kwargs={"pk": round_.pk, "consultee": kiruna_consultee.pk}),
        {"reason": "Inga synpunkter."},
    )

    # The editor closes the round, handles the comment and applies the proposal.
    client.force_login(editor)
    client.post(action, {"action": "closed"})
    handling = soup(client.get(reverse("consultation:handling", kwargs={"pk": round_.pk})))
    (article,) = handling.select("article.handled-comment")
    comment_pk = int(article["id"].removeprefix("comment-"))
    client.post(
        reverse("consultation:disposition", kwargs={"pk": round_.pk, "comment": comment_pk}),
        {"decision": "accepted", "reason": "Bra förslag."},
    )
    apply_url = reverse("consultation:apply", kwargs={"pk": round_.pk, "comment": comment_pk})
    page = soup(client.get(apply_url))
    # The proposal is like no sentence of the section: it is put at the end, and the editor
    # lets it take the place of the old text.
    assert "added at the end" in page.select_one("[data-testid=placement]").text
    client.post(
        apply_url,
        {
            "action": "apply",
            "revision": page.select_one("input[name=revision]")["value"],
            "body_markdown": "Inriktningen omfattar hela batterivärdekedjan.",
        },
    )

    # The next version is frozen from the working draft; the round is compiled.
    client.post(
        reverse("strategy:freeze", kwargs={"slug": strategy.slug}), {"label": "Efter remiss"}
    )
    version_2 = strategy.versions.get(number=2)
    assert version_2.sections.get(key=direction.key).body_markdown == (
        "Inriktningen omfattar hela batterivärdekedjan."
    )
    client.post(action, {"action": "compiled"})
    client.logout()

    page = soup(client.get(reverse("consultation:compilation", kwargs={"pk": round_.pk})))
    assert page.select_one("[data-total=answered]").text == "1"
    assert page.select_one("[data-total=declined]").text == "1"
    assert page.select_one("[data-total=silent]").text == "27"
    assert page.select_one("[data-total=accepted]").text == "1"
    (change,) = page.select("[data-change]")
    assert "Skellefteå kommun (RV 2025/40-01)" in change.text
    assert "Version 2" in page.select_one("#changes-heading").find_next("p").text

    pdf = pdf_of(client, reverse("consultation:compilation_pdf", kwargs={"pk": round_.pk}))
    pdf = pdf.getvalue()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "batterivärdekedjan" in text and "RV 2025/40-01" in text
