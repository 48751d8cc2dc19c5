"""The desk's decisions on requests: triage, route, forward to Bo-Ex, explain a tenant's own job, merge.

Every change follows the same shape: lock the row, refuse a save based on an outdated version (two desk
workers on one request), write the timeline, and enqueue work only on commit.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zelfbeheer.accounts.models import User

from . import services
from .constants import (
    ACTIVE_WORK_ORDER_STATUSES,
    OPEN_REQUEST_STATUSES,
    EventVisibility,
    RequestStatus,
    Responsibility,
)
from .models import Referral, RepairRequest, WorkCategory
from .selectors import responsibility_for


class TriageRefused(Exception):
    """The decision cannot be applied; the message is for the desk worker."""


class StaleVersion(TriageRefused):
    pass


def _locked(repair_request: RepairRequest, expected_version: int | None) -> RepairRequest:
    locked = RepairRequest.objects.select_for_update(of=("self",)).get(pk=repair_request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            _(
                "A colleague changed request %(number)s while you were working on it. Nothing was saved; check the new state and try again."
            )
            % {"number": locked.number}
        )
    return locked


def _bump(repair_request: RepairRequest, *fields: str) -> None:
    repair_request.version += 1
    repair_request.save(update_fields=[*fields, "version", "updated_at"])


def _close(repair_request: RepairRequest, status: str, *fields: str) -> None:
    """Leave the request: status set, a paused SLA clock cleared (a closed request has no clock)."""
    repair_request.status = status
    repair_request.sla_paused_since = None
    repair_request.sla_pause_reason = ""
    _bump(repair_request, "status", "sla_paused_since", "sla_pause_reason", *fields)


def repair_request_triage(
    *,
    repair_request: RepairRequest,
    actor: User,
    expected_version: int,
    category: WorkCategory,
    urgency: str,
    responsibility: str,
    override_reason: str = "",
    internal_note: str = "",
    public_message: str = "",
) -> RepairRequest:
    """Set category, urgency and responsibility. Deviating from the matrix needs a reason and is logged."""
    from .sla import sla_due_dates

    with transaction.atomic():
        locked = _locked(repair_request, expected_version)
        if locked.status not in OPEN_REQUEST_STATUSES:
            raise TriageRefused(
                _("Request %(number)s is no longer open.") % {"number": locked.number}
            )
        expected = responsibility_for(category, timezone.localdate(locked.created_at))
        if responsibility != expected and not override_reason.strip():
            raise TriageRefused(_("Deviating from the responsibility matrix needs a reason."))
        changes = []
        for field, new in (
            ("category", category),
            ("urgency", urgency),
            ("responsibility", responsibility),
        ):
            old = getattr(locked, field)
            if old != new:
                changes.append(f"{field}: {old} → {new}")
                setattr(locked, field, new)
        if any(change.startswith("urgency") for change in changes):
            locked.response_due, locked.resolution_due = sla_due_dates(urgency, locked.created_at)
        old_status = locked.status
        if locked.status == RequestStatus.REGISTERED:
            locked.status = RequestStatus.ASSESSING
        if changes or old_status != locked.status:
            _bump(
                locked,
                "category",
                "urgency",
                "responsibility",
                "response_due",
                "resolution_due",
                "status",
            )
            services.request_event_add(
                locked,
                "triaged",
                actor=actor,
                old_status=old_status,
                visibility=EventVisibility.INTERNAL,
                message="; ".join(changes),
            )
        if responsibility != expected:
            services.request_event_add(
                locked,
                "responsibility_override",
                actor=actor,
                visibility=EventVisibility.INTERNAL,
                message=_("Matrix says %(expected)s, set to %(chosen)s: %(reason)s")
                % {
                    "expected": Responsibility(expected).label,
                    "chosen": Responsibility(responsibility).label,
                    "reason": override_reason.strip(),
                },
            )
        if internal_note.strip():
            services.request_event_add(
                locked,
                "note",
                actor=actor,
                visibility=EventVisibility.INTERNAL,
                message=internal_note.strip(),
            )
        if public_message.strip():
            services.request_event_add(
                locked, "office_message", actor=actor, message=public_message.strip()
            )
    return locked


def repair_request_route_now(
    *, repair_request: RepairRequest, actor: User, expected_version: int | None = None
) -> None:
    """Ask for routing after triage; the routing task itself decides and is idempotent."""
    with transaction.atomic():
        locked = _locked(repair_request, expected_version)
        if locked.responsibility != Responsibility.FOUNDATION:
            raise TriageRefused(
                _("Request %(number)s is not the foundation's to route.")
                % {"number": locked.number}
            )
        if locked.work_orders.filter(status__in=ACTIVE_WORK_ORDER_STATUSES).exists():
            raise TriageRefused(
                _("Request %(number)s already has a contractor.") % {"number": locked.number}
            )
        if locked.status not in (RequestStatus.REGISTERED, RequestStatus.ASSESSING):
            raise TriageRefused(
                _("Request %(number)s is no longer open.") % {"number": locked.number}
            )
        locked.routing_flagged = False
        _bump(locked, "routing_flagged")
        transaction.on_commit(lambda: services.enqueue_routing(locked.pk))


def repair_request_forward_to_corporation(
    *,
    repair_request: RepairRequest,
    actor: User,
    summary: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Pass the request on to Bo-Ex with a record of what was sent; the tenant is told."""
    with transaction.atomic():
        locked = _locked(repair_request, expected_version)
        if locked.status not in OPEN_REQUEST_STATUSES:
            raise TriageRefused(
                _("Request %(number)s is no longer open.") % {"number": locked.number}
            )
        existing = locked.referrals.first()
        if existing is not None:
            return existing
        referral = Referral.objects.create(
            request=locked,
            sent_by=actor,
            summary=summary.strip()
            or f"{locked.number}: {locked.category} – {locked.location}\n{locked.description}",
        )
        old_status = locked.status
        locked.responsibility = Responsibility.CORPORATION
        locked.completed_at = timezone.now()
        _close(locked, RequestStatus.CLOSED, "responsibility", "completed_at")
        services.request_event_add(
            locked, "forwarded_to_corporation", actor=actor, old_status=old_status
        )
    return referral


