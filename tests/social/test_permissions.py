"""Need-to-know, checked exhaustively: every social URL × every role gives the expected status.

Case files are for the social role only; everyone else gets 404, so a URL does not even confirm that a
case exists. The access log is for the coordinator as privacy officer. Tenant forms are for tenants.
"""

from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse

from social import services
from social.models import CaseAccessLog, NuisanceKind, PartyRole, SocialCase
from tests.factories import HomeFactory, HouseholdFactory, UserFactory, WorkCategoryFactory
from tickets.services import repair_request_submit
from zelfbeheer.accounts.roles import Role

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    allowed: frozenset
    allowed_status: int
    denied_status: int = 404
    logged_read: bool = False


SOCIAL = frozenset({Role.SOCIAL})
ENDPOINTS = [
    Endpoint("my_cases", "get", SOCIAL, 200, logged_read=True),
    Endpoint("case_create", "get", SOCIAL, 200),
    Endpoint("case_detail", "get", SOCIAL, 200, logged_read=True),
    Endpoint("case_edit", "post", SOCIAL, 400),
    Endpoint("case_status", "post", SOCIAL, 400),
    Endpoint("case_workers", "post", SOCIAL, 302),
    Endpoint("party_add", "post", SOCIAL, 400),
    Endpoint("party_invite", "post", SOCIAL, 302),
    Endpoint("party_remove", "post", SOCIAL, 302),
    Endpoint("note_add", "post", SOCIAL, 400),
    Endpoint("action_add", "post", SOCIAL, 400),
    Endpoint("action_done", "post", SOCIAL, 302),
    Endpoint("session_add", "post", SOCIAL, 400),
    Endpoint("referral_add", "post", SOCIAL, 400),
    Endpoint("repair_request_link", "post", SOCIAL, 400),
    Endpoint("repair_request_unlink", "post", SOCIAL, 302),
    Endpoint("household_export_search", "get", SOCIAL, 200),
    Endpoint("household_export_pdf", "get", SOCIAL, 200, logged_read=True),
    Endpoint("access_log", "get", frozenset({Role.COORDINATOR}), 200),
    Endpoint("access_log_csv", "get", frozenset({Role.COORDINATOR}), 200),
    Endpoint("support_request_new", "get", frozenset({Role.TENANT}), 200, denied_status=403),
    Endpoint("nuisance_report_new", "get", frozenset({Role.TENANT}), 200, denied_status=403),
    Endpoint("tenant_reports", "get", frozenset({Role.TENANT}), 200, denied_status=403),
]


@pytest.fixture
def world():
    """One nuisance case with a reporter, a subject, an action, an involved party and a linked request."""
    worker = UserFactory(role=Role.SOCIAL)
    reporter = HouseholdFactory(tenant=True, name="Reporter Household")
    subject = HouseholdFactory(
        home=HomeFactory(building=reporter.home.building), tenant=True, name="Subject Household"
    )
    case = services.nuisance_report_submit(
        household=reporter,
        submitted_by=reporter.members.first(),
        nuisance_kind=NuisanceKind.NOISE,
        what="Drilling at night",
        since_when="weeks",
        may_be_contacted=True,
        subject_home=subject.home,
    )
    repair_request = repair_request_submit(
        household=reporter, category=WorkCategoryFactory(), description="Damp wall"
    )
    case.repair_requests.add(repair_request)
    return {"worker": worker, "case": case, "reporter": reporter, "subject": subject,
            "repair_request": repair_request}  # fmt: skip


def _url(endpoint: Endpoint, world: dict) -> str:
    case = world["case"]
    kwargs = {
        "party_invite": {"party_id": case.parties.get(role=PartyRole.SUBJECT).pk},
        "party_remove": {
            "party_id": services.case_party_add(
                case, role=PartyRole.INVOLVED, description="Visitor of the subject"
            ).pk
        },
        "action_done": {"action_id": case.actions.first().pk},
        "repair_request_unlink": {"request_id": world["repair_request"].pk},
    }.get(endpoint.name, {})
    case_prefixes = (
        "case_",
        "party_",
        "note_",
        "action_",
        "session_",
        "referral_",
        "repair_request_",
    )
    if endpoint.name.startswith(case_prefixes) and endpoint.name != "case_create":
        kwargs["case_uuid"] = case.uuid
    if endpoint.name == "household_export_pdf":
        kwargs["household_uuid"] = world["subject"].uuid
    return reverse(f"social:{endpoint.name}", kwargs=kwargs)


