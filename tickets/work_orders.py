"""The contractor's side of a work order: accept, decline, a visit without result, a new link, reminders.

Web pages, the JSON API and periodic tasks all call these functions; each locks the work order, refuses
what its state does not allow (`WorkOrderRefused`, with a message for the contractor), and enqueues work
only on commit.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zelfbeheer.accounts.models import User

from . import services
from .constants import ACTIVE_WORK_ORDER_STATUSES, EventVisibility, RequestStatus, WorkOrderStatus
from .models import RepairRequest, VisitOutcome, WorkOrder, WorkOrderAttempt


class WorkOrderRefused(Exception):
    """Not possible in the work order's current state; the message is for the contractor."""


def _locked(work_order: WorkOrder) -> WorkOrder:
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("contractor", "contract", "request")
        .get(pk=work_order.pk)
    )


def _request_locked(work_order: WorkOrder) -> RepairRequest:
    return RepairRequest.objects.select_for_update().get(pk=work_order.request_id)


def work_order_accept(
    *, work_order: WorkOrder, actor: User | None, estimate: Decimal | None = None
) -> WorkOrder:
    """The contractor takes the job; the tenant hears who comes, and the estimate is committed."""
    from budget.services import commitment_book_for_work_order

    if estimate is not None and estimate < 0:
        raise WorkOrderRefused(_("An estimate cannot be negative."))
    with transaction.atomic():
        locked = _locked(work_order)
        if locked.status == WorkOrderStatus.AWARDED or locked.accepted_at is not None:
            return locked
        if locked.status != WorkOrderStatus.REGISTERED:
            raise WorkOrderRefused(_("This work order can no longer be accepted."))
        locked.status = WorkOrderStatus.AWARDED
        locked.accepted_at = timezone.now()
        locked.estimate = estimate
        locked.save(update_fields=["status", "accepted_at", "estimate"])
        repair_request = _request_locked(locked)
        services.request_event_add(
            repair_request,
            "contractor_assigned",
            actor=actor,
            data={"contractor": locked.contractor.name},
        )
        if estimate is not None:
            commitment_book_for_work_order(locked)
    return locked


def _refuse_and_reroute(locked: WorkOrder, kind: str, reason: str, actor: User | None) -> None:
    """Caller holds the work order lock. The request goes back to routing; the sweep is the safety net."""
    locked.status = WorkOrderStatus.CANCELLED
    locked.declined_at = timezone.now()
    locked.decline_reason = reason
    locked.save(update_fields=["status", "declined_at", "decline_reason"])
    repair_request = _request_locked(locked)
    old_status = repair_request.status
    if repair_request.status == RequestStatus.IN_PROGRESS:
        repair_request.status = RequestStatus.ASSESSING
        repair_request.save(update_fields=["status", "updated_at"])
    services.request_event_add(
        repair_request,
        kind,
        actor=actor,
        old_status=old_status,
        visibility=EventVisibility.INTERNAL,
        data={"contractor": locked.contractor.name, "reason": reason},
    )
    transaction.on_commit(lambda: services.enqueue_routing(repair_request.pk))


def work_order_decline(*, work_order: WorkOrder, reason: str, actor: User | None) -> WorkOrder:
    if not reason.strip():
        raise WorkOrderRefused(_("Please give a reason for declining."))
    with transaction.atomic():
        locked = _locked(work_order)
        if locked.status == WorkOrderStatus.CANCELLED:
            return locked
        if locked.status != WorkOrderStatus.REGISTERED:
            raise WorkOrderRefused(
                _("You accepted this work order; call the office if you cannot carry it out.")
            )
        _refuse_and_reroute(locked, "contractor_declined", reason.strip(), actor)
    return locked


CANCELLABLE_WORK_ORDER_STATUSES = (
    WorkOrderStatus.REGISTERED,
    WorkOrderStatus.AWARDED,
    WorkOrderStatus.PLANNED,
    WorkOrderStatus.IN_PROGRESS,
)


