"""Budget: what the rest of the project may ask of this app, and the money rules.

- Commitments follow work orders: the estimate when accepted, the reported cost at completion, less what
  approved invoices for the order already count as actual; a cancelled order commits nothing.
  `commitment_recompute` is the one function that sets it, from whatever state the order is in.
- Actuals come from approved invoices and from expenses; each books one ledger entry (BudgetEntry).
- Invoices go received → approved → paid (or rejected). Approval is by board members, never by the one who
  entered the invoice; above the year's threshold it takes two different board members (four eyes).
- The monthly report for Bo-Ex is made and sent by budget.monthly_reports.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.constants import WorkOrderStatus
from tickets.models import Contractor, WorkOrder
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role

from .models import (
    BudgetEntry,
    BudgetLine,
    EntryKind,
    Expense,
    ExpenseCategory,
    FinancialYear,
    Grant,
    GrantTranche,
    Invoice,
    InvoiceApproval,
    InvoiceStatus,
)
from .selectors import budget_line_for

CENT = Decimal("0.01")
MAX_INVOICE_PDF_BYTES = 10 * 1024 * 1024
COUNTED_INVOICE_STATUSES = (InvoiceStatus.APPROVED, InvoiceStatus.PAID)


class BudgetError(ValidationError):
    """A request the money rules refuse; the message is meant for the person who asked."""


def _work_order_budget_line(work_order: WorkOrder, on_date: date) -> BudgetLine | None:
    return budget_line_for(work_order.request.category, on_date)


def commitment_recompute(work_order: WorkOrder) -> BudgetEntry | None:
    """Set the work order's open commitment from its current state; None when nothing is committed.

    Caller holds the work order's row lock (or owns it in the same transaction).
    """
    if work_order.status == WorkOrderStatus.CANCELLED:
        basis = None
    elif work_order.total_cost is not None:
        basis = work_order.total_cost
    else:
        basis = work_order.estimate
    invoiced = Invoice.objects.filter(
        work_order=work_order, status__in=COUNTED_INVOICE_STATUSES
    ).aggregate(total=Sum("amount_excl_vat"))["total"] or Decimal("0")
    remaining = max(basis - invoiced, Decimal("0")) if basis is not None else Decimal("0")
    if remaining == 0:
        BudgetEntry.objects.filter(work_order=work_order, kind=EntryKind.COMMITMENT).delete()
        return None
    moment = work_order.completed_at or work_order.accepted_at or timezone.now()
    booked_on = timezone.localdate(moment)
    existing = BudgetEntry.objects.filter(work_order=work_order, kind=EntryKind.COMMITMENT).first()
    budget_line = _work_order_budget_line(work_order, booked_on) or (
        existing.budget_line if existing else None
    )
    if budget_line is None:
        return None
    entry, _created = BudgetEntry.objects.update_or_create(
        work_order=work_order,
        kind=EntryKind.COMMITMENT,
        defaults={
            "budget_line": budget_line,
            "amount": remaining,
            "booked_on": booked_on,
            "description": work_order.request.number,
        },
    )
    return entry


def commitment_book_for_work_order(work_order: WorkOrder) -> BudgetEntry | None:
    """At acceptance: the estimate becomes the commitment. Caller holds the work order's row lock."""
    return commitment_recompute(work_order)


def commitment_correct_at_completion(work_order: WorkOrder) -> BudgetEntry | None:
    """At completion: the reported cost replaces the estimate. Caller holds the work order's row lock.

    None also when no budget line of that year covers the work (the desk is told).
    """
    return commitment_recompute(work_order)


MAX_AMOUNT = Decimal("999999999.99")  # what the 12-digit money columns hold, excl. and VAT together


def _check_amounts(amount_excl_vat: Decimal, vat_amount: Decimal) -> None:
    if amount_excl_vat is None or vat_amount is None:
        raise BudgetError(_("Fill in the amount and the VAT."))
    if amount_excl_vat + vat_amount > MAX_AMOUNT:
        raise BudgetError(_("This amount is too large."))
    if amount_excl_vat < 0 or vat_amount < 0:
        raise BudgetError(_("Amounts cannot be negative; enter a credit note as a correction."))
    if amount_excl_vat.quantize(CENT) != amount_excl_vat or vat_amount.quantize(CENT) != vat_amount:
        raise BudgetError(_("Amounts are in euros and cents."))


