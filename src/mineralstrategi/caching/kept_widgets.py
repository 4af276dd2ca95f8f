"""Choice widgets whose rendered HTML is kept until the next write (issue #19).

A select of every organisation is the costliest part of the pages that have one: at demo scale
(315 organisations) its options were half the CPU of a remiss round's page for its manager, and
they grow with the data. The options come from a queryset, so they are the same for everybody who
gets the same query until a write to our tables (`until_a_write`): the widget's HTML is kept
under the query's SQL and everything else the HTML depends on (the field's name, its attributes,
the value chosen, how the field labels its choices), and rendered once.

A queryset filtered by who asks gives another SQL, so another key: nothing personal is shared.
Choices given as a list (of organisations the person acts for, say) are keyed by the list itself,
which costs a small fraction of rendering it.
"""

from django import forms
from django.core.exceptions import EmptyResultSet
from django.forms.models import ModelChoiceIterator

from .until_a_write import UntilAWrite

KEPT_WIDGETS: UntilAWrite[str] = UntilAWrite(maxsize=128)


class KeptChoicesMixin:
    def render(self, name, value, attrs=None, renderer=None):
        key = self._kept_key(name, value, attrs, renderer)
        if key is None:
            return super().render(name, value, attrs, renderer)
        return KEPT_WIDGETS.get_or_compute(
            key, lambda: super(KeptChoicesMixin, self).render(name, value, attrs, renderer)
        )

    def _kept_key(self, name, value, attrs, renderer) -> tuple | None:
        choices = _choices_key(self.choices)
        if choices is None:
            return None
        return (
            type(self).__qualname__,
            choices,
            name,
            repr(sorted(self.build_attrs(self.attrs, attrs).items())),
            repr(self.format_value(value)),
            type(renderer).__qualname__,
        )


def _choices_key(choices) -> tuple | None:
    """What the choices' HTML depends on: a queryset's SQL and how its field labels a row, or
    the list of values and labels (as text: labels may be lazy translations)."""
    if isinstance(choices, ModelChoiceIterator):
        field = choices.field
        try:
            sql, params = choices.queryset.query.sql_with_params()
        except EmptyResultSet:
            return None
        label = field.label_from_instance  # a form may give one field its own
        return (
            type(field).__qualname__,
            f"{label.__module__}.{label.__qualname__}",
            field.to_field_name,
            str(field.empty_label),
            sql,
            repr(params),
        )
    if isinstance(choices, list | tuple):
        return ("list", repr(_as_text(choices)))
    return None


def _as_text(choices) -> list:
    return [
        (str(value), _as_text(label) if isinstance(label, list | tuple) else str(label))
        for value, label in choices
    ]


class KeptSelect(KeptChoicesMixin, forms.Select):
    pass


class KeptSelectMultiple(KeptChoicesMixin, forms.SelectMultiple):
    pass


class KeptCheckboxSelectMultiple(KeptChoicesMixin, forms.CheckboxSelectMultiple):
    pass
