"""The board's figures: every number is a database aggregate, with a fixed number of queries per page.

Definitions (also on the dashboard itself):
- committed: open commitments of work orders (estimate, or reported cost, less approved invoices);
- actual: approved and paid invoices plus expenses, excl. VAT, by invoice or expense date;
- available: budget − committed − actual;
- forecast for the year: actual + committed + the average monthly actual of the months so far × months left;
- lead time: from receipt to technically done, for requests completed in the period; median and 90th
  percentile by nearest rank (the same definition on PostgreSQL and SQLite);
- SLA met: completed no later than the resolution due date (which pauses move);
- first-time fix: completed work orders without a visit that had no result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from tickets.constants import Urgency, WorkOrderStatus
from tickets.models import Rating, RepairRequest, WorkOrder, WorkOrderAttempt
from zelfbeheer.dates import add_months
from zelfbeheer.housing.models import Home
from zelfbeheer.versioned_cache import VersionedCache, code_release

from .models import BudgetEntry, BudgetLine, EntryKind, FinancialYear, Grant, GrantTranche

CENT = Decimal("0.01")
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
HUNDRED = Decimal("100")
DISSATISFIED_AT_MOST = 2  # on the 1–5 scale


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- Money --------------------------------------------------------------------------------------------


@dataclass
class LineFigures:
    pk: int
    code: str
    name: str
    rgs_code: str
    budget: Decimal
    committed: Decimal
    actual: Decimal

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed - self.actual

    @property
    def used_percentage(self) -> Decimal | None:
        if not self.budget:
            return None
        return ((self.committed + self.actual) * HUNDRED / self.budget).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )


@dataclass
class BudgetOverview:
    year: int
    lines: list[LineFigures]
    budget: Decimal
    committed: Decimal
    actual: Decimal
    granted: Decimal
    received: Decimal
    baseline_cost_per_home: Decimal | None = None

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed - self.actual

    @property
    def used_percentage(self) -> Decimal | None:
        return LineFigures(0, "", "", "", self.budget, self.committed, self.actual).used_percentage


def budget_lines(
    year: int, until: date | None = None, code: str | None = None
) -> list[LineFigures]:
    """The year's lines with their sums; with `until`, only what was booked before that day."""
    booked = Q(entries__booked_on__lt=until) if until else Q()
    lines_qs = BudgetLine.objects.filter(financial_year__year=year)
    if code is not None:
        lines_qs = lines_qs.filter(code=code)
    lines_qs = lines_qs.annotate(
        committed=Coalesce(
            Sum("entries__amount", filter=Q(entries__kind=EntryKind.COMMITMENT) & booked), ZERO
        ),
        actual=Coalesce(
            Sum("entries__amount", filter=Q(entries__kind=EntryKind.ACTUAL) & booked), ZERO
        ),
    ).order_by("code")
    return [
        LineFigures(
            pk=line.pk,
            code=line.code,
            name=line.name,
            rgs_code=line.rgs_code,
            budget=_money(line.annual_amount),
            committed=_money(line.committed),
            actual=_money(line.actual),
        )
        for line in lines_qs
    ]


