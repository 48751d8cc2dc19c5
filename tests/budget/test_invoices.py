"""The invoice pages: who may do what, entering with a PDF, four eyes through the pages, history, list.

Staff users here read the portal in English, so the assertions do not depend on the Dutch catalogue.
"""

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget import services
from budget.fields import parse_amount
from budget.models import BudgetEntry, EntryKind, FinancialYear, Invoice, InvoiceStatus
from tickets.models import WorkOrder
from tickets.services import repair_request_submit
from zelfbeheer.accounts.roles import Role

from ..factories import BudgetLineFactory, ContractorFactory, UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role]
READERS = frozenset({Role.BOARD, Role.COORDINATOR, Role.CORPORATION})
ENTERERS = frozenset({Role.BOARD, Role.COORDINATOR})
APPROVERS = frozenset({Role.BOARD})

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + bytes(
    20
)

_numbers = itertools.count(1)


def staff(role: Role, **kwargs):
    return UserFactory(role=role, preferred_language="en", **kwargs)


def enter(line, by, amount="100.00", **kwargs) -> Invoice:
    """An invoice entered through the service (as if on an earlier day)."""
    values = {
        "entered_by": by,
        "invoice_number": f"F-{next(_numbers):04d}",
        "invoice_date": timezone.localdate(),
        "amount_excl_vat": Decimal(amount),
        "vat_amount": (Decimal(amount) * Decimal("0.21")).quantize(Decimal("0.01")),
        "budget_line": line,
        "supplier_name": "Drukkerij Lombok",
    }
    return services.invoice_enter(**{**values, **kwargs})


def form_data(line, **overrides) -> dict:
    data = {
        "contractor": "",
        "supplier_name": "Drukkerij Lombok",
        "invoice_number": "2026-017",
        "invoice_date": timezone.localdate().isoformat(),
        "request_number": "",
        "budget_line": line.pk,
        "description": "Folders voor de bewonersavond",
        "amount_excl_vat": "1.234,56",
        "vat_amount": "259,26",
    }
    return {**data, **overrides}


def url(name: str, invoice: Invoice | None = None) -> str:
    if invoice is None:
        return reverse(f"budget:{name}")
    return reverse(f"budget:{name}", kwargs={"invoice_uuid": invoice.uuid})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def approve(client, invoice: Invoice):
    invoice.refresh_from_db()
    return client.post(url("invoice_approve", invoice), {"version": invoice.version}, follow=True)


@pytest.fixture
def line():
    """A budget line of this year; the year's four-eyes threshold is € 2.500 excl. VAT."""
    line = BudgetLineFactory(code="KANT-01", name="Kantoor")
    assert line.financial_year.four_eyes_threshold == Decimal("2500.00")
    return line


@pytest.fixture
def coordinator():
    return staff(Role.COORDINATOR, first_name="Cora", last_name="Coördinator")


@pytest.fixture
def board():
    return staff(Role.BOARD, first_name="Bea", last_name="Bestuur")


@pytest.fixture
def board2():
    return staff(Role.BOARD, first_name="Bram", last_name="Bestuur")


# --- Who may do what ------------------------------------------------------------------------------

ENDPOINTS = [
    # name, method, allowed roles, status for an allowed role (empty POSTs are invalid forms: 400)
    ("invoice_list", "get", READERS, 200),
    ("invoice_create", "get", ENTERERS, 200),
    ("invoice_create", "post", ENTERERS, 400),
    ("invoice_detail", "get", READERS, 200),
    ("invoice_pdf", "get", READERS, 200),
    ("invoice_approve", "post", APPROVERS, 400),
    ("invoice_reject", "post", ENTERERS, 400),
    ("invoice_mark_paid", "post", ENTERERS, 400),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=str)
