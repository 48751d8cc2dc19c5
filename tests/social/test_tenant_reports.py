"""A tenant asks for support or reports nuisance, and sees the status of their own reports only."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from social import services
from social.models import (
    CaseAction,
    CaseOutcome,
    CaseParty,
    CaseSource,
    CaseStatus,
    CaseType,
    MediationStep,
    NoteKind,
    NuisanceKind,
    PartyRole,
    SinceWhen,
    SocialCase,
)
from zelfbeheer.accounts.roles import Role

from ..factories import ComplexFactory, HomeFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

SUPPORT_URL = reverse("social:support_request_new")
NUISANCE_URL = reverse("social:nuisance_report_new")
REPORTS_URL = reverse("social:tenant_reports")


def tenant_of(household):
    return household.members.get()


def in_dutch(text: str) -> str:
    """The portal's default language; the test client sends no Accept-Language."""
    with translation.override("nl"):
        return translation.gettext(text)


def page_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def support_data(**overrides) -> dict:
    return {
        "what": "Ik red het niet meer met de administratie.",
        "since_when": SinceWhen.MONTHS,
        "may_be_contacted": "yes",
        "phone": "06 12345678",
        **overrides,
    }


def nuisance_data(**overrides) -> dict:
    return {
        "nuisance_kind": NuisanceKind.NOISE,
        "what": "Elke nacht harde muziek na middernacht.",
        "since_when": SinceWhen.WEEKS,
        "subject_home": "",
        "subject_description": "",
        "may_be_contacted": "yes",
        "phone": "",
        **overrides,
    }


@pytest.fixture
def household():
    return HouseholdFactory(tenant=True)


@pytest.fixture
def neighbour():
    """A household in the same complex (another building of it), with a former tenancy on the home."""
    current = HouseholdFactory(tenant=True)
    HouseholdFactory(home=current.home, start_date=date(2010, 1, 1), end_date=date(2019, 12, 31))
    return current


@pytest.fixture
def tenant_client(client, household):
    client.force_login(tenant_of(household))
    return client


@pytest.fixture
def worker():
    return UserFactory(role=Role.SOCIAL, first_name="Wendelien", last_name="Werkster")


# --- Support request ---------------------------------------------------------------------------------


def test_support_request_opens_a_case_in_intake_with_the_reporter(tenant_client, household):
    response = tenant_client.post(SUPPORT_URL, support_data())

    case = SocialCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == REPORTS_URL
    assert (case.case_type, case.status, case.source) == (
        CaseType.SUPPORT,
        CaseStatus.INTAKE,
        CaseSource.TENANT_PORTAL,
    )
    assert case.intake_text == "Ik red het niet meer met de administratie."
    assert case.since_when == SinceWhen.MONTHS
    assert case.created_by == tenant_of(household)
    party = case.parties.get()
    assert (party.role, party.household, party.home) == (
        PartyRole.REPORTER,
        household,
        household.home,
    )
    assert party.may_be_contacted is True
    assert party.contact_phone == "06 12345678"
    intake = CaseAction.objects.get(case=case)
    assert intake.mediation_step == MediationStep.INTAKE
    assert intake.due_date == case.intake_due
    [message] = page_messages(response)
    assert case.number in message
    assert f" {services.INTAKE_WORKING_DAYS} " in message


def test_without_contact_the_thanks_promises_no_call(tenant_client):
    response = tenant_client.post(SUPPORT_URL, support_data(may_be_contacted="no", phone=""))

    party = CaseParty.objects.get()
    assert party.may_be_contacted is False
    [message] = page_messages(response)
    assert SocialCase.objects.get().number in message
    assert f" {services.INTAKE_WORKING_DAYS} " not in message


def test_the_support_form_offers_the_household_phone(tenant_client, household):
    response = tenant_client.get(SUPPORT_URL)

    assert response.status_code == 200
    assert response.context["form"]["phone"].value() == household.phone


