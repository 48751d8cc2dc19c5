"""Writes on social case files. Every function checks its own rules; views only translate errors to messages.

Privacy rules held here rather than in templates:
- a subject household is never told who reported (invitations name nobody, exports list only the household);
- a referring organisation hears the outcome of a case, never its content;
- a closed case is anonymised once its retention date has passed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tickets.models import RepairRequest
from tickets.sla import office_settings_get
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role
from zelfbeheer.dates import add_months
from zelfbeheer.housing.models import Home, Household
from zelfbeheer.queue import enqueue
from zelfbeheer.workdays import add_working_days

from .models import (
    ENDED_CASE_STATUSES,
    CaseAccessLog,
    CaseAction,
    CaseNote,
    CaseNumberSequence,
    CaseOutcome,
    CaseParty,
    CaseReferral,
    CaseSource,
    CaseStatus,
    CaseType,
    DigestSent,
    MediationSession,
    MediationStep,
    NoteKind,
    NuisanceKind,
    PartyRole,
    ReferralTarget,
    SessionKind,
    SocialCase,
)

logger = logging.getLogger(__name__)

INTAKE_WORKING_DAYS = 5
# Deadlines of the mediation steps after the previous step (CCV buurtbemiddeling): intake within 5 working
# days of the report, the talks and the joint meeting soon after, the follow-up 2 to 6 weeks after the meeting.
MEDIATION_NEXT_STEP = {
    MediationStep.INTAKE: (MediationStep.FIRST_PARTY, 10),
    MediationStep.FIRST_PARTY: (MediationStep.SECOND_PARTY, 10),
    MediationStep.SECOND_PARTY: (MediationStep.JOINT_MEETING, 15),
}
FOLLOW_UP_EARLIEST_WEEKS = 2
FOLLOW_UP_LATEST_WEEKS = 6

ALLOWED_TRANSITIONS = {
    CaseStatus.INTAKE: {
        CaseStatus.ACTIVE,
        CaseStatus.MEDIATION,
        CaseStatus.CLOSED,
        CaseStatus.REFERRED,
    },
    CaseStatus.ACTIVE: {CaseStatus.MEDIATION, CaseStatus.CLOSED, CaseStatus.REFERRED},
    CaseStatus.MEDIATION: {CaseStatus.ACTIVE, CaseStatus.CLOSED, CaseStatus.REFERRED},
    CaseStatus.CLOSED: {CaseStatus.ACTIVE},
    CaseStatus.REFERRED: {CaseStatus.ACTIVE},
}


class CaseError(ValidationError):
    """A request the case's rules refuse; the message is meant for the social worker."""


class StaleCaseError(CaseError):
    """The case changed since the page was loaded."""


def _today() -> date:
    return timezone.localdate()


def _working_days_from(day: date, days: int) -> date:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return timezone.localdate(add_working_days(start, days))


