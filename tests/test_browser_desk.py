"""The desk worker triages by keyboard in a real browser: open a request from the queue, set the urgency,
save and open the next one, without the mouse."""

import re

import pytest
from playwright.sync_api import Page, expect

from tickets import services
from tickets.models import RepairRequest
from zelfbeheer.accounts.roles import Role

from .factories import HouseholdFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_triage_by_keyboard(page: Page, live_server, routable):
    routable.contract.valid_until = routable.contract.valid_from
    routable.contract.save()  # nothing routes: the requests wait for the desk
    first, second = (
        services.repair_request_submit(
            household=HouseholdFactory(tenant=True),
            category=routable.category,
            description=f"Melding {n}",
        )
        for n in range(2)
    )
    desk = UserFactory(role=Role.DESK, email="balie@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(desk.email)
    page.locator("input[type=password]").fill("correct-horse-battery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/balie/$"))  # the desk's start page is the queue
    page.wait_for_load_state()

    page.keyboard.press("j")  # first row of the queue (newest first)
    expect(page.locator("a.portal-queue-link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(second.number)

    page.locator("select[name=urgency]").focus()
    page.keyboard.press("ArrowUp")  # normal -> urgent
    while page.evaluate("document.activeElement.value") != "save_next":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_contain_text(first.number)
    assert RepairRequest.objects.get(pk=second.pk).urgency == "urgent"


def test_the_refresh_marks_what_came_in_since_the_last_one(page: Page, live_server, routable):
    routable.contract.valid_until = routable.contract.valid_from
    routable.contract.save()
    waiting = services.repair_request_submit(
        household=HouseholdFactory(tenant=True), category=routable.category, description="Al er"
    )
    desk = UserFactory(role=Role.DESK, email="balie2@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(desk.email)
    page.locator("input[type=password]").fill("correct-horse-battery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/balie/$"))
    expect(page.locator("#queue tr.portal-new")).to_have_count(0)

    arrival = services.repair_request_submit(
        household=HouseholdFactory(tenant=True),
        category=routable.category,
        description="Net binnen",
    )
    # What the 30-second poll does, now.
    page.evaluate(
        "htmx.ajax('GET', document.getElementById('queue').getAttribute('hx-get'), "
        "{target: '#queue', swap: 'outerHTML'})"
    )

    new_rows = page.locator("#queue tr.portal-new")
    expect(new_rows).to_have_count(1)
    expect(new_rows).to_contain_text(arrival.number)
    expect(page.locator("#queue")).to_contain_text(waiting.number)
