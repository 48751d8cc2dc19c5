"""Commitments and actuals through a work order's whole life, and the four-eyes rules of approval."""

from decimal import Decimal

import pytest
from django.utils import timezone

from budget import services
from budget.dashboard import budget_overview
from budget.models import BudgetEntry, EntryKind, Expense, ExpenseCategory, InvoiceStatus
from tests.factories import BudgetLineFactory, UserFactory
from tickets import services as ticket_services
from tickets import work_orders
from zelfbeheer.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Submit a request and let its routing run (on commit), so it has a work order."""

    def submit_and_route(routable):
        with django_capture_on_commit_callbacks(execute=True):
            return ticket_services.repair_request_submit(
                household=routable.household,
                reporter=routable.household.members.first(),
                category=routable.category,
                description="De kraan lekt.",
            )

    return submit_and_route


def ledger() -> dict[str, Decimal]:
    totals = {EntryKind.COMMITMENT: Decimal("0"), EntryKind.ACTUAL: Decimal("0")}
    for kind, amount in BudgetEntry.objects.values_list("kind", "amount"):
        totals[kind] += amount
    return {"committed": totals[EntryKind.COMMITMENT], "actual": totals[EntryKind.ACTUAL]}


@pytest.fixture
def people():
    return {
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "treasurer": UserFactory(role=Role.BOARD),
        "chair": UserFactory(role=Role.BOARD),
    }


def enter(people, work_order, amount, number="F-1", vat=None):
    return services.invoice_enter(
        entered_by=people["coordinator"],
        invoice_number=number,
        invoice_date=timezone.localdate(),
        amount_excl_vat=Decimal(amount),
        vat_amount=Decimal(vat)
        if vat is not None
        else (Decimal(amount) * Decimal("0.21")).quantize(Decimal("0.01")),
        work_order=work_order,
    )


def test_commitment_and_actual_through_the_life_of_a_work_order(routable, people, submit):
    work_order = submit(routable).work_orders.get()
    assert ledger() == {"committed": 0, "actual": 0}

    work_orders.work_order_accept(work_order=work_order, actor=None, estimate=Decimal("200.00"))
    assert ledger() == {"committed": Decimal("200.00"), "actual": 0}

    ticket_services.work_order_complete(work_order=work_order, total_cost=Decimal("180.00"))
    assert ledger() == {"committed": Decimal("180.00"), "actual": 0}

    first = enter(people, work_order, "150.00", number="F-1")
    assert ledger() == {"committed": Decimal("180.00"), "actual": 0}  # received is not actual yet
    services.invoice_approve(first, approver=people["treasurer"])
    assert ledger() == {"committed": Decimal("30.00"), "actual": Decimal("150.00")}

    second = enter(people, work_order, "45.00", number="F-2")
    services.invoice_approve(second, approver=people["chair"])
    # Invoiced more than the reported cost: nothing stays committed, the actual is what was approved.
    assert ledger() == {"committed": 0, "actual": Decimal("195.00")}
    assert not BudgetEntry.objects.filter(kind=EntryKind.COMMITMENT).exists()

    services.invoice_mark_paid(second, by=people["coordinator"], paid_on=timezone.localdate())
    assert ledger() == {"committed": 0, "actual": Decimal("195.00")}
    # Routing reads a contract's use of its annual ceiling from the entries' own contract column.
    assert set(BudgetEntry.objects.values_list("contract", flat=True)) == {work_order.contract_id}


def test_a_cancelled_work_order_releases_its_commitment(routable, people, submit):
    work_order = submit(routable).work_orders.get()
    work_orders.work_order_accept(work_order=work_order, actor=None, estimate=Decimal("120.00"))

    work_orders.work_order_cancel(
        work_order=work_order, reason="Tenant fixed it", actor=people["coordinator"]
    )

    assert ledger() == {"committed": 0, "actual": 0}
    work_order.refresh_from_db()
    assert work_order.status == "GEA"
    assert work_order.request.events.filter(kind="work_order_cancelled").exists()
    with pytest.raises(services.BudgetError):
        enter(people, work_order, "10.00")


def test_a_rejected_invoice_never_counts(routable, people, submit):
    work_order = submit(routable).work_orders.get()
    work_orders.work_order_accept(work_order=work_order, actor=None, estimate=Decimal("90.00"))
    invoice = enter(people, work_order, "90.00")

    invoice = services.invoice_reject(invoice, by=people["treasurer"], reason="Wrong rate")

    assert invoice.status == InvoiceStatus.REJECTED
    assert ledger() == {"committed": Decimal("90.00"), "actual": 0}
    with pytest.raises(services.BudgetError):
        services.invoice_approve(invoice, approver=people["chair"])
    # The contractor may send a corrected invoice with the same number.
    corrected = enter(people, work_order, "85.00")
    services.invoice_approve(corrected, approver=people["chair"])
    assert ledger() == {"committed": Decimal("5.00"), "actual": Decimal("85.00")}


def test_four_eyes_above_the_threshold_and_never_the_one_who_entered_it(people):
    line = BudgetLineFactory()
    line.financial_year.four_eyes_threshold = Decimal("1000.00")
    line.financial_year.save()
    invoice = services.invoice_enter(
        entered_by=people["treasurer"],
        invoice_number="2026-77",
        invoice_date=timezone.localdate(),
        amount_excl_vat=Decimal("1000.01"),
        vat_amount=Decimal("210.00"),
        supplier_name="Schildersbedrijf",
        budget_line=line,
    )

    with pytest.raises(services.BudgetError):
        services.invoice_approve(invoice, approver=people["treasurer"])  # entered it
    with pytest.raises(services.BudgetError):
        services.invoice_approve(invoice, approver=people["coordinator"])  # not a board member
    services.invoice_approve(invoice, approver=people["chair"])
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RECEIVED
    assert ledger()["actual"] == 0
    with pytest.raises(services.BudgetError):
        services.invoice_approve(invoice, approver=people["chair"])  # twice by the same person

    third = UserFactory(role=Role.BOARD)
    services.invoice_approve(invoice, approver=third)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert ledger()["actual"] == Decimal("1000.01")
    assert list(invoice.approvals.values_list("approver", flat=True)) == [
        people["chair"].pk,
        third.pk,
    ]


def test_exactly_at_the_threshold_one_approval_is_enough(people):
    line = BudgetLineFactory()
    invoice = services.invoice_enter(
        entered_by=people["coordinator"],
        invoice_number="A-1",
        invoice_date=timezone.localdate(),
        amount_excl_vat=line.financial_year.four_eyes_threshold,
        vat_amount=Decimal("0.00"),
        supplier_name="Drukkerij",
        budget_line=line,
    )
    services.invoice_approve(invoice, approver=people["chair"])
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED


@pytest.mark.parametrize(
    ("amount", "vat"),
    [("-1.00", "0.00"), ("10.00", "-0.01"), ("10.001", "0.00")],
)
def test_bad_amounts_are_refused_and_nothing_is_saved(people, amount, vat):
    line = BudgetLineFactory()
    with pytest.raises(services.BudgetError):
        services.invoice_enter(
            entered_by=people["coordinator"],
            invoice_number="X",
            invoice_date=timezone.localdate(),
            amount_excl_vat=Decimal(amount),
            vat_amount=Decimal(vat),
            supplier_name="S",
            budget_line=line,
        )
    assert not line.invoices.exists()


def test_an_invoice_number_is_entered_once_per_contractor(routable, people, submit):
    work_order = submit(routable).work_orders.get()
    enter(people, work_order, "10.00", number="DUP")
    with pytest.raises(services.BudgetError):
        enter(people, work_order, "10.00", number="DUP")


def test_expenses_count_as_actual_and_a_correction_moves_the_entry_with_history(people):
    line = BudgetLineFactory()
    expense = services.expense_record(
        entered_by=people["coordinator"],
        budget_line=line,
        category=ExpenseCategory.TRAINING,
        description="Cursus mediation",
        amount_excl_vat=Decimal("400.00"),
        vat_amount=Decimal("0.00"),
        spent_on=timezone.localdate(),
    )
    assert ledger() == {"committed": 0, "actual": Decimal("400.00")}

    services.expense_correct(
        expense, amount_excl_vat=Decimal("350.00"), vat_amount=Decimal("0.00"), description="Cursus"
    )

    assert ledger() == {"committed": 0, "actual": Decimal("350.00")}
    expense = Expense.objects.get(pk=expense.pk)
    assert [record.amount_excl_vat for record in expense.history.order_by("history_date")] == [
        Decimal("400.00"),
        Decimal("350.00"),
    ]
    overview = budget_overview(line.financial_year.year)
    assert overview.lines[0].actual == Decimal("350.00")
    assert overview.lines[0].available == line.annual_amount - Decimal("350.00")


def test_an_invoice_change_is_audited_with_who_did_it(routable, people, submit):
    work_order = submit(routable).work_orders.get()
    invoice = enter(people, work_order, "60.00")
    services.invoice_approve(invoice, approver=people["treasurer"])
    history = list(invoice.history.order_by("history_date").values_list("status", flat=True))
    assert history == [InvoiceStatus.RECEIVED, InvoiceStatus.APPROVED]
