"""The core loop in a real browser (Debian's Chromium through Playwright) against a live server."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from budget.models import BudgetEntry
from tickets.models import RepairRequest
from zelfbeheer.accounts.roles import Role

from .factories import UserFactory
from .test_browser_social import log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.IGNORECASE)).first.fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("input[type=password]").press("Enter")


def test_tenant_report_is_routed_completed_by_the_contractor_and_booked(
    page: Page, live_server, routable
):
    tenant = routable.household.members.first()
    base_url = live_server.url

    # The tenant reports a leaking tap in the browser.
    log_in(page, base_url, tenant.email)
    expect(page.locator("h1")).to_have_text(re.compile("Mijn meldingen|My requests"))
    page.get_by_role("link", name=re.compile("Defect melden|Report a defect")).first.click()
    page.get_by_role("link", name=routable.category.parent.name).click()
    page.get_by_role("link", name=routable.category.name).click()
    page.get_by_label(re.compile("Beschrijf het probleem|Describe the problem")).fill(
        "De keukenkraan lekt."
    )
    page.locator("input[value=mon-morning]").check()
    page.locator("form.portal-form button[type=submit]").click()
    repair_request = RepairRequest.objects.get()
    expect(page.locator("h1")).to_contain_text(repair_request.number)

    # Routing ran on commit and mailed the contractor a link; the contractor completes with a cost.
    body = next(m.body for m in mail.outbox if routable.contract.contractor.email in m.to)
    link_path = re.search(r"/werkorders/link/\S+/", body).group(0)
    contractor_page = page.context.browser.new_context(locale="nl-NL").new_page()
    contractor_page.goto(base_url + link_path)
    expect(contractor_page).not_to_have_url(re.compile("/link/"))
    contractor_page.locator("input[name=action][value=accept] ~ button[type=submit]").click()
    expect(contractor_page.locator(".utrecht-alert")).to_be_visible()
    contractor_page.locator("select[name=cause_found]").select_option("wear")
    contractor_page.get_by_label(re.compile("Wat is er gedaan|What was done")).fill(
        "Kraan vervangen."
    )
    contractor_page.get_by_label(re.compile("Totale kosten|Total cost")).fill("95,00")
    contractor_page.locator("input[name=action][value=complete] ~ button[type=submit]").click()
    expect(contractor_page.locator(".utrecht-alert")).to_be_visible()

    # The cost is committed on the board's budget page (board logs in with password and TOTP).
    board_member = UserFactory(role=Role.BOARD, totp=False)
    secret = generate_totp_secret()
    TOTP.activate(board_member, secret)
    board_page = page.context.browser.new_context(locale="nl-NL").new_page()
    log_in(board_page, base_url, board_member.email)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    board_page.locator("input[name=code]").fill(code)
    board_page.locator("input[name=code]").press("Enter")
    line_code = BudgetEntry.objects.get().budget_line.code
    expect(board_page.get_by_test_id(f"committed-{line_code}")).to_contain_text("95,00")
    assert BudgetEntry.objects.get().amount == 95

    # The coordinator enters the contractor's invoice with its PDF; the board member approves it,
    # and the cost moves from committed to actual.
    coordinator = UserFactory(role=Role.COORDINATOR)
    coordinator_page = page.context.browser.new_context(locale="nl-NL").new_page()
    log_in_as(coordinator_page, base_url, coordinator)
    coordinator_page.goto(f"{base_url}/budget/facturen/nieuw/")
    coordinator_page.locator("select[name=contractor]").select_option(
        str(routable.contract.contractor.pk)
    )
    coordinator_page.locator("input[name=invoice_number]").fill("2026-0042")
    coordinator_page.locator("input[name=invoice_date]").fill(timezone.localdate().isoformat())
    coordinator_page.locator("input[name=request_number]").fill(repair_request.number)
    coordinator_page.locator("input[name=amount_excl_vat]").fill("95,00")
    coordinator_page.locator("input[name=vat_amount]").fill("19,95")
    coordinator_page.locator("input[name=pdf]").set_input_files(
        files=[{"name": "factuur.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    coordinator_page.locator("form.portal-form button[type=submit]").last.click()
    expect(coordinator_page).to_have_url(re.compile(r"/budget/facturen/[0-9a-f-]{36}/$"))

    board_page.goto(coordinator_page.url)
    board_page.locator("form[action$='/goedkeuren/'] button[type=submit]").click()
    board_page.goto(f"{base_url}/budget/")
    expect(board_page.get_by_test_id(f"actual-{line_code}")).to_contain_text("95,00")
    expect(board_page.get_by_test_id(f"committed-{line_code}")).to_contain_text("0,00")
    assert list(BudgetEntry.objects.values_list("kind", "amount")) == [("actual", 95)]
