"""The query parameters of pages (`?q=…&period=2024`), declared and checked in one place.

A view that reads its address's query string declares the parameters as the fields of a
`QueryForm` and is given their values checked, never the raw strings:

    class InitiativeQuery(QueryForm):
        period = forms.IntegerField(min_value=1900, max_value=2200)

    @query_parameters(InitiativeQuery)
    def initiative_list(request, slug, query):
        query["period"]  # an int from 1900 to 2200, or None

Every field is optional. A value its field does not accept (a year out of range, a number too
large for a database key, a choice the page does not offer, text too long) is dropped: the page
shows as it would without it, as a link from an old bookmark should, never an error. The ranges
are the API's (`apikit.responses`); the API refuses such a value with 422, a page shows what it
can. The forms list what each page reads, so the bad-value crawler
(tests/security/test_bad_query_values.py) sends its values to every parameter of every page, and
a view that reads `request.GET` itself fails that test.

A NUL character is the one value refused outright, for every page and parameter, by
`NulCharacterMiddleware` (see there).
"""

import datetime
import functools

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponseBadRequest, QueryDict
from django.template.loader import render_to_string

# Database keys are 64-bit (as the API's ObjectId); a larger number cannot name a row and would
# overflow the query.
MAX_ID = 2**63 - 1
# The years a page may be asked about (as the API's `period`).
FIRST_YEAR, LAST_YEAR = 1900, 2200

TABLE_FORMATS = [("csv", "CSV"), ("xlsx", "XLSX")]


def id_field() -> forms.IntegerField:
    """A database key: a whole number from 1 to the largest 64-bit one."""
    return forms.IntegerField(min_value=1, max_value=MAX_ID)


def year_field(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> forms.IntegerField:
    return forms.IntegerField(min_value=first, max_value=last)


def date_field() -> forms.DateField:
    """A day (2024-05-31) within the years a page may be asked about: a time on it can be turned
    into UTC and back without leaving the years Python's dates can hold."""
    return forms.DateField(
        validators=[
            MinValueValidator(datetime.date(FIRST_YEAR, 1, 1)),
            MaxValueValidator(datetime.date(LAST_YEAR, 12, 31)),
        ]
    )


def page_field() -> forms.IntegerField:
    """A page of a long list: beyond the last, the paginator gives the last."""
    return forms.IntegerField(min_value=1, max_value=MAX_ID)


def export_field(choices=TABLE_FORMATS) -> forms.ChoiceField:
    """The format of a page's download (`?export=csv`); any other value shows the page."""
    return forms.ChoiceField(choices=choices)


class DecimalCommaField(forms.FloatField):
    """A finite number (FloatField refuses inf and nan) written with a decimal point or, as in
    Swedish, a comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", ".")
        return super().to_python(value)


class PrefixedValues(forms.Widget):
    """Every parameter whose name starts with the field's prefix, as {rest of the name: value}."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def is_named(self, key: str) -> bool:
        return key.startswith(self.prefix) and len(key) > len(self.prefix)

    def value_from_datadict(self, data, files, name):
        return {key[len(self.prefix) :]: data.get(key) for key in data if self.is_named(key)}


class PrefixedField(forms.Field):
    """A family of parameters named by a prefix and an id (`d.kon=1`, `d.alder=tot`): {id: value}.

    For choices that depend on the object shown (an indicator's disaggregations); the view checks
    each id and value against the object. At most `max_count` of them, each id and value of at
    most `max_length` characters; more, or longer, and the whole family is dropped."""

    def __init__(self, prefix: str, *, max_count: int = 20, max_length: int = 100, **kwargs):
        super().__init__(widget=PrefixedValues(prefix), **kwargs)
        self.prefix = prefix
        self.max_count = max_count
        self.max_length = max_length

    def to_python(self, value):
        return dict(value or {})

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_count or any(
            len(key) > self.max_length or len(text) > self.max_length for key, text in value.items()
        ):
            raise forms.ValidationError("too many or too long", code="too_long")


class QueryForm(forms.Form):
    """The query parameters a page reads (see the module's text). Declare fields as on any form;
    each is made optional."""

    def __init__(self, data):
        super().__init__(data)
        for field in self.fields.values():
            field.required = False

    def values(self) -> dict:
        """Every field's value: the checked value, or None where the parameter is missing, empty
        or not accepted."""
        self.is_valid()
        values = {}
        for name in self.fields:
            value = self.cleaned_data.get(name)  # absent where the field refused the value
            values[name] = None if value in forms.Field.empty_values else value
        return values

    def accepted(self) -> QueryDict:
        """The query string with only the parameters whose values the fields accepted, as they
        were written: what the page reads, and all it should copy into its links."""
        self.is_valid()
        kept = QueryDict(mutable=True)
        for name, field in self.fields.items():
            if self.cleaned_data.get(name) in forms.Field.empty_values:
                continue
            names = [name]
            if isinstance(field, PrefixedField):
                names = [key for key in self.data if field.widget.is_named(key)]
            for key in names:
                kept.setlist(key, self.data.getlist(key))
        kept._mutable = False
        return kept

    def canonical(self) -> str:
        """The values as one text, the same for every query string that gives the view the same
        `values()`: unknown parameters, refused values, order and spelling (`02024`) drop out.
        The public page cache keys a page by it, so that no extra parameter renders it anew."""
        return repr(sorted((name, _canonical(value)) for name, value in self.values().items()))


def _canonical(value):
    """A value of a field in a form that tells apart what the view tells apart: a row by its
    model and key (a model's repr is only its name)."""
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if isinstance(value, dict):
        return sorted((str(key), _canonical(item)) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(item) for item in value]
        return items if isinstance(value, list | tuple) else sorted(items, key=repr)
    return (type(value).__name__, repr(value))


class PageQuery(QueryForm):
    """A long list's page, for a view that reads nothing else (see `paging.page_of`)."""

    page = page_field()


def query_parameters(form_class: type[QueryForm]):
    """Decorate a view that reads the query string: it is called with `query`, the values of
    `form_class` (`QueryForm.values`). The form is kept as the view's `query_form`, where the
    crawler test finds it (the attribute is carried out through decorators that use `wraps`)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return view(request, *args, query=form_class(request.GET).values(), **kwargs)

        wrapper.query_form = form_class
        return wrapper

    return decorate


class NulCharacterMiddleware:
    """Answers 400 Bad Request, naming the parameter, to a page's request whose address holds a
    NUL character (U+0000) in its path or in any query parameter's name or value.

    Why a middleware rather than each view's form: PostgreSQL cannot hold a NUL character in a
    text, so one that reaches a query fails in the database driver, a 500 whatever the view; no
    page has a use for one; and only here does the rule also cover views that are not ours
    (login's `next`, the admin's search box) and the next view written. Refused, not dropped:
    an address with one was made by a program, not by a person following a link.

    The API (/api/) is left to its schemas, which refuse a NUL character with a 422 that names
    the field in the API's own shape (`apikit.responses.Text`); posted forms refuse it in their
    fields (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            if "\x00" in request.path:
                return self.refuse(None)
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return self.refuse(name)
        return self.get_response(request)

    @staticmethod
    def refuse(parameter: str | None) -> HttpResponseBadRequest:
        # The plain error page, without the site's layout: nothing of it reads the database.
        if parameter is not None:
            parameter = parameter.replace("\x00", "\N{SYMBOL FOR NULL}")[:100]
        context = {"nul_character": True, "parameter": parameter}
        return HttpResponseBadRequest(render_to_string("400.html", context))
