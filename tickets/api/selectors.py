"""Reads for the contractor API, always scoped to the contractor whose token is used."""

from django.db.models import QuerySet
from django.http import Http404

from ..models import ApiToken, Contractor, WorkOrder
from ..selectors import token_hash

# A raw token is 43 characters; anything much longer is not worth hashing.
MAX_RAW_TOKEN_LENGTH = 128


def contractor_find(identifier: str) -> Contractor | None:
    """A contractor by chamber of commerce number (8 digits) or, failing that, by id."""
    identifier = identifier.strip()
    if not identifier.isdigit():
        return None
    by_kvk = list(Contractor.objects.filter(kvk_number=identifier)[:2])
    if len(by_kvk) == 1:
        return by_kvk[0]
    if by_kvk:
        return None  # two contractors share the number: the id must be used
    return Contractor.objects.filter(pk=int(identifier)).first()


def api_token_find(raw_token: str) -> ApiToken | None:
    """The token with this raw value (revoked or not), with its contractor; None when unknown."""
    if not raw_token or len(raw_token) > MAX_RAW_TOKEN_LENGTH:
        return None
    return (
        ApiToken.objects.select_related("contractor")
        .filter(token_hash=token_hash(raw_token))
        .first()
    )


def work_orders_of_contractor(contractor: Contractor, status: str = "") -> QuerySet[WorkOrder]:
    """The contractor's work orders, newest first, with everything the API shows in one query."""
    queryset = WorkOrder.objects.filter(contractor=contractor).select_related(
        "request__home__building",
        "request__building",
        "request__household",
        "request__category",
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def work_order_get_for_contractor(contractor: Contractor, work_order_uuid) -> WorkOrder:
    """The contractor's own work order or 404: the same answer for 'missing' and 'not yours'."""
    found = work_orders_of_contractor(contractor).filter(uuid=work_order_uuid).first()
    if found is None:
        raise Http404
    return found