def referral_acknowledge(*, referral: Referral, actor: User) -> Referral:
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
            locked.acknowledged_by = actor
            locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return locked


def repair_request_explain_own_job(
    *, repair_request: RepairRequest, actor: User, advice: str, expected_version: int | None = None
) -> RepairRequest:
    """A kind, explained refusal: the repair is the tenant's own job under the Besluit kleine herstellingen."""
    if not advice.strip():
        raise TriageRefused(_("Explain to the tenant what they can do themselves."))
    with transaction.atomic():
        locked = _locked(repair_request, expected_version)
        if locked.status not in OPEN_REQUEST_STATUSES:
            raise TriageRefused(
                _("Request %(number)s is no longer open.") % {"number": locked.number}
            )
        old_status = locked.status
        locked.responsibility = Responsibility.TENANT
        locked.completed_at = timezone.now()
        _close(locked, RequestStatus.CLOSED, "responsibility", "completed_at")
        services.request_event_add(
            locked, "own_job_explained", actor=actor, old_status=old_status, message=advice.strip()
        )
    return locked


def repair_requests_merge(
    *, into: RepairRequest, duplicates: Sequence[RepairRequest], actor: User
) -> int:
    """Reports of one shared defect become one: the duplicates close, their households follow the main one."""
    from .models import AlsoAffected

    merged = 0
    with transaction.atomic():
        main = _locked(into, None)
        if main.status not in OPEN_REQUEST_STATUSES:
            raise TriageRefused(
                _("Request %(number)s is no longer open.") % {"number": main.number}
            )
        for duplicate in duplicates:
            if duplicate.pk == main.pk:
                continue
            locked = _locked(duplicate, None)
            if locked.status not in OPEN_REQUEST_STATUSES or locked.duplicate_of_id:
                continue
            if locked.work_orders.filter(status__in=ACTIVE_WORK_ORDER_STATUSES).exists():
                raise TriageRefused(
                    _("Request %(number)s already has a contractor; cancel that work order first.")
                    % {"number": locked.number}
                )
            old_status = locked.status
            locked.duplicate_of = main
            _close(locked, RequestStatus.CANCELLED, "duplicate_of")
            services.request_event_add(
                locked, "merged", actor=actor, old_status=old_status, data={"number": main.number}
            )
            if locked.household_id and locked.household_id != main.household_id:
                AlsoAffected.objects.get_or_create(
                    request=main,
                    household_id=locked.household_id,
                    defaults={"reported_by": locked.reporter},
                )
            merged += 1
        if merged:
            services.request_event_add(
                main,
                "duplicates_merged",
                actor=actor,
                visibility=EventVisibility.INTERNAL,
                data={"count": merged},
            )
    return merged


def repair_requests_set_urgency(
    *, repair_requests: Sequence[RepairRequest], urgency: str, actor: User
) -> int:
    """Bulk: the same urgency for several requests (each re-timed by its SLA)."""
    changed = 0
    for repair_request in repair_requests:
        with transaction.atomic():
            try:
                locked = _locked(repair_request, None)
            except RepairRequest.DoesNotExist:
                continue
            if locked.status not in OPEN_REQUEST_STATUSES or locked.urgency == urgency:
                continue
            repair_request_triage(
                repair_request=locked,
                actor=actor,
                expected_version=locked.version,
                category=locked.category,
                urgency=urgency,
                responsibility=locked.responsibility,
                override_reason=_("bulk change of urgency"),
            )
            changed += 1
    return changed
