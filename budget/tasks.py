"""Thin Celery tasks of the budget: the monthly report's generation (on the `pdf` queue) and sending."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import monthly_reports
from .report import previous_month  # noqa: F401  (the beat test imports it from here)

TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)


@shared_task
def generate_monthly_report(period_iso: str, generated_by_id: int | None = None) -> int:
    """Runs on the `pdf` queue so that routing never waits behind a report."""
    from zelfbeheer.accounts.models import User

    generated_by = User.objects.filter(pk=generated_by_id).first() if generated_by_id else None
    return monthly_reports.monthly_report_generate(
        date.fromisoformat(period_iso), generated_by=generated_by
    ).pk


@shared_task
def generate_previous_month_report() -> int | None:
    """Beat job of the first of the month (06:00 Amsterdam): the report of the month that just ended.

    Routed to the `pdf` queue. Once per month: a month that has a report already is left alone.
    """
    report = monthly_reports.previous_month_report_run(timezone.localdate())
    return report.pk if report else None


@shared_task(
    autoretry_for=(*TRANSIENT_ERRORS, OSError, SMTPException),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=10,
)
def send_monthly_report(report_id: int) -> bool:
    return monthly_reports.monthly_report_send(report_id)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def refresh_dashboard_snapshot() -> None:
    """Every 10 minutes: the dashboard's service figures and social counts, into the cache."""
    from .dashboard import service_snapshot_refresh

    service_snapshot_refresh()
