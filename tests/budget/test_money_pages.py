"""The money pages: expenses, grants, the drill-down behind a figure, and the board's tables as files.

Board and coordinator read and write; Bo-Ex reads and exports but sees no forms and gets 404 on a POST;
every other role gets 404; anonymous visitors are sent to the login page.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget.dashboard import budget_overview
from budget.models import (
    BudgetEntry,
    EntryKind,
    Expense,
    FinancialYear,
    Grant,
    GrantTranche,
    InvoiceStatus,
)
from budget.services import (
    commitment_recompute,
    expense_record,
    grant_record,
    invoice_approve,
    invoice_enter,
)
from tickets.constants import WorkOrderStatus
from tickets.models import WorkOrder
from tickets.services import repair_request_submit
from zelfbeheer.accounts.roles import Role

from ..factories import BudgetLineFactory, UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role]
READERS = frozenset({Role.BOARD, Role.COORDINATOR, Role.CORPORATION})
EDITORS = frozenset({Role.BOARD, Role.COORDINATOR})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def line():
    return BudgetLineFactory(code="KA-01", name="Kantoor", rgs_code="WBedKan")


@pytest.fixture
def year(line) -> int:
    return line.financial_year.year


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


def english(client, user=None):
    """Messages and headers in English, so assertions do not depend on the Dutch catalogue."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def an_expense(line, by, amount="120.00", **extra) -> Expense:
    return expense_record(
        entered_by=by,
        budget_line=line,
        category=extra.pop("category", "office"),
        description=extra.pop("description", "Printerpapier"),
        amount_excl_vat=Decimal(amount),
        vat_amount=Decimal("25.20"),
        spent_on=extra.pop("spent_on", today()),
    )


def expense_data(line, **overrides) -> dict:
    return {
        "budget_line": line.pk,
        "category": "office",
        "description": "Koffie voor de bewonersavond",
        "amount_excl_vat": "45.50",
        "vat_amount": "4.10",
        "spent_on": today().isoformat(),
        **overrides,
    }


def a_work_order(routable, capture, estimate: str) -> WorkOrder:
    """A routed work order, accepted with an estimate; its commitment set by commitment_recompute."""
    with capture(execute=True):
        repair_request = repair_request_submit(
            household=routable.household, category=routable.category, description="De kraan lekt."
        )
    work_order = repair_request.work_orders.get()
    work_order.status = WorkOrderStatus.AWARDED
    work_order.estimate = Decimal(estimate)
    work_order.accepted_at = timezone.now()
    work_order.save()
    commitment_recompute(work_order)
    return work_order


# --- Permission matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    allowed: frozenset
    allowed_status: int
    kwargs: dict = field(default_factory=dict)


def _endpoints(world) -> list[Endpoint]:
    year, code = world["year"], world["line"].code
    return [
        Endpoint("expense_list", "get", READERS, 200, {"year": year}),
        Endpoint("expense_list", "post", EDITORS, 400, {"year": year}),
        Endpoint("expense_correct", "post", EDITORS, 400, {"pk": world["expense"].pk}),
        Endpoint("grant_list", "get", READERS, 200, {"year": year}),
        Endpoint("grant_list", "post", EDITORS, 400, {"year": year}),
        Endpoint("tranche_received", "post", EDITORS, 400, {"pk": world["tranche"].pk}),
        Endpoint("line_detail", "get", READERS, 200, {"year": year, "code": code}),
        Endpoint("line_export", "get", READERS, 200, {"year": year, "code": code, "fmt": "csv"}),
        Endpoint("line_export", "get", READERS, 200, {"year": year, "code": code, "fmt": "xlsx"}),
        *(
            Endpoint("dashboard_export", "get", READERS, 200, {"year": year, "table": table, "fmt": fmt})
            for table in ("lines", "burn", "service", "social")
            for fmt in ("csv", "xlsx")
        ),
    ]  # fmt: skip


