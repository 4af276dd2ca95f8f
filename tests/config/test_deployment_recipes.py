"""The production recipes (README, `Containerfile`, `deploy/compose.yaml`, `deploy/systemd/`)
install what CI tested and name only commands and options that exist. These machines run no
containers, so nothing here is built or started: the recipes are read, and every command they
name is parsed by the `mineralstrategi` command's own parser (and a `manage` command's by
Django's parser of that command)."""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class

from mineralstrategi.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
CONTAINERFILE = ROOT / "Containerfile"
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def assert_command_exists(argv: list[str]) -> None:
    """`mineralstrategi …` as the recipe runs it: the parser accepts it, and `manage X …` names a
    Django command that accepts its options."""
    assert argv[0] in ("mineralstrategi", "/opt/mineralstrategi/venv/bin/mineralstrategi"), argv
    args = build_parser().parse_args(argv[1:])  # exits (SystemExit) on an unknown command/option
    if args.command == "manage":
        name, *options = args.arguments
        commands = get_commands()
        assert name in commands, f"no management command {name!r}"
        command = load_command_class(commands[name], name)
        command.create_parser("mineralstrategi manage", name).parse_args(options)


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_runs_web_and_worker_apart_with_postgresql_and_redis():
    services = compose()["services"]

    assert {"postgres", "redis", "migrate", "web", "worker", "scheduler"} <= set(services)
    assert services["web"]["command"][:2] == ["mineralstrategi", "serve"]
    assert {"--no-worker", "--no-scheduler"} <= set(services["web"]["command"])
    assert services["worker"]["command"][:3] == ["mineralstrategi", "manage", "task_worker"]
    assert services["scheduler"]["command"] == ["mineralstrategi", "manage", "scheduler"]
    for name in ("migrate", "web", "worker"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        # Over the env file's one-machine values: listen beyond the container, use the image's
        # collected static files.
        assert environment["HOST"] == "0.0.0.0"  # noqa: S104
        assert environment["STATIC_ROOT"] in CONTAINERFILE.read_text()
    assert services["web"]["build"]["dockerfile"] == "Containerfile"


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "scheduler"])
def test_every_command_compose_names_exists(service):
    assert_command_exists(compose()["services"][service]["command"])


def test_every_command_the_comments_name_exists():
    """The one-off commands the comments of compose.yaml tell the operator to run."""
    named = re.findall(r"run --rm web (mineralstrategi [^\n]+)", COMPOSE.read_text())

    assert len(named) >= 2
    for line in named:
        assert_command_exists(shlex.split(line))


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_every_command_a_systemd_unit_names_exists(unit):
    lines = re.findall(r"^ExecStart=(.+)$", unit.read_text(), re.MULTILINE)

    assert lines
    for line in lines:  # a oneshot unit may run several commands in turn
        assert_command_exists(shlex.split(line.replace("%H", "host")))


def test_the_systemd_units_run_web_worker_and_scheduler():
    names = {unit.name for unit in UNITS}

    assert {
        "mineralstrategi-web.service",
        "mineralstrategi-worker.service",
        "mineralstrategi-scheduler.service",
    } <= names


def test_the_containerfile_installs_what_ci_tested_and_runs_serve_as_a_user():
    text = CONTAINERFILE.read_text()
    instructions = re.findall(r"^([A-Z]+) (.+)$", text, re.MULTILINE)
    runs = " ".join(value for keyword, value in instructions if keyword == "RUN")

    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    assert "pip install --no-cache-dir . -c constraints.txt" in text
    assert "COPY pyproject.toml README.md constraints.txt" in text
    assert "collectstatic" in runs  # at build time
    (user,) = [value for keyword, value in instructions if keyword == "USER"]
    assert user not in ("root", "0")
    assert "VOLUME /var/lib/mineralstrategi" in text
    (command,) = [value for keyword, value in instructions if keyword == "CMD"]
    argv = yaml.safe_load(command)  # the JSON (exec) form
    assert argv[:2] == ["mineralstrategi", "serve"]
    assert_command_exists(argv)


def test_the_readme_installs_for_production_with_the_constraints():
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Run it in production", 1)[1].split("\n## ", 1)[0]

    assert "pip install . -c constraints.txt" in production
    assert not re.search(r"pip install \.\s*$", production, re.MULTILINE)
    for path in ("Containerfile", "deploy/compose.yaml", "deploy/systemd/"):
        assert f"`{path}`" in production
    assert "WEB_NODES" in production and "PROXY_COUNT" in production


def test_the_image_builds_the_handbook_that_it_serves(tmp_path, monkeypatch):
    """The Containerfile's build of the handbook, run as it runs it (from the checkout's root)."""
    text = CONTAINERFILE.read_text()
    (line,) = re.findall(r"(mineralstrategi handbook [^\n\\]+)", text)
    argv = shlex.split(line)
    output = argv[argv.index("--output") + 1]
    assert f"HANDBOOK_DIR={output}" in text
    argv[argv.index("--output") + 1] = str(tmp_path)
    monkeypatch.chdir(ROOT)

    args = build_parser().parse_args(argv[1:])
    assert args.handler(args) == 0
    assert (tmp_path / "sv" / "index.html").is_file()
    assert (tmp_path / "en" / "index.html").is_file()