@pytest.mark.parametrize(
    "overrides",
    [
        {"what": ""},
        {"what": "   "},
        {"what": "x" * 4001},
        {"since_when": ""},
        {"since_when": "yesterday"},
        {"may_be_contacted": ""},
        {"phone": "bel me"},
        {"phone": "0612"},
        {"phone": "0" * 21},
    ],
    ids=lambda overrides: next(iter(overrides)) + "=" + str(next(iter(overrides.values())))[:8],
)
def test_invalid_support_request_shows_an_error_and_creates_nothing(tenant_client, overrides):
    response = tenant_client.post(SUPPORT_URL, support_data(**overrides))

    assert response.status_code == 200
    field = next(iter(overrides))
    assert response.context["form"].errors[field]
    assert SocialCase.objects.count() == 0
    assert CaseParty.objects.count() == 0


def test_an_empty_post_shows_the_required_errors(tenant_client):
    response = tenant_client.post(SUPPORT_URL, {})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"what", "since_when", "may_be_contacted"}
    assert SocialCase.objects.count() == 0


@pytest.mark.parametrize("phone", ["06 12345678", "+31 6 1234 5678", "030-1234567"])
def test_common_ways_of_writing_a_phone_number_are_accepted(tenant_client, phone):
    tenant_client.post(SUPPORT_URL, support_data(phone=phone))

    assert CaseParty.objects.get().contact_phone == phone


# --- Nuisance report ---------------------------------------------------------------------------------


def test_nuisance_about_a_neighbour_names_the_neighbours_current_household(
    tenant_client, household, neighbour
):
    response = tenant_client.post(NUISANCE_URL, nuisance_data(subject_home=neighbour.home.pk))

    case = SocialCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == REPORTS_URL
    assert (case.case_type, case.nuisance_kind, case.status) == (
        CaseType.NUISANCE,
        NuisanceKind.NOISE,
        CaseStatus.INTAKE,
    )
    reporter = case.parties.get(role=PartyRole.REPORTER)
    subject = case.parties.get(role=PartyRole.SUBJECT)
    assert reporter.household == household
    assert (subject.household, subject.home) == (neighbour, neighbour.home)
    assert case.actions.filter(mediation_step=MediationStep.INTAKE).exists()


def test_nuisance_from_somewhere_else_is_described_in_words(tenant_client):
    tenant_client.post(NUISANCE_URL, nuisance_data(subject_description="Het pleintje achter"))

    subject = SocialCase.objects.get().parties.get(role=PartyRole.SUBJECT)
    assert (subject.household, subject.home, subject.description) == (
        None,
        None,
        "Het pleintje achter",
    )


def test_nuisance_without_an_address_has_only_the_reporter(tenant_client):
    tenant_client.post(NUISANCE_URL, nuisance_data())

    assert list(SocialCase.objects.get().parties.values_list("role", flat=True)) == [
        PartyRole.REPORTER
    ]


def test_the_address_list_holds_the_complex_without_the_own_home(tenant_client, household):
    neighbours = [HouseholdFactory(tenant=True) for _ in range(3)]
    elsewhere = HomeFactory(building__complex=ComplexFactory(code="ELDERS", name="Elders"))

    response = tenant_client.get(NUISANCE_URL)

    homes = list(response.context["form"].fields["subject_home"].queryset)
    assert homes == sorted(
        (n.home for n in neighbours),
        key=lambda home: (home.street, home.house_number, home.house_number_addition),
    )
    assert household.home not in homes
    assert elsewhere not in homes
    assert escape(in_dutch("I don't know / somewhere else")) in response.content.decode()


def test_the_nuisance_page_says_neighbours_never_hear_who_reported(tenant_client):
    response = tenant_client.get(NUISANCE_URL)

    assert in_dutch("Your neighbours are never told who made the report.") in (
        response.content.decode()
    )