@pytest.fixture
def world(line, year, coordinator):
    grant = grant_record(
        financial_year=line.financial_year,
        description="Bijdrage Bo-Ex",
        amount=Decimal("1000.00"),
        granted_on=date(year, 1, 1),
        tranches=[(date(year, 1, 1), Decimal("1000.00"))],
    )
    return {
        "year": year,
        "line": line,
        "expense": an_expense(line, coordinator),
        "tranche": grant.tranches.get(),
    }


@pytest.mark.parametrize("role", ALL_ROLES, ids=str)
def test_every_money_url_gives_each_role_the_expected_status(client, world, role):
    if role != ANONYMOUS:
        client.force_login(UserFactory(role=role))
    entries_before = list(BudgetEntry.objects.values_list("pk", "amount"))
    wrong = []
    for endpoint in _endpoints(world):
        url = reverse(f"budget:{endpoint.name}", kwargs=endpoint.kwargs)
        response = getattr(client, endpoint.method)(url)
        if role == ANONYMOUS:
            expected = 302
        elif role in endpoint.allowed:
            expected = endpoint.allowed_status
        else:
            expected = 404
        if response.status_code != expected:
            wrong.append((endpoint.name, endpoint.method, response.status_code, expected))
        if role == ANONYMOUS:
            assert "/accounts/login/" in response["Location"]
    assert wrong == []
    assert list(BudgetEntry.objects.values_list("pk", "amount")) == entries_before


def test_bo_ex_reads_the_pages_without_forms_and_cannot_post(client, world, year, line):
    client.force_login(UserFactory(role=Role.CORPORATION))

    expenses = client.get(reverse("budget:expense_list", args=[year]))
    grants = client.get(reverse("budget:grant_list", args=[year]))
    detail = client.get(reverse("budget:line_detail", args=[year, line.code]))
    with_correction = client.get(
        reverse("budget:expense_list", args=[year]), {"corrigeren": world["expense"].pk}
    )
    posted = client.post(reverse("budget:expense_list", args=[year]), expense_data(line))
    received = client.post(
        reverse("budget:tranche_received", args=[world["tranche"].pk]),
        {"received_on": today().isoformat()},
    )

    assert "Printerpapier" in expenses.content.decode()
    assert "Bijdrage Bo-Ex" in grants.content.decode()
    assert detail.status_code == 200
    for page in (expenses, grants, detail, with_correction):
        html = page.content.decode()
        assert 'name="amount_excl_vat"' not in html
        assert 'name="tranche_1_amount"' not in html
        assert 'name="received_on"' not in html
        assert "/corrigeren/" not in html
        assert "/ontvangen/" not in html
    assert (posted.status_code, received.status_code) == (404, 404)
    assert Expense.objects.count() == 1
    assert GrantTranche.objects.get().received_on is None


@pytest.mark.parametrize("role", [Role.BOARD, Role.COORDINATOR])
def test_editors_see_the_forms(client, world, year, role):
    client.force_login(UserFactory(role=role))

    expenses = client.get(reverse("budget:expense_list", args=[year])).content.decode()
    grants = client.get(reverse("budget:grant_list", args=[year])).content.decode()

    assert 'name="amount_excl_vat"' in expenses
    assert f"?corrigeren={world['expense'].pk}" in expenses
    assert 'name="tranche_4_amount"' in grants
    assert reverse("budget:tranche_received", args=[world["tranche"].pk]) in grants


def test_an_unknown_year_or_line_is_404(client, year, line):
    client.force_login(UserFactory(role=Role.BOARD))

    for url in (
        reverse("budget:expense_list", args=[year + 5]),
        reverse("budget:grant_list", args=[year + 5]),
        reverse("budget:line_detail", args=[year + 5, line.code]),
        reverse("budget:line_detail", args=[year, "XX-99"]),
        reverse("budget:line_export", args=[year, "XX-99", "csv"]),
        reverse("budget:dashboard_export", args=[year + 5, "lines", "csv"]),
        reverse("budget:expense_correct", args=[999999]),
    ):
        method = client.post if "corrigeren" in url else client.get
        assert method(url).status_code == 404, url


