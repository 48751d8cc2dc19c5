"""Reads of social case files. Only the social role opens cases; counts for others are suppressed below 5."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import RepairRequest
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role
from zelfbeheer.housing.models import Household

from .models import (
    ENDED_CASE_STATUSES,
    OPEN_CASE_STATUSES,
    CaseAccessLog,
    CaseAction,
    CaseOutcome,
    CaseParty,
    CaseSource,
    CaseStatus,
    CaseType,
    MediationSession,
    PartyRole,
    SocialCase,
)

SMALL_COUNT_THRESHOLD = 5


def social_cases_visible_to(user: User) -> QuerySet[SocialCase]:
    if has_role(user, Role.SOCIAL):
        return SocialCase.objects.all()
    return SocialCase.objects.none()


def social_case_list_queryset(user: User, today: date | None = None) -> QuerySet[SocialCase]:
    """The worker's list: each case's next deadline and whether an action is overdue, in one query."""
    today = today or timezone.localdate()
    open_actions = CaseAction.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
    return (
        social_cases_visible_to(user)
        .filter(anonymised_at__isnull=True)
        .annotate(
            # A subquery per row of the page rather than a join with GROUP BY over every case.
            next_due=Subquery(open_actions.order_by("due_date").values("due_date")[:1]),
            has_overdue=Exists(open_actions.filter(due_date__lt=today)),
        )
        # For the "my cases" filter only: an alias is not selected, so the list does not work it out for
        # every open case when nobody filters on it.
        .alias(
            is_mine=Exists(
                SocialCase.assigned_workers.through.objects.filter(
                    socialcase_id=OuterRef("pk"), user_id=user.pk
                )
            ),
        )
        # The list shows none of the case's long texts.
        .defer("intake_text", "outcome_note", "mediation_unsuitable_reason")
        .prefetch_related(Prefetch("assigned_workers", queryset=User.objects.order_by("email")))
    )


def social_case_get_for(user: User, case_uuid) -> SocialCase:
    """The case, or 404 for anyone outside the social role (it does not say whether the case exists)."""
    try:
        return social_cases_visible_to(user).get(uuid=case_uuid, anonymised_at__isnull=True)
    except (SocialCase.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def case_parties(case: SocialCase) -> list[CaseParty]:
    return list(case.parties.select_related("household__home", "home"))


def case_file(case: SocialCase) -> dict:
    """Everything on the case page, in a fixed number of queries."""
    parties = case_parties(case)
    return {
        "parties": parties,
        "notes": list(case.notes.select_related("author")),
        "actions": list(case.actions.select_related("assigned_to", "done_by")),
        "sessions": list(
            case.sessions.prefetch_related(
                Prefetch(
                    "participants",
                    queryset=CaseParty.objects.select_related("household__home", "home"),
                )
            ).select_related("recorded_by")
        ),
        "referrals": list(
            case.referrals.select_related("party__household__home", "party__home", "referred_by")
        ),
        "repair_requests": list(case.repair_requests.select_related("category", "home")),
        "workers": list(case.assigned_workers.order_by("email")),
    }


def open_actions_due_for(worker: User, *, until: date) -> QuerySet[CaseAction]:
    """Open actions due by a date on the worker's cases, assigned to them, or on cases nobody holds yet."""
    # EXISTS on the case's workers rather than a join: no DISTINCT over every open action.
    case_workers = SocialCase.assigned_workers.through.objects.filter(
        socialcase_id=OuterRef("case_id")
    )
    return (
        CaseAction.objects.filter(
            done_at__isnull=True,
            due_date__lte=until,
            case__anonymised_at__isnull=True,
            case__status__in=OPEN_CASE_STATUSES,
        )
        .filter(
            Q(assigned_to=worker)
            | Q(Exists(case_workers.filter(user_id=worker.pk)))
            | Q(assigned_to__isnull=True) & ~Q(Exists(case_workers))
        )
        .select_related("case")
        .order_by("due_date", "case__number")
    )


def social_workers() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.SOCIAL, is_active=True).order_by("email")


def case_ids_awaiting_worker_notice(created_before) -> list[int]:
    return list(
        SocialCase.objects.filter(
            source=CaseSource.TENANT_PORTAL,
            workers_notified_at__isnull=True,
            opened_at__lt=created_before,
            anonymised_at__isnull=True,
        ).values_list("pk", flat=True)[:500]
    )


def cases_due_for_anonymisation(today: date) -> QuerySet[SocialCase]:
    return SocialCase.objects.filter(
        anonymised_at__isnull=True, status__in=ENDED_CASE_STATUSES, retain_until__lte=today
    )


def cases_past_retention(today: date) -> dict[str, list[SocialCase]]:
    return {
        "overdue": list(
            cases_due_for_anonymisation(today).filter(retain_until__lt=today).order_by("number")
        ),
        "without_date": list(
            SocialCase.objects.filter(
                anonymised_at__isnull=True,
                status__in=ENDED_CASE_STATUSES,
                retain_until__isnull=True,
            ).order_by("number")
        ),
    }


