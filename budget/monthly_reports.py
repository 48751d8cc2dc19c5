"""The monthly report for Bo-Ex: generated as a draft, made final by a board member, sent once by e-mail.

- `monthly_report_generate` renders the figures (budget.report) to PDF, CSV and Excel and archives them as
  the month's next version, immutable, with the PDF's SHA-256.
- `monthly_report_finalise` makes one version final (only one per month) and queues the sending.
- `monthly_report_send` is the Celery task's body: it sends once (the row lock and `sent_at` decide),
  and a failure is counted and kept on the report before the task retries.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tickets.sla import office_settings_get
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role
from zelfbeheer.queue import enqueue

from . import charts
from .dashboard import BurnPoint
from .models import MonthlyReport, ReportStatus
from .pdf import html_to_pdf
from .report import csv_rows, month_bounds, monthly_report_figures, previous_month
from .services import BudgetError

logger = logging.getLogger(__name__)


def report_recipients() -> list[str]:
    """The configured Bo-Ex addresses; invalid lines are skipped (and logged), never sent to."""
    found = []
    for line in office_settings_get().monthly_report_recipients.replace(",", "\n").splitlines():
        address = line.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("Skipping invalid monthly report recipient %r", address)
            continue
        found.append(address)
    return found


def _report_charts(figures: dict) -> dict:
    burn = [
        BurnPoint(
            month=date.fromisoformat(point["month"]),
            actual=Decimal(point["actual"]),
            actual_cumulative=(
                Decimal(point["actual_cumulative"]) if point["actual_cumulative"] else None
            ),
            plan_cumulative=Decimal(point["plan_cumulative"]),
        )
        for point in figures["burn"]
    ]
    per_month = [
        (date.fromisoformat(row["month"]), row["count"]) for row in figures["requests_per_month"]
    ]
    return {
        "burn_chart": charts.burn_chart(
            burn,
            title=_("Spending in %(year)s against the linear plan")
            % {"year": figures["budget"]["year"]},
            description=_("Actual spending per month, cumulative, against the linear plan."),
            actual_name=_("Actual"),
            plan_name=_("Linear plan"),
        ),
        "requests_chart": charts.columns_chart(
            per_month,
            title=_("Repair requests per month"),
            description=_("Requests received in the twelve months up to this report's month."),
            chart_id="requests-chart",
        ),
    }


def _files(figures: dict, start: date, generated_at) -> tuple[bytes, bytes, bytes]:
    with translation.override("nl"):
        html = render_to_string(
            "budget/report/monthly.html",
            {
                "period": start,
                "figures": figures,
                "generated_at": generated_at,
                **_report_charts(figures),
            },
        )
        dataset = tablib.Dataset(
            headers=[str(_("Section")), str(_("Figure")), str(_("RGS code")), str(_("Value"))],
            title=f"{start:%Y-%m}",
        )
        for row in csv_rows(figures):
            dataset.append(row)
    pdf_bytes = html_to_pdf(html)
    csv_bytes = "\ufeff".encode() + dataset.export("csv").encode("utf-8")
    xlsx_bytes = dataset.export("xlsx")
    return pdf_bytes, csv_bytes, xlsx_bytes


def monthly_report_generate(period: date, generated_by: User | None = None) -> MonthlyReport:
    """Render the month's report and archive it as the next version of that month, as a draft."""
    start, _end = month_bounds(period)
    with translation.override("nl"):
        figures = monthly_report_figures(start)
    generated_at = timezone.now()
    pdf_bytes, csv_bytes, xlsx_bytes = _files(figures, start, generated_at)
    with transaction.atomic():
        # Concurrent generation of the same month is stopped by the unique (period, version) constraint.
        versions = (
            MonthlyReport.objects.select_for_update()
            .filter(period=start)
            .values_list("version", flat=True)
        )
        version = max(versions, default=0) + 1
        report = MonthlyReport(
            period=start,
            version=version,
            figures=figures,
            sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            generated_by=generated_by,
        )
        stem = f"maandrapportage-{start:%Y-%m}-v{version}"
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        report.csv_file.save(f"{stem}.csv", ContentFile(csv_bytes), save=False)
        report.xlsx_file.save(f"{stem}.xlsx", ContentFile(xlsx_bytes), save=False)
        report.save()
    return report