# --- Expenses -----------------------------------------------------------------------------------------


def test_a_recorded_expense_counts_as_actual_and_shows_on_the_line(client, year, line):
    board = UserFactory(role=Role.BOARD)
    client.force_login(board)

    # Typed the Dutch way, with a decimal comma.
    response = client.post(
        reverse("budget:expense_list", args=[year]),
        expense_data(line, amount_excl_vat="€ 45,50", vat_amount="4,10"),
    )

    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.amount_excl_vat, expense.vat_amount) == (Decimal("45.50"), Decimal("4.10"))
    assert expense.entered_by == board
    entry = BudgetEntry.objects.get()
    assert (entry.kind, entry.amount, entry.expense, entry.budget_line) == (
        EntryKind.ACTUAL, Decimal("45.50"), expense, line,
    )  # fmt: skip
    detail = client.get(reverse("budget:line_detail", args=[year, line.code])).content.decode()
    assert "Koffie voor de bewonersavond" in detail
    assert '<dd data-testid="figure-actual">€ 45,50</dd>' in detail
    listed = client.get(reverse("budget:expense_list", args=[year])).content.decode()
    assert "Koffie voor de bewonersavond" in listed


def test_correcting_an_expense_moves_its_ledger_entry(client, year, line, coordinator):
    expense = an_expense(line, coordinator, amount="120.00")
    client.force_login(coordinator)

    form_page = client.get(reverse("budget:expense_list", args=[year]), {"corrigeren": expense.pk})
    response = client.post(
        reverse("budget:expense_correct", args=[expense.pk]),
        {
            "description": "Printerpapier (credit)",
            "amount_excl_vat": "80,00",
            "vat_amount": "16,80",
        },
    )

    assert 'value="Printerpapier"' in form_page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("budget:expense_list", args=[year])
    expense.refresh_from_db()
    assert (expense.amount_excl_vat, expense.description) == (
        Decimal("80.00"),
        "Printerpapier (credit)",
    )
    assert BudgetEntry.objects.get().amount == Decimal("80.00")
    assert budget_overview(year).actual == Decimal("80.00")
    assert expense.history.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_excl_vat": "-10.00"}, "Amounts cannot be negative"),
        ({"amount_excl_vat": "twaalf euro"}, "Enter an amount in euros"),
        ({"vat_amount": ""}, "This field is required."),
        ({"spent_on": "2001-05-01"}, "The budget line belongs to another year than the date."),
        ({"category": "holiday"}, "Select a valid choice."),
    ],
    ids=["negative", "text", "no-vat", "date-of-another-year", "unknown-kind"],
)
def test_bad_expense_input_is_refused_and_nothing_is_saved(client, year, line, overrides, message):
    english(client, UserFactory(role=Role.BOARD))

    response = client.post(
        reverse("budget:expense_list", args=[year]), expense_data(line, **overrides)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Expense.objects.exists()
    assert not BudgetEntry.objects.exists()


def test_a_line_of_another_year_is_not_a_choice(client, year, line):
    next_year = FinancialYear.objects.create(year=year + 1)
    other_line = BudgetLineFactory(financial_year=next_year, code="KA-01")
    english(client, UserFactory(role=Role.BOARD))

    page = client.get(reverse("budget:expense_list", args=[year])).content.decode()
    response = client.post(
        reverse("budget:expense_list", args=[year]),
        expense_data(line, budget_line=other_line.pk),
    )

    assert f'value="{other_line.pk}"' not in page
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Expense.objects.exists()


def test_a_bad_correction_changes_nothing(client, year, line, coordinator):
    expense = an_expense(line, coordinator, amount="120.00")
    english(client, coordinator)

    response = client.post(
        reverse("budget:expense_correct", args=[expense.pk]),
        {"description": "Oops", "amount_excl_vat": "-5", "vat_amount": "0"},
    )

    assert response.status_code == 400
    assert "Amounts cannot be negative" in response.content.decode()
    expense.refresh_from_db()
    assert (expense.amount_excl_vat, expense.description) == (Decimal("120.00"), "Printerpapier")
    assert BudgetEntry.objects.get().amount == Decimal("120.00")


def test_the_expense_list_is_sortable_and_paginated(client, year, line, coordinator):
    for day in range(1, 28):
        an_expense(line, coordinator, description=f"Uitgave {day:02d}", spent_on=date(year, 1, day))
    client.force_login(coordinator)
    url = reverse("budget:expense_list", args=[year])

    newest_first = client.get(url).content.decode()
    oldest_first = client.get(url, {"sort": "spent_on"}).content.decode()
    second_page = client.get(url, {"page": 2}).content.decode()

    assert "Uitgave 27" in newest_first and "Uitgave 02" not in newest_first
    assert "Uitgave 01" in oldest_first and "Uitgave 27" not in oldest_first
    assert "Uitgave 01" in second_page and "Uitgave 27" not in second_page


# --- Grants -------------------------------------------------------------------------------------------


def grant_data(**overrides) -> dict:
    year = today().year
    return {
        "description": "Beheervergoeding",
        "amount": "10000.00",
        "granted_on": date(year, 1, 15).isoformat(),
        "tranche_1_expected_on": date(year, 2, 1).isoformat(),
        "tranche_1_amount": "6000",
        "tranche_2_expected_on": date(year, 7, 1).isoformat(),
        "tranche_2_amount": "4000.00",
        **overrides,
    }


def test_a_grant_with_its_tranches_is_recorded(client, year, line):
    client.force_login(UserFactory(role=Role.BOARD))

    # Typed the Dutch way: thousands with a dot, decimals with a comma.
    response = client.post(
        reverse("budget:grant_list", args=[year]),
        grant_data(amount="10.000,00", tranche_2_amount="4000,00"),
    )

    assert response.status_code == 302
    grant = Grant.objects.get()
    assert (grant.amount, grant.financial_year.year) == (Decimal("10000.00"), year)
    assert list(grant.tranches.values_list("amount", flat=True)) == [
        Decimal("6000.00"),
        Decimal("4000.00"),
    ]
    page = client.get(reverse("budget:grant_list", args=[year])).content.decode()
    assert '<dd data-testid="granted">€ 10.000,00</dd>' in page
    assert '<dd data-testid="received">€ 0,00</dd>' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tranche_2_amount": "3000"}, "The tranches must add up to the amount granted."),
        ({"tranche_2_expected_on": ""}, "Fill in when this tranche is expected."),
        ({"tranche_2_amount": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"amount": "veel"}, "Enter an amount in euros"),
    ],
    ids=["do-not-add-up", "half-a-tranche", "negative-tranche", "text-amount"],
)
def test_a_bad_grant_is_refused_and_nothing_is_saved(client, year, line, overrides, message):
    english(client, UserFactory(role=Role.COORDINATOR))

    response = client.post(reverse("budget:grant_list", args=[year]), grant_data(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Grant.objects.exists()
    assert not GrantTranche.objects.exists()


def test_a_tranche_is_marked_received_and_counts(client, world, year):
    tranche = world["tranche"]
    client.force_login(UserFactory(role=Role.BOARD))

    response = client.post(
        reverse("budget:tranche_received", args=[tranche.pk]),
        {"received_on": today().isoformat()},
    )

    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.received_on == today()
    page = client.get(reverse("budget:grant_list", args=[year])).content.decode()
    assert '<dd data-testid="received">€ 1.000,00</dd>' in page
    assert budget_overview(year).received == Decimal("1000.00")


def test_a_tranche_received_in_the_future_is_refused(client, world):
    tranche = world["tranche"]
    english(client, UserFactory(role=Role.BOARD))

    response = client.post(
        reverse("budget:tranche_received", args=[tranche.pk]),
        {"received_on": (today() + timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 400
    assert "The date received cannot be in the future." in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.received_on is None


# --- The drill-down -----------------------------------------------------------------------------------


def test_the_drill_down_shows_the_commitment_and_the_approved_invoice(
    client, routable, django_capture_on_commit_callbacks
):
    work_order = a_work_order(routable, django_capture_on_commit_callbacks, estimate="4000.00")
    coordinator = UserFactory(role=Role.COORDINATOR)
    invoice = invoice_enter(
        entered_by=coordinator,
        work_order=work_order,
        invoice_number="F-2026-117",
        invoice_date=today(),
        amount_excl_vat=Decimal("3000.00"),
        vat_amount=Decimal("630.00"),
    )
    for board_member in (UserFactory(role=Role.BOARD), UserFactory(role=Role.BOARD)):
        invoice = invoice_approve(invoice, approver=board_member)
    line = invoice.budget_line
    english(client, UserFactory(role=Role.CORPORATION))

    page = client.get(reverse("budget:line_detail", args=[line.financial_year.year, line.code]))

    html = page.content.decode()
    assert invoice.status == InvoiceStatus.APPROVED
    assert work_order.request.number in html
    assert work_order.contractor.name in html
    assert "Accepted" in html  # the work order's status
    assert "€ 1,000.00" in html  # still committed: estimate less the approved invoice
    assert "F-2026-117" in html
    assert "€ 3,000.00" in html
    assert '<dd data-testid="figure-committed">€ 1,000.00</dd>' in html
    assert '<dd data-testid="figure-actual">€ 3,000.00</dd>' in html
    assert '<dd data-testid="figure-available">€ 96,000.00</dd>' in html


def test_a_figure_lands_on_its_table(client, year, line):
    client.force_login(UserFactory(role=Role.BOARD))
    url = reverse("budget:line_detail", args=[year, line.code])

    committed = client.get(url, {"figure": "committed"})
    actual = client.get(url, {"figure": "actual", "c-page": "2"})
    unknown = client.get(url, {"figure": "nonsense"})

    assert committed["Location"] == f"{url}#committed"
    assert actual["Location"] == f"{url}?c-page=2#actual"
    assert unknown["Location"] == url


def _ledger(routable, capture, coordinator, board, size: int) -> None:
    """`size` more ledger entries on the routable line: a third each commitments, invoice actuals
    and expense actuals, so every table of the drill-down grows."""
    line = routable.contract.trades.get().budget_lines.get()
    for number in range(size // 3):
        a_work_order(routable, capture, estimate="100.00")
        invoice = invoice_enter(
            entered_by=coordinator,
            contractor=routable.contract.contractor,
            budget_line=line,
            invoice_number=f"L-{size}-{number}",
            invoice_date=today(),
            amount_excl_vat=Decimal("50.00"),
            vat_amount=Decimal("10.50"),
        )
        invoice_approve(invoice, approver=board)
        an_expense(line, coordinator, description=f"Uitgave {size}-{number}")


def test_the_drill_down_costs_the_same_queries_for_3_or_12_entries(
    client, routable, django_capture_on_commit_callbacks
):
    coordinator, board = UserFactory(role=Role.COORDINATOR), UserFactory(role=Role.BOARD)
    line = routable.contract.trades.get().budget_lines.get()
    url = reverse("budget:line_detail", args=[line.financial_year.year, line.code])
    client.force_login(board)

    def queries_after_adding(more: int) -> int:
        _ledger(routable, django_capture_on_commit_callbacks, coordinator, board, more)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries_after_adding(3)
    entries_small = BudgetEntry.objects.count()
    large = queries_after_adding(9)

    assert (entries_small, BudgetEntry.objects.count()) == (3, 12)
    assert small == large


# --- Files --------------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_lines_export_as_csv(client, year, line, coordinator):
    an_expense(line, coordinator, amount="120.00")
    english(client, UserFactory(role=Role.BOARD))

    response = client.get(reverse("budget:dashboard_export", args=[year, "lines", "csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="begroting-{year}-lines.csv"'
    assert _csv_rows(response) == [
        ["Code", "Name", "RGS code", "Budget", "Committed", "Actual", "Available", "Used (%)"],
        ["KA-01", "Kantoor", "WBedKan", "100000.00", "0.00", "120.00", "99880.00", "0.1"],
    ]


def test_the_lines_export_as_excel_holds_numbers(client, year, line, coordinator):
    an_expense(line, coordinator, amount="120.00")
    client.force_login(UserFactory(role=Role.CORPORATION))

    response = client.get(reverse("budget:dashboard_export", args=[year, "lines", "xlsx"]))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="begroting-{year}-lines.xlsx"'
    header, row = _sheet_rows(response)
    assert len(header) == 8
    assert row[:3] == ("KA-01", "Kantoor", "WBedKan")
    assert row[3:] == (100000, 0, 120, 99880, pytest.approx(0.1))
    assert all(isinstance(value, int | float) for value in row[3:])


def test_the_burn_export_has_a_row_per_month(client, year, line, coordinator):
    an_expense(line, coordinator, amount="120.00", spent_on=date(year, 1, 10))
    english(client, UserFactory(role=Role.BOARD))

    rows = _csv_rows(client.get(reverse("budget:dashboard_export", args=[year, "burn", "csv"])))

    assert rows[0] == ["Month", "Actual in month", "Actual cumulative", "Plan cumulative"]
    assert len(rows) == 13
    assert rows[1] == [f"{year}-01", "120.00", "120.00", "8333.33"]
    assert rows[12][0] == f"{year}-12" and rows[12][3] == "100000.00"


def test_the_service_export_lists_the_figures(client, year, line):
    english(client, UserFactory(role=Role.BOARD))

    response = client.get(reverse("budget:dashboard_export", args=[year, "service", "xlsx"]))

    rows = dict(_sheet_rows(response)[1:])
    assert rows["Requests received"] == 0
    assert "Lead time median (days)" in rows
    assert "Lead time 90th percentile (days)" in rows
    assert {"SLA met, Emergency (%)", "SLA met, Urgent (%)", "SLA met, Normal (%)"} <= set(rows)


def test_the_social_export_keeps_the_suppressed_counts(client, year, line):
    english(client, UserFactory(role=Role.CORPORATION))

    rows = _csv_rows(client.get(reverse("budget:dashboard_export", args=[year, "social", "csv"])))

    assert rows[0] == ["Group", "Category", "Cases"]
    assert rows[1] == ["Total", "All cases", "< 5"]
    assert {row[2] for row in rows[1:]} <= {"< 5", "hidden"}


def test_the_line_export_lists_its_entries(client, year, line, coordinator):
    an_expense(line, coordinator, amount="120.00", description="=HYPERLINK(1)")
    english(client, UserFactory(role=Role.BOARD))

    csv_rows = _csv_rows(client.get(reverse("budget:line_export", args=[year, "KA-01", "csv"])))
    response = client.get(reverse("budget:line_export", args=[year, "KA-01", "xlsx"]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="begroting-{year}-regel-ka-01.xlsx"'
    )
    assert csv_rows[1] == [
        "Actual", "Expense", "'=HYPERLINK(1)", "Office", "", today().isoformat(), "120.00",
    ]  # fmt: skip
    sheet_row = _sheet_rows(response)[1]
    assert sheet_row[2] == "'=HYPERLINK(1)"  # text, never a formula
    assert sheet_row[6] == 120


@pytest.mark.parametrize(
    ("table", "fmt"), [("people", "csv"), ("lines", "pdf"), ("lines", "json"), ("Lines", "csv")]
)
def test_an_unknown_table_or_format_is_404(client, year, line, table, fmt):
    client.force_login(UserFactory(role=Role.BOARD))

    response = client.get(reverse("budget:dashboard_export", args=[year, table, fmt]))

    assert response.status_code == 404


def test_an_unknown_line_export_format_is_404(client, year, line):
    client.force_login(UserFactory(role=Role.BOARD))

    response = client.get(reverse("budget:line_export", args=[year, line.code, "pdf"]))

    assert response.status_code == 404