def test_every_invoice_url_gives_each_role_the_expected_status(client, line, coordinator, role):
    invoice = enter(line, coordinator, pdf=ContentFile(PDF_BYTES, name="factuur.pdf"))
    user = None if role == ANONYMOUS else staff(role)
    if user is not None:
        client.force_login(user)
    wrong = []
    for name, method, allowed, allowed_status in ENDPOINTS:
        target = url(name, None if name in ("invoice_list", "invoice_create") else invoice)
        response = getattr(client, method)(target)
        if user is None:
            expected = 302
            if not response.get("Location", "").startswith(reverse("account_login")):
                wrong.append((name, method, "not sent to the login page"))
        else:
            expected = allowed_status if role in allowed else 404
        if response.status_code != expected:
            wrong.append((name, method, response.status_code, expected))
    assert wrong == []
    after = Invoice.objects.get()
    assert (after.status, after.version, after.approvals.count()) == (InvoiceStatus.RECEIVED, 1, 0)


def test_an_unknown_invoice_is_404_for_the_board(client, board):
    client.force_login(board)
    missing = Invoice(uuid="00000000-0000-4000-8000-000000000000")
    for name in ("invoice_detail", "invoice_pdf"):
        assert client.get(url(name, missing)).status_code == 404
    for name in ("invoice_approve", "invoice_reject", "invoice_mark_paid"):
        assert client.post(url(name, missing), {"version": 1}).status_code == 404


def test_the_pdf_is_404_when_none_was_attached(client, line, coordinator, board):
    invoice = enter(line, coordinator)
    client.force_login(board)

    assert client.get(url("invoice_pdf", invoice)).status_code == 404


def test_bo_ex_reads_along_but_sees_no_forms_and_cannot_post(client, line, coordinator, board):
    received = enter(line, coordinator, pdf=ContentFile(PDF_BYTES, name="factuur.pdf"))
    approved = enter(line, coordinator)
    services.invoice_approve(approved, approver=board)
    client.force_login(staff(Role.CORPORATION))

    listing = client.get(url("invoice_list")).content.decode()
    pages = [client.get(url("invoice_detail", invoice)) for invoice in (received, approved)]
    download = client.get(url("invoice_pdf", received))

    assert received.invoice_number in listing and approved.invoice_number in listing
    assert url("invoice_create") not in listing
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        for action in ("invoice_approve", "invoice_reject", "invoice_mark_paid"):
            assert url(action, received) not in html and url(action, approved) not in html
    assert b"".join(download.streaming_content) == PDF_BYTES
    today = timezone.localdate().isoformat()
    posts = [
        client.post(url("invoice_approve", received), {"version": 1}),
        client.post(url("invoice_reject", received), {"version": 1, "reason": "Te duur"}),
        client.post(url("invoice_mark_paid", approved), {"version": 2, "paid_on": today}),
        client.post(url("invoice_create"), form_data(line)),
    ]
    assert [response.status_code for response in posts] == [404, 404, 404, 404]
    assert Invoice.objects.count() == 2
    received.refresh_from_db()
    approved.refresh_from_db()
    assert (received.status, approved.status) == (InvoiceStatus.RECEIVED, InvoiceStatus.APPROVED)


# --- Entering --------------------------------------------------------------------------------------


