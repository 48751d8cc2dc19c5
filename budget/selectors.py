"""Reads of the budget: aggregates computed in the database, never Python loops over rows."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from tickets.models import WorkCategory
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role

from .dashboard import (
    ZERO,
    LineFigures,
    budget_lines,
)
from .models import (
    BudgetEntry,
    BudgetLine,
    EntryKind,
    Expense,
    FinancialYear,
    Grant,
    GrantTranche,
    Invoice,
    MonthlyReport,
)

FINANCE_ROLES = (Role.BOARD, Role.CORPORATION, Role.COORDINATOR)


def can_see_finance(user: User) -> bool:
    return has_role(user, *FINANCE_ROLES)


def budget_line_for(category: WorkCategory, on_date: date) -> BudgetLine | None:
    """The line of that year charged for the category, or for its trade."""
    candidates = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return (
        BudgetLine.objects.filter(financial_year__year=on_date.year, categories__in=candidates)
        .order_by("code")
        .first()
    )


def financial_years() -> list[int]:
    return list(FinancialYear.objects.order_by("-year").values_list("year", flat=True))


def financial_year_get(year: int) -> FinancialYear | None:
    return FinancialYear.objects.filter(year=year).first()


def monthly_reports_visible_to(user: User) -> QuerySet[MonthlyReport]:
    if can_see_finance(user):
        return MonthlyReport.objects.all()
    return MonthlyReport.objects.none()


def monthly_report_get_for(user: User, report_uuid) -> MonthlyReport:
    found = monthly_reports_visible_to(user).filter(uuid=report_uuid).first()
    if found is None:
        raise Http404
    return found


# --- The money pages -------------------------------------------------------------------------------------------


def expenses_of_year(financial_year: FinancialYear) -> QuerySet[Expense]:
    return Expense.objects.filter(budget_line__financial_year=financial_year).select_related(
        "budget_line", "entered_by"
    )


def expense_get(pk: int) -> Expense:
    """The expense with its line and year, or 404. Finance roles see every expense."""
    found = Expense.objects.select_related("budget_line__financial_year").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def grants_of_year(financial_year: FinancialYear) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(financial_year=financial_year)
        .prefetch_related("tranches")
        .order_by("granted_on", "pk")
    )


def grant_totals(financial_year: FinancialYear) -> dict[str, Decimal]:
    """Granted and received so far: the same sums as the dashboard's grant figures."""
    granted = Grant.objects.filter(financial_year=financial_year).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]
    received = GrantTranche.objects.filter(
        grant__financial_year=financial_year, received_on__isnull=False
    ).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    return {"granted": granted, "received": received}


def tranche_get(pk: int) -> GrantTranche:
    found = GrantTranche.objects.select_related("grant__financial_year").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def line_figures_get(year: int, code: str) -> LineFigures:
    """One budget line's figures, summed exactly as on the dashboard; 404 for an unknown year or code."""
    lines = budget_lines(year, code=code)
    if not lines:
        raise Http404
    return lines[0]


def line_commitments(line_pk: int) -> QuerySet[BudgetEntry]:
    return BudgetEntry.objects.filter(
        budget_line_id=line_pk, kind=EntryKind.COMMITMENT
    ).select_related("work_order__request", "work_order__contractor")


def line_invoice_actuals(line_pk: int) -> QuerySet[BudgetEntry]:
    return BudgetEntry.objects.filter(
        budget_line_id=line_pk, kind=EntryKind.ACTUAL, invoice__isnull=False
    ).select_related("invoice__contractor")


def line_expense_actuals(line_pk: int) -> QuerySet[BudgetEntry]:
    return BudgetEntry.objects.filter(
        budget_line_id=line_pk, kind=EntryKind.ACTUAL, expense__isnull=False
    ).select_related("expense")


def line_entries(line_pk: int) -> QuerySet[BudgetEntry]:
    """Every ledger entry of the line with what it came from, for the line's export."""
    return (
        BudgetEntry.objects.filter(budget_line_id=line_pk)
        .select_related(
            "work_order__request", "work_order__contractor", "invoice__contractor", "expense"
        )
        .order_by("kind", "booked_on", "pk")
    )


# --- Invoices ---


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    if not has_role(user, *FINANCE_ROLES):
        return Invoice.objects.none()
    return Invoice.objects.select_related(
        "contractor", "budget_line__financial_year", "work_order__request"
    ).annotate(approval_count=Count("approvals"))


def invoice_get_for(user: User, invoice_uuid) -> Invoice:
    """The invoice or 404: the same answer for 'missing' and 'not for you'."""
    found = invoices_visible_to(user).select_related("entered_by").filter(uuid=invoice_uuid).first()
    if found is None:
        raise Http404
    return found
