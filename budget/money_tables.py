"""The django-tables2 tables of the board's money pages; their rows come from budget.selectors."""

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zelfbeheer.tables import DateTimeColumn

from .models import BudgetEntry, Expense

# --- Tables ------------------------------------------------------------------------------------------

TABLE_CLASS = "utrecht-table utrecht-table--html-table"
NUMERIC = {
    "th": {"class": "utrecht-table__header-cell--numeric-column"},
    "td": {"class": "utrecht-table__cell--numeric-column utrecht-table__cell--numeric-data"},
}


class MoneyColumn(tables.Column):
    """Euros with two decimals in the reader's locale; the table sorts on the number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"€ {floatformat(value, '2g')}"

    def value(self, value):
        # Exports get the number itself: a real number cell in Excel, dot decimals in CSV.
        return value


def _table_attrs(labelled_by: str) -> dict:
    return {"class": TABLE_CLASS, "aria-labelledby": labelled_by}


class ExpenseTable(tables.Table):
    spent_on = DateTimeColumn(verbose_name=_("Date"), format="j M Y")
    budget_line = tables.Column(verbose_name=_("Budget line"), order_by=("budget_line__code",))
    category = tables.Column(verbose_name=_("Kind"))
    description = tables.Column(verbose_name=_("Description"))
    amount_excl_vat = MoneyColumn(verbose_name=_("Amount excl. VAT"))
    vat_amount = MoneyColumn(verbose_name=_("VAT"))
    entered_by = tables.Column(
        verbose_name=_("Entered by"), order_by=("entered_by__last_name", "entered_by__first_name")
    )
    correct = tables.Column(verbose_name=_("Correction"), accessor="pk", orderable=False)

    class Meta:
        model = Expense
        fields = (
            "spent_on", "budget_line", "category", "description", "amount_excl_vat", "vat_amount",
            "entered_by", "correct",
        )  # fmt: skip
        order_by = ("-spent_on",)
        empty_text = _("No expenses recorded for this year yet.")

    def __init__(self, *args, year: int, can_edit: bool, **kwargs):
        self.year = year
        super().__init__(
            *args,
            attrs=_table_attrs("expenses-heading"),
            exclude=() if can_edit else ("correct",),
            **kwargs,
        )

    def render_budget_line(self, record: Expense):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("budget:line_detail", args=[self.year, record.budget_line.code]),
            record.budget_line,
        )

    def value_budget_line(self, record: Expense) -> str:
        return record.budget_line.code

    def render_entered_by(self, record: Expense):
        return record.entered_by.get_full_name() or record.entered_by.email

    def render_correct(self, record: Expense):
        return format_html(
            '<a href="?corrigeren={}#correct-heading">{}<span class="portal-visually-hidden"> {}</span></a>',
            record.pk,
            _("Correct"),
            record.description,
        )


class CommitmentTable(tables.Table):
    request_number = tables.Column(
        verbose_name=_("Repair request"),
        accessor="work_order__request__number",
    )
    contractor = tables.Column(
        verbose_name=_("Contractor"), accessor="work_order__contractor__name"
    )
    status = tables.Column(verbose_name=_("Status"), accessor="work_order__status")
    amount = MoneyColumn(verbose_name=_("Open commitment excl. VAT"))
    booked_on = DateTimeColumn(verbose_name=_("Booked on"), format="j M Y")

    class Meta:
        order_by = ("-booked_on",)
        empty_text = _("No open commitments on this line.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs=_table_attrs("committed"), prefix="c-", **kwargs)

    def render_status(self, record: BudgetEntry):
        return record.work_order.get_status_display()


class InvoiceActualTable(tables.Table):
    supplier = tables.Column(
        verbose_name=_("Supplier"),
        accessor="invoice__supplier",
        order_by=("invoice__contractor__name", "invoice__supplier_name"),
    )
    invoice_number = tables.Column(
        verbose_name=_("Invoice number"), accessor="invoice__invoice_number"
    )
    invoice_date = DateTimeColumn(
        verbose_name=_("Invoice date"), accessor="invoice__invoice_date", format="j M Y"
    )
    amount = MoneyColumn(verbose_name=_("Amount excl. VAT"))
    status = tables.Column(verbose_name=_("Status"), accessor="invoice__status")

    class Meta:
        order_by = ("-invoice_date",)
        empty_text = _("No approved invoices on this line.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs=_table_attrs("actual-invoices"), prefix="i-", **kwargs)

    def render_status(self, record: BudgetEntry):
        return record.invoice.get_status_display()


class ExpenseActualTable(tables.Table):
    booked_on = DateTimeColumn(verbose_name=_("Date"), format="j M Y")
    category = tables.Column(verbose_name=_("Kind"), accessor="expense__category")
    description = tables.Column(verbose_name=_("Description"), accessor="expense__description")
    amount = MoneyColumn(verbose_name=_("Amount excl. VAT"))

    class Meta:
        order_by = ("-booked_on",)
        empty_text = _("No expenses on this line.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs=_table_attrs("actual-expenses"), prefix="e-", **kwargs)

    def render_category(self, record: BudgetEntry):
        return record.expense.get_category_display()