def _case_number_next(year: int) -> str:
    CaseNumberSequence.objects.get_or_create(year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"S-{year}-{sequence.last_number:05d}"


def _lock(case: SocialCase, version: int | None = None) -> SocialCase:
    locked = SocialCase.objects.select_for_update().get(pk=case.pk)
    if locked.anonymised_at:
        raise CaseError(_("This case has been anonymised and can no longer be changed."))
    if version is not None and locked.version != version:
        raise StaleCaseError(
            _("Someone else changed this case in the meantime. Check the case and try again.")
        )
    return locked


def _touch(case: SocialCase) -> None:
    case.version += 1
    case.save(update_fields=["version"])


def _open_step_action(
    case: SocialCase, step: str, due: date, not_before: date | None = None
) -> None:
    # An open action of the same step is kept as it is: a repeated session or click changes nothing.
    if case.actions.filter(mediation_step=step, done_at__isnull=True).exists():
        return
    CaseAction.objects.create(
        case=case,
        description=MediationStep(step).label,
        mediation_step=step,
        due_date=due,
        not_before=not_before,
    )


@transaction.atomic
def case_open(
    *,
    case_type: str,
    title: str = "",
    intake_text: str = "",
    source: str = CaseSource.OFFICE,
    created_by: User | None = None,
    nuisance_kind: str = "",
    since_when: str = "",
    referrer_organisation: str = "",
    referrer_email: str = "",
    workers: list[User] | tuple[User, ...] = (),
) -> SocialCase:
    """Open a case in intake, with the intake deadline (5 working days) on the worker's list."""
    today = _today()
    case = SocialCase.objects.create(
        number=_case_number_next(today.year),
        case_type=case_type,
        title=title.strip(),
        intake_text=intake_text.strip(),
        source=source,
        created_by=created_by,
        nuisance_kind=nuisance_kind if case_type == CaseType.NUISANCE else "",
        since_when=since_when,
        referrer_organisation=referrer_organisation.strip(),
        referrer_email=referrer_email.strip(),
        intake_due=_working_days_from(today, INTAKE_WORKING_DAYS),
    )
    if workers:
        case.assigned_workers.set(workers)
    _open_step_action(case, MediationStep.INTAKE, case.intake_due)
    transaction.on_commit(lambda: _enqueue_new_case_notice(case.pk))
    return case


def _enqueue_new_case_notice(case_id: int) -> None:
    from .tasks import notify_social_workers_of_new_case

    enqueue(notify_social_workers_of_new_case, case_id)


DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def _recent_duplicate(household: Household, case_type: str, what: str) -> SocialCase | None:
    """The same report from the same household moments ago: a double click or a resubmitted form."""
    return (
        SocialCase.objects.filter(
            case_type=case_type,
            intake_text=what.strip(),
            source=CaseSource.TENANT_PORTAL,
            parties__household=household,
            parties__role=PartyRole.REPORTER,
            opened_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )
        .order_by("pk")
        .first()
    )


def _tenant_submitter_party(
    case: SocialCase, household: Household, may_be_contacted: bool, phone: str
) -> CaseParty:
    return CaseParty.objects.create(
        case=case,
        role=PartyRole.REPORTER,
        household=household,
        home=household.home,
        may_be_contacted=may_be_contacted,
        contact_phone=phone.strip(),
    )


@transaction.atomic
def support_request_submit(
    *,
    household: Household,
    submitted_by: User,
    what: str,
    since_when: str,
    may_be_contacted: bool,
    phone: str = "",
) -> SocialCase:
    if not what.strip():
        raise CaseError(_("Tell us what is going on."))
    duplicate = _recent_duplicate(household, CaseType.SUPPORT, what)
    if duplicate:
        return duplicate
    case = case_open(
        case_type=CaseType.SUPPORT,
        intake_text=what,
        source=CaseSource.TENANT_PORTAL,
        created_by=submitted_by,
        since_when=since_when,
    )
    _tenant_submitter_party(case, household, may_be_contacted, phone)
    return case


@transaction.atomic
def nuisance_report_submit(
    *,
    household: Household,
    submitted_by: User,
    nuisance_kind: str,
    what: str,
    since_when: str,
    may_be_contacted: bool,
    subject_home: Home | None = None,
    subject_description: str = "",
    phone: str = "",
) -> SocialCase:
    """A tenant's nuisance report: the reporter and, where known, the household it is about."""
    if not what.strip():
        raise CaseError(_("Tell us what is going on."))
    if subject_home is not None and subject_home.pk == household.home_id:
        raise CaseError(_("Choose the address the nuisance comes from, not your own address."))
    if subject_home is not None and (
        subject_home.building.complex_id != household.home.building.complex_id
    ):
        raise CaseError(
            _("Choose an address in your own complex, or describe where it comes from.")
        )
    if nuisance_kind not in NuisanceKind.values:
        raise CaseError(_("Choose what kind of nuisance it is."))
    duplicate = _recent_duplicate(household, CaseType.NUISANCE, what)
    if duplicate:
        return duplicate
    case = case_open(
        case_type=CaseType.NUISANCE,
        intake_text=what,
        source=CaseSource.TENANT_PORTAL,
        created_by=submitted_by,
        nuisance_kind=nuisance_kind,
        since_when=since_when,
    )
    _tenant_submitter_party(case, household, may_be_contacted, phone)
    if subject_home is not None or subject_description.strip():
        subject_household = (
            subject_home.households.filter(end_date__isnull=True).first() if subject_home else None
        )
        CaseParty.objects.create(
            case=case,
            role=PartyRole.SUBJECT,
            household=subject_household,
            home=subject_home,
            description=subject_description.strip(),
        )
    return case


@transaction.atomic
def case_update(
    case: SocialCase,
    *,
    version: int,
    title: str,
    intake_text: str,
    case_type: str,
    nuisance_kind: str,
    mediation_unsuitable_reason: str,
    referrer_organisation: str,
    referrer_email: str,
) -> SocialCase:
    case = _lock(case, version)
    case.title = title.strip()
    case.intake_text = intake_text.strip()
    case.case_type = case_type
    case.nuisance_kind = nuisance_kind if case_type == CaseType.NUISANCE else ""
    case.mediation_unsuitable_reason = mediation_unsuitable_reason.strip()
    case.referrer_organisation = referrer_organisation.strip()
    case.referrer_email = referrer_email.strip()
    case.version += 1
    case.save()
    return case


@transaction.atomic
def case_workers_set(case: SocialCase, workers: list[User]) -> None:
    case = _lock(case)
    case.assigned_workers.set(workers)
    _touch(case)


@transaction.atomic
def case_party_add(
    case: SocialCase,
    *,
    role: str,
    household: Household | None = None,
    description: str = "",
    may_be_contacted: bool = True,
    contact_phone: str = "",
) -> CaseParty:
    case = _lock(case)
    if household is None and not description.strip():
        raise CaseError(_("Choose a household or describe the party."))
    if household is not None and case.parties.filter(household=household).exists():
        raise CaseError(_("This household is already part of the case."))
    party = CaseParty.objects.create(
        case=case,
        role=role,
        household=household,
        home=household.home if household else None,
        description=description.strip(),
        may_be_contacted=may_be_contacted,
        contact_phone=contact_phone.strip(),
    )
    _touch(case)
    return party


@transaction.atomic
def case_party_remove(party: CaseParty) -> None:
    case = _lock(party.case)
    if party.sessions.exists():
        raise CaseError(_("This party took part in a mediation session and stays on the case."))
    party.delete()
    _touch(case)


@transaction.atomic
def case_note_add(case: SocialCase, *, text: str, kind: str, author: User) -> CaseNote:
    case = _lock(case)
    if not text.strip():
        raise CaseError(_("Write the note first."))
    note = CaseNote.objects.create(case=case, text=text.strip(), kind=kind, author=author)
    _touch(case)
    return note


@transaction.atomic
def case_action_add(
    case: SocialCase, *, description: str, due_date: date, assigned_to: User | None
) -> CaseAction:
    case = _lock(case)
    if not case.is_open:
        raise CaseError(_("Reopen the case before planning actions."))
    action = CaseAction.objects.create(
        case=case, description=description.strip(), due_date=due_date, assigned_to=assigned_to
    )
    _touch(case)
    return action


@transaction.atomic
def case_action_complete(action: CaseAction, *, actor: User) -> CaseAction:
    case = _lock(action.case)
    action = CaseAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at:
        return action
    action.done_at = timezone.now()
    action.done_by = actor
    action.save(update_fields=["done_at", "done_by"])
    if action.mediation_step == MediationStep.INTAKE and case.case_type == CaseType.NUISANCE:
        _plan_next_mediation_step(case, MediationStep.INTAKE, _today())
    if case.status == CaseStatus.INTAKE and action.mediation_step == MediationStep.INTAKE:
        case.status = CaseStatus.ACTIVE
        case.save(update_fields=["status"])
    _touch(case)
    return action


def _plan_next_mediation_step(case: SocialCase, done_step: str, done_on: date) -> None:
    if case.mediation_blocked_reason:
        return
    if done_step == MediationStep.JOINT_MEETING:
        _open_step_action(
            case,
            MediationStep.FOLLOW_UP,
            due=done_on + timedelta(weeks=FOLLOW_UP_LATEST_WEEKS),
            not_before=done_on + timedelta(weeks=FOLLOW_UP_EARLIEST_WEEKS),
        )
        return
    if done_step in MEDIATION_NEXT_STEP:
        next_step, working_days = MEDIATION_NEXT_STEP[done_step]
        _open_step_action(case, next_step, _working_days_from(done_on, working_days))


def _complete_step_actions(case: SocialCase, step: str, actor: User) -> None:
    case.actions.filter(mediation_step=step, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=actor
    )


@transaction.atomic
def mediation_session_record(
    case: SocialCase,
    *,
    kind: str,
    held_on: date,
    participants: list[CaseParty],
    other_participants: str = "",
    agreements: str = "",
    actor: User,
) -> MediationSession:
    """Record a talk or meeting; it ticks off its step and puts the next step's deadline on the list."""
    case = _lock(case)
    if case.mediation_blocked_reason:
        raise CaseError(
            _("This case is not suitable for mediation: %(reason)s. Refer it on instead.")
            % {"reason": case.mediation_blocked_reason}
        )
    if not case.is_open:
        raise CaseError(_("Reopen the case before recording a session."))
    if held_on > _today():
        raise CaseError(_("A session can only be recorded once it has taken place."))
    if any(party.case_id != case.pk for party in participants):
        raise CaseError(_("Only parties of this case can take part."))
    if kind == SessionKind.JOINT_MEETING and not agreements.strip():
        raise CaseError(_("Write down the agreements reached, or that none were reached."))
    session = MediationSession.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        other_participants=other_participants.strip(),
        agreements=agreements.strip(),
        recorded_by=actor,
    )
    session.participants.set(participants)
    # Intake comes before the talks; a first talk also counts as the intake when none was recorded.
    _complete_step_actions(case, MediationStep.INTAKE, actor)
    _complete_step_actions(case, kind, actor)
    _plan_next_mediation_step(case, kind, held_on)
    if case.status in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        case.status = CaseStatus.MEDIATION
        case.save(update_fields=["status"])
    _touch(case)
    return session


