"""The figures of the monthly report for Bo-Ex, as plain data (strings, numbers, ISO dates).

The same dictionary is stored with the report (JSON), rendered into the PDF, and written to the CSV and
Excel files, so the three always agree. Money and counts are cut off at the month's end; statuses (of
requests and social cases) are as they stand when the report is made. Generating a month twice from the
same data gives the same figures.

No names or contact details: homes appear by unit id only; social figures arrive suppressed below 5.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from social.selectors import social_case_counts
from tickets.constants import Channel, Responsibility, Urgency
from tickets.models import Referral, RepairRequest, Visit, VisitReason
from tickets.signals_planned import repeated_defects
from zelfbeheer.dates import add_months
from zelfbeheer.housing.models import Home

from . import dashboard

KEY_FIGURES = (
    "received",
    "completed",
    "sla_percentage",
    "lead_time_median_days",
    "lead_time_p90_days",
    "rating_average",
    "dissatisfied_percentage",
    "first_time_fix_percentage",
    "forwarded_to_corporation",
    "office_visits",
    "actual_in_month",
)


def previous_month(today: date) -> date:
    return add_months(today.replace(day=1), -1)


def month_bounds(period: date) -> tuple[date, date]:
    start = period.replace(day=1)
    return start, add_months(start, 1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _text(value) -> str | None:
    return None if value is None else str(value)


def _days(value: timedelta | None) -> str | None:
    days = dashboard.lead_time_days(value)
    return None if days is None else str(days)


def _counted(queryset: QuerySet, field: str, choices) -> list[dict]:
    found = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    return [{"label": str(label), "count": found.get(value, 0)} for value, label in choices]


def key_figures(start: date, end: date) -> dict[str, str | int | None]:
    service = dashboard.service_figures(start, end)
    since, until = _aware(start), _aware(end)
    actual = dashboard.budget_overview(start.year, until=end).lines
    actual_before = dashboard.budget_overview(start.year, until=start).lines
    return {
        "received": service.received,
        "completed": service.completed,
        "sla_percentage": _text(service.compliance_overall),
        "lead_time_median_days": _days(service.lead_time_median),
        "lead_time_p90_days": _days(service.lead_time_p90),
        "rating_average": _text(service.rating_average),
        "dissatisfied_percentage": _text(service.dissatisfied_percentage),
        "first_time_fix_percentage": _text(service.first_time_fix_percentage),
        "forwarded_to_corporation": Referral.objects.filter(
            sent_at__gte=since, sent_at__lt=until
        ).count(),
        "office_visits": Visit.objects.filter(visited_at__gte=since, visited_at__lt=until).count(),
        "actual_in_month": str(
            sum((line.actual for line in actual), Decimal("0.00"))
            - sum((line.actual for line in actual_before), Decimal("0.00"))
        ),
    }


def monthly_report_figures(period: date) -> dict:
    """Everything the month's report says, in Dutch labels (the report is written in Dutch)."""
    start, end = month_bounds(period)
    since, until = _aware(start), _aware(end)
    service = dashboard.service_figures(start, end)
    received = RepairRequest.objects.filter(created_at__gte=since, created_at__lt=until)
    by_trade = (
        received.values("category__parent__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__parent__name")
    )
    overview = dashboard.budget_overview(start.year, until=end)
    last_day = end - timedelta(days=1)
    elapsed = dashboard.months_elapsed(start.year, last_day)
    burn = dashboard.burn(start.year, overview.budget, last_day, until=end)
    signals = repeated_defects(now=until)
    unit_ids = dict(
        Home.objects.filter(
            pk__in=[signal.place_id for signal in signals if signal.place == "home"]
        ).values_list("pk", "unit_id")
    )
    visits = dict(
        Visit.objects.filter(visited_at__gte=since, visited_at__lt=until)
        .values_list("reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    social = social_case_counts(opened_from=start, opened_until=last_day)
    return {
        "period": start.isoformat(),
        "key_figures": {
            "this_month": key_figures(start, end),
            "previous_month": key_figures(add_months(start, -1), start),
            "same_month_last_year": key_figures(add_months(start, -12), add_months(end, -12)),
        },
        "requests": {
            "by_trade": [
                {"label": row["category__parent__name"] or "–", "count": row["count"]}
                for row in by_trade
            ],
            "by_responsibility": _counted(received, "responsibility", Responsibility.choices),
            "by_channel": _counted(received, "channel", Channel.choices),
            "by_urgency": _counted(received, "urgency", Urgency.choices),
        },
        "sla": [
            {
                "label": row.label,
                "completed": row.completed,
                "on_time": row.on_time,
                "percentage": _text(row.percentage),
            }
            for row in service.compliance
        ],
        "signals": [
            {
                "place": unit_ids.get(signal.place_id, "")
                if signal.place == "home"
                else signal.place_label,
                "defect": str(signal.category),
                "count": signal.count,
            }
            for signal in signals
        ],
        "visits": [
            {"label": str(label), "count": visits.get(value, 0)}
            for value, label in VisitReason.choices
        ],
        "social": {
            "total": social["total"],
            "by_type": [{"label": row.label, "value": row.value} for row in social["by_type"]],
            "by_status": [{"label": row.label, "value": row.value} for row in social["by_status"]],
            "by_outcome": [
                {"label": row.label, "value": row.value} for row in social["by_outcome"]
            ],
        },
        "budget": {
            "year": start.year,
            "lines": [
                {
                    "code": line.code,
                    "name": line.name,
                    "rgs_code": line.rgs_code,
                    "budget": str(line.budget),
                    "committed": str(line.committed),
                    "actual": str(line.actual),
                    "forecast": str(dashboard.forecast(line.actual, line.committed, elapsed)),
                }
                for line in overview.lines
            ],
            "totals": {
                "budget": str(overview.budget),
                "committed": str(overview.committed),
                "actual": str(overview.actual),
                "forecast": str(dashboard.forecast(overview.actual, overview.committed, elapsed)),
            },
        },
        "burn": [
            {
                "month": point.month.isoformat(),
                "actual": str(point.actual),
                "actual_cumulative": _text(point.actual_cumulative),
                "plan_cumulative": str(point.plan_cumulative),
            }
            for point in burn
        ],
        "requests_per_month": [
            {"month": month.isoformat(), "count": count}
            for month, count in dashboard.requests_per_month(add_months(start, -11))
        ],
    }


def csv_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    """(section, figure, RGS code, value) rows for Bo-Ex's finance department."""
    rows: list[tuple[str, str, str, str]] = []
    labels = key_figure_labels()
    for column, title in (
        ("this_month", _("This month")),
        ("previous_month", _("Previous month")),
        ("same_month_last_year", _("Same month last year")),
    ):
        for key in KEY_FIGURES:
            value = figures["key_figures"][column][key]
            rows.append((str(title), labels[key], "", "" if value is None else str(value)))
    for group, title in (
        ("by_trade", _("Requests by trade")),
        ("by_responsibility", _("Requests by responsibility")),
        ("by_channel", _("Requests by channel")),
        ("by_urgency", _("Requests by urgency")),
    ):
        for row in figures["requests"][group]:
            rows.append((str(title), row["label"], "", str(row["count"])))
    for row in figures["sla"]:
        rows.append((str(_("Within the SLA")), row["label"], "", row["percentage"] or ""))
    for group, title in (
        ("by_type", _("Social cases by type")),
        ("by_status", _("Social cases by status")),
        ("by_outcome", _("Social cases by outcome")),
    ):
        for row in figures["social"][group]:
            rows.append((str(title), row["label"], "", row["value"]))
    for line in figures["budget"]["lines"]:
        for key, title in (
            ("budget", _("Budget")),
            ("committed", _("Committed")),
            ("actual", _("Actual")),
            ("forecast", _("Forecast for the year")),
        ):
            rows.append((f"{line['code']} {line['name']}", str(title), line["rgs_code"], line[key]))
    return rows


def key_figure_labels() -> dict[str, str]:
    return {
        "received": str(_("Requests received")),
        "completed": str(_("Requests completed")),
        "sla_percentage": str(_("Within the SLA (%)")),
        "lead_time_median_days": str(_("Lead time, median (days)")),
        "lead_time_p90_days": str(_("Lead time, 90% within (days)")),
        "rating_average": str(_("Satisfaction (1–5)")),
        "dissatisfied_percentage": str(_("Dissatisfied (%)")),
        "first_time_fix_percentage": str(_("First-time fix (%)")),
        "forwarded_to_corporation": str(_("Forwarded to Bo-Ex")),
        "office_visits": str(_("Visits to the office")),
        "actual_in_month": str(_("Spent in the month (excl. VAT)")),
    }
