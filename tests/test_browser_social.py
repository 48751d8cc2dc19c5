"""The social worker's case file in a real browser: accessibility (axe-core, WCAG 2.2 AA) in Dutch and
Arabic, and recording a mediation talk with the mouse."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import Page, expect

from social import services
from social.models import MediationStep, NuisanceKind, SessionKind
from zelfbeheer.accounts.roles import Role

from .factories import HomeFactory, HouseholdFactory, UserFactory
from .test_browser_tenant import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as an inline script; the portal's CSP would (rightly) refuse it.
    return {**browser_context_args, "bypass_csp": True}


def log_in_as(page: Page, base_url: str, user) -> None:
    """A logged-in session without typing password and TOTP (the login itself has its own tests)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


@pytest.fixture
def case_file():
    worker = UserFactory(role=Role.SOCIAL, email="sociaal@example.org")
    reporter = HouseholdFactory(tenant=True, name="Familie Melder")
    subject = HouseholdFactory(home=HomeFactory(building=reporter.home.building), tenant=True)
    case = services.nuisance_report_submit(
        household=reporter,
        submitted_by=reporter.members.first(),
        nuisance_kind=NuisanceKind.NOISE,
        what="Harde muziek na middernacht.",
        since_when="weeks",
        may_be_contacted=True,
        subject_home=subject.home,
    )
    case.assigned_workers.add(worker)
    services.case_note_add(case, text="Eerste gesprek gepland.", kind="phone", author=worker)
    services.mediation_session_record(
        case,
        kind=SessionKind.FIRST_PARTY,
        held_on=case.opened_at.date(),
        participants=list(case.parties.all()[:1]),
        actor=worker,
    )
    return worker, case


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_case_pages_have_no_accessibility_violations(page: Page, live_server, case_file, language):
    worker, case = case_file
    worker.preferred_language = language
    worker.save()
    log_in_as(page, live_server.url, worker)
    page.set_viewport_size({"width": 1024, "height": 900})
    found = {}
    for path in (
        "/sociaal/",
        "/sociaal/?scope=mine&status=open",
        "/sociaal/nieuw/",
        f"/sociaal/{case.uuid}/",
        f"/sociaal/{case.uuid}/?party_q=Familie",
        "/sociaal/huishouden/?q=Familie",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[path] = axe_violations(page)
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_the_worker_records_the_second_talk_and_the_next_deadline_appears(
    page: Page, live_server, case_file
):
    worker, case = case_file
    worker.preferred_language = "nl"
    worker.save()
    log_in_as(page, live_server.url, worker)

    page.goto(f"{live_server.url}/sociaal/")
    page.get_by_role("link", name=case.number).first.click()
    expect(page.locator("h1")).to_contain_text(case.number)
    page.locator("#sessions summary").click()
    page.locator("#sessions select[name=kind]").select_option(SessionKind.SECOND_PARTY)
    page.locator("#sessions input[name=held_on]").fill(case.opened_at.date().isoformat())
    page.locator("#sessions input[name=participants]").last.check()
    page.locator("#sessions button[type=submit]").click()

    expect(page).to_have_url(re.compile(f"/sociaal/{case.uuid}/#sessions$"))
    expect(page.locator("#sessions article")).to_have_count(2)
    # The next step of the mediation is on the list with its deadline: the joint meeting.
    with translation.override("nl"):
        joint_meeting = str(MediationStep.JOINT_MEETING.label)
    expect(page.locator("#actions")).to_contain_text(joint_meeting)