@transaction.atomic
def case_referral_add(
    case: SocialCase,
    *,
    target: str,
    reason: str,
    actor: User,
    organisation: str = "",
    party: CaseParty | None = None,
    consent_given: bool = False,
    without_consent_ground: str = "",
) -> CaseReferral:
    """Refer on; only with the resident's consent, or (police, acute danger) with the legal ground written down."""
    case = _lock(case)
    if party is not None and party.case_id != case.pk:
        raise CaseError(_("Only parties of this case can be referred."))
    if not consent_given and not without_consent_ground.strip():
        raise CaseError(
            _(
                "Record the resident's consent before referring, or write down the legal ground for "
                "referring without it."
            )
        )
    if not consent_given and target != ReferralTarget.POLICE:
        raise CaseError(
            _("Without the resident's consent, a case can only be reported to the police.")
        )
    referral = CaseReferral.objects.create(
        case=case,
        target=target,
        organisation=organisation.strip(),
        reason=reason.strip(),
        party=party,
        consent_given=consent_given,
        consent_recorded_at=timezone.now() if consent_given else None,
        without_consent_ground="" if consent_given else without_consent_ground.strip(),
        referred_by=actor,
    )
    _touch(case)
    return referral


def retention_date_for(closed_on: date) -> date:
    return add_months(closed_on, office_settings_get().social_case_retention_months)


