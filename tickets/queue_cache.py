"""The desk's queue table, filter forms, call-now list and counts, kept in the cache until what they show changes.

The office keeps the queue open all day and reloads it often; at a corporation's scale reading and
rendering it took most of the desk's server time. Every save and delete of the models below makes the
next page read it again, so a desk worker sees their own change and a colleague's at once. The SLA
states are written around the models (`sla.sla_states_refresh`) and call `queue_changed` themselves;
anything else written around them (bulk loads, SQL by hand) shows within the timeout.
"""

from zelfbeheer.housing.models import Building, Complex, Home, Household
from zelfbeheer.versioned_cache import VersionedCache

from .models import Contractor, Referral, RepairRequest, WorkCategory, WorkOrder

DESK_QUEUE = VersionedCache("tickets:desk-queue", timeout_seconds=60)

# What the queue's rows, filters (and their choices) and call-now list read.
QUEUE_MODELS = (
    RepairRequest, WorkOrder, Referral, Contractor, WorkCategory, Household, Home, Building, Complex,
)  # fmt: skip


def queue_changed() -> None:
    DESK_QUEUE.changed()


def connect() -> None:
    DESK_QUEUE.renew_on_writes_to(*QUEUE_MODELS)
