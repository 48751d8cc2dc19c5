"""The board's money pages in a real browser: axe-core (WCAG 2.2 AA) in Dutch and Arabic."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from budget import services
from budget.models import ExpenseCategory
from zelfbeheer.accounts.roles import Role

from .factories import BudgetLineFactory, UserFactory
from .test_browser_social import log_in_as
from .test_browser_tenant import AXE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as an inline script; the portal's CSP would (rightly) refuse it.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def money():
    coordinator = UserFactory(role=Role.COORDINATOR)
    line = BudgetLineFactory(code="DO-01")
    today = timezone.localdate()
    services.expense_record(
        entered_by=coordinator,
        budget_line=line,
        category=ExpenseCategory.OFFICE,
        description="Huur",
        amount_excl_vat=Decimal("1250.00"),
        vat_amount=Decimal("0.00"),
        spent_on=today,
    )
    invoice = services.invoice_enter(
        entered_by=coordinator,
        supplier_name="Glashandel",
        invoice_number="GL-1",
        invoice_date=today,
        amount_excl_vat=Decimal("400.00"),
        vat_amount=Decimal("84.00"),
        budget_line=line,
    )
    services.grant_record(
        financial_year=line.financial_year,
        description="Beheervergoeding",
        amount=Decimal("1000.00"),
        granted_on=today,
        tranches=[(today, Decimal("1000.00"))],
    )
    return line, invoice


WCAG_AA = "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}"


def chart_violations(page: Page) -> list[str]:
    """The charts' names and descriptions. Their text contrast axe cannot decide inside SVG; the
    colours are checked in tests/budget/test_charts.py instead."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run({include: [['svg.portal-chart']]}, "
        "{runOnly: {type: 'rule', values: ['svg-img-alt', 'role-img-alt']}})"
    )
    return [violation["id"] for violation in result["violations"]]


def page_violations(page: Page) -> list[str]:
    if not page.locator("svg.portal-chart").count():
        return axe_violations(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        f"async () => await axe.run({{exclude: [['svg.portal-chart']]}}, {{runOnly: {WCAG_AA}}})"
    )
    undecided_contrast = [c for c in result["incomplete"] if c["id"] == "color-contrast"]
    return [
        f"{violation['id']}: {violation['help']} ({node['target']})"
        for violation in [*result["violations"], *undecided_contrast]
        for node in violation["nodes"]
    ] + chart_violations(page)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_money_pages_have_no_accessibility_violations(page: Page, live_server, money, language):
    line, invoice = money
    board_member = UserFactory(role=Role.BOARD, preferred_language=language)
    log_in_as(page, live_server.url, board_member)
    year = line.financial_year.year
    found = {}
    for path in (
        "/budget/",
        "/budget/facturen/",
        "/budget/facturen/nieuw/",
        f"/budget/facturen/{invoice.uuid}/",
        f"/budget/{year}/uitgaven/",
        f"/budget/{year}/subsidies/",
        f"/budget/{year}/regel/{line.code}/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[path] = page_violations(page)
    assert {path: problems for path, problems in found.items() if problems} == {}