@transaction.atomic
def case_status_change(
    case: SocialCase,
    *,
    status: str,
    version: int,
    actor: User,
    outcome: str = "",
    outcome_note: str = "",
) -> SocialCase:
    case = _lock(case, version)
    if status == case.status:
        return case
    if status not in ALLOWED_TRANSITIONS[CaseStatus(case.status)]:
        raise CaseError(
            _("A case cannot go from “%(old)s” to “%(new)s”.")
            % {"old": case.get_status_display(), "new": CaseStatus(status).label}
        )
    if status == CaseStatus.MEDIATION and case.mediation_blocked_reason:
        raise CaseError(
            _("This case is not suitable for mediation: %(reason)s. Refer it on instead.")
            % {"reason": case.mediation_blocked_reason}
        )
    if status == CaseStatus.REFERRED and not case.referrals.exists():
        raise CaseError(_("Record the referral first."))
    if status in ENDED_CASE_STATUSES:
        if not outcome:
            raise CaseError(_("Choose the outcome before closing the case."))
        now = timezone.now()
        case.outcome = outcome
        case.outcome_note = outcome_note.strip()
        case.closed_at = now
        case.retain_until = retention_date_for(timezone.localdate(now))
        case.actions.filter(done_at__isnull=True).update(done_at=now, done_by=actor)
        if case.referrer_email and not case.referrer_informed_at:
            case_id = case.pk
            transaction.on_commit(lambda: _enqueue_referrer_outcome(case_id))
    else:
        if case.status in ENDED_CASE_STATUSES:
            CaseNote.objects.create(
                case=case,
                kind=NoteKind.NOTE,
                author=actor,
                text=_("Case reopened; earlier outcome: %(outcome)s. %(note)s")
                % {"outcome": case.get_outcome_display(), "note": case.outcome_note},
            )
        case.outcome = ""
        case.outcome_note = ""
        case.closed_at = None
        case.retain_until = None
        case.referrer_informed_at = None
    case.status = status
    case.version += 1
    case.save()
    return case


