"""The board's tables as files, built from the same figures as the pages.

CSV is UTF-8 with a byte-order mark (so Excel reads the accents), comma-separated with dot decimals; Excel
files hold numbers and dates as real cells. Headers are in the reader's language; codes stay codes.
Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import tablib
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from social.selectors import social_case_counts

from .dashboard import budget_overview, burn, last_twelve_months, service_figures
from .models import BudgetEntry, EntryKind
from .selectors import line_entries

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SECONDS_PER_DAY = Decimal(86400)


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _dataset(title: str, headers: list[str], rows) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=headers, title=title[:31])
    for row in rows:
        dataset.append([_cell(value) for value in row])
    return dataset


def _days(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    days = Decimal(str(duration.total_seconds())) / SECONDS_PER_DAY
    return days.quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- The dashboard's tables ---------------------------------------------------------------------------


def lines_dataset(year: int, today: date) -> tablib.Dataset:
    overview = budget_overview(year)
    return _dataset(
        _("Budget lines"),
        [
            _("Code"),
            _("Name"),
            _("RGS code"),
            _("Budget"),
            _("Committed"),
            _("Actual"),
            _("Available"),
            _("Used (%)"),
        ],
        (
            [
                line.code,
                line.name,
                line.rgs_code,
                line.budget,
                line.committed,
                line.actual,
                line.available,
                line.used_percentage,
            ]
            for line in overview.lines
        ),
    )


def burn_dataset(year: int, today: date) -> tablib.Dataset:
    overview = budget_overview(year)
    return _dataset(
        _("Burn rate"),
        [_("Month"), _("Actual in month"), _("Actual cumulative"), _("Plan cumulative")],
        (
            [f"{point.month:%Y-%m}", point.actual, point.actual_cumulative, point.plan_cumulative]
            for point in burn(year, overview.budget, today)
        ),
    )


def service_dataset(year: int, today: date) -> tablib.Dataset:
    """The twelve months up to today; for a past year, the twelve months of that year."""
    start, end = last_twelve_months(min(today, date(year, 12, 31)))
    figures = service_figures(start, end)
    rows = [
        [_("Period"), f"{start:%Y-%m-%d} – {end - timedelta(days=1):%Y-%m-%d}"],
        [_("Requests received"), figures.received],
        [_("Requests completed"), figures.completed],
        [_("Lead time median (days)"), _days(figures.lead_time_median)],
        [_("Lead time 90th percentile (days)"), _days(figures.lead_time_p90)],
        *(
            [_("SLA met, %(urgency)s (%%)") % {"urgency": row.label}, row.percentage]
            for row in figures.compliance
        ),
        [_("SLA met, all (%)"), figures.compliance_overall],
        [_("Ratings"), figures.ratings],
        [_("Average rating (1–5)"), figures.rating_average],
        [_("Dissatisfied (%)"), figures.dissatisfied_percentage],
        [_("Work orders completed"), figures.work_orders_completed],
        [_("First-time fix (%)"), figures.first_time_fix_percentage],
    ]
    return _dataset(_("Service"), [_("Figure"), _("Value")], rows)


def social_dataset(year: int, today: date) -> tablib.Dataset:
    """All social cases so far, suppressed exactly as on the dashboard (the values are strings)."""
    counts = social_case_counts()
    groups = [
        (_("By type"), counts["by_type"]),
        (_("By status"), counts["by_status"]),
        (_("Outcome of ended cases"), counts["by_outcome"]),
    ]
    rows = [[_("Total"), _("All cases"), counts["total"]]]
    rows += [[group, row.label, row.value] for group, group_rows in groups for row in group_rows]
    return _dataset(_("Social management"), [_("Group"), _("Category"), _("Cases")], rows)


DASHBOARD_TABLES: dict[str, Callable[[int, date], tablib.Dataset]] = {
    "lines": lines_dataset,
    "burn": burn_dataset,
    "service": service_dataset,
    "social": social_dataset,
}


# --- One budget line's entries ------------------------------------------------------------------------


def _entry_row(entry: BudgetEntry) -> list:
    kind = entry.get_kind_display()
    if entry.kind == EntryKind.COMMITMENT:
        work_order = entry.work_order
        source = (
            _("Work order"),
            work_order.request.number,
            work_order.contractor.name,
            work_order.get_status_display(),
        )
    elif entry.invoice_id:
        invoice = entry.invoice
        source = (
            _("Invoice"),
            invoice.invoice_number,
            invoice.supplier,
            invoice.get_status_display(),
        )
    else:
        expense = entry.expense
        source = (_("Expense"), expense.description, expense.get_category_display(), "")
    return [kind, *source, entry.booked_on, entry.amount]


def line_dataset(line_pk: int, code: str) -> tablib.Dataset:
    return _dataset(
        code,
        [
            _("Kind"),
            _("Source"),
            _("Reference"),
            _("Contractor or supplier"),
            _("Status"),
            _("Date"),
            _("Amount excl. VAT"),
        ],
        (_entry_row(entry) for entry in line_entries(line_pk)),
    )


# --- The file ----------------------------------------------------------------------------------------


def dataset_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """The dataset as a download; the caller has checked fmt against CONTENT_TYPES."""
    if fmt == "csv":
        # The BOM tells Excel the file is UTF-8; LibreOffice skips it, Python reads it with utf-8-sig.
        content: bytes = ("\ufeff" + dataset.export("csv")).encode("utf-8")
    else:
        content = dataset.export("xlsx")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def table_export_response(request, table, filename_stem: str):
    """The list as the reader filters it (`?_export=csv|xlsx`), all rows, through django-tables2's
    exporter; None when no export was asked for, so the page renders as usual."""
    from django_tables2.export import TableExport

    fmt = request.GET.get("_export")
    if fmt not in CONTENT_TYPES:
        return None
    exporter = TableExport(fmt, table, exclude_columns=("actions", "selection"))
    return exporter.response(f"{filename_stem}.{fmt}")