def test_own_address_is_refused_and_nothing_is_created(tenant_client, household):
    response = tenant_client.post(NUISANCE_URL, nuisance_data(subject_home=household.home.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["subject_home"] == [
        in_dutch("Choose the address the nuisance comes from, not your own address.")
    ]
    assert SocialCase.objects.count() == 0
    assert CaseParty.objects.count() == 0


def test_a_home_in_another_complex_is_refused(tenant_client):
    elsewhere = HouseholdFactory(
        tenant=True, home__building__complex=ComplexFactory(code="ELDERS", name="Elders")
    )

    response = tenant_client.post(NUISANCE_URL, nuisance_data(subject_home=elsewhere.home.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["subject_home"]
    assert SocialCase.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"nuisance_kind": ""},
        {"nuisance_kind": "fireworks"},
        {"what": ""},
        {"what": "x" * 4001},
        {"subject_home": "not-a-number"},
        {"subject_home": "999999"},
        {"subject_description": "x" * 201},
        {"phone": "++"},
    ],
    ids=lambda overrides: next(iter(overrides)) + "=" + str(next(iter(overrides.values())))[:8],
)
def test_invalid_nuisance_report_shows_an_error_and_creates_nothing(tenant_client, overrides):
    response = tenant_client.post(NUISANCE_URL, nuisance_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[next(iter(overrides))]
    assert SocialCase.objects.count() == 0


def test_a_refusal_by_the_service_becomes_a_form_error(tenant_client, household, monkeypatch):
    def refuse(**kwargs):
        raise services.CaseError("Geweigerd door de dienst.")

    monkeypatch.setattr(services, "nuisance_report_submit", refuse)

    response = tenant_client.post(NUISANCE_URL, nuisance_data())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Geweigerd door de dienst."]
    assert "Geweigerd door de dienst." in response.content.decode()


def test_a_threat_report_tells_whom_to_call(tenant_client):
    response = tenant_client.post(NUISANCE_URL, nuisance_data(nuisance_kind=NuisanceKind.THREAT))

    case = SocialCase.objects.get()
    texts = page_messages(response)
    assert any(case.number in text for text in texts)
    assert any("112" in text and "0900-8844" in text for text in texts)


def test_other_nuisance_does_not_show_the_police_numbers(tenant_client):
    response = tenant_client.post(NUISANCE_URL, nuisance_data())

    assert not any("0900-8844" in text for text in page_messages(response))


# --- Who may use the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SUPPORT_URL, NUISANCE_URL, REPORTS_URL])
@pytest.mark.parametrize("role", sorted(set(Role) - {Role.TENANT}))
def test_other_roles_are_refused(client, url, role):
    client.force_login(UserFactory(role=role))

    assert client.get(url).status_code == 403
    assert client.post(url, support_data()).status_code == 403
    assert SocialCase.objects.count() == 0


@pytest.mark.parametrize("url", [SUPPORT_URL, NUISANCE_URL, REPORTS_URL])
def test_a_tenant_may_open_the_pages(tenant_client, url):
    assert tenant_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [SUPPORT_URL, NUISANCE_URL, REPORTS_URL])
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [SUPPORT_URL, NUISANCE_URL])
def test_a_tenant_without_a_current_home_is_told_to_call_the_office(client, url):
    client.force_login(UserFactory(role=Role.TENANT))

    response = client.post(url, support_data() | nuisance_data(), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(REPORTS_URL, 302)]
    assert response.context["household"] is None
    assert NUISANCE_URL not in response.content.decode()
    assert SocialCase.objects.count() == 0


# --- The tenant's own reports ------------------------------------------------------------------------


