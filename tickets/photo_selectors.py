"""Reads of photos, scoped to who asks, built on the request and work-order selectors."""

from uuid import UUID

from django.http import Http404

from zelfbeheer.accounts.models import User

from .constants import ACTIVE_WORK_ORDER_STATUSES
from .models import Photo
from .selectors import repair_request_get_for, work_order_get_for


def photo_get_for(user: User, photo_uuid: UUID, session_scoped_work_orders: list[str]) -> Photo:
    """The photo or 404, the same answer for 'missing' and 'not yours'.

    Whoever may see the request may see its photos. A contractor sees them only while their work
    order on that request is open, through their account or through the session an e-mailed link
    opened, just as the work-order page shows the tenant's details only while the order is open.
    """
    photo = Photo.objects.select_related("request").filter(uuid=photo_uuid).first()
    if photo is None:
        raise Http404
    try:
        repair_request_get_for(user, photo.request.uuid)
    except Http404:
        pass
    else:
        return photo
    # At most one order is active per request (a database constraint); a loop keeps it honest.
    open_order_uuids = photo.request.work_orders.filter(
        status__in=ACTIVE_WORK_ORDER_STATUSES
    ).values_list("uuid", flat=True)
    for work_order_uuid in open_order_uuids:
        try:
            work_order_get_for(user, work_order_uuid, session_scoped_work_orders)
        except Http404:
            continue
        return photo
    raise Http404
