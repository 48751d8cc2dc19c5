from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contract,
    Contractor,
    OfficeSettings,
    RepairRequest,
    ResponsibilityRule,
    SlaPolicy,
    WorkCategory,
    WorkOrder,
)


class ResponsibilityRuleInline(admin.TabularInline):
    """Read-only here: rules are changed on the responsibility matrix page, which refuses past dates and
    records who changed what."""

    model = ResponsibilityRule
    extra = 0
    fields = ("responsibility", "effective_from")
    readonly_fields = ("responsibility", "effective_from")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkCategory)
class WorkCategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "default_urgency", "is_shared_area")
    list_select_related = ("parent",)
    search_fields = ("name", "code")
    inlines = [ResponsibilityRuleInline]


class ContractInline(admin.StackedInline):
    model = Contract
    extra = 0
    filter_horizontal = ("trades", "categories", "complexes")
    show_change_link = True


@admin.register(Contractor)
class ContractorAdmin(admin.ModelAdmin):
    inlines = [ContractInline]
    list_display = ("name", "kvk_number", "email", "is_active")
    search_fields = ("name", "kvk_number")
    autocomplete_fields = ("users",)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("contractor", "valid_from", "valid_until", "priority", "annual_ceiling")
    list_select_related = ("contractor",)
    filter_horizontal = ("trades", "categories", "complexes")


@admin.register(RepairRequest)
class RepairRequestAdmin(admin.ModelAdmin):
    list_display = ("number", "created_at", "category", "urgency", "status", "responsibility")
    list_select_related = ("category__parent",)
    search_fields = ("number",)
    list_filter = ("status", "urgency", "responsibility", "channel")
    readonly_fields = [field.name for field in RepairRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ("request", "contractor", "status", "created_at", "total_cost")
    list_select_related = ("request", "contractor")
    exclude = ("access_token_hash",)
    readonly_fields = (
        "request",
        "contractor",
        "contract",
        "status",
        "routing_reason",
        "access_token_expires_at",
    )

    def has_add_permission(self, request):
        return False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(SimpleHistoryAdmin):
    list_display = (
        "urgency",
        "response_amount",
        "response_unit",
        "resolution_amount",
        "resolution_unit",
    )

    def has_add_permission(self, request):
        return False  # one row per urgency, seeded by migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficeSettings)
class OfficeSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "repeat_defect_count", "repeat_defect_months", "at_risk_fraction")

    def has_add_permission(self, request):
        return not OfficeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