def _enqueue_referrer_outcome(case_id: int) -> None:
    from .tasks import inform_referrer_of_outcome

    enqueue(inform_referrer_of_outcome, case_id)


@transaction.atomic
def case_repair_request_link(case: SocialCase, number: str) -> RepairRequest:
    case = _lock(case)
    repair_request = RepairRequest.objects.filter(number__iexact=number.strip()).first()
    if repair_request is None:
        raise CaseError(_("No repair request has the number %(number)s.") % {"number": number})
    case.repair_requests.add(repair_request)
    _touch(case)
    return repair_request


@transaction.atomic
def case_repair_request_unlink(case: SocialCase, repair_request: RepairRequest) -> None:
    case = _lock(case)
    case.repair_requests.remove(repair_request)
    _touch(case)


def access_log_record(
    user: User,
    *,
    part: str,
    case: SocialCase | None = None,
    household: Household | None = None,
    path: str = "",
) -> CaseAccessLog:
    return CaseAccessLog.objects.create(
        user=user, case=case, household=household, part=part, path=path[:300]
    )


def access_log_record_many(user: User, cases: list[SocialCase], *, part: str, path: str) -> None:
    CaseAccessLog.objects.bulk_create(
        CaseAccessLog(user=user, case=case, part=part, path=path[:300]) for case in cases
    )


def _household_recipients(household: Household) -> list[str]:
    return [member.email for member in household.members.filter(is_active=True) if member.email]


def case_party_invite(party: CaseParty, *, actor: User) -> bool:
    """A neutral invitation to talk; it names no other party, so a subject never learns who reported."""
    if party.household is None or not party.may_be_contacted:
        raise CaseError(_("This party cannot be contacted by e-mail."))
    recipients = _household_recipients(party.household)
    if not recipients:
        raise CaseError(
            _("This household has no e-mail address; call them or write a letter instead.")
        )
    with translation.override(party.household.preferred_language):
        subject = _("Invitation for a talk with the neighbourhood office")
        body = render_to_string(
            "social/email/invitation.txt",
            {
                "household_name": party.household.name,
                "worker_name": actor.get_short_name() or "",
                "office_phone_number": settings.OFFICE_PHONE_NUMBER,
            },
        )
    send_mail(subject, body, None, recipients)
    case_note_add(
        party.case,
        text=_("Invitation for a talk sent by e-mail to %(party)s.") % {"party": party.label},
        kind=NoteKind.NOTE,
        author=actor,
    )
    return True


def referrer_inform_of_outcome(case_id: int) -> bool:
    """Tell the referring organisation the outcome of the case: the number and the outcome, nothing else."""
    with transaction.atomic():
        case = SocialCase.objects.select_for_update().get(pk=case_id)
        if (
            case.referrer_informed_at
            or not case.referrer_email
            or case.status not in ENDED_CASE_STATUSES
        ):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Outcome of case %(number)s") % {"number": case.number}
            body = render_to_string(
                "social/email/referrer_outcome.txt",
                {
                    "number": case.number,
                    "organisation": case.referrer_organisation,
                    "outcome": CaseOutcome(case.outcome).label,
                    "status": case.get_status_display(),
                    "office_phone_number": settings.OFFICE_PHONE_NUMBER,
                },
            )
        case.referrer_informed_at = timezone.now()
        case.save(update_fields=["referrer_informed_at"])
        # Sent inside the lock: a retry after a crash before commit sends again rather than never.
        send_mail(subject, body, None, [case.referrer_email])
    return True


def _social_workers() -> list[User]:
    from .selectors import social_workers

    return list(social_workers().exclude(email="").distinct())


def social_workers_notify_of_new_case(case_id: int) -> int:
    """A short notice of a tenant's report with the number and a link; the content stays in the portal.

    Sent once: the case row is locked and marked before the mails go out.
    """
    with transaction.atomic():
        case = SocialCase.objects.select_for_update().get(pk=case_id)
        if case.source != CaseSource.TENANT_PORTAL or case.workers_notified_at:
            return 0
        workers = list(case.assigned_workers.filter(is_active=True)) or _social_workers()
        url = settings.SITE_URL + reverse("social:case_detail", args=[case.uuid])
        case.workers_notified_at = timezone.now()
        case.save(update_fields=["workers_notified_at"])
        for worker in workers:
            with translation.override(worker.preferred_language or settings.LANGUAGE_CODE):
                subject = _("New report %(number)s for social management") % {"number": case.number}
                body = render_to_string(
                    "social/email/new_case.txt",
                    {"number": case.number, "type": case.get_case_type_display(), "url": url},
                )
            send_mail(subject, body, None, [worker.email])
    return len(workers)


