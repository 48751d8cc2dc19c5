"""The invoice list (django-tables2). Rows come from `selectors.invoices_visible_to`, which joins
what the columns show and counts the approvals, so a page costs the same queries for 3 or 25 rows."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zelfbeheer.tables import DateTimeColumn

from .models import Invoice, InvoiceStatus
from .money_tables import MoneyColumn
from .services import approvals_needed


class InvoiceTable(tables.Table):
    invoice_date = DateTimeColumn(verbose_name=_("Invoice date"), format="j M Y")
    supplier = tables.Column(
        verbose_name=_("Supplier"),
        accessor="supplier",
        order_by=("contractor__name", "supplier_name"),
    )
    invoice_number = tables.Column(verbose_name=_("Number"))
    request_number = tables.Column(
        verbose_name=_("Repair request"), accessor="work_order__request__number", default="—"
    )
    budget_line = tables.Column(
        verbose_name=_("Budget line"), accessor="budget_line__code", order_by=("budget_line__code",)
    )
    amount_excl_vat = MoneyColumn(verbose_name=_("Excl. VAT"))
    vat_amount = MoneyColumn(verbose_name=_("VAT"))
    amount_incl_vat = MoneyColumn(verbose_name=_("Incl. VAT"))
    status = tables.Column(verbose_name=_("Status"))
    approvals = tables.Column(
        verbose_name=_("Approvals"), accessor="approval_count", order_by=("approval_count",)
    )

    class Meta:
        model = Invoice
        fields = (
            "invoice_date",
            "supplier",
            "invoice_number",
            "request_number",
            "budget_line",
            "amount_excl_vat",
            "vat_amount",
            "amount_incl_vat",
            "status",
            "approvals",
        )
        attrs = {"class": "utrecht-table utrecht-table--html-table portal-queue"}
        order_by = ("-invoice_date",)
        empty_text = _("No invoices match.")

    def render_invoice_number(self, record: Invoice, value: str):
        return format_html(
            '<a href="{}" class="portal-queue-link">{}</a>',
            reverse("budget:invoice_detail", args=[record.uuid]),
            value,
        )

    def value_invoice_number(self, record: Invoice, value: str) -> str:
        return value

    def render_status(self, record: Invoice):
        return format_html('<span class="portal-status">{}</span>', record.get_status_display())

    def value_status(self, record: Invoice) -> str:
        return record.get_status_display()

    def render_approvals(self, record: Invoice, value: int):
        if record.status == InvoiceStatus.REJECTED:
            return "—"
        return _("%(count)s of %(needed)s") % {
            "count": value,
            "needed": approvals_needed(record),
        }