def budget_overview(year: int, until: date | None = None) -> BudgetOverview:
    """The year's lines; with `until`, only what was booked before that day (a month's report)."""
    lines = budget_lines(year, until)
    # One query for the year's grants, tranches received and baseline: sums in subqueries, so the
    # tranches do not multiply the grants.
    granted = (
        Grant.objects.filter(financial_year=OuterRef("pk"))
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    received = (
        GrantTranche.objects.filter(grant__financial_year=OuterRef("pk"), received_on__isnull=False)
        .values("grant__financial_year")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    year_row = (
        FinancialYear.objects.filter(year=year)
        .annotate(
            granted=Coalesce(Subquery(granted), ZERO), received=Coalesce(Subquery(received), ZERO)
        )
        .values("granted", "received", "baseline_cost_per_home")
        .first()
    ) or {"granted": 0, "received": 0, "baseline_cost_per_home": None}
    return BudgetOverview(
        year=year,
        lines=lines,
        budget=sum((line.budget for line in lines), Decimal("0.00")),
        committed=sum((line.committed for line in lines), Decimal("0.00")),
        actual=sum((line.actual for line in lines), Decimal("0.00")),
        granted=_money(year_row["granted"]),
        received=_money(year_row["received"]),
        baseline_cost_per_home=(
            _money(year_row["baseline_cost_per_home"])
            if year_row["baseline_cost_per_home"]
            else None
        ),
    )


@dataclass(frozen=True)
class BurnPoint:
    month: date
    actual: Decimal  # in that month
    actual_cumulative: Decimal | None  # None for months still to come
    plan_cumulative: Decimal


def burn(year: int, budget: Decimal, today: date, until: date | None = None) -> list[BurnPoint]:
    """Actual per month against the linear plan (a twelfth of the budget per month), cumulative.

    With `until`, only what was booked before that day (a month's report)."""
    entries = BudgetEntry.objects.filter(kind=EntryKind.ACTUAL, booked_on__year=year)
    if until:
        entries = entries.filter(booked_on__lt=until)
    per_month = dict(
        entries.annotate(month=TruncMonth("booked_on"))
        .values_list("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    points = []
    running = Decimal("0.00")
    for month_number in range(1, 13):
        month = date(year, month_number, 1)
        amount = _money(per_month.get(month))
        running += amount
        started = month <= today
        points.append(
            BurnPoint(
                month=month,
                actual=amount,
                actual_cumulative=running if started else None,
                plan_cumulative=_money(budget * month_number / 12),
            )
        )
    return points


def months_elapsed(year: int, today: date) -> int:
    """Months of the year that have begun, for the run rate; a past year counts 12, a future one 0."""
    if today.year > year:
        return 12
    if today.year < year:
        return 0
    return today.month


def forecast(actual: Decimal, committed: Decimal, elapsed_months: int) -> Decimal:
    """Actual + open commitments + the average monthly actual for each month still to come."""
    if elapsed_months == 0:
        return _money(committed)
    monthly = actual / elapsed_months
    return _money(actual + committed + monthly * (12 - elapsed_months))


def year_end_forecast(overview: BudgetOverview, today: date) -> Decimal:
    return forecast(overview.actual, overview.committed, months_elapsed(overview.year, today))


@dataclass(frozen=True)
class CostPerHome:
    homes: int
    forecast: Decimal | None
    baseline: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.forecast is None or self.baseline is None:
            return None
        return self.forecast - self.baseline


def cost_per_home(overview: BudgetOverview, forecast: Decimal, homes: int) -> CostPerHome:
    return CostPerHome(
        homes=homes,
        forecast=_money(forecast / homes) if homes else None,
        baseline=overview.baseline_cost_per_home,
    )


# --- Service ------------------------------------------------------------------------------------------


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile: percentile_disc(f) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=fraction, **extra)


LEAD_TIME = ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())


def lead_time_days(value: timedelta | None) -> Decimal | None:
    """A lead time in days with one decimal, as the dashboard and the monthly report show it."""
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percentiles(queryset: QuerySet, fractions: tuple[float, ...]) -> dict[float, timedelta | None]:
    """Nearest-rank percentiles of the lead time, computed in the database."""
    if connection.vendor == "postgresql":
        result = queryset.aggregate(
            **{
                f"p{index}": PercentileDisc(LEAD_TIME, fraction, output_field=DurationField())
                for index, fraction in enumerate(fractions)
            }
        )
        return {fraction: result[f"p{index}"] for index, fraction in enumerate(fractions)}
    count = queryset.count()
    ordered = (
        queryset.annotate(lead_time=LEAD_TIME)
        .order_by("lead_time")
        .values_list("lead_time", flat=True)
    )
    found: dict[float, timedelta | None] = {}
    for fraction in fractions:
        if not count:
            found[fraction] = None
            continue
        rank = max(math.ceil(fraction * count), 1)
        found[fraction] = ordered[rank - 1]
    return found


@dataclass
class UrgencyCompliance:
    urgency: str
    label: str
    completed: int
    on_time: int

    @property
    def percentage(self) -> Decimal | None:
        return _share(self.on_time, self.completed)


@dataclass
class ServiceFigures:
    start: date
    end: date
    received: int
    completed: int
    lead_time_median: timedelta | None
    lead_time_p90: timedelta | None
    compliance: list[UrgencyCompliance]
    ratings: int
    rating_average: Decimal | None
    dissatisfied_percentage: Decimal | None
    work_orders_completed: int
    first_time_fixes: int
    per_month: list[tuple[date, int]] = field(default_factory=list)

    @property
    def first_time_fix_percentage(self) -> Decimal | None:
        return _share(self.first_time_fixes, self.work_orders_completed)

    @property
    def compliance_overall(self) -> Decimal | None:
        return _share(
            sum(row.on_time for row in self.compliance),
            sum(row.completed for row in self.compliance),
        )


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def service_figures(start: date, end: date) -> ServiceFigures:
    """The service over [start, end): received, completed, lead times, SLA, ratings, first-time fix."""
    since, until = _aware(start), _aware(end)
    received = RepairRequest.objects.filter(created_at__gte=since, created_at__lt=until).count()
    completed = RepairRequest.objects.filter(completed_at__gte=since, completed_at__lt=until)
    by_urgency = {
        row["urgency"]: row
        for row in completed.values("urgency")
        .annotate(
            completed=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(resolution_due__isnull=False, completed_at__lte=F("resolution_due")),
            ),
        )
        .order_by()
    }
    compliance = [
        UrgencyCompliance(
            urgency=value,
            label=str(label),
            completed=by_urgency.get(value, {}).get("completed", 0),
            on_time=by_urgency.get(value, {}).get("on_time", 0),
        )
        for value, label in Urgency.choices
    ]
    percentiles = _percentiles(completed, (0.5, 0.9))
    ratings = Rating.objects.filter(created_at__gte=since, created_at__lt=until).aggregate(
        count=Count("pk"),
        average=Avg("score"),
        dissatisfied=Count("pk", filter=Q(score__lte=DISSATISFIED_AT_MOST)),
    )
    work_orders = WorkOrder.objects.filter(completed_at__gte=since, completed_at__lt=until).exclude(
        status=WorkOrderStatus.CANCELLED
    )
    fixes = work_orders.aggregate(
        total=Count("pk"),
        first_time=Count(
            "pk",
            filter=~Q(Exists(WorkOrderAttempt.objects.filter(work_order=OuterRef("pk")))),
        ),
    )
    return ServiceFigures(
        start=start,
        end=end,
        received=received,
        completed=sum(row.completed for row in compliance),
        lead_time_median=percentiles[0.5],
        lead_time_p90=percentiles[0.9],
        compliance=compliance,
        ratings=ratings["count"],
        rating_average=(
            Decimal(str(ratings["average"])).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if ratings["average"] is not None
            else None
        ),
        dissatisfied_percentage=_share(ratings["dissatisfied"], ratings["count"]),
        work_orders_completed=fixes["total"],
        first_time_fixes=fixes["first_time"],
    )


def requests_per_month(first_month: date, months: int = 12) -> list[tuple[date, int]]:
    """Requests received per month from first_month on, zero months included."""
    until = add_months(first_month, months)
    counted = dict(
        RepairRequest.objects.filter(
            created_at__gte=_aware(first_month), created_at__lt=_aware(until)
        )
        .annotate(month=TruncMonth("created_at", output_field=DateTimeField()))
        .values_list("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_month = {
        timezone.localtime(moment).date().replace(day=1): n for moment, n in counted.items()
    }
    return [
        (month, by_month.get(month, 0))
        for month in (add_months(first_month, offset) for offset in range(months))
    ]


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the first of the month a year ago to the first of next month."""
    end = add_months(today.replace(day=1), 1)
    return add_months(end, -12), end


# --- The cached part ----------------------------------------------------------------------------------

SNAPSHOT_REFRESH_MINUTES = 10


@dataclass
class ServiceSnapshot:
    """The figures that read a year of requests: kept in the cache, refreshed by beat every 10 minutes
    (and made on demand when missing), so the dashboard is at most that stale for them. Money is live."""

    made_at: datetime
    service: ServiceFigures
    per_month: list[tuple[date, int]]
    social: dict
    homes: int


def _snapshot_key(today: date) -> str:
    # Per release too: the snapshot is a pickled dataclass, and another release may read it differently.
    return f"budget:dashboard:service:{code_release()}:{today.isoformat()}"


def service_snapshot_refresh(today: date | None = None) -> ServiceSnapshot:
    from django.core.cache import cache

    from social.selectors import social_case_counts

    today = today or timezone.localdate()
    start, end = last_twelve_months(today)
    snapshot = ServiceSnapshot(
        made_at=timezone.now(),
        service=service_figures(start, end),
        per_month=requests_per_month(start),
        social=social_case_counts(),
        homes=Home.objects.count(),
    )
    # Twice the refresh interval: a late beat run never leaves the page without figures.
    cache.set(_snapshot_key(today), snapshot, timeout=2 * 60 * SNAPSHOT_REFRESH_MINUTES)
    return snapshot


def service_snapshot(today: date | None = None) -> ServiceSnapshot:
    from django.core.cache import cache

    today = today or timezone.localdate()
    return cache.get(_snapshot_key(today)) or service_snapshot_refresh(today)


# --- Money, kept until the ledger changes -------------------------------------------------------------

# Every save and delete of a ledger or budget row gives the money a new version (`budget/signals.py`).
# Rows written around the models (bulk loads, SQL by hand) show after at most the timeout.
MONEY_CACHE_SECONDS = 10 * 60
LEDGER = VersionedCache("budget:ledger", timeout_seconds=MONEY_CACHE_SECONDS)


@dataclass(frozen=True)
class MoneyFigures:
    overview: BudgetOverview
    burn: list[BurnPoint]
    forecast: Decimal


def ledger_changed() -> None:
    """Money moved: the dashboard reads it again on its next view."""
    LEDGER.changed()


def money_figures(year: int, today: date) -> MoneyFigures:
    """The year's lines, burn and forecast: from the cache while the ledger has not changed since."""

    def read() -> MoneyFigures:
        overview = budget_overview(year)
        return MoneyFigures(
            overview=overview,
            burn=burn(year, overview.budget, today),
            forecast=year_end_forecast(overview, today),
        )

    return LEDGER.get_or_make(("money", str(year), today.isoformat()), read)
