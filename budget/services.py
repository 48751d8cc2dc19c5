"""Budget: what the rest of the project may ask of this app.

- `actual_book_for_work_order` books a completed work order's cost as an actual (once, corrected on re-run).
- `monthly_report_generate` builds the monthly report for Bo-Ex as a PDF, archived with its SHA-256.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tickets.models import WorkOrder
from zelfbeheer.accounts.models import User

from .models import BudgetEntry, EntryKind, MonthlyReport
from .pdf import html_to_pdf
from .selectors import budget_line_for, budget_lines_with_totals, monthly_figures


def _book(work_order: WorkOrder, kind: str, amount, moment) -> BudgetEntry | None:
    """One entry of `kind` for the work order on its category's line of that year (upserted)."""
    if amount is None:
        return None
    booked_on = timezone.localdate(moment or timezone.now())
    budget_line = budget_line_for(work_order.request.category, booked_on)
    if budget_line is None:
        return None
    entry, _created = BudgetEntry.objects.update_or_create(
        work_order=work_order,
        kind=kind,
        defaults={
            "budget_line": budget_line,
            "amount": amount,
            "booked_on": booked_on,
            "description": work_order.request.number,
        },
    )
    return entry


def actual_book_for_work_order(work_order: WorkOrder) -> BudgetEntry | None:
    """Book the work order's cost as an actual; None without a cost or a budget line covering it.

    Caller holds the work order's row lock.
    """
    entry = _book(work_order, EntryKind.ACTUAL, work_order.total_cost, work_order.completed_at)
    if entry is not None:
        # The commitment became the actual: an open commitment and an actual would count twice.
        BudgetEntry.objects.filter(work_order=work_order, kind=EntryKind.COMMITMENT).delete()
    return entry


def commitment_book_for_work_order(work_order: WorkOrder) -> BudgetEntry | None:
    """The accepted estimate as a commitment; None without an estimate or a budget line.

    Caller holds the work order's row lock.
    """
    return _book(work_order, EntryKind.COMMITMENT, work_order.estimate, work_order.accepted_at)


def month_bounds(period: date) -> tuple[date, date]:
    """The first day of the month and the first day of the next (exclusive end)."""
    start = period.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def monthly_report_generate(period: date, generated_by: User | None = None) -> MonthlyReport:
    """Render the month's report to PDF and archive it as the next version of that month."""
    start, end = month_bounds(period)
    with translation.override("nl"):
        html = render_to_string(
            "budget/report/monthly.html",
            {
                "period": start,
                "figures": monthly_figures(start, end),
                "budget_lines": budget_lines_with_totals(start.year),
                "generated_at": timezone.now(),
            },
        )
    pdf_bytes = html_to_pdf(html)
    with transaction.atomic():
        # Concurrent generation of the same month is stopped by the unique (period, version) constraint.
        versions = (
            MonthlyReport.objects.select_for_update()
            .filter(period=start)
            .values_list("version", flat=True)
        )
        last_version = max(versions, default=0)
        report = MonthlyReport(
            period=start,
            version=last_version + 1,
            sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            generated_by=generated_by,
        )
        report.pdf.save(
            f"maandrapportage-{start:%Y-%m}-v{report.version}.pdf",
            ContentFile(pdf_bytes),
            save=False,
        )
        report.save()
    return report
