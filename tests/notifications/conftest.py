"""Notification fixtures: tasks run as soon as they are queued (the worker's own run is tested in
test_worker.py and the browser test), a strategy of Region Västerbotten with a draft, its editor,
and people who follow things."""

import pytest
from django.contrib.auth import get_user_model
from django_tasks.backends.immediate import ImmediateBackend

from mineralstrategi.notifications import services
from mineralstrategi.organisations.models import Role
from mineralstrategi.strategy import services as strategy_services
from tests.strategy.conftest import build_tree, make_strategy


class AtOnceBackend(ImmediateBackend):
    """Runs a task when it is queued, even one queued for later (a remiss's reminders, which
    send nothing before their day)."""

    supports_defer = True


@pytest.fixture(autouse=True)
def tasks_at_once(settings):
    """A queued task runs at once, in the process: `told()` runs what a service queued when its
    transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "tests.notifications.conftest.AtOnceBackend"}}


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = "https://site.example"


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """with told(): … — runs the callbacks the writes inside queue on commit (fan_out)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def person(username: str, **fields):
    return get_user_model().objects.create_user(
        username=username,
        password="a-long-test-password",
        email=f"{username}@example.se",
        **fields,
    )


@pytest.fixture
def editor(region_vasterbotten, make_member):
    user = make_member(region_vasterbotten, Role.STRATEGY_EDITOR, username="editor")
    user.email = "editor@example.se"
    user.save()
    return user


@pytest.fixture
def reader(region_vasterbotten, make_member):
    """A partner's viewer: reads the working draft, follows things."""
    user = make_member(region_vasterbotten, Role.VIEWER, username="reader")
    user.email = "reader@example.se"
    user.save()
    return user


@pytest.fixture
def outsider(db):
    """A person with an account and no role: reads only what is public."""
    return person("outsider")


@pytest.fixture
def strategy(region_vasterbotten, editor, frameworks):
    return make_strategy(region_vasterbotten)


@pytest.fixture
def sections(strategy, editor):
    """The working draft's sections by title."""
    made = build_tree(strategy_services.strategy_draft(strategy), editor)
    return {section.title: section for section in made}


def edit(section, user, text: str = "Ny text."):
    section.refresh_from_db()
    return strategy_services.section_update(
        section,
        user=user,
        expected_revision=section.revision,
        title=section.title,
        body_markdown=text,
    )


@pytest.fixture
def following_reader(reader, sections):
    services.follow(reader, sections["Inriktning 1"])
    return reader
