"""The board's dashboard against figures worked out by hand, and its query count at two data sizes."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget import charts, dashboard, dashboard_sections, services
from budget.models import BudgetEntry, BudgetLine, EntryKind, ExpenseCategory, FinancialYear
from tests.factories import BudgetLineFactory, HouseholdFactory, UserFactory
from tickets.constants import RequestStatus, Urgency, WorkOrderStatus
from tickets.models import Rating, RepairRequest, VisitOutcome, WorkOrder, WorkOrderAttempt
from zelfbeheer.accounts.roles import Role
from zelfbeheer.housing.models import Home

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 25)


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=AMSTERDAM)


@pytest.fixture
def year_2026():
    year, _created = FinancialYear.objects.get_or_create(year=2026)
    year.baseline_cost_per_home = Decimal("1200.00")
    year.save()
    return year


@pytest.fixture
def money(year_2026, routable):
    """Line A: budget 12,000, expenses 1,000 (Jan) and 2,000 (Mar), a 300 commitment.
    Line B: budget 6,000, an approved invoice of 500 (Nov)."""
    BudgetLine.objects.all().delete()  # the routable fixture's own line would add to the totals
    coordinator = UserFactory(role=Role.COORDINATOR)
    line_a = BudgetLineFactory(
        financial_year=year_2026, code="A", annual_amount=Decimal("12000.00")
    )
    line_b = BudgetLineFactory(financial_year=year_2026, code="B", annual_amount=Decimal("6000.00"))
    for amount, day in (("1000.00", date(2026, 1, 15)), ("2000.00", date(2026, 3, 3))):
        services.expense_record(
            entered_by=coordinator,
            budget_line=line_a,
            category=ExpenseCategory.OFFICE,
            description="Kantoor",
            amount_excl_vat=Decimal(amount),
            vat_amount=Decimal("0.00"),
            spent_on=day,
        )
    invoice = services.invoice_enter(
        entered_by=coordinator,
        invoice_number="2026-11",
        invoice_date=date(2026, 11, 2),
        amount_excl_vat=Decimal("500.00"),
        vat_amount=Decimal("105.00"),
        supplier_name="Drukkerij",
        budget_line=line_b,
    )
    services.invoice_approve(invoice, approver=UserFactory(role=Role.BOARD))
    work_order = _work_order(routable, "M-2026-90001", at("2026-10-01"))
    BudgetEntry.objects.create(
        budget_line=line_a,
        work_order=work_order,
        kind=EntryKind.COMMITMENT,
        amount=Decimal("300.00"),
        booked_on=date(2026, 10, 2),
    )
    return line_a, line_b


def _request(routable, number: str, created: datetime, **fields) -> RepairRequest:
    repair_request = RepairRequest.objects.create(
        number=number,
        home=routable.household.home,
        household=routable.household,
        category=routable.category,
        description="Lekkage",
        **fields,
    )
    RepairRequest.objects.filter(pk=repair_request.pk).update(created_at=created)
    repair_request.refresh_from_db()
    return repair_request


def _work_order(routable, number: str, created: datetime, completed: datetime | None = None):
    repair_request = _request(routable, number, created)
    return WorkOrder.objects.create(
        request=repair_request,
        contractor=routable.contract.contractor,
        contract=routable.contract,
        status=WorkOrderStatus.TECHNICALLY_DONE if completed else WorkOrderStatus.AWARDED,
        completed_at=completed,
    )


def test_money_figures_match_the_hand_computed_values(money):
    overview = dashboard.budget_overview(2026)
    line_a, line_b = overview.lines

    assert (line_a.budget, line_a.committed, line_a.actual, line_a.available) == (
        Decimal("12000.00"),
        Decimal("300.00"),
        Decimal("3000.00"),
        Decimal("8700.00"),
    )
    assert line_a.used_percentage == Decimal("27.5")
    assert (line_b.actual, line_b.available, line_b.used_percentage) == (
        Decimal("500.00"),
        Decimal("5500.00"),
        Decimal("8.3"),
    )
    assert (overview.budget, overview.committed, overview.actual) == (
        Decimal("18000.00"),
        Decimal("300.00"),
        Decimal("3500.00"),
    )

    burn = dashboard.burn(2026, overview.budget, TODAY)
    assert [point.actual for point in burn[:3]] == [
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("2000.00"),
    ]
    assert burn[10].actual_cumulative == Decimal("3500.00")  # November
    assert burn[10].plan_cumulative == Decimal("16500.00")
    assert burn[11].actual_cumulative is None  # December has not begun
    assert burn[11].plan_cumulative == Decimal("18000.00")

    # 3,500 actual + 300 committed + 3,500 / 11 months × 1 month left = 4,118.18
    forecast = dashboard.year_end_forecast(overview, TODAY)
    assert forecast == Decimal("4118.18")
    homes = dashboard.cost_per_home(overview, forecast, homes=Home.objects.count())
    # The routable fixture made one home: 4,118.18 per home against a baseline of 1,200.
    assert homes.homes == 1
    assert homes.forecast == Decimal("4118.18")
    assert homes.difference == Decimal("2918.18")


def test_service_figures_match_the_hand_computed_values(routable):
    # Lead times: 4 hours, 1 day, 2 days, 7 days → median (2nd of 4) 1 day, p90 (4th of 4) 7 days.
    cases = [
        ("M-2026-00001", Urgency.NORMAL, at("2026-10-01"), at("2026-10-03"), at("2026-10-10")),
        ("M-2026-00002", Urgency.URGENT, at("2026-10-05"), at("2026-10-12"), at("2026-10-06")),
        ("M-2026-00003", Urgency.NORMAL, at("2026-11-02"), at("2026-11-03"), at("2026-11-10")),
        (
            "M-2026-00004",
            Urgency.EMERGENCY,
            at("2026-09-01"),
            at("2026-09-01", 14),
            at("2026-09-02"),
        ),
    ]
    for number, urgency, created, completed, due in cases:
        repair_request = _request(
            routable,
            number,
            created,
            urgency=urgency,
            status=RequestStatus.TECHNICALLY_DONE,
            completed_at=completed,
            resolution_due=due,
        )
        work_order = WorkOrder.objects.create(
            request=repair_request,
            contractor=routable.contract.contractor,
            contract=routable.contract,
            status=WorkOrderStatus.TECHNICALLY_DONE,
            completed_at=completed,
        )
        if number == "M-2026-00002":
            WorkOrderAttempt.objects.create(work_order=work_order, outcome=VisitOutcome.NOT_HOME)
    _request(routable, "M-2026-00005", at("2026-11-20"))
    _request(routable, "M-2025-00099", at("2025-11-20"))  # before the twelve months
    for number, score in (("M-2026-00001", 5), ("M-2026-00002", 2), ("M-2026-00003", 4)):
        rating = Rating.objects.create(
            request=RepairRequest.objects.get(number=number), score=score
        )
        Rating.objects.filter(pk=rating.pk).update(created_at=at("2026-11-04"))

    start, end = dashboard.last_twelve_months(TODAY)
    assert (start, end) == (date(2025, 12, 1), date(2026, 12, 1))
    figures = dashboard.service_figures(start, end)

    assert figures.received == 5
    assert figures.completed == 4
    assert figures.lead_time_median == timedelta(days=1)
    assert figures.lead_time_p90 == timedelta(days=7)
    compliance = {row.urgency: (row.completed, row.on_time) for row in figures.compliance}
    assert compliance == {"emergency": (1, 1), "urgent": (1, 0), "normal": (2, 2)}
    assert figures.compliance_overall == Decimal("75.0")
    assert (figures.ratings, figures.rating_average, figures.dissatisfied_percentage) == (
        3,
        Decimal("3.7"),
        Decimal("33.3"),
    )
    assert (figures.work_orders_completed, figures.first_time_fixes) == (4, 3)
    assert figures.first_time_fix_percentage == Decimal("75.0")
    per_month = dict(dashboard.requests_per_month(start))
    assert per_month[date(2026, 10, 1)] == 2
    assert per_month[date(2026, 11, 1)] == 2
    assert per_month[date(2025, 12, 1)] == 0
    assert len(per_month) == 12


def test_the_board_sees_the_dashboard_with_charts_and_text_alternatives(client, money):
    client.force_login(UserFactory(role=Role.BOARD))

    response = client.get(reverse("budget:dashboard"), {"year": 2026})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<svg") == 2
    assert 'role="img"' in content and "<desc" in content
    assert "8.700,00" in content  # line A available, in Dutch notation
    assert "4.118,18" in content  # forecast


@pytest.mark.parametrize("role", [Role.TENANT, Role.DESK, Role.SOCIAL, Role.CONTRACTOR])
def test_only_board_corporation_and_coordinator_see_the_dashboard(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("budget:dashboard")).status_code == 404


def _bulk_requests(routable, count: int, start: int) -> None:
    household = HouseholdFactory()
    now = at("2026-06-01")
    RepairRequest.objects.bulk_create(
        (
            RepairRequest(
                number=f"B-{start + index:09d}",
                home=household.home,
                household=household,
                category=routable.category,
                description="x",
                status=RequestStatus.TECHNICALLY_DONE,
                completed_at=now + timedelta(hours=index % 400),
                resolution_due=now + timedelta(days=10),
            )
            for index in range(count)
        ),
        batch_size=5000,
    )


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("budget:dashboard")).status_code == 200
    return len(queries)


def test_dashboard_queries_are_the_same_at_100_and_100000_requests(client, money, routable):
    client.force_login(UserFactory(role=Role.BOARD))
    _bulk_requests(routable, 100, 0)
    client.get(reverse("budget:dashboard"))
    small = _dashboard_queries(client)
    with CaptureQueriesContext(connection) as small_snapshot:
        dashboard.service_snapshot_refresh()
    snapshot_queries = len(small_snapshot)

    _bulk_requests(routable, 99_900, 100)

    assert RepairRequest.objects.count() >= 100_000
    assert _dashboard_queries(client) == small
    assert small <= 10
    # The cached service figures are worked out with the same number of queries at either size.
    with CaptureQueriesContext(connection) as large_snapshot:
        dashboard.service_snapshot_refresh()
    assert len(large_snapshot) == snapshot_queries


def test_money_is_read_once_and_again_as_soon_as_the_ledger_changes(client, money):
    """The money figures come from the cache until a ledger or budget row is saved or deleted."""
    line_a, _line_b = money
    client.force_login(UserFactory(role=Role.BOARD))
    url = reverse("budget:dashboard")
    client.get(url, {"year": 2026})

    with CaptureQueriesContext(connection) as cached:
        first = client.get(url, {"year": 2026}).content.decode()
    assert not any("budget_budgetentry" in query["sql"] for query in cached.captured_queries)
    assert "8.700,00" in first  # line A available

    services.expense_record(
        entered_by=UserFactory(role=Role.COORDINATOR),
        budget_line=line_a,
        category=ExpenseCategory.OFFICE,
        description="Printer",
        amount_excl_vat=Decimal("700.00"),
        vat_amount=Decimal("0.00"),
        spent_on=date(2026, 11, 3),
    )
    assert "8.000,00" in client.get(url, {"year": 2026}).content.decode()

    line_a.annual_amount = Decimal("13000.00")
    line_a.save()
    assert "9.000,00" in client.get(url, {"year": 2026}).content.decode()

    BudgetEntry.objects.filter(budget_line=line_a, kind=EntryKind.COMMITMENT).delete()
    assert "9.300,00" in client.get(url, {"year": 2026}).content.decode()


def test_the_ledger_version_changes_again_when_the_change_commits(
    money, django_capture_on_commit_callbacks
):
    """A page read while the writing transaction was open saw the old rows: after the commit the
    version changes again, so what that page cached is not what the next one shows."""

    with django_capture_on_commit_callbacks(execute=True) as on_commit:
        dashboard.ledger_changed()
        during = cache.get(dashboard.LEDGER.version_key)
        dashboard.money_figures(2026, date(2026, 11, 25))

    assert len(on_commit) == 1
    assert cache.get(dashboard.LEDGER.version_key) != during


def test_the_dashboards_sections_are_rendered_once_per_language_and_change(
    client, money, monkeypatch
):
    """Both large sections are kept as HTML: a second view draws no chart; another language, a new
    snapshot or a ledger change draws them again."""
    drawn = []
    for name in ("burn_chart", "columns_chart"):
        original = getattr(charts, name)
        monkeypatch.setattr(
            charts,
            name,
            lambda *args, _original=original, _name=name, **kwargs: (
                drawn.append(_name) or _original(*args, **kwargs)
            ),
        )
    line_a, _line_b = money
    client.force_login(UserFactory(role=Role.BOARD))
    url = reverse("budget:dashboard")

    def main_part(response) -> str:  # the header's CSRF tokens differ on every view
        page = response.content.decode()
        return page[page.index("<main") : page.index("</main>")]

    first = main_part(client.get(url, {"year": 2026}))
    assert sorted(drawn) == ["burn_chart", "columns_chart"]
    assert main_part(client.get(url, {"year": 2026})) == first
    assert len(drawn) == 2

    english = client.get(url, {"year": 2026}, headers={"accept-language": "en"})
    english_page = english.content.decode()
    assert "Budget lines" in english_page and "Service in the last twelve months" in english_page
    assert "8,700.00" in english_page  # English notation, not the Dutch page's
    assert len(drawn) == 4

    dashboard.service_snapshot_refresh()
    client.get(url, {"year": 2026})
    assert drawn[4:] == ["columns_chart"]

    line_a.annual_amount = Decimal("13000.00")
    line_a.save()
    assert "9.000,00" in client.get(url, {"year": 2026}).content.decode()
    assert drawn[5:] == ["burn_chart"]


def test_the_kept_sections_hold_nothing_per_user(client, money):
    """What is kept is the same for everyone who may see it: no form, no token, no name."""
    board = UserFactory(role=Role.BOARD, first_name="Bestuurslid", last_name="Zichtbaar")
    client.force_login(board)
    client.get(reverse("budget:dashboard"), {"year": 2026})

    today = timezone.localdate()
    homes = dashboard.service_snapshot(today).homes
    key = dashboard.LEDGER.key(("money-section", "2026", today.isoformat(), "nl", str(homes)))
    _version, money_html = cache.get(key)
    service = dashboard.service_snapshot(today)
    service_key = dashboard_sections.SERVICE_SECTIONS.key(
        ("service-section", "2026", service.made_at.isoformat(), "nl")
    )
    _version, service_html = cache.get(service_key)
    for html in (money_html, service_html):
        assert "csrfmiddlewaretoken" not in html and "<form" not in html
        assert "Bestuurslid" not in html
