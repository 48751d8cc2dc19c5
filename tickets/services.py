"""Repairs: what the rest of the project may ask of this app.

- `repair_request_submit` records a request (tenant or desk) and, on commit, asks for routing.
- `repair_request_route` picks the contracted professional and creates the work order (idempotent).
- `work_order_notify_contractor` e-mails the contractor a signed link to that one order (idempotent).
- `work_order_complete` records the contractor's completion and books the cost on the budget.
"""

import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zelfbeheer.accounts.models import User
from zelfbeheer.housing.models import Building, ContactPreference, Household
from zelfbeheer.queue import enqueue as _enqueue

from .constants import (
    ACTIVE_WORK_ORDER_STATUSES,
    AVAILABILITY_SLOTS,
    NOTIFIED_EVENT_KINDS,
    Channel,
    EventVisibility,
    RequestStatus,
    Responsibility,
    Urgency,
    WorkOrderStatus,
)
from .models import (
    Referral,
    RepairRequest,
    RequestEvent,
    RequestNumberSequence,
    WorkCategory,
    WorkOrder,
)
from .selectors import eligible_contracts_for, responsibility_for, token_hash

logger = logging.getLogger(__name__)


class RoutingNotPossible(Exception):
    pass


def _request_number_next(year: int) -> str:
    """Caller is inside a transaction; the sequence row stays locked until it commits."""
    RequestNumberSequence.objects.get_or_create(year=year)
    sequence = RequestNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"M-{year}-{sequence.last_number:05d}"


def request_event_add(
    repair_request: RepairRequest,
    kind: str,
    *,
    data: dict | None = None,
    message: str = "",
    actor: User | None = None,
    old_status: str = "",
    visibility: str = EventVisibility.PUBLIC,
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=repair_request,
        kind=kind,
        data=data or {},
        message=message,
        actor=actor,
        old_status=old_status,
        new_status=repair_request.status,
        visibility=visibility,
    )
    if visibility == EventVisibility.PUBLIC and kind in NOTIFIED_EVENT_KINDS:
        transaction.on_commit(lambda: _enqueue_household_notification(event.pk))
    return event


def _enqueue_household_notification(event_id: int) -> None:
    from .tasks import notify_household

    _enqueue(notify_household, event_id)


def repair_request_submit(
    *,
    category: WorkCategory,
    description: str,
    household: Household | None = None,
    building: Building | None = None,
    reporter: User | None = None,
    entered_by: User | None = None,
    channel: str = Channel.WEB,
    room: str = "",
    availability: str = "",
    availability_slots: list[str] | None = None,
    contact_phone: str = "",
    consent_caretaker_key: bool = False,
    tenant_reason: str = "",
) -> RepairRequest:
    """Record a repair request; routing and mails are enqueued only once it is safely committed.

    A defect in a shared area is recorded on the building (the reporting household still follows it).
    A tenant's own job goes to the desk with the tenant's reason, unless the household has the service
    subscription: then it is handled as a normal repair, booked to the subscription.
    """
    if household is None and building is None:
        raise ValueError("A repair request needs a household or a shared area.")
    now = timezone.now()
    responsibility = responsibility_for(category, timezone.localdate(now))
    booked_to_subscription = False
    if responsibility == Responsibility.TENANT and household and household.has_service_subscription:
        from .matrix import subscription_handler

        responsibility = subscription_handler(timezone.localdate(now))
        booked_to_subscription = True
    if category.is_shared_area and household is not None:
        building = household.home.building
    urgency = category.default_urgency
    from .sla import sla_due_dates  # sla uses request_event_add from this module

    response_due, resolution_due = sla_due_dates(urgency, now)
    with transaction.atomic():
        repair_request = RepairRequest.objects.create(
            number=_request_number_next(timezone.localdate(now).year),
            household=household,
            home=household.home if household and not category.is_shared_area else None,
            building=building if category.is_shared_area or household is None else None,
            reporter=reporter,
            entered_by=entered_by,
            channel=channel,
            category=category,
            room="" if category.is_shared_area else room,
            description=description,
            availability=availability,
            availability_slots=[
                slot for slot in availability_slots or [] if slot in AVAILABILITY_SLOTS
            ],
            contact_phone=contact_phone,
            consent_caretaker_key=consent_caretaker_key,
            tenant_reason=tenant_reason if responsibility == Responsibility.TENANT else "",
            booked_to_subscription=booked_to_subscription,
            urgency=urgency,
            responsibility=responsibility,
            response_due=response_due,
            resolution_due=resolution_due,
        )
        request_event_add(repair_request, "received", actor=entered_by or reporter)
        if booked_to_subscription:
            request_event_add(repair_request, "subscription")
        if responsibility == Responsibility.FOUNDATION:
            transaction.on_commit(lambda: enqueue_routing(repair_request.pk))
        elif responsibility == Responsibility.CORPORATION:
            # Bo-Ex's work (before daily maintenance starts, or structural): recorded, passed on, closed here.
            Referral.objects.create(
                request=repair_request,
                summary=f"{repair_request.number}: {category} – {repair_request.location}\n{description}",
            )
            repair_request.status = RequestStatus.CLOSED
            repair_request.completed_at = now
            repair_request.save(update_fields=["status", "completed_at"])
            request_event_add(
                repair_request, "forwarded_to_corporation", old_status=RequestStatus.REGISTERED
            )
        else:
            request_event_add(repair_request, "tenant_responsibility")
        transaction.on_commit(lambda: _enqueue_confirmation(repair_request.pk))
    return repair_request


