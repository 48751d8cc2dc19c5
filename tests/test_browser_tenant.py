"""The tenant's pages in a real browser: accessibility (axe-core, WCAG 2.2 AA) in every language,
320 px width, and the main flows by keyboard and mouse."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tickets import services
from tickets.constants import Urgency
from tickets.models import AlsoAffected, RepairRequest

from .factories import HouseholdFactory, WorkCategoryFactory
from .tickets import photo_corpus as corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as an inline script; the portal's CSP would (rightly) refuse it.
    return {**browser_context_args, "bypass_csp": True}


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("input[type=password]").press("Enter")


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    # Contrast that axe could not decide (text over an unusual background) counts as a problem too:
    # that is how a button with its text in the button's own colour slips through.
    undecided_contrast = [
        check for check in result["incomplete"] if check["id"] == "color-contrast"
    ]
    return [
        f"{violation['id']}: {violation['help']} ({node['target']})"
        for violation in [*result["violations"], *undecided_contrast]
        for node in violation["nodes"]
    ]


@pytest.fixture
def tenant_pages(routable):
    """Every page a tenant sees, with data on it."""
    flooding = WorkCategoryFactory(
        code="flooding",
        parent=routable.category.parent,
        default_urgency=Urgency.EMERGENCY,
        responsibility="foundation",
    )
    repair_request = services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="De kraan lekt.",
    )
    trade = routable.category.parent.code
    return [
        "/",
        "/meldingen/",
        "/meldingen/nieuw/",
        f"/meldingen/nieuw/{trade}/",
        f"/meldingen/nieuw/{trade}/{routable.category.code}/",
        f"/meldingen/nieuw/{trade}/{flooding.code}/",
        f"/meldingen/{repair_request.uuid}/",
        "/sociaal/hulp/",
        "/sociaal/overlast/",
        "/sociaal/mijn-meldingen/",
    ]


@pytest.mark.parametrize("language", ["nl", "en", "tr", "ar"])
def test_tenant_pages_have_no_accessibility_violations(
    page: Page, live_server, routable, tenant_pages, language
):
    tenant = routable.household.members.first()
    tenant.preferred_language = language
    tenant.save()
    page.set_viewport_size({"width": 320, "height": 800})
    found = {}
    for anonymous_path in ("/accounts/login/", "/accounts/login/code/", "/activeren/"):
        page.goto(f"{live_server.url}{anonymous_path}")
        page.locator("select[name=language]").select_option(language)
        page.locator("form.portal-language button").click()
        found[anonymous_path] = axe_violations(page)
    log_in(page, live_server.url, tenant.email)

    for path in tenant_pages:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[path] = axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        if overflow:
            found[path].append("page is wider than 320 px")

    assert {path: problems for path, problems in found.items() if problems} == {}


def test_arabic_is_laid_out_right_to_left(page: Page, live_server, routable):
    tenant = routable.household.members.first()
    tenant.preferred_language = "ar"
    tenant.save()
    log_in(page, live_server.url, tenant.email)

    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_guided_report_with_a_photo_by_keyboard(page: Page, live_server, routable, tmp_path):
    photo = tmp_path / "kraan.heic"
    photo.write_bytes(corpus.heic().read())
    log_in(page, live_server.url, routable.household.members.first().email)
    page.goto(f"{live_server.url}/meldingen/nieuw/")

    page.get_by_role("link", name=routable.category.parent.name).focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name=routable.category.name).focus()
    page.keyboard.press("Enter")
    page.locator("textarea[name=description]").focus()
    page.keyboard.type("De kraan in de keuken blijft druppelen.")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.locator("input[value=wed-afternoon]").focus()
    page.keyboard.press("Space")
    page.locator("form.portal-form button[type=submit]").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".portal-photos img")).to_have_count(1)
    repair_request = RepairRequest.objects.get()
    expect(page.locator("h1")).to_contain_text(repair_request.number)
    expect(page.locator(".portal-photos img")).to_have_count(1)
    assert repair_request.availability_slots == ["wed-afternoon"]


def test_an_emergency_shows_the_number_to_call(page: Page, live_server, routable):
    flooding = WorkCategoryFactory(
        code="flooding",
        parent=routable.category.parent,
        default_urgency=Urgency.EMERGENCY,
        responsibility="foundation",
    )
    log_in(page, live_server.url, routable.household.members.first().email)
    page.goto(f"{live_server.url}/meldingen/nieuw/{flooding.parent.code}/{flooding.code}/")

    call = page.locator(f"a[href='tel:{settings.EMERGENCY_PHONE_NUMBER.replace(' ', '')}']").first
    expect(call).to_be_visible()
    page.locator("a[href='?doorgaan=1']").click()
    page.locator("textarea[name=description]").fill("Water komt door het plafond.")
    page.locator("form.portal-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(RepairRequest.objects.get().number)


def test_a_tenants_own_job_explains_and_can_be_sent_with_a_reason(
    page: Page, live_server, routable
):
    washer = WorkCategoryFactory(
        code="tap-washer", parent=routable.category.parent, responsibility="tenant"
    )
    log_in(page, live_server.url, routable.household.members.first().email)
    page.goto(f"{live_server.url}/meldingen/nieuw/{washer.parent.code}/{washer.code}/")

    expect(page.locator("#own-job-heading")).to_be_visible()
    page.locator("textarea[name=description]").fill("Kraan drupt.")
    page.locator("form.portal-form button[type=submit]").click()
    expect(page.locator("#id_tenant_reason_error")).to_be_visible()
    page.locator("textarea[name=tenant_reason]").fill("Ik kan niet meer bukken.")
    page.locator("form.portal-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(RepairRequest.objects.get().number)


def test_a_neighbour_joins_a_shared_area_report(page: Page, live_server, routable):
    stairwell = WorkCategoryFactory(
        code="stairwell-light",
        parent=routable.category.parent,
        responsibility="foundation",
        is_shared_area=True,
    )
    first = services.repair_request_submit(
        household=routable.household, category=stairwell, description="Portieklamp kapot"
    )
    neighbour = HouseholdFactory(tenant=True, home__building=routable.household.home.building)
    log_in(page, live_server.url, neighbour.members.first().email)
    page.goto(f"{live_server.url}/meldingen/nieuw/{stairwell.parent.code}/{stairwell.code}/")

    expect(page.get_by_text(first.number)).to_be_visible()
    page.locator(f"form[action$='{first.uuid}/ook-bij-mij/'] button").click()
    expect(page.locator("h1")).to_contain_text(first.number)
    assert AlsoAffected.objects.get().household == neighbour
    assert RepairRequest.objects.count() == 1


def test_the_tenant_rates_a_finished_repair(page: Page, live_server, routable):
    from decimal import Decimal

    repair_request = services.repair_request_submit(
        household=routable.household, category=routable.category, description="De kraan lekt."
    )
    services.work_order_complete(
        work_order=repair_request.work_orders.get(), total_cost=Decimal("40")
    )
    log_in(page, live_server.url, routable.household.members.first().email)
    page.goto(f"{live_server.url}/meldingen/{repair_request.uuid}/#beoordelen")

    page.locator("input[name=score][value='4']").check()
    page.locator("textarea[name=comment]").fill("Snel en netjes.")
    page.locator("#beoordelen button[type=submit]").click()
    expect(page.locator(".utrecht-alert")).to_be_visible()
    assert repair_request.__class__.objects.get(pk=repair_request.pk).rating.score == 4
    assert re.search(r"4", page.locator("main").inner_text())


def test_activation_with_the_letter_code_then_login_by_e_mailed_code(
    page: Page, live_server, mailoutbox
):
    from zelfbeheer.accounts.activation import activation_codes_generate

    household = HouseholdFactory()
    [(_home, code)] = activation_codes_generate(homes=[household.home], created_by=None)

    # The QR code on the letter opens the activation page with the code filled in.
    page.goto(f"{live_server.url}/activeren/?code={code}")
    expect(page.locator("input[name=code]")).to_have_value(code)
    page.locator("input[name=email]").fill("nieuwe.huurder@example.org")
    page.locator("input[name=email_again]").fill("nieuwe.huurder@example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("nieuwe.huurder@example.org")

    confirm_link = re.search(
        r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body
    ).group(0)
    page.goto(
        live_server.url
        + "/accounts/confirm-email/"
        + confirm_link.split("/accounts/confirm-email/", 1)[1]
    )
    page.locator("main form button[type=submit]").click()

    page.goto(f"{live_server.url}/accounts/login/code/")
    page.locator("input[name=email]").fill("nieuwe.huurder@example.org")
    page.locator("input[name=email]").press("Enter")
    login_code = re.search(
        r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailoutbox[-1].body, re.MULTILINE
    ).group(1)
    page.locator("input[name=code]").fill(login_code)
    page.locator("input[name=code]").press("Enter")

    expect(page).to_have_url(re.compile("/meldingen/$"))
    assert household.members.get().email == "nieuwe.huurder@example.org"
