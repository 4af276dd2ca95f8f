"""The admin's permission matrix: every registered model × every staff role, judged by effect.

Each staff role is the role of `conftest.user_for` with `is_staff` set, so it can log in to /admin/.
For each model an object of Skellefteå kommun (or shared reference data) is changed through the
change form as a browser would post it, then deleted through the delete confirmation; the matrix
says which roles may do each. `test_every_admin_model_has_a_row` fails when a model is registered
in the admin without a row here.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mineralstrategi.cluster.models import Site
from mineralstrategi.consultation import services as consultation_services
from mineralstrategi.consultation.models import Meeting
from mineralstrategi.implementation import services as implementation_services
from mineralstrategi.indicators.models import Commodity
from mineralstrategi.organisations.models import ContactPerson, County, Membership, Municipality
from mineralstrategi.portal.models import Tag
from mineralstrategi.portal.rules import EDITORS_GROUP
from mineralstrategi.strategy import services as strategy_services
from mineralstrategi.strategy.services import strategy_draft

from .conftest import ROLES, user_for
from .test_permission_matrix import (
    _draft_section,
    _own_draft,
    _own_framework,
    _submitted_other_answer,
)

# Python rules over the same rows on either database: CI runs the matrices on SQLite only.
pytestmark = pytest.mark.matrix

STAFF_ROLES = [role for role in ROLES if role not in ("anonymous", "registered")]
NOBODY: set[str] = set()
SUPERUSER = {"superuser"}
PORTAL = {"portal_staff", "superuser"}
ORG_ADMINS = {"organisation_administrator", "superuser"}
# Kiruna's member holds the strategy-editor role there: sites are kept by any organisation's
# strategy editors (cluster/rules.py), so the outsider may change one, by design.
SITE_KEEPERS = {"strategy_editor", "other_organisation", "superuser"}


def _attempt(scene):
    return AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.9", user_agent="t", http_accept="*", path_info="/",
        get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip


def _failure(scene):
    return AccessFailureLog.objects.create(
        username="x", ip_address="192.0.2.9", user_agent="t", http_accept="*", path_info="/",
        locked_out=False,
    )  # fmt: skip


def _access(scene):
    return AccessLog.objects.create(
        username="x", ip_address="192.0.2.9", user_agent="t", http_accept="*", path_info="/"
    )


def _site(scene):
    return Site.objects.create(
        name="Kankbergsgruvan", slug="kankberg", kind="mine", status="operating",
        municipality=Municipality.objects.get(code="2482"), latitude=64.9, longitude=20.2,
    )  # fmt: skip


def _disposition(scene):
    comment = _submitted_other_answer(scene).comments.get(stance="support")
    return consultation_services.disposition_record(
        comment, user=scene.editor, decision="noted", reason="Noterat."
    )


def _meeting(scene):
    import datetime

    from django.utils import timezone

    meeting = Meeting.objects.create(
        round=scene.round, title="Samråd", held_at=timezone.now() - datetime.timedelta(days=1)
    )
    meeting.participants.add(scene.own)
    return meeting


def _action_plan(scene):
    return implementation_services.action_plan_create(
        scene.strategy, user=scene.editor, initiatives=[], title="Plan 2025",
        first_year=2025, last_year=2025, description="",
    )  # fmt: skip


def _settings(scene):
    return implementation_services.weighting_set(
        scene.strategy, user=scene.editor, weighting="equal"
    )


def _section_comment(scene):
    return strategy_services.section_comment_add(
        _draft_section(scene), user=scene.editor, body="Intern kommentar."
    )


# model -> (the object, the field changed, its new value, who may change, who may delete)
ADMIN = {
    "auth.group": (lambda s: Group.objects.get(name=EDITORS_GROUP), "name", "Ny grupp",
                   SUPERUSER, SUPERUSER),
    "auth.user": (lambda s: s.officer, "first_name", "Ändrad", SUPERUSER, SUPERUSER),
    # The lockout records are read-only; a superuser may clear them.
    "axes.accessattempt": (_attempt, "username", "y", NOBODY, SUPERUSER),
    "axes.accessfailurelog": (_failure, "username", "y", NOBODY, SUPERUSER),
    "axes.accesslog": (_access, "username", "y", NOBODY, SUPERUSER),
    # Second-factor devices: only a superuser changes or deletes one (a lost phone).
    "otp_static.staticdevice": (
        lambda s: StaticDevice.objects.create(user=s.officer, name="reserv"), "name", "Ändrad",
        SUPERUSER, SUPERUSER,
    ),
    "otp_totp.totpdevice": (
        lambda s: TOTPDevice.objects.create(user=s.officer, name="telefon"), "name", "Ändrad",
        SUPERUSER, SUPERUSER,
    ),
    "cluster.site": (_site, "name", "Ändrad gruva", SITE_KEEPERS, SUPERUSER),
    # Answers and dispositions are records of the consultation: nobody changes or deletes them.
    "consultation.answer": (_own_draft, "comment", "Ändrad", NOBODY, NOBODY),
    "consultation.consultationround": (lambda s: s.round, "title", "Ändrad remiss",
                                       SUPERUSER, NOBODY),
    "consultation.disposition": (_disposition, "reason", "Ändrad", NOBODY, NOBODY),
    "consultation.meeting": (_meeting, "title", "Ändrat samråd", SUPERUSER, NOBODY),
    "django_tasks_database.dbtaskresult": (None, None, None, NOBODY, NOBODY),
    "implementation.actionplan": (_action_plan, "title", "Ändrad plan", SUPERUSER, SUPERUSER),
    "implementation.implementationsettings": (_settings, "weighting", "budget",
                                              SUPERUSER, SUPERUSER),
    "implementation.initiative": (lambda s: s.initiative, "title", "Ändrad", SUPERUSER,
                                  SUPERUSER),
    "indicators.commodity": (
        lambda s: Commodity.objects.create(code="koppar", name="Koppar", unit="USD/mt"),
        "name", "Ändrad", SUPERUSER, SUPERUSER,
    ),
    # The import log is read-only, and not deleted either: it is the audit of the bulk writes.
    "indicators.importjob": (lambda s: s.import_job, "file_name", "x.csv", NOBODY, NOBODY),
    # An indicator with imports is not deleted in the admin, not even by a superuser: the
    # deletion would take its import log with it (the admin refuses to cascade into a model
    # it may not delete).
    "indicators.indicator": (lambda s: s.indicator, "name", "Ändrad indikator",
                             {"strategy_editor", "organisation_administrator", "superuser"},
                             NOBODY),
    "organisations.contactperson": (
        lambda s: ContactPerson.objects.create(organisation=s.own, name="Kontakt"),
        "name", "Ändrad kontakt", ORG_ADMINS, ORG_ADMINS,
    ),
    "organisations.county": (lambda s: County.objects.get(code="24"), "name", "Ändrat",
                             SUPERUSER, NOBODY),
    "organisations.membership": (
        lambda s: Membership.objects.get(user=s.officer), "title", "Handläggare", ORG_ADMINS,
        ORG_ADMINS,
    ),
    "organisations.municipality": (lambda s: Municipality.objects.get(code="2482"), "name",
                                   "Ändrat", SUPERUSER, NOBODY),
    "organisations.organisation": (lambda s: s.own, "description", "Ändrad beskrivning",
                                   ORG_ADMINS, NOBODY),
    "portal.comment": (lambda s: s.comment, "body", "Ändrad kommentar", PORTAL, PORTAL),
    "portal.event": (lambda s: s.event, "title", "Ändrat evenemang", PORTAL, PORTAL),
    "portal.newsarticle": (lambda s: s.draft_article, "title", "Ändrad nyhet", PORTAL, PORTAL),
    "portal.tag": (lambda s: Tag.objects.create(name="tagg", slug="tagg"), "name", "Ändrad",
                   PORTAL, PORTAL),
    "reports.followupreport": (None, None, None, NOBODY, NOBODY),
    "reports.adoptedreport": (None, None, None, NOBODY, NOBODY),  # a document of record
    # Frameworks are kept in the pages, a framework of Skellefteå by its strategy editors; in the
    # admin only a superuser changes one, Skellefteå's included.
    "strategy.framework": (_own_framework, "name", "Ändrat", SUPERUSER, SUPERUSER),
    "strategy.frameworkitem": (
        lambda s: _own_framework(s).items.get(code="1"), "title_sv", "Ändrad", SUPERUSER,
        SUPERUSER,
    ),
    # The admin asks for strategy.change_section without the object, which the rule refuses:
    # editors correct draft sections through the pages, only a superuser here.
    "strategy.section": (lambda s: _draft_section(s, "Insats 2.1.1"), "title", "Ändrad insats",
                         SUPERUSER, SUPERUSER),
    "strategy.sectioncomment": (_section_comment, "body", "Ändrad", SUPERUSER, SUPERUSER),
    "strategy.strategy": (lambda s: s.strategy, "title", "Ändrad strategi", SUPERUSER, NOBODY),
    "strategy.strategyversion": (lambda s: strategy_draft(s.strategy), "label", "Ändrad",
                                 SUPERUSER, NOBODY),
}  # fmt: skip


def test_every_admin_model_has_a_row():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == ADMIN.keys(), (
        f"without a row: {sorted(registered - ADMIN.keys())}; "
        f"rows for no model: {sorted(ADMIN.keys() - registered)}"
    )


def _form_data(response) -> dict | None:
    """The admin change form's fields with their current values, as a browser posts them."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    form = page.find("form", id=lambda value: bool(value) and value.endswith("_form"))
    if form is None or form.find(attrs={"name": "_save"}) is None:
        return None
    data: dict = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "button", "file"):
            continue
        if element.name == "select":
            chosen = [
                o.get("value", "") for o in element.find_all("option") if o.has_attr("selected")
            ]
            data[name] = chosen if element.has_attr("multiple") else (chosen[0] if chosen else "")
        elif element.name == "textarea":
            data[name] = element.text.removeprefix("\n")
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        else:
            data[name] = element.get("value", "")
    return data


