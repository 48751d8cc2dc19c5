"""The social worker's case file: status flow, mediation deadlines, referrals, retention, digests."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

from social import services
from social.list_cache import CASE_LIST_FORM
from social.models import (
    AccessPart,
    CaseAccessLog,
    CaseAction,
    CaseNote,
    CaseOutcome,
    CaseParty,
    CaseReferral,
    CaseStatus,
    CaseType,
    DigestSent,
    MediationSession,
    MediationStep,
    NuisanceKind,
    PartyRole,
    ReferralTarget,
    SessionKind,
    SocialCase,
)
from tests.factories import ComplexFactory, HomeFactory, HouseholdFactory, UserFactory
from tickets.sla import office_settings_get
from zelfbeheer.accounts.roles import Role
from zelfbeheer.workdays import is_working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return UserFactory(role=Role.SOCIAL, email="worker@example.org")


@pytest.fixture
def nuisance_case(worker):
    reporter = HouseholdFactory(tenant=True, name="Reporter Family")
    subject_home = HomeFactory(building=reporter.home.building)
    subject = HouseholdFactory(home=subject_home, tenant=True, name="Subject Family")
    case = services.nuisance_report_submit(
        household=reporter,
        submitted_by=reporter.members.first(),
        nuisance_kind=NuisanceKind.NOISE,
        what="Loud music every night after midnight.",
        since_when="weeks",
        may_be_contacted=True,
        subject_home=subject_home,
    )
    case.assigned_workers.add(worker)
    case.reporter, case.subject = reporter, subject
    return case


def _reload(case: SocialCase) -> SocialCase:
    return SocialCase.objects.get(pk=case.pk)


def test_a_case_opens_in_intake_with_a_number_and_the_intake_due_in_five_working_days(worker):
    case = services.case_open(case_type=CaseType.SUPPORT, title="Help with post", created_by=worker)
    second = services.case_open(case_type=CaseType.OTHER, title="Other", created_by=worker)

    year = timezone.localdate().year
    assert case.number == f"S-{year}-00001"
    assert second.number == f"S-{year}-00002"
    assert case.status == CaseStatus.INTAKE
    working_days = 0
    day = timezone.localdate()
    while day < case.intake_due:
        day += timedelta(days=1)
        working_days += is_working_day(day)
    assert working_days == 5
    intake = case.actions.get()
    assert intake.mediation_step == MediationStep.INTAKE
    assert intake.due_date == case.intake_due


def test_nuisance_report_names_the_subject_household_of_the_chosen_home(nuisance_case):
    subject = nuisance_case.parties.get(role=PartyRole.SUBJECT)
    assert subject.household == nuisance_case.subject
    reporter = nuisance_case.parties.get(role=PartyRole.REPORTER)
    assert reporter.household == nuisance_case.reporter


def test_mediation_steps_follow_each_other_with_their_deadlines(nuisance_case, worker):
    today = timezone.localdate()
    reporter, subject = nuisance_case.parties.order_by("role")
    services.mediation_session_record(
        nuisance_case,
        kind=SessionKind.FIRST_PARTY,
        held_on=today,
        participants=[reporter],
        actor=worker,
    )
    case = _reload(nuisance_case)
    assert case.status == CaseStatus.MEDIATION
    open_steps = set(
        case.actions.filter(done_at__isnull=True).values_list("mediation_step", flat=True)
    )
    assert open_steps == {MediationStep.SECOND_PARTY}

    services.mediation_session_record(
        case, kind=SessionKind.SECOND_PARTY, held_on=today, participants=[subject], actor=worker
    )
    services.mediation_session_record(
        case,
        kind=SessionKind.JOINT_MEETING,
        held_on=today,
        participants=[reporter, subject],
        agreements="Music off at 23:00 on weekdays.",
        actor=worker,
    )
    follow_up = case.actions.get(done_at__isnull=True)
    assert follow_up.mediation_step == MediationStep.FOLLOW_UP
    assert follow_up.not_before == today + timedelta(weeks=2)
    assert follow_up.due_date == today + timedelta(weeks=6)
    assert case.sessions.count() == 3


def test_a_joint_meeting_needs_its_agreements_written_down(nuisance_case, worker):
    with pytest.raises(services.CaseError):
        services.mediation_session_record(
            nuisance_case,
            kind=SessionKind.JOINT_MEETING,
            held_on=timezone.localdate(),
            participants=[],
            actor=worker,
        )
    assert not MediationSession.objects.exists()


def test_threats_are_referred_on_not_mediated(worker):
    household = HouseholdFactory(tenant=True)
    case = services.nuisance_report_submit(
        household=household,
        submitted_by=household.members.first(),
        nuisance_kind=NuisanceKind.THREAT,
        what="My neighbour threatened me.",
        since_when="days",
        may_be_contacted=True,
    )
    with pytest.raises(services.CaseError):
        services.case_status_change(
            case, status=CaseStatus.MEDIATION, version=case.version, actor=worker
        )
    with pytest.raises(services.CaseError):
        services.mediation_session_record(
            case,
            kind=SessionKind.FIRST_PARTY,
            held_on=timezone.localdate(),
            participants=[],
            actor=worker,
        )
    assert _reload(case).status == CaseStatus.INTAKE


def test_referrals_need_consent_except_police_with_a_ground(nuisance_case, worker):
    with pytest.raises(services.CaseError):
        services.case_referral_add(
            nuisance_case, target=ReferralTarget.CORPORATION, reason="Rent arrears", actor=worker
        )
    with pytest.raises(services.CaseError):
        services.case_referral_add(
            nuisance_case,
            target=ReferralTarget.NEIGHBOURHOOD_TEAM,
            reason="Care",
            actor=worker,
            without_consent_ground="urgent",
        )
    assert not CaseReferral.objects.exists()

    services.case_referral_add(
        nuisance_case,
        target=ReferralTarget.CORPORATION,
        reason="Rent arrears",
        actor=worker,
        consent_given=True,
    )
    services.case_referral_add(
        nuisance_case,
        target=ReferralTarget.POLICE,
        reason="Threat with a knife",
        actor=worker,
        without_consent_ground="Acute danger to a neighbour",
    )
    with_consent, police = CaseReferral.objects.order_by("pk")
    assert with_consent.consent_given and with_consent.consent_recorded_at
    assert not police.consent_given and police.without_consent_ground


def test_closing_needs_an_outcome_and_sets_the_retention_date(nuisance_case, worker):
    with pytest.raises(services.CaseError):
        services.case_status_change(
            nuisance_case, status=CaseStatus.CLOSED, version=nuisance_case.version, actor=worker
        )
    settings_row = office_settings_get()
    settings_row.social_case_retention_months = 24
    settings_row.save()

    case = services.case_status_change(
        _reload(nuisance_case),
        status=CaseStatus.CLOSED,
        version=_reload(nuisance_case).version,
        actor=worker,
        outcome=CaseOutcome.AGREEMENTS,
    )
    closed_on = timezone.localdate(case.closed_at)
    assert case.retain_until == closed_on.replace(year=closed_on.year + 2) or (
        closed_on.month == 2 and closed_on.day == 29
    )
    assert not case.actions.filter(done_at__isnull=True).exists()


def test_referred_needs_a_recorded_referral_and_a_stale_version_is_refused(nuisance_case, worker):
    with pytest.raises(services.CaseError):
        services.case_status_change(
            nuisance_case,
            status=CaseStatus.REFERRED,
            version=nuisance_case.version,
            actor=worker,
            outcome=CaseOutcome.REFERRED,
        )
    with pytest.raises(services.StaleCaseError):
        services.case_status_change(
            nuisance_case, status=CaseStatus.ACTIVE, version=nuisance_case.version - 1, actor=worker
        )


def test_reopening_clears_outcome_and_retention_and_keeps_the_old_outcome_in_a_note(
    nuisance_case, worker
):
    case = services.case_status_change(
        nuisance_case,
        status=CaseStatus.CLOSED,
        version=nuisance_case.version,
        actor=worker,
        outcome=CaseOutcome.SOLVED,
        outcome_note="Quiet again.",
    )
    case = services.case_status_change(
        case, status=CaseStatus.ACTIVE, version=case.version, actor=worker
    )
    assert case.outcome == "" and case.retain_until is None and case.closed_at is None
    assert "Quiet again." in case.notes.get().text


def test_the_referrer_hears_the_outcome_only_and_only_once(
    worker, django_capture_on_commit_callbacks
):
    case = services.case_open(
        case_type=CaseType.SUPPORT,
        title="Payment trouble of the Jansen family",
        intake_text="Debts, sick child",
        referrer_organisation="Bo-Ex",
        referrer_email="wijkconsulent@bo-ex.example",
        created_by=worker,
    )
    services.case_note_add(case, text="SECRET-NOTE-TEXT", kind="note", author=worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_status_change(
            _reload(case),
            status=CaseStatus.CLOSED,
            version=_reload(case).version,
            actor=worker,
            outcome=CaseOutcome.SOLVED,
            outcome_note="Debt plan arranged with the Jansen family",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wijkconsulent@bo-ex.example"]
    assert case.number in message.body
    assert str(CaseOutcome.SOLVED.label) in message.body or "Opgelost" in message.body
    for secret in ("Jansen", "Debts", "SECRET-NOTE-TEXT", "Debt plan"):
        assert secret not in message.body and secret not in message.subject
    assert services.referrer_inform_of_outcome(case.pk) is False
    assert len(mail.outbox) == 1


def test_the_invitation_to_the_subject_never_names_the_reporter(nuisance_case, worker):
    subject_party = nuisance_case.parties.get(role=PartyRole.SUBJECT)
    reporter = nuisance_case.reporter
    mail.outbox.clear()

    services.case_party_invite(subject_party, actor=worker)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [nuisance_case.subject.members.first().email]
    reporter_details = [
        reporter.name,
        reporter.home.street,
        reporter.home.address,
        reporter.members.first().email,
        "Loud music",
    ]
    for detail in reporter_details:
        assert detail not in message.body and detail not in message.subject


def test_anonymisation_keeps_only_what_the_aggregates_count(nuisance_case, worker):
    services.case_note_add(nuisance_case, text="Private details", kind="note", author=worker)
    services.case_referral_add(
        nuisance_case,
        target=ReferralTarget.MEDIATION_SERVICE,
        reason="Needs professional mediators",
        actor=worker,
        consent_given=True,
    )
    case = services.case_status_change(
        _reload(nuisance_case),
        status=CaseStatus.REFERRED,
        version=_reload(nuisance_case).version,
        actor=worker,
        outcome=CaseOutcome.REFERRED,
    )
    services.access_log_record(worker, part=AccessPart.CASE, case=case)
    retain_until = case.retain_until

    assert services.cases_anonymise_expired(retain_until - timedelta(days=1)) == 0
    assert CaseNote.objects.filter(case=case).exists()

    assert services.cases_anonymise_expired(retain_until) == 1
    case = _reload(case)
    assert case.anonymised_at is not None
    assert case.title == "" and case.intake_text == ""
    assert not CaseParty.objects.filter(case=case).exists()
    assert not CaseNote.objects.filter(case=case).exists()
    assert not CaseAction.objects.filter(case=case).exists()
    assert not case.assigned_workers.exists()
    referral = case.referrals.get()
    assert referral.target == ReferralTarget.MEDIATION_SERVICE and referral.reason == ""
    assert (case.case_type, case.status, case.outcome, case.nuisance_kind) == (
        CaseType.NUISANCE,
        CaseStatus.REFERRED,
        CaseOutcome.REFERRED,
        NuisanceKind.NOISE,
    )
    assert CaseAccessLog.objects.filter(case=case).count() == 1
    # Running again changes nothing; an anonymised case can no longer be changed or opened.
    assert services.cases_anonymise_expired(retain_until + timedelta(days=1)) == 0
    with pytest.raises(services.CaseError):
        services.case_note_add(case, text="again", kind="note", author=worker)


def test_an_open_case_is_never_anonymised(nuisance_case):
    SocialCase.objects.filter(pk=nuisance_case.pk).update(retain_until=date(2020, 1, 1))
    assert services.cases_anonymise_expired() == 0


def test_the_retention_check_reports_what_is_past_its_term(nuisance_case, worker):
    coordinator = UserFactory(role=Role.COORDINATOR, email="privacy@example.org")
    SocialCase.objects.filter(pk=nuisance_case.pk).update(
        status=CaseStatus.CLOSED, outcome=CaseOutcome.SOLVED, retain_until=date(2020, 1, 1)
    )
    mail.outbox.clear()

    report = services.retention_check()

    assert report["overdue"] == [nuisance_case.number]
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert nuisance_case.number in mail.outbox[0].body


def test_the_daily_digest_lists_due_actions_once_a_day(nuisance_case, worker):
    other_worker = UserFactory(role=Role.SOCIAL, email="other@example.org")
    intake_due = nuisance_case.intake_due
    mail.outbox.clear()

    assert services.action_digest_send(intake_due - timedelta(days=1)) == 0
    assert services.action_digest_send(intake_due) == 1
    assert services.action_digest_send(intake_due) == 0

    assert [message.to for message in mail.outbox] == [[worker.email]]
    body = mail.outbox[0].body
    assert nuisance_case.number in body
    assert "Loud music" not in body and nuisance_case.reporter.name not in body
    assert DigestSent.objects.filter(user=worker).count() == 1
    assert not DigestSent.objects.filter(user=other_worker).exists()


def test_an_unassigned_case_reaches_every_social_workers_digest(worker):
    case = services.case_open(case_type=CaseType.SUPPORT, title="Unassigned")
    other_worker = UserFactory(role=Role.SOCIAL, email="other@example.org")
    mail.outbox.clear()

    assert services.action_digest_send(case.intake_due + timedelta(days=3)) == 2
    assert {tuple(message.to) for message in mail.outbox} == {
        (worker.email,),
        (other_worker.email,),
    }
    with translation.override(worker.preferred_language or "nl"):
        overdue = gettext("overdue since %(date)s") % {
            "date": format_date(case.intake_due, "j F Y")
        }
    assert overdue in mail.outbox[0].body


# --- The pages ---------------------------------------------------------------------------------------


def test_the_case_page_shows_the_file_and_logs_the_read(client, nuisance_case, worker):
    services.case_note_add(nuisance_case, text="Visited, calm talk.", kind="note", author=worker)
    client.force_login(worker)

    response = client.get(reverse("social:case_detail", args=[nuisance_case.uuid]))

    assert response.status_code == 200
    content = response.content.decode()
    assert nuisance_case.number in content
    assert "Visited, calm talk." in content
    assert "Reporter Family" in content and "Subject Family" in content
    entry = CaseAccessLog.objects.get(part=AccessPart.CASE)
    assert (entry.user, entry.case) == (worker, nuisance_case)


def _table_of(response) -> str:
    """The case table only, without the deadlines panel above it."""
    content = response.content.decode()
    return content[content.index("<table") :]


def test_the_case_list_filters_and_logs_the_look(client, nuisance_case, worker):
    services.case_open(case_type=CaseType.SUPPORT, title="Someone else's support case")
    client.force_login(worker)

    mine, team, support = (
        _table_of(client.get(reverse("social:my_cases"), params))
        for params in ({"scope": "mine"}, {"scope": "team"}, {"case_type": "support"})
    )

    assert nuisance_case.number in mine and "Someone else" not in mine
    assert "Someone else" in team and nuisance_case.number not in team
    assert "Someone else" in support
    assert CaseAccessLog.objects.filter(part=AccessPart.LIST, user=worker).count() == 3


def test_overdue_filter_shows_only_cases_with_overdue_actions(client, nuisance_case, worker):
    late = services.case_open(case_type=CaseType.OTHER, title="Late one")
    CaseAction.objects.filter(case=late).update(due_date=date(2020, 1, 1))
    client.force_login(worker)

    content = _table_of(client.get(reverse("social:my_cases"), {"overdue": "true"}))

    assert late.number in content and nuisance_case.number not in content


def test_the_list_shows_each_cases_earliest_open_deadline_and_sorts_on_it(client, worker):
    today = timezone.localdate()
    soon = services.case_open(case_type=CaseType.OTHER, title="Soon")
    later = services.case_open(case_type=CaseType.OTHER, title="Later")
    CaseAction.objects.filter(case__in=[soon, later]).delete()
    for case, days, done in (
        (soon, -30, True),  # done: no longer a deadline
        (soon, 3, False),
        (soon, 20, False),
        (later, 10, False),
    ):
        CaseAction.objects.create(
            case=case,
            description="Bellen",
            due_date=today + timedelta(days=days),
            done_at=timezone.now() if done else None,
        )
    client.force_login(worker)

    content = _table_of(client.get(reverse("social:my_cases"), {"status": "open"}))

    with translation.override("nl"):
        assert format_date(today + timedelta(days=3), "j M Y") in content
        assert format_date(today + timedelta(days=-30), "j M Y") not in content
    assert content.index(soon.number) < content.index(later.number)


def _case_page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("social:case_detail", args=[case.uuid])).status_code == 200
    return len(queries)


def test_case_page_and_list_queries_do_not_grow_with_the_file(client, nuisance_case, worker):
    client.force_login(worker)
    parties = list(nuisance_case.parties.all())
    services.mediation_session_record(
        nuisance_case,
        kind=SessionKind.FIRST_PARTY,
        held_on=timezone.localdate(),
        participants=parties[:1],
        actor=worker,
    )
    small = _case_page_queries(client, nuisance_case)
    list_small = _list_queries(client)
    for index in range(6):
        services.case_note_add(nuisance_case, text=f"note {index}", kind="note", author=worker)
        services.case_action_add(
            nuisance_case,
            description=f"call {index}",
            due_date=timezone.localdate(),
            assigned_to=worker,
        )
        household = HouseholdFactory()
        services.case_party_add(nuisance_case, role=PartyRole.INVOLVED, household=household)
        services.case_referral_add(
            nuisance_case,
            target=ReferralTarget.OTHER,
            reason="r",
            actor=worker,
            consent_given=True,
            party=parties[0],
        )
        case = services.case_open(
            case_type=CaseType.SUPPORT, title=f"case {index}", workers=[worker]
        )
        services.case_note_add(case, text="x", kind="note", author=worker)
    services.mediation_session_record(
        nuisance_case,
        kind=SessionKind.SECOND_PARTY,
        held_on=timezone.localdate(),
        participants=parties,
        actor=worker,
    )
    assert _case_page_queries(client, nuisance_case) == small
    assert _list_queries(client) == list_small
    assert list_small <= 10  # issue 9: at most 10 queries a page


def _list_queries(client) -> int:
    # The filter fields may come from the cache; the cost to bound is a view that makes them.
    CASE_LIST_FORM.changed()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("social:my_cases")).status_code == 200
    return len(queries)


def test_status_change_through_the_page(client, nuisance_case, worker):
    client.force_login(worker)
    url = reverse("social:case_status", args=[nuisance_case.uuid])

    refused = client.post(url, {"version": nuisance_case.version, "status": "closed"})
    assert refused.status_code == 400
    assert _reload(nuisance_case).status == CaseStatus.INTAKE

    stale = client.post(url, {"version": 0, "status": "active"}, follow=True)
    assert _reload(nuisance_case).status == CaseStatus.INTAKE
    assert stale.status_code == 200

    done = client.post(
        url,
        {"version": nuisance_case.version, "status": "closed", "outcome": "solved"},
    )
    assert done.status_code == 302
    assert _reload(nuisance_case).status == CaseStatus.CLOSED


def test_forms_on_the_case_page_refuse_bad_input_without_changes(client, nuisance_case, worker):
    client.force_login(worker)

    bad_action = client.post(
        reverse("social:action_add", args=[nuisance_case.uuid]),
        {"description": "call", "due_date": "not a date"},
    )
    bad_link = client.post(
        reverse("social:repair_request_link", args=[nuisance_case.uuid]), {"number": "M-1999-99999"}
    )
    bad_referral = client.post(
        reverse("social:referral_add", args=[nuisance_case.uuid]),
        {"target": "corporation", "reason": "rent"},
    )
    bad_party = client.post(
        reverse("social:party_add", args=[nuisance_case.uuid]),
        {"role": "involved", "household": "not-a-uuid"},
    )
    foreign_action = client.post(reverse("social:action_done", args=[nuisance_case.uuid, 999999]))

    assert [bad_action.status_code, bad_link.status_code, bad_referral.status_code] == [400] * 3
    assert bad_party.status_code == 400
    assert foreign_action.status_code == 404
    assert nuisance_case.actions.count() == 1
    assert not nuisance_case.referrals.exists()
    assert not nuisance_case.repair_requests.exists()


def test_the_worker_works_a_case_through_the_pages(client, nuisance_case, worker):
    client.force_login(worker)
    case_url = reverse("social:case_detail", args=[nuisance_case.uuid])
    party = nuisance_case.parties.get(role=PartyRole.SUBJECT)

    responses = [
        client.post(
            reverse("social:note_add", args=[nuisance_case.uuid]),
            {"kind": "phone", "text": "Called."},
        ),
        client.post(
            reverse("social:action_add", args=[nuisance_case.uuid]),
            {
                "description": "Visit",
                "due_date": timezone.localdate().isoformat(),
                "assigned_to": worker.pk,
            },
        ),
        client.post(
            reverse("social:session_add", args=[nuisance_case.uuid]),
            {
                "kind": "first_party",
                "held_on": timezone.localdate().isoformat(),
                "participants": [party.pk],
            },
        ),
        client.post(
            reverse("social:referral_add", args=[nuisance_case.uuid]),
            {
                "target": "neighbourhood_team",
                "reason": "Care",
                "consent_given": "on",
                "party": party.pk,
            },
        ),
        client.post(reverse("social:party_invite", args=[nuisance_case.uuid, party.pk])),
    ]

    assert [response.status_code for response in responses] == [302] * 5
    assert all(response["Location"].startswith(case_url) for response in responses)
    case = _reload(nuisance_case)
    assert case.notes.count() == 2  # the call and the invitation
    assert case.status == CaseStatus.MEDIATION
    assert case.referrals.get().party == party


def test_an_anonymised_case_is_gone_from_the_pages(client, nuisance_case, worker):
    SocialCase.objects.filter(pk=nuisance_case.pk).update(anonymised_at=timezone.now())
    client.force_login(worker)
    assert client.get(reverse("social:case_detail", args=[nuisance_case.uuid])).status_code == 404
    assert nuisance_case.number not in client.get(reverse("social:my_cases")).content.decode()


def test_create_a_case_from_the_office(client, worker):
    client.force_login(worker)
    response = client.post(
        reverse("social:case_create"),
        {
            "case_type": "nuisance",
            "title": "Dog barking",
            "source": "phone",
            "nuisance_kind": "animals",
            "intake_text": "Barks all day",
            "assign_to_me": "on",
        },
    )
    case = SocialCase.objects.get()
    assert response.status_code == 302
    assert list(case.assigned_workers.all()) == [worker]

    missing_kind = client.post(
        reverse("social:case_create"),
        {"case_type": "nuisance", "title": "x", "source": "phone", "intake_text": "y"},
    )
    assert missing_kind.status_code == 200
    assert SocialCase.objects.count() == 1


def test_workers_hear_of_a_tenant_report_once_and_the_sweep_resends_a_lost_notice(
    worker, django_capture_on_commit_callbacks, monkeypatch
):
    household = HouseholdFactory(tenant=True)
    monkeypatch.setattr(services, "enqueue", lambda task, *args: None)  # the broker is down
    case = services.support_request_submit(
        household=household,
        submitted_by=household.members.first(),
        what="I cannot read my letters.",
        since_when="months",
        may_be_contacted=True,
    )
    monkeypatch.undo()
    mail.outbox.clear()
    assert services.cases_awaiting_worker_notice_enqueue(older_than=timedelta(0)) == 1
    assert [message.to for message in mail.outbox] == [[worker.email]]
    assert case.number in mail.outbox[0].body
    assert "letters" not in mail.outbox[0].body

    assert services.social_workers_notify_of_new_case(case.pk) == 0
    assert services.cases_awaiting_worker_notice_enqueue(older_than=timedelta(0)) == 0
    assert len(mail.outbox) == 1


def test_a_double_submitted_report_makes_one_case(worker):
    household = HouseholdFactory(tenant=True)
    report = {
        "household": household,
        "submitted_by": household.members.first(),
        "what": "Help with forms",
        "since_when": "weeks",
        "may_be_contacted": True,
    }
    first = services.support_request_submit(**report)
    second = services.support_request_submit(**report)
    assert first == second
    assert SocialCase.objects.count() == 1


def test_a_nuisance_report_about_another_complex_is_refused(worker):
    household = HouseholdFactory(tenant=True)
    elsewhere = HomeFactory(building__complex=ComplexFactory(code="OTHER"))
    with pytest.raises(services.CaseError):
        services.nuisance_report_submit(
            household=household,
            submitted_by=household.members.first(),
            nuisance_kind=NuisanceKind.NOISE,
            what="Noise",
            since_when="days",
            may_be_contacted=True,
            subject_home=elsewhere,
        )
    assert not SocialCase.objects.exists()


def test_a_link_to_a_repair_request_is_seen_on_the_case_only(client, nuisance_case, worker):
    from tests.factories import WorkCategoryFactory
    from tickets.services import repair_request_submit

    repair_request = repair_request_submit(
        household=nuisance_case.reporter,
        reporter=nuisance_case.reporter.members.first(),
        category=WorkCategoryFactory(),
        description="Damp in the bedroom",
    )
    services.case_repair_request_link(nuisance_case, repair_request.number.lower())
    client.force_login(worker)
    case_page = client.get(reverse("social:case_detail", args=[nuisance_case.uuid]))
    assert repair_request.number in case_page.content.decode()

    for user, url in (
        (UserFactory(role=Role.DESK), reverse("tickets:desk_triage", args=[repair_request.uuid])),
        (
            nuisance_case.reporter.members.first(),
            reverse("tickets:request_detail", args=[repair_request.uuid]),
        ),
    ):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert nuisance_case.number not in page.content.decode()


def test_the_case_list_rows_written_out_match_the_tables_own_rendering(rf, nuisance_case, worker):
    """The list's template writes its cells out for speed; they must stay what the table defines."""
    from social.selectors import social_case_list_queryset
    from social.tables import CaseListTable

    from ..written_out_tables import assert_rows_match_the_table

    late = services.case_open(case_type=CaseType.OTHER, title="Late one", workers=[worker])
    CaseAction.objects.filter(case=late).update(due_date=date(2020, 1, 1))
    services.case_open(case_type=CaseType.SUPPORT, title="Nobody's yet")
    CaseAction.objects.filter(case__title="Nobody's yet").delete()

    written_out = assert_rows_match_the_table(
        lambda: CaseListTable(social_case_list_queryset(worker)), rf.get("/sociaal/")
    )
    assert 'data-overdue="true"' in written_out and "portal-overdue" in written_out
    assert "—" in written_out  # a case without open actions has no deadline