def access_log_queryset() -> QuerySet[CaseAccessLog]:
    return CaseAccessLog.objects.select_related("user", "case", "household__home")


# --- A household's right of access -------------------------------------------------------------------


@dataclass
class HouseholdCaseExtract:
    """What a household may see of one case: its own role and data, no other party, no working notes."""

    case: SocialCase
    number: str
    case_type: str
    nuisance_kind: str
    role: str
    status: str
    outcome: str
    opened_at: date
    closed_at: date | None
    own_report: str
    since_when: str
    may_be_contacted: bool
    contact_phone: str
    sessions: list[MediationSession]
    referrals: list


def household_export(household: Household) -> dict:
    """Everything held about a household, for its right of access (AVG art. 15).

    Other parties' identities are left out: a subject never sees who reported, a reporter never sees
    details of the subject. Working notes are left out because they describe other residents too; the
    privacy officer can review them on request.
    """
    parties = (
        CaseParty.objects.filter(household=household, case__anonymised_at__isnull=True)
        .select_related("case")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=MediationSession.objects.order_by("held_on"),
                to_attr="own_sessions",
            ),
            "referrals",
        )
        .order_by("case__opened_at")
    )
    cases = [
        HouseholdCaseExtract(
            case=party.case,
            number=party.case.number,
            case_type=party.case.get_case_type_display(),
            nuisance_kind=party.case.get_nuisance_kind_display()
            if party.case.nuisance_kind
            else "",
            role=party.get_role_display(),
            status=party.case.get_status_display(),
            outcome=party.case.get_outcome_display() if party.case.outcome else "",
            opened_at=timezone.localdate(party.case.opened_at),
            closed_at=timezone.localdate(party.case.closed_at) if party.case.closed_at else None,
            own_report=party.case.intake_text if party.role == PartyRole.REPORTER else "",
            since_when=(
                party.case.get_since_when_display()
                if party.role == PartyRole.REPORTER and party.case.since_when
                else ""
            ),
            may_be_contacted=party.may_be_contacted,
            contact_phone=party.contact_phone,
            sessions=party.own_sessions,
            referrals=list(party.referrals.all()),
        )
        for party in parties
    ]
    repair_requests = (
        RepairRequest.objects.filter(household=household)
        .select_related("category__parent", "home", "building")
        .order_by("created_at")
    )
    return {
        "household": household,
        "members": list(household.members.order_by("email")),
        "cases": cases,
        "repair_requests": list(repair_requests),
    }


# --- Tenants' own reports ----------------------------------------------------------------------------


def tenant_reports_for(household: Household | None) -> QuerySet[SocialCase]:
    """The household's own support and nuisance reports: status only, never what the office wrote."""
    if household is None:
        return SocialCase.objects.none()
    return (
        SocialCase.objects.filter(
            parties__household=household,
            parties__role=PartyRole.REPORTER,
            anonymised_at__isnull=True,
        )
        .only("uuid", "number", "case_type", "nuisance_kind", "status", "opened_at", "closed_at")
        .order_by("-opened_at")
    )


# --- Aggregates for the board and the corporation ----------------------------------------------------


def suppress_small_counts(counts: dict[str, int]) -> dict[str, str]:
    """Counts below 5 become "< 5"; if exactly one is hidden, the next smallest is hidden too.

    Without the second step the hidden figure could be worked out from the total.
    """
    shown = {key: str(value) for key, value in counts.items()}
    hidden = {key for key, value in counts.items() if value < SMALL_COUNT_THRESHOLD}
    if len(hidden) == 1 and len(counts) > 1:
        next_smallest = min(
            (key for key in counts if key not in hidden), key=lambda key: counts[key]
        )
        hidden.add(next_smallest)
    for key in hidden:
        shown[key] = str(_("< 5")) if counts[key] < SMALL_COUNT_THRESHOLD else str(_("hidden"))
    return shown


@dataclass(frozen=True)
class CountRow:
    label: str
    value: str


def _grouped_counts(queryset: QuerySet[SocialCase], field: str, choices) -> list[CountRow]:
    raw = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    counts = {str(value): raw.get(value, 0) for value, _label in choices}
    shown = suppress_small_counts(counts)
    return [CountRow(label=str(label), value=shown[str(value)]) for value, label in choices]


def social_case_counts(
    *, opened_from: date | None = None, opened_until: date | None = None
) -> dict[str, object]:
    """Counts by type, status and outcome, each table suppressed on its own; totals below 5 too."""
    queryset = SocialCase.objects.all()
    if opened_from:
        queryset = queryset.filter(opened_at__date__gte=opened_from)
    if opened_until:
        queryset = queryset.filter(opened_at__date__lte=opened_until)
    total = queryset.count()
    ended = queryset.filter(status__in=ENDED_CASE_STATUSES)
    return {
        "total": str(total) if total >= SMALL_COUNT_THRESHOLD else str(_("< 5")),
        "by_type": _grouped_counts(queryset, "case_type", CaseType.choices),
        "by_status": _grouped_counts(queryset, "status", CaseStatus.choices),
        "by_outcome": _grouped_counts(ended, "outcome", CaseOutcome.choices),
    }
