"""Thin Celery tasks: they take ids and call services, which check 'already done?' themselves."""

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services
from .constants import ACTIVE_WORK_ORDER_STATUSES, RequestStatus, Responsibility
from .models import RepairRequest

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


@shared_task
def sweep_unrouted_repair_requests(older_than_minutes: int = 2) -> int:
    """Re-enqueue routing for requests whose task was lost (e.g. the broker was down at submission)."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    missed = (
        RepairRequest.objects.filter(
            status__in=(RequestStatus.REGISTERED, RequestStatus.ASSESSING),
            responsibility=Responsibility.FOUNDATION,
            routing_flagged=False,
            created_at__lt=cutoff,
        )
        .exclude(work_orders__status__in=ACTIVE_WORK_ORDER_STATUSES)
        .values_list("pk", flat=True)
    )
    count = 0
    for repair_request_id in missed:
        route_repair_request.delay(repair_request_id)
        count += 1
    return count
