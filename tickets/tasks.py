"""Thin Celery tasks: they take ids and call services, which check 'already done?' themselves."""

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import notifications, photo_drafts, selectors, services, sla, work_orders

TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=8)
def route_repair_request(repair_request_id: int) -> int | None:
    work_order = services.repair_request_route(repair_request_id)
    return work_order.pk if work_order else None


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=8)
def notify_contractor(work_order_id: int) -> bool:
    return services.work_order_notify_contractor(work_order_id)


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=8)
def send_request_confirmation(repair_request_id: int) -> bool:
    return services.repair_request_send_confirmation(repair_request_id)


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=8)
def notify_household(event_id: int) -> int:
    return notifications.household_notify_of_event(event_id)


@shared_task
def sweep_unrouted_repair_requests(older_than_minutes: int = 2) -> int:
    """Re-enqueue routing for requests whose task was lost (e.g. the broker was down at submission)."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    # Work orders whose contractor mail was never queued (the broker was down right after routing).
    for work_order_id in selectors.work_order_ids_awaiting_notification(created_before=cutoff):
        notify_contractor.delay(work_order_id)
    missed = selectors.repair_request_ids_awaiting_routing(created_before=cutoff)
    count = 0
    for repair_request_id in missed:
        route_repair_request.delay(repair_request_id)
        count += 1
    return count


@shared_task
def remove_expired_photo_drafts() -> int:
    return photo_drafts.drafts_remove_expired()


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def refresh_sla_states() -> dict[str, int]:
    """Every 15 minutes: store SLA states, and warn coordinators before the legal term (both idempotent)."""
    counts = sla.sla_states_refresh()
    return {**counts, "legal_warnings": sla.legal_deadline_warnings()}


@shared_task
def expire_unaccepted_work_orders() -> int:
    return work_orders.work_orders_expire_unaccepted()


@shared_task
def send_appointment_reminders() -> int:
    return work_orders.appointment_reminders_send()