def test_the_case_lists_filter_fields_come_from_the_cache_and_follow_the_team(client, worker):
    """The fields are kept per query; a new colleague is in the worker select at once."""
    client.force_login(worker)
    url = reverse("social:my_cases")
    client.get(url)

    with CaptureQueriesContext(connection) as first:
        narrowed = client.get(url, {"case_type": CaseType.NUISANCE}).content.decode()
    first_count = len(first)  # counted now: the next request clears the query log
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"case_type": CaseType.NUISANCE})
    second_count = len(second)
    colleague = UserFactory(role=Role.SOCIAL, first_name="Nieuwe", last_name="Collega")
    page = client.get(url).content.decode()

    # The second view does not read the workers for the select again.
    assert second_count == first_count - 1
    assert f'<option value="{CaseType.NUISANCE}" selected>' in narrowed
    assert f'<option value="{colleague.pk}">' in page and "Nieuwe Collega" in page


def test_a_login_keeps_the_case_lists_fields_and_a_search_is_not_kept(client, worker):
    from django.core.cache import cache
    from django.http import QueryDict
    from django.utils.translation import get_language

    from zelfbeheer.versioned_cache import query_key

    version = CASE_LIST_FORM.version()
    client.force_login(worker)  # saves last_login only
    assert CASE_LIST_FORM.version() == version

    page = client.get(reverse("social:my_cases"), {"q": "Familie Geheim"}).content.decode()

    assert 'value="Familie Geheim"' in page
    query = query_key(QueryDict("q=Familie+Geheim"))
    assert cache.get(CASE_LIST_FORM.key(("form", get_language(), query))) is None
