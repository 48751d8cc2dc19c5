"""Reads of the budget: aggregates computed in the database, never Python loops over rows."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tickets.constants import RequestStatus
from tickets.models import RepairRequest, Visit, VisitReason, WorkCategory
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role

from .models import BudgetLine, EntryKind, FinancialYear, MonthlyReport

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
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


def budget_lines_with_totals(year: int) -> QuerySet[BudgetLine]:
    return (
        BudgetLine.objects.filter(financial_year__year=year)
        .annotate(
            committed=Coalesce(
                Sum("entries__amount", filter=Q(entries__kind=EntryKind.COMMITMENT)), ZERO
            ),
            actual=Coalesce(Sum("entries__amount", filter=Q(entries__kind=EntryKind.ACTUAL)), ZERO),
        )
        .order_by("code")
    )


def financial_years() -> list[int]:
    return list(FinancialYear.objects.order_by("-year").values_list("year", flat=True))


def financial_year_get(year: int) -> FinancialYear | None:
    return FinancialYear.objects.filter(year=year).first()


def monthly_figures(period_start: date, period_end: date) -> dict:
    """The service figures of one month (period_end exclusive), for the report and the dashboard."""
    requests = RepairRequest.objects.filter(
        created_at__date__gte=period_start, created_at__date__lt=period_end
    )
    totals = requests.aggregate(
        received=Count("pk"),
        completed=Count(
            "pk", filter=Q(status__in=(RequestStatus.TECHNICALLY_DONE, RequestStatus.CLOSED))
        ),
    )
    by_category = (
        requests.values("category__parent__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__parent__name")
    )
    visits = (
        Visit.objects.filter(visited_at__date__gte=period_start, visited_at__date__lt=period_end)
        .values("reason")
        .annotate(count=Count("pk"))
        .order_by("-count", "reason")
    )
    reason_labels = dict(VisitReason.choices)
    return {
        "totals": totals,
        "by_trade": list(by_category),
        "visits": [
            {"reason": reason_labels.get(row["reason"], row["reason"]), "count": row["count"]}
            for row in visits
        ],
        "visits_total": sum(row["count"] for row in visits),
    }


def monthly_reports_visible_to(user: User) -> QuerySet[MonthlyReport]:
    if can_see_finance(user):
        return MonthlyReport.objects.all()
    return MonthlyReport.objects.none()


def monthly_report_get_for(user: User, report_uuid) -> MonthlyReport:
    found = monthly_reports_visible_to(user).filter(uuid=report_uuid).first()
    if found is None:
        raise Http404
    return found
