"""What a tenant can do with their own request after submitting it: add information, cancel, reopen, rate.

Callers have fetched the request through `selectors.repair_request_get_for(user, ...)`, so access is settled;
these functions check that the request is in a state that allows the action.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zelfbeheer.accounts.models import User
from zelfbeheer.housing.models import Household

from . import services
from .constants import ACTIVE_WORK_ORDER_STATUSES, REOPEN_WINDOW_DAYS, RequestStatus, Responsibility
from .models import AlsoAffected, Rating, RepairRequest
from .photo_services import photos_store
from .photos import PhotoRejected, ProcessedPhoto
from .services import request_event_add

DONE_STATUSES = (RequestStatus.TECHNICALLY_DONE, RequestStatus.FINANCIAL, RequestStatus.CLOSED)


class ActionRefused(Exception):
    """The request is not in a state that allows this; the message is for the user."""


def _locked(repair_request: RepairRequest) -> RepairRequest:
    return RepairRequest.objects.select_for_update().get(pk=repair_request.pk)


def can_cancel(repair_request: RepairRequest) -> bool:
    return repair_request.status in (RequestStatus.REGISTERED, RequestStatus.ASSESSING) and not any(
        order.status in ACTIVE_WORK_ORDER_STATUSES for order in repair_request.work_orders.all()
    )


def can_reopen(repair_request: RepairRequest, now=None) -> bool:
    now = now or timezone.now()
    return (
        repair_request.status in DONE_STATUSES
        and repair_request.responsibility == Responsibility.FOUNDATION
        and repair_request.completed_at is not None
        and now - repair_request.completed_at <= timedelta(days=REOPEN_WINDOW_DAYS)
    )


def can_rate(repair_request: RepairRequest) -> bool:
    return repair_request.status in DONE_STATUSES and not hasattr(repair_request, "rating")


def repair_request_add_info(
    *,
    repair_request: RepairRequest,
    user: User,
    message: str = "",
    photos: Sequence[ProcessedPhoto] = (),
) -> None:
    """Extra words and/or photos from the tenant. Photos are stored first (photos_store keeps no orphan
    files when it fails), then the timeline says what was added."""
    if repair_request.status == RequestStatus.CANCELLED:
        raise ActionRefused(_("This request was cancelled. Please report the problem again."))
    if photos:
        try:
            photos_store(repair_request=repair_request, processed=photos, uploaded_by=user)
        except PhotoRejected as rejection:
            raise ActionRefused(rejection.message) from None
    with transaction.atomic():
        repair_request = _locked(repair_request)
        if message:
            request_event_add(repair_request, "tenant_info", actor=user, message=message)
        if photos:
            request_event_add(
                repair_request, "photos_added", actor=user, data={"count": len(photos)}
            )


def repair_request_cancel(*, repair_request: RepairRequest, user: User) -> None:
    with transaction.atomic():
        repair_request = _locked(repair_request)
        if repair_request.status == RequestStatus.CANCELLED:
            return
        if not can_cancel(repair_request):
            raise ActionRefused(
                _(
                    "A contractor is already working on this request. Please call the office to cancel it."
                )
            )
        old_status = repair_request.status
        repair_request.status = RequestStatus.CANCELLED
        repair_request.save(update_fields=["status", "updated_at"])
        request_event_add(repair_request, "cancelled", actor=user, old_status=old_status)


def repair_request_reopen(*, repair_request: RepairRequest, user: User, reason: str) -> None:
    """The problem is not solved: the request goes back to the start and is routed again."""
    with transaction.atomic():
        repair_request = _locked(repair_request)
        if not can_reopen(repair_request):
            raise ActionRefused(
                _(
                    "This request can no longer be reopened. Please report the problem as a new request."
                )
            )
        old_status = repair_request.status
        repair_request.status = RequestStatus.REGISTERED
        repair_request.completed_at = None
        repair_request.reopened_count += 1
        repair_request.save(
            update_fields=["status", "completed_at", "reopened_count", "updated_at"]
        )
        request_event_add(repair_request, "reopened", actor=user, old_status=old_status)
        request_event_add(repair_request, "tenant_info", actor=user, message=reason)
        if repair_request.responsibility == Responsibility.FOUNDATION:
            transaction.on_commit(lambda: services.enqueue_routing(repair_request.pk))


def repair_request_rate(
    *, repair_request: RepairRequest, user: User, score: int, comment: str = ""
) -> Rating:
    with transaction.atomic():
        repair_request = _locked(repair_request)
        if not can_rate(repair_request):
            raise ActionRefused(_("This repair has already been rated, or it is not finished yet."))
        rating = Rating.objects.create(
            request=repair_request, score=score, comment=comment, rated_by=user
        )
        request_event_add(repair_request, "rated", actor=user)
    return rating


def repair_request_add_affected(
    *, repair_request: RepairRequest, household: Household, user: User, note: str = ""
) -> AlsoAffected:
    """A neighbour joins an open shared-area request instead of filing a second one."""
    with transaction.atomic():
        repair_request = _locked(repair_request)
        if repair_request.status not in (
            RequestStatus.REGISTERED,
            RequestStatus.ASSESSING,
            RequestStatus.IN_PROGRESS,
        ):
            raise ActionRefused(
                _("This report is already closed. Please report the problem again.")
            )
        affected, created = AlsoAffected.objects.get_or_create(
            request=repair_request,
            household=household,
            defaults={"reported_by": user, "note": note},
        )
        if created:
            request_event_add(repair_request, "also_affected", actor=user)
    return affected