def _user_for(role, world):
    if role == ANONYMOUS:
        return None
    if role == Role.TENANT:
        return world["subject"].members.first()
    if role == Role.SOCIAL:
        return world["worker"]
    return UserFactory(role=role)


@pytest.mark.parametrize("role", ALL_ROLES, ids=str)
def test_every_social_url_gives_each_role_the_expected_status(client, world, role):
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user)
    wrong = []
    for endpoint in ENDPOINTS:
        url = _url(endpoint, world)
        logged_before = CaseAccessLog.objects.count()
        response = getattr(client, endpoint.method)(url)
        if user is None:
            expected = 302
        elif role in endpoint.allowed:
            expected = endpoint.allowed_status
        else:
            expected = endpoint.denied_status
        if response.status_code != expected:
            wrong.append((endpoint.name, response.status_code, expected))
        if user is None and not response["Location"].startswith(reverse("account_login")):
            wrong.append((endpoint.name, response["Location"], "login"))
        logged = CaseAccessLog.objects.count() - logged_before
        if expected in (200, 302) and role in endpoint.allowed and endpoint.logged_read:
            if not logged:
                wrong.append((endpoint.name, "read not logged", role))
        elif role not in endpoint.allowed and logged:
            wrong.append((endpoint.name, "denied request left a log row", role))
    assert wrong == []


@pytest.mark.parametrize("role", [role for role in Role if role != Role.SOCIAL], ids=str)
def test_a_denied_post_changes_nothing(client, world, role):
    client.force_login(_user_for(role, world))
    case = world["case"]
    before = SocialCase.objects.get(pk=case.pk)

    client.post(
        reverse("social:case_status", kwargs={"case_uuid": case.uuid}),
        {"version": case.version, "status": "closed", "outcome": "solved"},
    )
    client.post(
        reverse("social:note_add", kwargs={"case_uuid": case.uuid}),
        {"kind": "note", "text": "Intruder"},
    )

    after = SocialCase.objects.get(pk=case.pk)
    assert (after.status, after.version) == (before.status, before.version)
    assert not case.notes.exists()


def test_nothing_the_subject_household_can_open_names_the_reporter(client, world, settings):
    """The subject's own pages, their e-mail invitation and their right-of-access export."""
    subject_tenant = world["subject"].members.first()
    reporter = world["reporter"]
    reporter_identity = [
        reporter.name,
        reporter.home.address,
        reporter.members.first().email,
        "Drilling at night",
    ]
    mail.outbox.clear()
    services.case_party_invite(
        world["case"].parties.get(role=PartyRole.SUBJECT), actor=world["worker"]
    )
    client.force_login(subject_tenant)
    seen = [message.subject + message.body for message in mail.outbox]
    # The nuisance form is left out: its address list holds every home of the complex, naming nobody.
    for name in ("tickets:my_requests", "social:tenant_reports", "social:support_request_new",
                 "start", "home"):  # fmt: skip
        response = client.get(reverse(name), follow=True)
        seen.append(response.content.decode())
    client.force_login(world["worker"])
    export = client.get(
        reverse("social:household_export_pdf", kwargs={"household_uuid": world["subject"].uuid})
    )
    from io import BytesIO

    from pypdf import PdfReader

    seen.append(" ".join(page.extract_text() for page in PdfReader(BytesIO(export.content)).pages))

    leaks = [(index, detail) for index, text in enumerate(seen) for detail in reporter_identity
             if detail in text]  # fmt: skip
    assert leaks == []
    assert world["subject"].name in seen[-1]
