"""The faults an import found, as the pages show them: in the reader's language.

`ImportJob.errors` holds one entry per fault. A fault of the ingest package is stored as a dict
(`RowError.as_dict`: file, row, field, repeats, the message's template and parameters, and its
English text); the template is translated when the fault is read, so a stored job's faults follow
the language of whoever reads them. An entry written before faults were stored so is a plain
text and is shown as it is. The command line and the API show the English text (`fault_english`).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from mineralstrategi.ingest import RowError


def fault_dict(template: str, text: str, **params: object) -> dict:
    """A fault of the import itself (not of a row), stored like a row's fault."""
    return {
        "file": None,
        "row": None,
        "field": None,
        "repeats": 0,
        "template": template,
        "params": params,
        "text": text,
    }


def fault_english(fault: object) -> str:
    """A stored fault in English, as the command line and the API have always shown it."""
    if isinstance(fault, RowError):
        return str(fault)
    if isinstance(fault, dict):
        return str(fault.get("text") or _render(fault, translate=False))
    return str(fault)


def fault_text(fault: object) -> str:
    """A stored fault (dict, a `RowError`, or an old plain text) in the active language."""
    if isinstance(fault, RowError):
        fault = fault.as_dict()
    if not isinstance(fault, dict):
        return str(fault)
    try:
        return _render(fault, translate=True)
    except (KeyError, TypeError, ValueError):  # a translation that does not fit its parameters
        return fault_english(fault)


def _message(template: str, params: dict | None, translate: bool) -> str:
    text = gettext(template) if translate and template else template
    if not params:
        return text
    values = {
        key: _message(value["template"], value.get("params"), translate)
        if isinstance(value, dict) and "template" in value
        else value
        for key, value in params.items()
    }
    return text % values


def _render(fault: dict, *, translate: bool) -> str:
    words = gettext if translate else (lambda text: text)
    place = [fault["file"]] if fault.get("file") else []
    if fault.get("row") is not None and not fault.get("repeats"):
        place.append(words(gettext_noop("row %(row)s")) % {"row": fault["row"]})
    if fault.get("field") is not None:
        place.append(words(gettext_noop("field %(field)s")) % {"field": repr(fault["field"])})
    message = _message(fault.get("template", ""), fault.get("params"), translate)
    return f"{', '.join(place)}: {message}" if place else message