def cases_awaiting_worker_notice_enqueue(older_than: timedelta = timedelta(minutes=5)) -> int:
    """The sweep: tenants' reports whose notice was never queued (the broker was down) are queued again."""
    from .selectors import case_ids_awaiting_worker_notice

    case_ids = case_ids_awaiting_worker_notice(created_before=timezone.now() - older_than)
    for case_id in case_ids:
        _enqueue_new_case_notice(case_id)
    return len(case_ids)


@dataclass(frozen=True)
class DigestLine:
    case_number: str
    case_url: str
    step: str
    due_date: date
    overdue: bool


def action_digest_send(today: date | None = None) -> int:
    """Each social worker's actions due today or overdue, once a day; numbers and dates only."""
    from .selectors import open_actions_due_for

    today = today or _today()
    sent = 0
    for worker in _social_workers():
        actions = list(open_actions_due_for(worker, until=today))
        if not actions:
            continue
        _digest, created = DigestSent.objects.get_or_create(user=worker, day=today)
        if not created:
            continue
        lines = [
            DigestLine(
                case_number=action.case.number,
                case_url=settings.SITE_URL + reverse("social:case_detail", args=[action.case.uuid]),
                step=str(action.mediation_step and MediationStep(action.mediation_step).label)
                or "",
                due_date=action.due_date,
                overdue=action.due_date < today,
            )
            for action in actions
        ]
        with translation.override(worker.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Social management: %(count)s actions due") % {"count": len(lines)}
            body = render_to_string(
                "social/email/action_digest.txt",
                {"lines": lines, "list_url": settings.SITE_URL + reverse("social:my_cases")},
            )
        send_mail(subject, body, None, [worker.email])
        sent += 1
    return sent


def cases_anonymise_expired(today: date | None = None) -> int:
    """Strip every closed case past its retention date down to what the aggregates count.

    Kept: number, type, kind of nuisance, source, status, outcome, the dates, and the referral targets.
    Gone: title, texts, parties, notes, actions, sessions, workers, links to repair requests, referrers.
    """
    from .selectors import cases_due_for_anonymisation

    today = today or _today()
    count = 0
    for case_id in cases_due_for_anonymisation(today).values_list("pk", flat=True):
        with transaction.atomic():
            case = SocialCase.objects.select_for_update().get(pk=case_id)
            if case.anonymised_at or case.status not in ENDED_CASE_STATUSES:
                continue
            case.notes.all().delete()
            case.actions.all().delete()
            case.sessions.all().delete()
            case.referrals.update(reason="", organisation="", party=None, without_consent_ground="")
            case.parties.all().delete()
            case.assigned_workers.clear()
            case.repair_requests.clear()
            case.title = ""
            case.intake_text = ""
            case.outcome_note = ""
            case.mediation_unsuitable_reason = ""
            case.since_when = ""
            case.referrer_organisation = ""
            case.referrer_email = ""
            case.created_by = None
            case.anonymised_at = timezone.now()
            case.version += 1
            case.save()
            count += 1
    return count


def retention_check(today: date | None = None) -> dict[str, list[str]]:
    """What is past its term: cases not anonymised after their date, and ended cases without a date.

    Reported to the coordinators (the privacy officer) by e-mail when anything is found.
    """
    from .selectors import cases_past_retention

    today = today or _today()
    found = cases_past_retention(today)
    report = {
        "overdue": [case.number for case in found["overdue"]],
        "without_date": [case.number for case in found["without_date"]],
    }
    if report["overdue"] or report["without_date"]:
        coordinators = User.objects.filter(groups__name=Role.COORDINATOR, is_active=True).exclude(
            email=""
        )
        for coordinator in coordinators:
            with translation.override(coordinator.preferred_language or settings.LANGUAGE_CODE):
                subject = _("Social case files past their retention term")
                body = render_to_string(
                    "social/email/retention_check.txt",
                    {**report, "url": settings.SITE_URL + reverse("social:access_log")},
                )
            send_mail(subject, body, None, [coordinator.email])
    return report
