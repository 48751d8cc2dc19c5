from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BudgetEntry,
    BudgetLine,
    Expense,
    FinancialYear,
    Grant,
    GrantTranche,
    Invoice,
    MonthlyReport,
)


@admin.register(FinancialYear)
class FinancialYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "baseline_cost_per_home", "four_eyes_threshold")


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "rgs_code", "annual_amount", "financial_year")
    list_filter = ("financial_year",)
    filter_horizontal = ("categories",)


class GrantTrancheInline(admin.TabularInline):
    model = GrantTranche
    extra = 0


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ("financial_year", "description", "amount", "granted_on")
    list_filter = ("financial_year",)
    inlines = [GrantTrancheInline]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Money that moves through the portal's own pages and rules; the admin only shows it and its history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("invoice_date", "supplier", "invoice_number", "amount_excl_vat", "status")
    list_select_related = ("contractor", "budget_line")
    list_filter = ("status", "budget_line")


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = ("spent_on", "description", "amount_excl_vat", "budget_line")
    list_select_related = ("budget_line",)


@admin.register(BudgetEntry)
class BudgetEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "booked_on",
        "kind",
        "amount",
        "budget_line",
        "work_order",
        "invoice",
        "expense",
    )
    list_select_related = ("budget_line", "work_order", "invoice", "expense")
    list_filter = ("kind", "budget_line")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("period", "version", "status", "generated_at", "sha256")
    readonly_fields = ("period", "version", "pdf", "sha256", "generated_at", "generated_by")