def work_order_cancel(*, work_order: WorkOrder, reason: str, actor: User) -> WorkOrder:
    """The office withdraws an order that was not carried out; its commitment is released.

    The request goes back to the desk to decide (route again, forward, or close).
    """
    from budget.services import commitment_recompute

    if not reason.strip():
        raise WorkOrderRefused(_("Please give a reason for cancelling."))
    with transaction.atomic():
        locked = _locked(work_order)
        if locked.status == WorkOrderStatus.CANCELLED:
            return locked
        if locked.status not in CANCELLABLE_WORK_ORDER_STATUSES:
            raise WorkOrderRefused(_("This work order is done and can no longer be cancelled."))
        locked.status = WorkOrderStatus.CANCELLED
        locked.save(update_fields=["status"])
        commitment_recompute(locked)
        repair_request = _request_locked(locked)
        old_status = repair_request.status
        if repair_request.status == RequestStatus.IN_PROGRESS:
            repair_request.status = RequestStatus.ASSESSING
            repair_request.routing_flagged = True
            repair_request.save(update_fields=["status", "routing_flagged", "updated_at"])
        services.request_event_add(
            repair_request,
            "work_order_cancelled",
            actor=actor,
            old_status=old_status,
            visibility=EventVisibility.INTERNAL,
            data={"contractor": locked.contractor.name, "reason": reason.strip()},
        )
    return locked


def work_orders_expire_unaccepted(now=None) -> int:
    """Work orders not accepted before their deadline go to the next contractor (periodic task)."""
    now = now or timezone.now()
    expired = 0
    overdue_ids = list(
        WorkOrder.objects.filter(
            status=WorkOrderStatus.REGISTERED, accept_before__lt=now
        ).values_list("pk", flat=True)
    )
    for work_order_id in overdue_ids:
        with transaction.atomic():
            locked = _locked(WorkOrder(pk=work_order_id))
            if locked.status != WorkOrderStatus.REGISTERED or locked.accept_before >= now:
                continue
            _refuse_and_reroute(locked, "acceptance_expired", _("not accepted in time"), None)
            expired += 1
    return expired


def work_order_attempt_record(
    *, work_order: WorkOrder, outcome: str, actor: User | None, notes: str = ""
) -> WorkOrderAttempt:
    """A visit that did not finish the job: nobody home (call-out fee) or parts needed (follow-up)."""
    if outcome not in VisitOutcome.values:
        raise WorkOrderRefused(_("Choose what happened."))
    with transaction.atomic():
        locked = _locked(work_order)
        if locked.status not in (
            WorkOrderStatus.AWARDED,
            WorkOrderStatus.PLANNED,
            WorkOrderStatus.IN_PROGRESS,
        ):
            raise WorkOrderRefused(_("Accept and plan the work order first."))
        fee = locked.contract.call_out_fee if outcome == VisitOutcome.NOT_HOME else Decimal("0")
        attempt = WorkOrderAttempt.objects.create(
            work_order=locked, outcome=outcome, call_out_fee=fee, notes=notes
        )
        locked.status = WorkOrderStatus.AWARDED
        locked.appointment_start = locked.appointment_end = None
        locked.reminder_sent_at = None
        locked.save(
            update_fields=["status", "appointment_start", "appointment_end", "reminder_sent_at"]
        )
        repair_request = _request_locked(locked)
        services.request_event_add(
            repair_request,
            "missed_appointment" if outcome == VisitOutcome.NOT_HOME else "follow_up_needed",
            actor=actor,
        )
    return attempt


def work_order_send_new_link(work_order: WorkOrder) -> bool:
    """Send a fresh link to the contractor's own address (never to whoever asks), at most every 10 minutes."""
    with transaction.atomic():
        locked = _locked(work_order)
        if locked.status not in ACTIVE_WORK_ORDER_STATUSES:
            return False
        recently = (
            locked.contractor_notified_at
            and timezone.now() - locked.contractor_notified_at < timedelta(minutes=10)
        )
        if recently:
            return False
        locked.contractor_notified_at = None
        locked.save(update_fields=["contractor_notified_at"])
    return services.work_order_notify_contractor(work_order.pk)


def appointment_reminders_send(now=None) -> int:
    """The day before an appointment the household is reminded, once (periodic task)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = WorkOrder.objects.filter(
        status__in=ACTIVE_WORK_ORDER_STATUSES,
        appointment_start__date=tomorrow,
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for work_order_id in list(due):
        with transaction.atomic():
            locked = _locked(WorkOrder(pk=work_order_id))
            if locked.reminder_sent_at is not None or locked.appointment_start is None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            services.request_event_add(
                _request_locked(locked),
                "appointment_reminder",
                data={
                    "start": locked.appointment_start.isoformat(),
                    "end": locked.appointment_end.isoformat(),
                },
            )
            sent += 1
    return sent


def contracts_expiring(days: int = 60):
    """Contracts ending within `days`, for the coordinator (no successor check: that is a human decision)."""
    from .models import Contract

    today = timezone.localdate()
    return (
        Contract.objects.filter(
            valid_until__gte=today, valid_until__lte=today + timedelta(days=days)
        )
        .select_related("contractor")
        .order_by("valid_until")
    )