def test_the_reports_page_shows_status_but_never_what_the_office_wrote(
    tenant_client, household, neighbour, worker
):
    case = services.nuisance_report_submit(
        household=household,
        submitted_by=tenant_of(household),
        nuisance_kind=NuisanceKind.SMELL,
        what="Rook uit de ventilatie.",
        since_when=SinceWhen.DAYS,
        may_be_contacted=True,
        subject_home=neighbour.home,
        subject_description="SUBJECT-SENTINEL",
    )
    services.case_note_add(case, text="NOTE-SENTINEL", kind=NoteKind.NOTE, author=worker)
    services.case_workers_set(case, [worker])
    case.refresh_from_db()
    services.case_status_change(
        case,
        status=CaseStatus.CLOSED,
        version=case.version,
        actor=worker,
        outcome=CaseOutcome.SOLVED,
        outcome_note="OUTCOME-SENTINEL",
    )
    SocialCase.objects.filter(pk=case.pk).update(title="TITLE-SENTINEL")

    content = tenant_client.get(REPORTS_URL).content.decode()

    assert case.number in content
    with translation.override("nl"):
        assert str(CaseStatus.CLOSED.label) in content
        assert str(NuisanceKind.SMELL.label) in content
    for secret in (
        "NOTE-SENTINEL",
        "OUTCOME-SENTINEL",
        "SUBJECT-SENTINEL",
        "TITLE-SENTINEL",
        worker.first_name,
        worker.last_name,
        worker.email,
        neighbour.name,
    ):
        assert secret not in content


def test_the_reports_page_links_to_both_forms(tenant_client):
    content = tenant_client.get(REPORTS_URL).content.decode()

    assert f'href="{SUPPORT_URL}"' in content
    assert f'href="{NUISANCE_URL}"' in content


def test_another_households_reports_are_not_listed(tenant_client, neighbour):
    other = services.support_request_submit(
        household=neighbour,
        submitted_by=tenant_of(neighbour),
        what="Hulp nodig.",
        since_when=SinceWhen.WEEKS,
        may_be_contacted=True,
    )

    content = tenant_client.get(REPORTS_URL).content.decode()

    assert other.number not in content


def test_the_subject_of_a_report_sees_nothing_of_it(client, household, neighbour):
    case = services.nuisance_report_submit(
        household=household,
        submitted_by=tenant_of(household),
        nuisance_kind=NuisanceKind.NOISE,
        what="Harde muziek.",
        since_when=SinceWhen.WEEKS,
        may_be_contacted=True,
        subject_home=neighbour.home,
    )
    client.force_login(tenant_of(neighbour))

    response = client.get(REPORTS_URL)

    assert response.status_code == 200
    assert list(response.context["reports"]) == []
    assert case.number not in response.content.decode()


def test_the_reports_page_needs_the_same_queries_for_1_and_10_reports(tenant_client, household):
    texts = iter(f"Hulp nodig ({number})." for number in range(20))

    def submit():
        services.support_request_submit(
            household=household,
            submitted_by=tenant_of(household),
            what=next(texts),
            since_when=SinceWhen.WEEKS,
            may_be_contacted=True,
        )

    submit()
    tenant_client.get(REPORTS_URL)  # the first request after login may touch the session
    with CaptureQueriesContext(connection) as one:
        assert tenant_client.get(REPORTS_URL).status_code == 200
    for _ in range(9):
        submit()
    with CaptureQueriesContext(connection) as ten:
        response = tenant_client.get(REPORTS_URL)

    assert len(response.context["reports"]) == 10
    assert len(ten) == len(one)


# --- The notice to the social workers ----------------------------------------------------------------


def test_social_workers_get_the_number_but_not_the_content(
    tenant_client, household, worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tenant_client.post(
            SUPPORT_URL, support_data(what="INTAKE-SENTINEL: schulden en eenzaamheid")
        )

    case = SocialCase.objects.get()
    [notice] = mail.outbox
    assert notice.to == [worker.email]
    assert case.number in notice.subject
    assert case.number in notice.body
    for secret in ("INTAKE-SENTINEL", household.name, household.home.address, "06 12345678"):
        assert secret not in notice.subject
        assert secret not in notice.body