def _enqueue_sending(report_id: int) -> None:
    from .tasks import send_monthly_report

    enqueue(send_monthly_report, report_id)


@transaction.atomic
def monthly_report_finalise(report: MonthlyReport, *, by: User | None) -> MonthlyReport:
    """A board member (or, when configured, the beat job: `by=None`) makes a draft final; it is sent."""
    if by is not None and not has_role(by, Role.BOARD):
        raise BudgetError(_("Only board members make a report final."))
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise BudgetError(_("Only a draft can be made final."))
    report.status = ReportStatus.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise BudgetError(
            _("Another version of this month is final already; it is the one Bo-Ex gets.")
        ) from error
    report_id = report.pk
    transaction.on_commit(lambda: _enqueue_sending(report_id))
    return report


def monthly_report_send_again(report: MonthlyReport, *, by: User) -> None:
    """After a failed sending: queue it once more (sending itself stays once-only)."""
    if not has_role(by, Role.BOARD, Role.COORDINATOR):
        raise BudgetError(_("Only board members and the coordinator send reports."))
    if report.status != ReportStatus.FINAL:
        raise BudgetError(_("Only a final report that was not sent yet can be sent."))
    transaction.on_commit(lambda: _enqueue_sending(report.pk))


def _record_failure(report_id: int, error: Exception) -> None:
    text = error.message if isinstance(error, BudgetError) else f"{type(error).__name__}: {error}"
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report_id)
        report.send_attempts += 1
        report.last_send_error = str(text)[:1000]
        report.save(update_fields=["send_attempts", "last_send_error"])


def monthly_report_send(report_id: int) -> bool:
    """E-mail a final report to Bo-Ex with the PDF and CSV attached; True when this call sent it.

    The row stays locked while the mail goes out, so a second worker waits and then finds it sent.
    A failure is recorded on the report (visible on the reports page) and raised, so Celery retries.
    """
    recipients = report_recipients()
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.select_for_update().get(pk=report_id)
            if report.status != ReportStatus.FINAL or report.sent_at:
                return False
            if not recipients:
                raise BudgetError(_("No e-mail addresses for Bo-Ex are configured."))
            with translation.override("nl"):
                message = EmailMessage(
                    subject=_("Monthly report %(month)s of Zelfbeheer Lombok")
                    % {"month": report.period.strftime("%Y-%m")},
                    body=render_to_string(
                        "budget/email/monthly_report.txt",
                        {"report": report, "version": report.version},
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=recipients,
                )
            for field in (report.pdf, report.csv_file):
                if field:
                    with field.open("rb") as handle:
                        message.attach(
                            field.name.rsplit("/", 1)[-1],
                            handle.read(),
                            "application/pdf" if field.name.endswith(".pdf") else "text/csv",
                        )
            message.send()
            report.status = ReportStatus.SENT
            report.sent_at = timezone.now()
            report.sent_to = "\n".join(recipients)
            report.last_send_error = ""
            report.save(update_fields=["status", "sent_at", "sent_to", "last_send_error"])
    except BudgetError as error:
        _record_failure(report_id, error)
        return False
    except Exception as error:
        _record_failure(report_id, error)
        raise
    return True


def previous_month_report_run(today: date) -> MonthlyReport | None:
    """The beat job: the report of the month that just ended; final and sent when configured.

    Left alone when that month already has a final report, or a draft made after the month ended (a
    board member is looking at it). A draft made during the month was incomplete: a new version is made.
    """
    period = previous_month(today)
    _start, end = month_bounds(period)
    reports = MonthlyReport.objects.filter(period=period)
    complete_draft = reports.filter(
        status=ReportStatus.DRAFT,
        generated_at__gte=timezone.make_aware(datetime.combine(end, datetime.min.time())),
    )
    if reports.exclude(status=ReportStatus.DRAFT).exists() or complete_draft.exists():
        return None
    report = monthly_report_generate(period)
    if office_settings_get().monthly_report_send_automatically:
        report = monthly_report_finalise(report, by=None)
    return report
