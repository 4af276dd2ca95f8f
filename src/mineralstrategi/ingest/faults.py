"""Fault messages as templates with parameters, so that a page can show them in its language.

The ingest package does not import Django. A message is written once, in English, as a
%-style template with named placeholders, marked with `gettext_noop` so that makemessages
(xgettext with the keyword gettext_noop) extracts it; the parameters are kept apart (values
quoted and shortened as the English text shows them). The English rendering (`str()`) is what
the command line and the API show; the web pages translate the template when they show it.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark a message for extraction into the translation catalogue; returns it unchanged."""
    return message


class Fault(ValueError):
    """A fault in a value, as a template and its parameters; `str()` is the English text."""

    def __init__(self, template: str, **params: object):
        self.template = template
        self.params = params
        super().__init__(render(template, params))


def render(template: str, params: dict | None) -> str:
    """The template with its parameters, nested faults ({template, params}) rendered too."""
    if not params:
        return template
    return template % {key: _plain(value) for key, value in params.items()}


def _plain(value: object) -> object:
    if isinstance(value, dict) and "template" in value:
        return render(value["template"], value.get("params"))
    return value


def template_of(message: str | Fault) -> tuple[str, dict]:
    """The template and parameters of a message: a plain text is its own template."""
    if isinstance(message, Fault):
        return message.template, dict(message.params)
    return str(message), {}
