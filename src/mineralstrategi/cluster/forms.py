"""The query parameters of the cluster's pages (see mineralstrategi.query)."""

from django import forms

from mineralstrategi.organisations.models import HelixRole
from mineralstrategi.query import QueryForm, export_field, year_field

from .models import SiteKind, SiteStatus


class SiteListQuery(QueryForm):
    kind = forms.ChoiceField(choices=SiteKind.choices)
    status = forms.ChoiceField(choices=SiteStatus.choices)
    export = export_field()


class NetworkQuery(QueryForm):
    """The network of one year (this year, when the initiatives cover it, by default), with the
    organisations of one helix role picked out."""

    year = year_field()
    role = forms.ChoiceField(choices=HelixRole.choices)
    export = export_field()
