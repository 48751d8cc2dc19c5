from datetime import date

from celery import shared_task
from django.utils import timezone

from .models import MonthlyReport
from .services import monthly_report_generate


def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


@shared_task
def generate_monthly_report(period_iso: str) -> int:
    """Runs on the `pdf` queue so that routing never waits behind a report."""
    return monthly_report_generate(date.fromisoformat(period_iso)).pk


@shared_task
def generate_previous_month_report() -> None:
    """Beat job of the first of the month: the report of the month that just ended."""
    period = previous_month(timezone.localdate())
    if MonthlyReport.objects.filter(period=period).exists():
        return
    generate_monthly_report.delay(period.isoformat())
