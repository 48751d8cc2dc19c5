from django.contrib import admin

from .models import BudgetEntry, BudgetLine, FinancialYear, MonthlyReport


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    list_display = ("year", "baseline_cost_per_home")


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rgs_code", "annual_amount", "financial_year")
    list_filter = ("financial_year",)
    filter_horizontal = ("categories",)


@admin.register(BudgetEntry)
class BudgetEntryAdmin(admin.ModelAdmin):
    list_display = ("booked_on", "kind", "amount", "budget_line", "work_order")
    list_select_related = ("budget_line", "work_order")
    list_filter = ("kind", "budget_line")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("period", "version", "status", "generated_at", "sha256")
    readonly_fields = ("period", "version", "pdf", "sha256", "generated_at", "generated_by")
