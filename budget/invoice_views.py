"""Invoices: entered, approved with four eyes, paid.

Board and coordinator enter, reject and mark paid; only the board approves (the service refuses the one
who entered it, and a second approval by the same person). Bo-Ex staff read along: list, invoice, PDF.
Everyone else gets 404, so a URL does not even confirm that an invoice exists.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from zelfbeheer.accounts.decorators import role_required
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role

from . import services
from .exports import table_export_response
from .invoice_filters import InvoiceFilter
from .invoice_forms import ApproveForm, InvoiceForm, MarkPaidForm, RejectForm
from .invoice_tables import InvoiceTable
from .models import Invoice, InvoiceApproval, InvoiceStatus
from .selectors import FINANCE_ROLES, invoice_get_for, invoices_visible_to

INVOICE_LIST_PAGE_SIZE = 25
ENTER_ROLES = (Role.BOARD, Role.COORDINATOR)
APPROVE_ROLES = (Role.BOARD,)


# Reads, scoped to the user (selectors kept beside the pages that use them).


@dataclass
class TimelineEvent:
    when: datetime
    who: User | None
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(invoice_field, value) -> str:
    if value in (None, ""):
        return "—"
    if invoice_field.choices:
        return str(dict(invoice_field.choices).get(value, value))
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    # Dates, times and amounts in the reader's own format.
    return str(formats.localize(value))


def invoice_timeline(invoice: Invoice, approvals: list[InvoiceApproval]) -> list[TimelineEvent]:
    """Who did what when, oldest first: the audit trail's changes and the approvals.

    An approval that is not yet the last one changes no field of the invoice, so it shows as itself.
    """
    records = list(
        invoice.history.select_related("history_user").order_by("history_date", "history_id")
    )
    events = []
    previous = None
    for record in records:
        if previous is None or record.history_type == "+":
            # Entered outside a request (an import, the shell): the service still knows who.
            who = record.history_user or invoice.entered_by
            events.append(TimelineEvent(record.history_date, who, _("Entered")))
        else:
            delta = record.diff_against(previous)
            changes = []
            for change in sorted(delta.changes, key=lambda change: change.field):
                invoice_field = Invoice._meta.get_field(change.field)
                changes.append(
                    (
                        str(invoice_field.verbose_name),
                        _display(invoice_field, change.old),
                        _display(invoice_field, change.new),
                    )
                )
            if changes:
                events.append(
                    TimelineEvent(record.history_date, record.history_user, _("Changed"), changes)
                )
        previous = record
    for number, approval in enumerate(approvals, start=1):
        events.append(
            TimelineEvent(
                approval.approved_at,
                approval.approver,
                _("Approval %(number)s") % {"number": number},
            )
        )
    return sorted(events, key=lambda event: event.when)


def _render_detail(
    request: HttpRequest, invoice: Invoice, status: int = 200, **bound_forms
) -> HttpResponse:
    user = request.user
    approvals = list(invoice.approvals.select_related("approver"))
    needed = services.approvals_needed(invoice)
    received = invoice.status == InvoiceStatus.RECEIVED
    context = {
        "invoice": invoice,
        "approvals": approvals,
        "approvals_needed": needed,
        "timeline": invoice_timeline(invoice, approvals),
        "InvoiceStatus": InvoiceStatus,
    }
    if has_role(user, *APPROVE_ROLES) and received:
        if invoice.entered_by_id == user.pk:
            context["approve_blocked"] = _(
                "You entered this invoice; another board member approves it."
            )
        elif any(approval.approver_id == user.pk for approval in approvals):
            context["approve_blocked"] = _(
                "You approved this invoice; a second board member is needed."
            )
        else:
            context["approve_form"] = bound_forms.get("approve_form") or ApproveForm(
                initial={"version": invoice.version}
            )
    if has_role(user, *ENTER_ROLES):
        if received:
            context["reject_form"] = bound_forms.get("reject_form") or RejectForm(
                initial={"version": invoice.version}
            )
        if invoice.status == InvoiceStatus.APPROVED:
            context["paid_form"] = bound_forms.get("paid_form") or MarkPaidForm(
                initial={"version": invoice.version}
            )
    return render(request, "budget/invoice_detail.html", context, status=status)


def _back(invoice: Invoice) -> HttpResponse:
    return redirect("budget:invoice_detail", invoice_uuid=invoice.uuid)


@role_required(*FINANCE_ROLES, hide=True)
def invoice_list(request: HttpRequest) -> HttpResponse:
    invoice_filter = InvoiceFilter(
        request.GET or None, queryset=invoices_visible_to(request.user), request=request
    )
    table = InvoiceTable(invoice_filter.qs)
    exported = table_export_response(request, table, "facturen")
    if exported is not None:
        return exported
    RequestConfig(request, paginate={"per_page": INVOICE_LIST_PAGE_SIZE}).configure(table)
    return render(
        request,
        "budget/invoice_list.html",
        {
            "filter": invoice_filter,
            "table": table,
            "can_enter": has_role(request.user, *ENTER_ROLES),
            "can_approve": has_role(request.user, *APPROVE_ROLES),
        },
    )


@role_required(*ENTER_ROLES, hide=True)
def invoice_create(request: HttpRequest) -> HttpResponse:
    form = InvoiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                invoice = services.invoice_enter(
                    entered_by=request.user,
                    contractor=data["contractor"],
                    supplier_name=data["supplier_name"],
                    invoice_number=data["invoice_number"],
                    invoice_date=data["invoice_date"],
                    work_order=data["work_order"],
                    budget_line=data["budget_line"],
                    description=data["description"],
                    amount_excl_vat=data["amount_excl_vat"],
                    vat_amount=data["vat_amount"],
                    pdf=data["pdf"],
                )
            except services.BudgetError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Invoice %(number)s of %(supplier)s entered.")
                    % {"number": invoice.invoice_number, "supplier": invoice.supplier},
                )
                return _back(invoice)
        return render(request, "budget/invoice_form.html", {"form": form}, status=400)
    return render(request, "budget/invoice_form.html", {"form": form})


@role_required(*FINANCE_ROLES, hide=True)
def invoice_detail(request: HttpRequest, invoice_uuid) -> HttpResponse:
    return _render_detail(request, invoice_get_for(request.user, invoice_uuid))


def _invoice_post(roles: tuple[Role, ...], form_class: type, form_name: str) -> Callable:
    """A POST on the invoice page: valid → the service, then back with a message; invalid → the page
    with the form's errors (400). A refusal of the service, a stale version included, changes nothing
    and comes back as an error message."""

    def decorator(apply: Callable[[HttpRequest, Invoice, dict], str]) -> Callable:
        @role_required(*roles, hide=True)
        @require_POST
        @wraps(apply)
        def view(request: HttpRequest, invoice_uuid) -> HttpResponse:
            invoice = invoice_get_for(request.user, invoice_uuid)
            form = form_class(request.POST)
            if not form.is_valid():
                return _render_detail(request, invoice, status=400, **{form_name: form})
            try:
                message = apply(request, invoice, form.cleaned_data)
            except services.BudgetError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, message)
            return _back(invoice)

        return view

    return decorator


@_invoice_post(APPROVE_ROLES, ApproveForm, "approve_form")
def invoice_approve(request: HttpRequest, invoice: Invoice, data: dict) -> str:
    invoice = services.invoice_approve(invoice, approver=request.user, version=data["version"])
    if invoice.status == InvoiceStatus.APPROVED:
        return _("Invoice approved; it now counts as actual in the budget.")
    return _("Your approval is recorded; a second board member must approve as well.")


@_invoice_post(ENTER_ROLES, RejectForm, "reject_form")
def invoice_reject(request: HttpRequest, invoice: Invoice, data: dict) -> str:
    services.invoice_reject(
        invoice, by=request.user, reason=data["reason"], version=data["version"]
    )
    return _("Invoice rejected.")


@_invoice_post(ENTER_ROLES, MarkPaidForm, "paid_form")
def invoice_mark_paid(request: HttpRequest, invoice: Invoice, data: dict) -> str:
    services.invoice_mark_paid(
        invoice, by=request.user, paid_on=data["paid_on"], version=data["version"]
    )
    return _("Invoice marked as paid.")


@role_required(*FINANCE_ROLES, hide=True)
def invoice_pdf(request: HttpRequest, invoice_uuid) -> FileResponse:
    invoice = invoice_get_for(request.user, invoice_uuid)
    if not invoice.pdf:
        raise Http404
    try:
        handle = invoice.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"factuur-{slugify(invoice.supplier)}-{slugify(invoice.invoice_number)}.pdf"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )


urlpatterns = [
    path("facturen/", invoice_list, name="invoice_list"),
    path("facturen/nieuw/", invoice_create, name="invoice_create"),
    path("facturen/<uuid:invoice_uuid>/", invoice_detail, name="invoice_detail"),
    path("facturen/<uuid:invoice_uuid>/goedkeuren/", invoice_approve, name="invoice_approve"),
    path("facturen/<uuid:invoice_uuid>/afwijzen/", invoice_reject, name="invoice_reject"),
    path("facturen/<uuid:invoice_uuid>/betaald/", invoice_mark_paid, name="invoice_mark_paid"),
    path("facturen/<uuid:invoice_uuid>/pdf/", invoice_pdf, name="invoice_pdf"),
]