def _check_pdf(upload) -> None:
    if upload is None:
        return
    if upload.size > MAX_INVOICE_PDF_BYTES:
        raise BudgetError(_("The PDF is larger than 10 MB."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise BudgetError(_("This file is not a PDF."))


@transaction.atomic
def invoice_enter(
    *,
    entered_by: User,
    invoice_number: str,
    invoice_date: date,
    amount_excl_vat: Decimal,
    vat_amount: Decimal,
    contractor: Contractor | None = None,
    supplier_name: str = "",
    work_order: WorkOrder | None = None,
    budget_line: BudgetLine | None = None,
    description: str = "",
    pdf=None,
) -> Invoice:
    """Record a received invoice. Against a work order, the line follows from the order's category."""
    _check_amounts(amount_excl_vat, vat_amount)
    _check_pdf(pdf)
    if not invoice_number.strip():
        raise BudgetError(_("Fill in the invoice number."))
    if work_order is not None:
        if work_order.status == WorkOrderStatus.CANCELLED and not work_order.completed_at:
            raise BudgetError(_("This work order was cancelled; nothing can be invoiced on it."))
        contractor = contractor or work_order.contractor
        if contractor != work_order.contractor:
            raise BudgetError(_("The work order belongs to another contractor."))
        budget_line = budget_line or _work_order_budget_line(work_order, invoice_date)
    if contractor is None and not supplier_name.strip():
        raise BudgetError(_("Choose the contractor or fill in the supplier."))
    if budget_line is None:
        raise BudgetError(_("Choose the budget line this invoice is charged to."))
    if budget_line.financial_year.year != invoice_date.year:
        raise BudgetError(_("The budget line belongs to another year than the invoice date."))
    if contractor is not None and (
        Invoice.objects.filter(contractor=contractor, invoice_number=invoice_number.strip())
        .exclude(status=InvoiceStatus.REJECTED)
        .exists()
    ):
        raise BudgetError(_("This contractor's invoice with this number was entered before."))
    invoice = Invoice(
        contractor=contractor,
        supplier_name="" if contractor else supplier_name.strip(),
        invoice_number=invoice_number.strip(),
        invoice_date=invoice_date,
        work_order=work_order,
        budget_line=budget_line,
        description=description.strip(),
        amount_excl_vat=amount_excl_vat,
        vat_amount=vat_amount,
        amount_incl_vat=amount_excl_vat + vat_amount,
        entered_by=entered_by,
    )
    if pdf is not None:
        invoice.pdf.save("invoice.pdf", pdf, save=False)
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError as error:
        raise BudgetError(
            _("This contractor's invoice with this number was entered before.")
        ) from error
    return invoice


def approvals_needed(invoice: Invoice) -> int:
    year = invoice.budget_line.financial_year
    return 2 if invoice.amount_excl_vat > year.four_eyes_threshold else 1


def _locked_invoice(invoice: Invoice, version: int | None) -> Invoice:
    locked = (
        Invoice.objects.select_for_update()
        .select_related("budget_line__financial_year")
        .get(pk=invoice.pk)
    )
    if version is not None and locked.version != version:
        raise BudgetError(
            _("Someone else changed this invoice in the meantime. Check it and try again.")
        )
    return locked


@transaction.atomic
def invoice_approve(invoice: Invoice, *, approver: User, version: int | None = None) -> Invoice:
    """One board member's approval; the invoice counts as actual once enough have approved."""
    invoice = _locked_invoice(invoice, version)
    if not has_role(approver, Role.BOARD):
        raise BudgetError(_("Only board members approve invoices."))
    if invoice.status != InvoiceStatus.RECEIVED:
        raise BudgetError(_("Only received invoices can be approved."))
    if invoice.entered_by_id == approver.pk:
        raise BudgetError(_("You entered this invoice; another board member approves it."))
    if invoice.approvals.filter(approver=approver).exists():
        raise BudgetError(_("You approved this invoice already; a second board member is needed."))
    InvoiceApproval.objects.create(invoice=invoice, approver=approver)
    invoice.version += 1
    if invoice.approvals.count() >= approvals_needed(invoice):
        invoice.status = InvoiceStatus.APPROVED
        invoice.approved_at = timezone.now()
        invoice.save()
        BudgetEntry.objects.create(
            budget_line=invoice.budget_line,
            invoice=invoice,
            work_order=invoice.work_order,
            kind=EntryKind.ACTUAL,
            amount=invoice.amount_excl_vat,
            booked_on=invoice.invoice_date,
            description=f"{invoice.supplier} {invoice.invoice_number}",
        )
        if invoice.work_order_id:
            work_order = WorkOrder.objects.select_for_update().get(pk=invoice.work_order_id)
            commitment_recompute(work_order)
    else:
        invoice.save()
    return invoice


@transaction.atomic
def invoice_reject(
    invoice: Invoice, *, by: User, reason: str, version: int | None = None
) -> Invoice:
    if not has_role(by, Role.BOARD, Role.COORDINATOR):
        raise BudgetError(_("Only board members and the coordinator handle invoices."))
    invoice = _locked_invoice(invoice, version)
    if invoice.status != InvoiceStatus.RECEIVED:
        raise BudgetError(_("Only received invoices can be rejected."))
    if not reason.strip():
        raise BudgetError(_("Write down why the invoice is rejected."))
    invoice.status = InvoiceStatus.REJECTED
    invoice.rejection_reason = reason.strip()
    invoice.version += 1
    invoice.save()
    return invoice


@transaction.atomic
def invoice_mark_paid(
    invoice: Invoice, *, by: User, paid_on: date, version: int | None = None
) -> Invoice:
    if not has_role(by, Role.BOARD, Role.COORDINATOR):
        raise BudgetError(_("Only board members and the coordinator handle invoices."))
    invoice = _locked_invoice(invoice, version)
    if invoice.status != InvoiceStatus.APPROVED:
        raise BudgetError(_("Only approved invoices can be marked as paid."))
    if paid_on > timezone.localdate():
        raise BudgetError(_("The payment date cannot be in the future."))
    if paid_on < invoice.invoice_date:
        raise BudgetError(_("The payment date cannot be before the invoice date."))
    invoice.status = InvoiceStatus.PAID
    invoice.paid_on = paid_on
    invoice.version += 1
    invoice.save()
    return invoice


@transaction.atomic
def expense_record(
    *,
    entered_by: User,
    budget_line: BudgetLine,
    category: str,
    description: str,
    amount_excl_vat: Decimal,
    vat_amount: Decimal,
    spent_on: date,
) -> Expense:
    _check_amounts(amount_excl_vat, vat_amount)
    if category not in ExpenseCategory.values:
        raise BudgetError(_("Choose what kind of expense this is."))
    if not description.strip():
        raise BudgetError(_("Describe the expense."))
    if budget_line.financial_year.year != spent_on.year:
        raise BudgetError(_("The budget line belongs to another year than the date."))
    expense = Expense.objects.create(
        entered_by=entered_by,
        budget_line=budget_line,
        category=category,
        description=description.strip(),
        amount_excl_vat=amount_excl_vat,
        vat_amount=vat_amount,
        spent_on=spent_on,
    )
    BudgetEntry.objects.create(
        budget_line=budget_line,
        expense=expense,
        kind=EntryKind.ACTUAL,
        amount=amount_excl_vat,
        booked_on=spent_on,
        description=expense.description,
    )
    return expense


@transaction.atomic
def expense_correct(
    expense: Expense, *, amount_excl_vat: Decimal, vat_amount: Decimal, description: str
) -> Expense:
    """A correction keeps the history (django-simple-history) and moves the ledger entry with it."""
    _check_amounts(amount_excl_vat, vat_amount)
    if not description.strip():
        raise BudgetError(_("Describe the expense."))
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if (expense.amount_excl_vat, expense.vat_amount, expense.description) == (
        amount_excl_vat,
        vat_amount,
        description.strip(),
    ):
        return expense
    expense.amount_excl_vat = amount_excl_vat
    expense.vat_amount = vat_amount
    expense.description = description.strip()
    expense.save()
    entry = BudgetEntry.objects.select_for_update().get(expense=expense)
    entry.amount = amount_excl_vat
    entry.description = expense.description
    entry.save()
    return expense


@transaction.atomic
def grant_record(
    *,
    financial_year: FinancialYear,
    description: str,
    amount: Decimal,
    granted_on: date,
    tranches: list[tuple[date, Decimal]],
) -> Grant:
    """A grant with its tranches; the tranches add up to the grant."""
    if amount < 0 or any(tranche_amount < 0 for _day, tranche_amount in tranches):
        raise BudgetError(_("A grant and its tranches cannot be negative."))
    if any(
        value.quantize(CENT) != value
        for value in [amount, *(t_amount for _day, t_amount in tranches)]
    ):
        raise BudgetError(_("Amounts are in euros and cents."))
    if amount > MAX_AMOUNT:
        raise BudgetError(_("This amount is too large."))
    if not tranches:
        raise BudgetError(_("Give at least one tranche: when Bo-Ex pays and how much."))
    if sum(tranche_amount for _day, tranche_amount in tranches) != amount:
        raise BudgetError(_("The tranches must add up to the amount granted."))
    grant = Grant.objects.create(
        financial_year=financial_year,
        description=description.strip(),
        amount=amount,
        granted_on=granted_on,
    )
    GrantTranche.objects.bulk_create(
        GrantTranche(grant=grant, expected_on=day, amount=tranche_amount)
        for day, tranche_amount in tranches
    )
    return grant


@transaction.atomic
def tranche_mark_received(tranche: GrantTranche, *, received_on: date) -> GrantTranche:
    tranche = GrantTranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.received_on == received_on:
        return tranche
    if received_on > timezone.localdate():
        raise BudgetError(_("The date received cannot be in the future."))
    tranche.received_on = received_on
    tranche.save()
    return tranche
