"""The Django admin for staff, under the same object rules as the rest of the platform.

A staff member who administers an organisation sees and changes that organisation, its members
and its contacts, and nothing else; a superuser sees everything.
"""

from django.contrib import admin
from django.db import models
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactPerson, County, Membership, Municipality, Organisation


class ReferenceDataAdmin(admin.ModelAdmin):
    """Official codes come from the reference files; only a superuser may correct a name."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "short_name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    search_fields = ["code", "name"]
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    list_select_related = ["county"]


class OrganisationScopedAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    """Lists only the objects of organisations the staff member administers."""

    organisation_path = "organisation"

    def _administers_any(self, request) -> bool:
        return Organisation.objects.administered_by(request.user).exists()

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or self._administers_any(request)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return request.user.is_superuser or self._administers_any(request)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return request.user.is_superuser or self._administers_any(request)
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser or self._administers_any(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        administered = Organisation.objects.administered_by(request.user)
        return queryset.filter(**{f"{self.organisation_path}__in": administered})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ContactInline(admin.TabularInline):
    """Contacts are edited with their organisation, by whoever may change the organisation."""

    model = ContactPerson
    extra = 0

    def _may_change(self, request, obj) -> bool:
        return obj is not None and request.user.has_perm("organisations.change_organisation", obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_change(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_change(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "helix_role", "county"]
    list_filter = ["kind", "helix_role", "county"]
    list_select_related = ["county"]
    search_fields = ["name", "organisation_number"]
    autocomplete_fields = ["municipality"]
    inlines = [ContactInline]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["kind", "municipality", "county", "slug"]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if request.user.is_superuser else {}


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    list_display = ["user", "organisation", "role", "title"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user"]


@admin.register(ContactPerson)
class ContactPersonAdmin(OrganisationScopedAdmin):
    list_display = ["name", "title", "organisation", "is_press_contact", "is_public"]
    list_filter = ["is_press_contact", "is_public"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__name"]