def test_entering_an_invoice_with_a_real_pdf(client, line, coordinator, board):
    client.force_login(coordinator)
    assert client.get(url("invoice_create")).status_code == 200
    upload = SimpleUploadedFile("factuur.pdf", PDF_BYTES, content_type="application/pdf")

    response = client.post(url("invoice_create"), {**form_data(line), "pdf": upload})

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("invoice_detail", invoice)
    assert (invoice.supplier_name, invoice.invoice_number) == ("Drukkerij Lombok", "2026-017")
    assert (invoice.amount_excl_vat, invoice.vat_amount) == (Decimal("1234.56"), Decimal("259.26"))
    assert invoice.amount_incl_vat == Decimal("1493.82")
    assert (invoice.status, invoice.entered_by, invoice.budget_line) == (
        InvoiceStatus.RECEIVED,
        coordinator,
        line,
    )
    with invoice.pdf.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    page = client.get(response["Location"])
    assert "Invoice 2026-017 of Drukkerij Lombok entered." in messages_of(page)
    assert "€ 1,234.56" in page.content.decode()  # English formatting for an English reader
    client.force_login(board)
    download = client.get(url("invoice_pdf", invoice))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_the_dutch_page_reads_dutch_amounts(client, line):
    client.force_login(UserFactory(role=Role.COORDINATOR, preferred_language="nl"))

    response = client.post(
        url("invoice_create"), form_data(line, amount_excl_vat="2.500", vat_amount="525,00")
    )

    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert (invoice.amount_excl_vat, invoice.amount_incl_vat) == (Decimal("2500"), Decimal("3025"))
    assert "€ 2.500,00" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("€ 1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234", "1234"),
        ("12.345.678,9", "12345678.9"),
        ("0,5", "0.5"),
        ("-12,50", "-12.50"),
    ],
)
def test_amounts_are_read_as_typed(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1.23.4", "12,", ",5", "1e5", "NaN", "∞", "--1"])
def test_garbage_is_not_an_amount(typed):
    with pytest.raises(ValueError):
        parse_amount(typed)


def test_a_fake_pdf_is_refused_and_nothing_is_stored(client, line, coordinator):
    client.force_login(coordinator)
    fake = SimpleUploadedFile("factuur.pdf", PNG_BYTES, content_type="application/pdf")

    response = client.post(url("invoice_create"), {**form_data(line), "pdf": fake})

    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()
    assert not Invoice.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("amount_excl_vat", "-5,00", "Amounts cannot be negative"),
        ("vat_amount", "-0,01", "Amounts cannot be negative"),
        ("amount_excl_vat", "twaalf euro", "Enter an amount in euros, such as 1.234,56."),
        ("amount_excl_vat", "12,345", "at most 2 decimals"),
        ("amount_excl_vat", "1e5", "Enter an amount in euros"),
        ("amount_excl_vat", "NaN", "Enter an amount in euros"),
        ("vat_amount", "99999999999,00", "This amount is too large."),
        ("amount_excl_vat", "", "This field is required."),
    ],
)
def test_bad_amounts_are_refused_with_a_message(client, line, coordinator, field, typed, message):
    client.force_login(coordinator)

    response = client.post(url("invoice_create"), form_data(line, **{field: typed}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"supplier_name": ""}, "Choose the contractor or fill in the supplier."),
        ({"budget_line": ""}, "Choose the budget line this invoice is charged to."),
        ({"invoice_date": "2001-05-01"}, "another year than the invoice date"),
        ({"invoice_date": "31-02-2026"}, "Enter a valid date."),
        (
            {"request_number": "M-1999-00001"},
            "There is no repair request with number M-1999-00001.",
        ),
        ({"budget_line": "999999"}, "Select a valid choice."),
    ],
)
def test_the_rules_refuse_an_incomplete_invoice(client, line, coordinator, overrides, message):
    client.force_login(coordinator)

    response = client.post(url("invoice_create"), form_data(line, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invoice.objects.exists()


def test_a_contractor_invoice_number_is_entered_once(client, line, coordinator):
    contractor = ContractorFactory()
    enter(line, coordinator, contractor=contractor, invoice_number="2026-017")
    client.force_login(coordinator)

    response = client.post(url("invoice_create"), form_data(line, contractor=contractor.pk))

    assert response.status_code == 400
    assert "entered before" in response.content.decode()
    assert Invoice.objects.count() == 1


@pytest.fixture
def work_order(routable, django_capture_on_commit_callbacks) -> WorkOrder:
    """A tenant's leaking tap, routed to the contracted plumber (routing runs on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        repair_request = repair_request_submit(
            household=routable.household,
            reporter=routable.household.members.first(),
            category=routable.category,
            description="De kraan in de keuken lekt.",
        )
    return WorkOrder.objects.select_related("request", "contractor").get(request=repair_request)


def test_an_invoice_for_a_repair_request_follows_its_work_order(
    client, work_order, coordinator, board
):
    client.force_login(coordinator)
    data = form_data(
        BudgetLineFactory(),  # any line: left empty below, the work order decides
        budget_line="",
        supplier_name="",
        request_number=f" {work_order.request.number.lower()} ",
        amount_excl_vat="85,00",
        vat_amount="17,85",
    )

    response = client.post(url("invoice_create"), data)

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert invoice.work_order == work_order
    assert invoice.contractor == work_order.contractor
    assert work_order.request.category.parent in invoice.budget_line.categories.all()
    listing = client.get(url("invoice_list")).content.decode()
    assert work_order.request.number in listing
    client.force_login(board)
    approve(client, invoice)
    entry = BudgetEntry.objects.get(invoice=invoice)
    assert (entry.kind, entry.amount, entry.work_order) == (
        EntryKind.ACTUAL,
        Decimal("85.00"),
        work_order,
    )


def test_an_invoice_for_a_request_of_another_contractor_is_refused(client, work_order, coordinator):
    client.force_login(coordinator)

    response = client.post(
        url("invoice_create"),
        form_data(
            BudgetLineFactory(),
            contractor=ContractorFactory().pk,
            request_number=work_order.request.number,
        ),
    )

    assert response.status_code == 400
    assert "The work order belongs to another contractor." in response.content.decode()
    assert not Invoice.objects.exists()


# --- Four eyes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["100.00", "2500.00"])
def test_up_to_the_threshold_one_board_member_approves_and_it_counts(
    client, line, coordinator, board, amount
):
    invoice = enter(line, coordinator, amount=amount)
    client.force_login(board)

    page = approve(client, invoice)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert invoice.approved_at is not None
    assert "Invoice approved; it now counts as actual in the budget." in messages_of(page)
    entry = BudgetEntry.objects.get(invoice=invoice)
    assert (entry.kind, entry.amount, entry.budget_line) == (
        EntryKind.ACTUAL,
        Decimal(amount),
        line,
    )


def test_above_the_threshold_two_different_board_members_approve(
    client, line, board, board2, coordinator
):
    enterer = staff(Role.BOARD)
    invoice = enter(line, enterer, amount="2500.01")

    client.force_login(board)
    first = approve(client, invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RECEIVED
    assert "a second board member must approve" in messages_of(first)[0]
    assert re.search(r'data-testid="approvals">1 of 2 approvals<', first.content.decode())
    assert re.search(r"<td[^>]*>1 of 2</td>", client.get(url("invoice_list")).content.decode())
    assert not BudgetEntry.objects.filter(invoice=invoice).exists()
    assert url("invoice_approve", invoice) not in first.content.decode()  # no second button

    again = approve(client, invoice)
    assert "You approved this invoice already" in messages_of(again)[0]

    client.force_login(enterer)
    own = approve(client, invoice)
    assert "You entered this invoice; another board member approves it." in messages_of(own)
    assert url("invoice_approve", invoice) not in own.content.decode()

    client.force_login(coordinator)
    assert approve(client, invoice).status_code == 404
    assert (
        url("invoice_approve", invoice)
        not in client.get(url("invoice_detail", invoice)).content.decode()
    )

    invoice.refresh_from_db()
    assert (invoice.status, invoice.approvals.count()) == (InvoiceStatus.RECEIVED, 1)
    assert not BudgetEntry.objects.filter(invoice=invoice).exists()

    client.force_login(board2)
    approve(client, invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert set(invoice.approvals.values_list("approver", flat=True)) == {board.pk, board2.pk}
    assert BudgetEntry.objects.get(invoice=invoice).amount == Decimal("2500.01")


def test_the_threshold_is_the_year_s_own(client, line, coordinator, board):
    FinancialYear.objects.filter(pk=line.financial_year_id).update(four_eyes_threshold=50)
    invoice = enter(line, coordinator, amount="100.00")
    client.force_login(board)

    approve(client, invoice)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RECEIVED


def test_a_stale_page_changes_nothing(client, line, coordinator, board):
    invoice = enter(line, coordinator)
    services.invoice_reject(invoice, by=coordinator, reason="Dubbel ontvangen")
    client.force_login(board)

    response = client.post(url("invoice_approve", invoice), {"version": 1}, follow=True)

    assert response.redirect_chain == [(url("invoice_detail", invoice), 302)]
    assert "Someone else changed this invoice in the meantime" in messages_of(response)[0]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.approvals.count()) == (InvoiceStatus.REJECTED, 0)


# --- Rejecting and paying --------------------------------------------------------------------------


def test_rejecting_needs_a_reason(client, line, coordinator):
    invoice = enter(line, coordinator)
    client.force_login(coordinator)

    without = client.post(url("invoice_reject", invoice), {"version": 1, "reason": "   "})
    invoice.refresh_from_db()
    assert without.status_code == 400
    assert "This field is required." in without.content.decode()
    assert invoice.status == InvoiceStatus.RECEIVED

    client.post(url("invoice_reject", invoice), {"version": 1, "reason": "Al betaald in 2025"})
    invoice.refresh_from_db()
    assert (invoice.status, invoice.rejection_reason) == (
        InvoiceStatus.REJECTED,
        "Al betaald in 2025",
    )
    assert not BudgetEntry.objects.filter(invoice=invoice).exists()


def test_an_approved_invoice_cannot_be_rejected(client, line, coordinator, board):
    invoice = services.invoice_approve(enter(line, coordinator), approver=board)
    client.force_login(coordinator)

    response = client.post(
        url("invoice_reject", invoice), {"version": invoice.version, "reason": "Oeps"}, follow=True
    )

    assert "Only received invoices can be rejected." in messages_of(response)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED


def test_paid_only_after_approval_and_never_in_the_future(client, line, coordinator, board):
    invoice = enter(line, coordinator)
    today = timezone.localdate()
    client.force_login(coordinator)

    early = client.post(
        url("invoice_mark_paid", invoice), {"version": 1, "paid_on": today}, follow=True
    )
    assert "Only approved invoices can be marked as paid." in messages_of(early)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RECEIVED

    invoice = services.invoice_approve(invoice, approver=board)
    page = client.get(url("invoice_detail", invoice)).content.decode()
    assert url("invoice_mark_paid", invoice) in page
    future = client.post(
        url("invoice_mark_paid", invoice),
        {"version": invoice.version, "paid_on": today + timedelta(days=1)},
        follow=True,
    )
    assert "The payment date cannot be in the future." in messages_of(future)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == (InvoiceStatus.APPROVED, None)

    client.post(url("invoice_mark_paid", invoice), {"version": invoice.version, "paid_on": today})
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == (InvoiceStatus.PAID, today)


def test_the_history_shows_who_changed_the_status_and_when(client, line, coordinator, board):
    client.force_login(coordinator)
    client.post(url("invoice_create"), form_data(line, amount_excl_vat="100", vat_amount="21"))
    invoice = Invoice.objects.get()
    client.force_login(board)
    approve(client, invoice)
    client.force_login(coordinator)
    invoice.refresh_from_db()
    client.post(
        url("invoice_mark_paid", invoice),
        {"version": invoice.version, "paid_on": timezone.localdate()},
    )

    page = client.get(url("invoice_detail", invoice)).content.decode()
    history = page[page.index('data-testid="history"') :]

    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", history, re.S)[1:]
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert len(texts) == 4, texts
    assert "Cora Coördinator Entered" in texts[0]
    assert "Bea Bestuur Approval 1" in texts[1]
    assert "Bea Bestuur Changed" in texts[2] and "Status: Received → Approved" in texts[2]
    assert "Cora Coördinator Changed" in texts[3] and "Status: Approved → Paid" in texts[3]


# --- The list --------------------------------------------------------------------------------------


def _list_queries(client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("invoice_list") + query)
    assert response.status_code == 200
    return len(queries)


def _make_invoices(count: int, line, coordinator, board, contractor):
    for index in range(count):
        invoice = enter(
            line,
            coordinator,
            amount="3000.00" if index % 2 else "50.00",
            **({"contractor": contractor} if index % 3 == 0 else {}),
        )
        if index % 4 == 0:
            services.invoice_approve(invoice, approver=board)


def test_the_list_costs_the_same_queries_for_3_and_20_invoices(
    client, line, coordinator, board, work_order
):
    contractor = ContractorFactory()
    enter(line, coordinator, work_order=work_order, budget_line=None, supplier_name="")
    _make_invoices(2, line, coordinator, board, contractor)
    client.force_login(board)
    _list_queries(client)  # the session and the first look-ups warm up

    small = _list_queries(client)
    small_waiting = _list_queries(client, "?waiting=on&sort=approvals")
    _make_invoices(17, line, coordinator, board, contractor)
    large = _list_queries(client)
    large_waiting = _list_queries(client, "?waiting=on&sort=approvals")

    assert Invoice.objects.count() == 20
    assert (small, small_waiting) == (large, large_waiting)


def test_waiting_for_my_approval(client, line, coordinator, board, board2):
    waiting = enter(line, coordinator, invoice_number="ALPHA")
    enter(line, board, invoice_number="BRAVO")  # entered by me
    mine_approved = enter(line, coordinator, amount="3000.00", invoice_number="CHARLIE")
    services.invoice_approve(mine_approved, approver=board)  # 1 of 2, by me
    others_approved = enter(line, coordinator, amount="3000.00", invoice_number="DELTA")
    services.invoice_approve(others_approved, approver=board2)  # 1 of 2, not by me
    services.invoice_approve(enter(line, coordinator, invoice_number="ECHO"), approver=board2)
    rejected = enter(line, coordinator, invoice_number="FOXTROT")
    services.invoice_reject(rejected, by=coordinator, reason="Dubbel")
    client.force_login(board)

    page = client.get(url("invoice_list") + "?waiting=on").content.decode()

    shown = set(re.findall(r"portal-queue-link\">([A-Z]+)<", page))
    assert shown == {waiting.invoice_number, others_approved.invoice_number}
    everything = client.get(url("invoice_list")).content.decode()
    assert len(re.findall(r"portal-queue-link", everything)) == 6


def test_only_board_members_get_the_waiting_filter(client, line, coordinator):
    enter(line, coordinator)
    client.force_login(coordinator)

    page = client.get(url("invoice_list") + "?waiting=on").content.decode()

    assert 'name="waiting"' not in page
    assert len(re.findall(r"portal-queue-link", page)) == 1


def test_the_list_filters_sorts_and_pages(client, line, coordinator, board):
    contractor = ContractorFactory(name="Loodgieter Jansen")
    other_line = BudgetLineFactory(code="ZZZ-99")
    today = timezone.localdate()
    last_year = FinancialYear.objects.create(year=today.year - 1)
    december = date(today.year - 1, 12, 1)
    for _index in range(26):
        enter(line, coordinator)
    by_contractor = enter(line, coordinator, contractor=contractor, invoice_number="JANSEN")
    on_other_line = enter(other_line, coordinator, invoice_number="OTHER")
    old = enter(
        BudgetLineFactory(financial_year=last_year),
        coordinator,
        invoice_number="OLD",
        invoice_date=december,
    )
    services.invoice_approve(on_other_line, approver=board)
    client.force_login(board)

    def numbers(query: str) -> list[str]:
        page = client.get(url("invoice_list") + query)
        assert page.status_code == 200
        return re.findall(r"portal-queue-link\">([^<]+)<", page.content.decode())

    assert len(numbers("")) == 25
    assert numbers("?page=2")[-1] == old.invoice_number  # newest first
    assert len(numbers("?page=2")) == 4
    assert numbers(f"?contractor={contractor.pk}") == [by_contractor.invoice_number]
    assert numbers(f"?budget_line={other_line.pk}") == [on_other_line.invoice_number]
    assert numbers("?status=approved") == [on_other_line.invoice_number]
    assert numbers("?sort=invoice_date")[0] == old.invoice_number
    assert numbers(f"?date_to={december.isoformat()}") == [old.invoice_number]
    assert old.invoice_number not in numbers(
        f"?date_from={date(today.year, 1, 1).isoformat()}&per_page=100"
    )
    # Nonsense in the filters is ignored, never a server error.
    assert len(numbers("?date_from=gisteren&budget_line=abc&status=kwijt&sort=hack")) == 25


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_invoice_list_exports_what_the_filter_shows(client, fmt):
    from io import BytesIO

    import openpyxl

    coordinator = UserFactory(role=Role.COORDINATOR)
    line = BudgetLineFactory()
    for number in ("EXP-1", "EXP-2"):
        services.invoice_enter(
            entered_by=coordinator,
            invoice_number=number,
            invoice_date=timezone.localdate(),
            amount_excl_vat=Decimal("10.00"),
            vat_amount=Decimal("2.10"),
            supplier_name="Leverancier",
            budget_line=line,
        )
    client.force_login(UserFactory(role=Role.CORPORATION))

    response = client.get(reverse("budget:invoice_list"), {"_export": fmt})

    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "EXP-1" in text and "EXP-2" in text
    else:
        sheet = openpyxl.load_workbook(BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        assert "EXP-1" in values and "EXP-2" in values
