from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mineralstrategi.organisations.maps import municipality_at

from .models import Site
from .selectors import covered_county_codes
from .services import site_location_errors


class SiteAdminForm(forms.ModelForm):
    """The position must lie in the covered counties; the municipality follows from it."""

    class Meta:
        model = Site
        fields = (
            "name",
            "slug",
            "kind",
            "status",
            "commodities",
            "operator",
            "operator_name",
            "latitude",
            "longitude",
            "opened",
            "closed",
            "description",
            "source",
            "is_example",
        )

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and longitude is not None:
            for field, messages in site_location_errors(
                latitude, longitude, covered_county_codes()
            ).items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def save(self, commit=True):
        from mineralstrategi.organisations.models import Municipality

        site = super().save(commit=False)
        code = municipality_at(site.latitude, site.longitude, covered_county_codes())
        site.municipality = Municipality.objects.get(code=code)
        if commit:
            site.save()
        return site


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    form = SiteAdminForm
    list_display = ("name", "kind", "status", "municipality", "operator_label")
    list_filter = ("kind", "status", "municipality__county")
    search_fields = ("name", "commodities", "operator_name", "operator__name")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("operator",)
    readonly_fields = ("municipality_name",)

    @admin.display(description=_("municipality"))
    def municipality_name(self, site):
        return site.municipality.name if site.municipality_id else "–"