def enqueue_routing(repair_request_id: int) -> None:
    from .tasks import route_repair_request

    _enqueue(route_repair_request, repair_request_id)


def _enqueue_confirmation(repair_request_id: int) -> None:
    from .tasks import send_request_confirmation

    _enqueue(send_request_confirmation, repair_request_id)


def repair_request_send_confirmation(repair_request_id: int) -> bool:
    """E-mail the reporter the request number; the desk calls those who prefer phone or letter."""
    repair_request = RepairRequest.objects.select_related("reporter", "household", "category").get(
        pk=repair_request_id
    )
    if repair_request.events.filter(kind="confirmation_sent").exists():
        return False
    reporter = repair_request.reporter
    household = repair_request.household
    if reporter is None or (household and household.contact_preference != ContactPreference.EMAIL):
        return False
    language = reporter.preferred_language or (household.preferred_language if household else "nl")
    with translation.override(language):
        subject = _("We received your repair request %(number)s") % {
            "number": repair_request.number
        }
        body = render_to_string(
            "tickets/email/request_received.txt",
            {
                "repair_request": repair_request,
                "office_phone_number": settings.OFFICE_PHONE_NUMBER,
                "detail_url": settings.SITE_URL
                + reverse("tickets:request_detail", kwargs={"request_uuid": repair_request.uuid}),
            },
        )
    with transaction.atomic():
        request_event_add(repair_request, "confirmation_sent", visibility=EventVisibility.INTERNAL)
        send_mail(subject, body, None, [reporter.email])
    return True


def repair_request_route(repair_request_id: int) -> WorkOrder | None:
    """Award the request to the best eligible contract; running it twice creates nothing twice."""
    with transaction.atomic():
        repair_request = (
            RepairRequest.objects.select_for_update(of=("self",))
            .select_related("category__parent", "home__building", "building")
            .get(pk=repair_request_id)
        )
        existing = repair_request.work_orders.filter(status__in=ACTIVE_WORK_ORDER_STATUSES).first()
        if existing is not None:
            return existing
        if repair_request.status not in (RequestStatus.REGISTERED, RequestStatus.ASSESSING):
            return None
        if repair_request.responsibility != Responsibility.FOUNDATION:
            return None
        contract = eligible_contracts_for(repair_request, timezone.localdate()).first()
        old_status = repair_request.status
        if contract is None:
            repair_request.routing_flagged = True
            repair_request.status = RequestStatus.ASSESSING
            repair_request.save(update_fields=["routing_flagged", "status", "updated_at"])
            request_event_add(
                repair_request,
                "routing_failed",
                old_status=old_status,
                visibility=EventVisibility.INTERNAL,
            )
            return None
        # Internal text for the office: always in the office's language, whoever triggered routing.
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(
                "Contract priority %(priority)s, %(open)s open work orders at the time of routing."
            ) % {"priority": contract.priority, "open": contract.open_orders}
        now = timezone.now()
        window = (
            timedelta(minutes=contract.emergency_acceptance_minutes)
            if repair_request.urgency == Urgency.EMERGENCY
            else timedelta(hours=contract.acceptance_hours)
        )
        work_order = WorkOrder.objects.create(
            request=repair_request,
            contractor=contract.contractor,
            contract=contract,
            routing_reason=reason,
            accept_before=now + window,
        )
        repair_request.status = RequestStatus.IN_PROGRESS
        repair_request.routing_flagged = False
        repair_request.save(update_fields=["status", "routing_flagged", "updated_at"])
        # The tenant hears about the contractor once it accepts (work_orders.work_order_accept).
        request_event_add(
            repair_request,
            "work_order_sent",
            data={"contractor": contract.contractor.name},
            old_status=old_status,
            visibility=EventVisibility.INTERNAL,
        )
        transaction.on_commit(lambda: _enqueue_contractor_notification(work_order.pk))
    return work_order