def _admin_url(obj, view: str) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def change_through_admin(client, obj, field: str, value) -> bool:
    response = client.get(_admin_url(obj, "change"))
    data = _form_data(response) if response.status_code == 200 else None
    if data is not None:
        data[field] = value
        client.post(_admin_url(obj, "change"), data)
    else:  # no form offered: post the change anyway, as a forged request would
        client.post(_admin_url(obj, "change"), {field: value})
    obj.refresh_from_db()
    return getattr(obj, field) == value


def delete_through_admin(client, obj) -> bool:
    client.post(_admin_url(obj, "delete"), {"post": "yes"})
    return not type(obj).objects.filter(pk=obj.pk).exists()


def _staff(role, scene, make_member):
    user = user_for(role, scene, make_member)
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize("model", list(ADMIN))
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_admin_matrix(client, scene, make_member, role, model):
    make, field, value, may_change, may_delete = ADMIN[model]
    client.force_login(_staff(role, scene, make_member))
    if make is None:  # a log written only by the platform: nobody changes it, not even via add
        response = client.get(reverse(f"admin:{model.replace('.', '_')}_add"))
        assert response.status_code == 403, f"{role} may add {model}"
        return
    obj = make(scene)
    changed = change_through_admin(client, obj, field, value)
    assert changed == (role in may_change), f"{role} change {model}"
    deleted = delete_through_admin(client, obj)
    assert deleted == (role in may_delete), f"{role} delete {model}"
