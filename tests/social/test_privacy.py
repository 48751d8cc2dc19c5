"""Privacy by design: the access log, a household's right of access, the admin, and suppressed counts."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from social import services
from social.models import (
    AccessPart,
    CaseAccessLog,
    CaseStatus,
    CaseType,
    NoteKind,
    NuisanceKind,
    ReferralTarget,
    SessionKind,
    SinceWhen,
    SocialCase,
)
from social.selectors import suppress_small_counts
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role
from zelfbeheer.housing.models import Household

from ..factories import HomeFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER_ROLES_THAN_COORDINATOR = [
    Role.SOCIAL,
    Role.DESK,
    Role.BOARD,
    Role.TENANT,
    Role.CORPORATION,
    Role.CONTRACTOR,
]
OTHER_ROLES_THAN_SOCIAL = [
    Role.COORDINATOR,
    Role.DESK,
    Role.BOARD,
    Role.TENANT,
    Role.CORPORATION,
    Role.CONTRACTOR,
]
REPORT_TEXT = "Elke nacht harde muziek tot drie uur"
NOTE_SENTINEL = "WERKNOTITIE-SENTINEL-4711"


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def less_than_five() -> str:
    return gettext("< 5")


@dataclass
class NuisanceSetup:
    case: SocialCase
    reporter: Household
    subject: Household
    reporter_member: User
    worker: User


@pytest.fixture
def worker() -> User:
    return UserFactory(role=Role.SOCIAL)


@pytest.fixture
def nuisance(worker) -> NuisanceSetup:
    """Household 'Familie Melder' on the Tolstraat reports noise from 'Familie Buur' on the Kaneelstraat."""
    reporter_member = UserFactory(role=Role.TENANT, email="melder@example.org")
    reporter = HouseholdFactory(
        name="Familie Melder",
        home=HomeFactory(street="Tolstraat", house_number=3),
        phone="06 11112222",
        tenant=reporter_member,
    )
    subject = HouseholdFactory(
        name="Familie Buur",
        home=HomeFactory(street="Kaneelstraat", house_number=40),
        tenant=UserFactory(role=Role.TENANT, email="buur@example.org"),
    )
    case = services.nuisance_report_submit(
        household=reporter,
        submitted_by=reporter_member,
        nuisance_kind=NuisanceKind.NOISE,
        what=REPORT_TEXT,
        since_when=SinceWhen.WEEKS,
        may_be_contacted=True,
        subject_home=subject.home,
        phone="06 99998888",
    )
    services.case_note_add(
        case,
        text=f"{NOTE_SENTINEL}: melder is erg boos op Familie Buur",
        kind=NoteKind.NOTE,
        author=worker,
    )
    subject_party = case.parties.get(household=subject)
    services.mediation_session_record(
        case,
        kind=SessionKind.SECOND_PARTY,
        held_on=timezone.localdate(),
        participants=[subject_party],
        agreements="Muziek zachter na tien uur",
        actor=worker,
    )
    services.case_referral_add(
        case,
        target=ReferralTarget.NEIGHBOURHOOD_TEAM,
        reason="Hulp bij dagstructuur",
        actor=worker,
        party=subject_party,
        consent_given=True,
    )
    return NuisanceSetup(
        case=case,
        reporter=reporter,
        subject=subject,
        reporter_member=reporter_member,
        worker=worker,
    )


def log_rows(count: int, user: User) -> None:
    """`count` log rows over several cases and households, so a missing join shows as extra queries."""
    cases = [services.case_open(case_type=CaseType.SUPPORT, created_by=user) for _ in range(3)]
    households = [HouseholdFactory() for _ in range(3)]
    for index in range(count):
        services.access_log_record(
            user,
            part=AccessPart.CASE,
            case=cases[index % 3],
            household=households[index % 3],
            path=f"/sociaal/{index}/",
        )


# --- The access log page ------------------------------------------------------------------------------


def listed(response) -> list[CaseAccessLog]:
    return [row.record for row in response.context["table"].paginated_rows]


def test_the_privacy_officer_reads_and_filters_the_log_without_being_logged(client, nuisance):
    other_worker = UserFactory(role=Role.SOCIAL)
    services.access_log_record(
        nuisance.worker, part=AccessPart.CASE, case=nuisance.case, path="/sociaal/a/"
    )
    services.access_log_record(
        other_worker, part=AccessPart.NOTES, case=nuisance.case, path="/sociaal/b/"
    )
    services.access_log_record(
        other_worker, part=AccessPart.EXPORT, household=nuisance.subject, path="/sociaal/c/"
    )
    client.force_login(UserFactory(role=Role.COORDINATOR))
    before = CaseAccessLog.objects.count()
    url = reverse("social:access_log")

    everything = client.get(url)
    by_user = client.get(url, {"user": other_worker.pk})
    by_part = client.get(url, {"part": AccessPart.NOTES})
    by_case = client.get(url, {"case": nuisance.case.number[-5:].lower()})
    today = timezone.localdate()
    by_dates_today = client.get(url, {"date_from": today, "date_until": today})
    by_dates_tomorrow = client.get(url, {"date_from": today + timedelta(days=1)})
    bad_date = client.get(url, {"date_from": "31-02-2026"})

    assert everything.status_code == 200
    assert [entry.path for entry in listed(everything)] == [
        "/sociaal/c/",
        "/sociaal/b/",
        "/sociaal/a/",
    ]
    assert {entry.path for entry in listed(by_user)} == {"/sociaal/b/", "/sociaal/c/"}
    assert [entry.path for entry in listed(by_part)] == ["/sociaal/b/"]
    assert {entry.path for entry in listed(by_case)} == {"/sociaal/a/", "/sociaal/b/"}
    assert len(listed(by_dates_today)) == 3
    assert listed(by_dates_tomorrow) == []
    assert bad_date.status_code == 200
    assert listed(bad_date) == []
    page = everything.content.decode()
    assert nuisance.subject.home.unit_id in page
    assert other_worker.email in page
    assert nuisance.subject.name not in page
    assert CaseAccessLog.objects.count() == before


def test_the_log_page_shows_the_retention_overview_by_number(client, worker):
    overdue = services.case_open(case_type=CaseType.SUPPORT, title="Geheime titel")
    SocialCase.objects.filter(pk=overdue.pk).update(
        status=CaseStatus.CLOSED,
        outcome="solved",
        closed_at=timezone.now() - timedelta(days=900),
        retain_until=timezone.localdate() - timedelta(days=10),
    )
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.get(reverse("social:access_log"))

    assert response.context["overdue"] == [overdue.number]
    assert response.context["without_date"] == []
    assert overdue.number in response.content.decode()
    assert "Geheime titel" not in response.content.decode()


@pytest.mark.parametrize("role", OTHER_ROLES_THAN_COORDINATOR)
def test_nobody_else_finds_the_access_log(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("social:access_log")).status_code == 404
    assert client.get(reverse("social:access_log_csv")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("social:access_log"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_log_downloads_as_csv_with_the_same_filter(client, nuisance):
    services.access_log_record(
        nuisance.worker, part=AccessPart.CASE, case=nuisance.case, path="/sociaal/a/"
    )
    services.access_log_record(
        nuisance.worker, part=AccessPart.EXPORT, household=nuisance.subject, path="/sociaal/b/"
    )
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.get(reverse("social:access_log_csv"), {"part": AccessPart.EXPORT})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="toegangslog.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert rows[1][1:] == [
        nuisance.worker.email,
        "",
        nuisance.subject.home.unit_id,
        str(AccessPart.EXPORT.label),
        "/sociaal/b/",
    ]


def test_the_log_page_costs_the_same_queries_for_3_and_30_rows(client, worker):
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("social:access_log")

    log_rows(3, worker)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    log_rows(27, worker)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(listed(response)) == 30
    assert len(many) == len(few)


# --- The log cannot be changed ------------------------------------------------------------------------


def test_the_log_cannot_be_changed_or_deleted(worker):
    entry = services.access_log_record(worker, part=AccessPart.LIST, path="/sociaal/")

    entry.path = "/elders/"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        CaseAccessLog.objects.filter(pk=entry.pk).update(path="/elders/")
    with pytest.raises(PermissionDenied):
        CaseAccessLog.objects.all().delete()

    entry.refresh_from_db()
    assert entry.path == "/sociaal/"


def test_the_admin_shows_the_log_to_the_privacy_officer_but_changes_nothing(client, worker):
    entry = services.access_log_record(worker, part=AccessPart.LIST, path="/sociaal/")
    coordinator = UserFactory(role=Role.COORDINATOR, is_staff=True)
    client.force_login(coordinator)
    change_url = reverse("admin:social_caseaccesslog_change", args=[entry.pk])
    request = RequestFactory().get(change_url)
    request.user = coordinator
    log_admin = admin.site._registry[CaseAccessLog]

    shown = client.get(change_url)
    posted = client.post(change_url, {"user": worker.pk, "part": AccessPart.CASE, "path": "/x/"})
    deleted = client.post(
        reverse("admin:social_caseaccesslog_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert shown.status_code == 200
    assert posted.status_code == 403
    assert deleted.status_code == 403
    entry.refresh_from_db()
    assert (entry.part, entry.path) == (AccessPart.LIST, "/sociaal/")
    assert log_admin.has_view_permission(request, entry)
    assert not log_admin.has_change_permission(request, entry)
    assert not log_admin.has_delete_permission(request, entry)
    assert not log_admin.has_add_permission(request)


def test_a_social_worker_gets_no_log_in_the_admin(client, worker):
    entry = services.access_log_record(worker, part=AccessPart.LIST, path="/sociaal/")
    worker.is_staff = True
    worker.save()
    client.force_login(worker)

    response = client.get(reverse("admin:social_caseaccesslog_change", args=[entry.pk]))

    assert response.status_code == 403


# --- The household's right of access ------------------------------------------------------------------


def export(client, household: Household):
    return client.get(reverse("social:household_export_pdf", args=[household.uuid]))


def test_the_reporter_gets_their_own_report_in_the_export(client, nuisance):
    client.force_login(nuisance.worker)

    response = export(client, nuisance.reporter)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="inzage-{nuisance.reporter.home.unit_id}.pdf"' in response["Content-Disposition"]
    )
    text = pdf_text(response)
    assert "Familie Melder" in text
    assert "melder@example.org" in text
    assert nuisance.case.number in text
    assert REPORT_TEXT in text
    assert "Familie Buur" not in text
    assert "Kaneelstraat" not in text
    assert NOTE_SENTINEL not in text


def test_the_subject_never_learns_who_reported_nor_reads_the_notes(client, nuisance):
    client.force_login(nuisance.worker)

    response = export(client, nuisance.subject)

    text = pdf_text(response)
    assert "Familie Buur" in text
    assert nuisance.case.number in text
    assert "Muziek zachter na tien uur" in text
    assert "Familie Melder" not in text
    assert "Tolstraat" not in text
    assert "melder@example.org" not in text
    assert "06 99998888" not in text
    assert "06 11112222" not in text
    assert REPORT_TEXT not in text
    assert NOTE_SENTINEL not in text
    assert "Hulp bij dagstructuur" not in text


def test_making_the_export_is_logged_for_the_household_and_each_case(client, nuisance):
    second = services.case_open(case_type=CaseType.SUPPORT, created_by=nuisance.worker)
    services.case_party_add(second, role="involved", household=nuisance.subject)
    unrelated = services.case_open(case_type=CaseType.SUPPORT, created_by=nuisance.worker)
    client.force_login(nuisance.worker)
    before = set(CaseAccessLog.objects.values_list("pk", flat=True))

    export(client, nuisance.subject)

    written = CaseAccessLog.objects.exclude(pk__in=before)
    assert {(row.part, row.household_id, row.case_id) for row in written} == {
        (AccessPart.EXPORT, nuisance.subject.pk, None),
        (AccessPart.EXPORT, None, nuisance.case.pk),
        (AccessPart.EXPORT, None, second.pk),
    }
    assert all(row.user_id == nuisance.worker.pk for row in written)
    assert not written.filter(case=unrelated).exists()


@pytest.mark.parametrize("role", OTHER_ROLES_THAN_SOCIAL)
def test_only_the_social_role_makes_an_export(client, nuisance, role):
    client.force_login(UserFactory(role=role))

    assert export(client, nuisance.subject).status_code == 404
    assert client.get(reverse("social:household_export_search")).status_code == 404
    assert not CaseAccessLog.objects.filter(part=AccessPart.EXPORT).exists()


def test_an_unknown_household_is_not_found(client, worker):
    import uuid

    client.force_login(worker)

    response = client.get(reverse("social:household_export_pdf", args=[uuid.uuid4()]))

    assert response.status_code == 404


def test_the_social_worker_finds_the_household_and_its_export_link(client, nuisance):
    client.force_login(nuisance.worker)

    found = client.get(reverse("social:household_export_search"), {"q": "Tolstraat 3"})
    nothing = client.get(reverse("social:household_export_search"), {"q": "Nergensstraat 1"})

    assert found.status_code == 200
    assert reverse("social:household_export_pdf", args=[nuisance.reporter.uuid]) in (
        found.content.decode()
    )
    assert list(nothing.context["households"]) == []


# --- The admin for social workers ---------------------------------------------------------------------


def test_opening_a_case_in_the_admin_is_logged(client, nuisance):
    nuisance.worker.is_staff = True
    nuisance.worker.save()
    client.force_login(nuisance.worker)

    listing = client.get(reverse("admin:social_socialcase_changelist"))
    page = client.get(reverse("admin:social_socialcase_change", args=[nuisance.case.pk]))
    posted = client.post(
        reverse("admin:social_socialcase_change", args=[nuisance.case.pk]), {"title": "Anders"}
    )

    assert listing.status_code == 200
    assert page.status_code == 200
    assert REPORT_TEXT in page.content.decode()
    assert posted.status_code == 403
    assert SocialCase.objects.get(pk=nuisance.case.pk).title == ""
    logged = CaseAccessLog.objects.filter(user=nuisance.worker)
    assert logged.filter(part=AccessPart.LIST, case=None).count() == 1
    assert logged.filter(part=AccessPart.ADMIN, case=nuisance.case).count() == 1


@pytest.mark.parametrize("superuser", [False, True])
def test_a_coordinator_gets_no_case_in_the_admin(client, nuisance, superuser):
    coordinator = UserFactory(role=Role.COORDINATOR, is_staff=True, is_superuser=superuser)
    client.force_login(coordinator)

    page = client.get(reverse("admin:social_socialcase_change", args=[nuisance.case.pk]))
    listing = client.get(reverse("admin:social_socialcase_changelist"))

    assert page.status_code == 403
    assert listing.status_code == 403
    assert REPORT_TEXT not in page.content.decode()
    assert nuisance.case.number not in page.content.decode()
    assert not CaseAccessLog.objects.filter(user=coordinator).exists()


# --- Counts for the board and the corporation ---------------------------------------------------------


def dashboard_counts(client, role: Role = Role.BOARD):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("budget:dashboard"))
    assert response.status_code == 200
    return response


def by_label(rows) -> dict[str, str]:
    return {row.label: row.value for row in rows}


def test_the_board_sees_small_counts_suppressed(client):
    for _ in range(3):
        services.case_open(case_type=CaseType.SUPPORT)

    response = dashboard_counts(client)

    counts = response.context["social_counts"]
    assert counts["total"] == less_than_five()
    assert set(by_label(counts["by_type"]).values()) == {less_than_five()}
    assert "&lt; 5" in response.content.decode()


@pytest.mark.parametrize("role", [Role.BOARD, Role.CORPORATION])
def test_the_board_and_corporation_see_counts_of_five_or_more(client, role):
    for _ in range(6):
        services.case_open(case_type=CaseType.SUPPORT)

    response = dashboard_counts(client, role)

    counts = response.context["social_counts"]
    assert counts["total"] == "6"
    assert by_label(counts["by_type"])[str(CaseType.SUPPORT.label)] == "6"
    assert by_label(counts["by_type"])[str(CaseType.NUISANCE.label)] == less_than_five()
    assert by_label(counts["by_status"])[str(CaseStatus.INTAKE.label)] == "6"
    assert 'data-testid="social-total"' in response.content.decode()
    assert ">6<" in response.content.decode()


def test_the_dashboard_counts_cost_a_fixed_number_of_queries(client):
    client.force_login(UserFactory(role=Role.BOARD))
    url = reverse("budget:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(7):
        services.case_open(case_type=CaseType.NUISANCE)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_a_single_small_count_hides_the_next_smallest_too():
    shown = suppress_small_counts({"support": 12, "nuisance": 3, "other": 7})

    assert shown["support"] == "12"
    assert shown["nuisance"] == less_than_five()
    assert shown["other"] not in {"7", less_than_five()}


def test_zero_is_suppressed_like_any_small_count():
    assert suppress_small_counts({"support": 0, "nuisance": 9, "other": 20}) == {
        "support": less_than_five(),
        "nuisance": gettext("hidden"),
        "other": "20",
    }
    assert suppress_small_counts({"support": 0}) == {"support": less_than_five()}


def test_two_small_counts_need_no_extra_hiding():
    shown = suppress_small_counts({"support": 1, "nuisance": 2, "other": 30})

    assert shown == {"support": less_than_five(), "nuisance": less_than_five(), "other": "30"}