def _enqueue_contractor_notification(work_order_id: int) -> None:
    from .tasks import notify_contractor

    _enqueue(notify_contractor, work_order_id)


def work_order_issue_link(work_order: WorkOrder) -> str:
    """A fresh 256-bit token for one order; only its hash is stored. Caller holds the row lock."""
    raw_token = secrets.token_urlsafe(32)
    work_order.access_token_hash = token_hash(raw_token)
    work_order.access_token_expires_at = timezone.now() + timedelta(
        days=settings.WORK_ORDER_LINK_VALID_DAYS
    )
    return settings.SITE_URL + reverse("tickets:work_order_link", kwargs={"token": raw_token})


def work_order_notify_contractor(work_order_id: int) -> bool:
    """Send the contractor the work order with a signed link, once."""
    with transaction.atomic():
        work_order = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related(
                "request__home", "request__building", "request__category__parent", "contractor"
            )
            .get(pk=work_order_id)
        )
        if (
            work_order.contractor_notified_at is not None
            or work_order.status not in ACTIVE_WORK_ORDER_STATUSES
        ):
            return False
        link = work_order_issue_link(work_order)
        work_order.contractor_notified_at = timezone.now()
        work_order.save(
            update_fields=["access_token_hash", "access_token_expires_at", "contractor_notified_at"]
        )
        with translation.override("nl"):
            subject = _("New work order %(number)s") % {"number": work_order.request.number}
            body = render_to_string(
                "tickets/email/work_order.txt",
                {
                    "work_order": work_order,
                    "link": link,
                    "valid_days": settings.WORK_ORDER_LINK_VALID_DAYS,
                },
            )
        # Sent inside the transaction: if the mail server refuses, nothing is marked sent and the task retries.
        send_mail(subject, body, None, [work_order.contractor.email])
    return True


def work_order_complete(
    *,
    work_order: WorkOrder,
    total_cost: Decimal,
    hours: Decimal | None = None,
    notes: str = "",
    cause_found: str = "",
    materials: str = "",
    actor: User | None = None,
) -> WorkOrder:
    """The contractor reports the work done; the request is technically done and the cost is committed
    (it becomes actual when the invoice is approved)."""
    from budget.services import commitment_correct_at_completion

    with transaction.atomic():
        work_order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        if work_order.status not in ACTIVE_WORK_ORDER_STATUSES:
            return work_order
        now = timezone.now()
        work_order.status = WorkOrderStatus.TECHNICALLY_DONE
        work_order.total_cost = total_cost
        work_order.hours = hours
        work_order.completion_notes = notes
        work_order.cause_found = cause_found
        work_order.materials = materials
        work_order.completed_at = now
        work_order.save(
            update_fields=[
                "status", "total_cost", "hours", "completion_notes", "cause_found", "materials", "completed_at",
            ]
        )  # fmt: skip
        repair_request = RepairRequest.objects.select_for_update().get(pk=work_order.request_id)
        old_status = repair_request.status
        repair_request.status = RequestStatus.TECHNICALLY_DONE
        repair_request.completed_at = now
        repair_request.save(update_fields=["status", "completed_at", "updated_at"])
        request_event_add(
            repair_request,
            "completed",
            actor=actor,
            old_status=old_status,
        )
        if commitment_correct_at_completion(work_order) is None and total_cost:
            request_event_add(
                repair_request,
                "cost_not_booked",
                visibility=EventVisibility.INTERNAL,
            )
    return work_order


def work_order_plan(*, work_order: WorkOrder, start, end, actor: User | None = None) -> WorkOrder:
    """The contractor sets (or moves) the appointment; the household is told, with a calendar file."""
    if end <= start:
        raise ValueError("An appointment ends after it starts.")
    with transaction.atomic():
        work_order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        if work_order.status not in ACTIVE_WORK_ORDER_STATUSES:
            return work_order
        if (work_order.appointment_start, work_order.appointment_end) == (start, end):
            return work_order
        work_order.appointment_start, work_order.appointment_end = start, end
        work_order.status = WorkOrderStatus.PLANNED
        work_order.reminder_sent_at = None  # a moved appointment gets its own reminder
        work_order.save(
            update_fields=["appointment_start", "appointment_end", "status", "reminder_sent_at"]
        )
        repair_request = RepairRequest.objects.select_for_update().get(pk=work_order.request_id)
        request_event_add(
            repair_request,
            "appointment_planned",
            actor=actor,
            data={"start": start.isoformat(), "end": end.isoformat()},
        )
    return work_order
