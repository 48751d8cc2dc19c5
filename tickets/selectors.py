"""Reads of repair requests and work orders, always scoped to who asks."""

import hashlib
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role, has_role
from zelfbeheer.housing.models import Household

from .constants import (
    ACTIVE_WORK_ORDER_STATUSES,
    OPEN_REQUEST_STATUSES,
    EventVisibility,
    RequestStatus,
    Responsibility,
    WorkOrderStatus,
)
from .models import (
    AlsoAffected,
    CallListEntry,
    Contract,
    Contractor,
    Referral,
    RepairRequest,
    RequestEvent,
    WorkCategory,
    WorkOrder,
)

URGENCY_ORDER = Case(
    When(urgency="emergency", then=Value(0)),
    When(urgency="urgent", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def household_current_for(user: User) -> Household | None:
    """The household the tenant lives in now (a tenant belongs to one current tenancy)."""
    if not user.is_authenticated:
        return None
    return (
        Household.objects.filter(members=user, end_date__isnull=True)
        .select_related("home__building__complex")
        .first()
    )


def responsibility_for(category: WorkCategory, on_date: date) -> str:
    """The party responsible for a category on a date: its own rule, else its trade's, else the foundation.

    Before the daily-maintenance phase starts, the foundation's work goes to the corporation. Two queries;
    the decision itself lives in `tickets.matrix`, shared with the coordinator's overview and preview.
    """
    from .matrix import responsibility_explain

    return responsibility_explain(category, on_date).responsibility


def trades_for_reporting() -> list[WorkCategory]:
    """The trades that have defects to choose from, with their defects, in two queries."""
    return list(
        WorkCategory.objects.filter(parent__isnull=True, children__isnull=False)
        .distinct()
        .prefetch_related("children")
        .order_by("name")
    )


def defect_get(trade_code: str, defect_code: str) -> WorkCategory:
    found = (
        WorkCategory.objects.filter(code=defect_code, parent__code=trade_code)
        .select_related("parent")
        .first()
    )
    if found is None:
        raise Http404
    return found


def work_categories_for_reporting() -> QuerySet[WorkCategory]:
    return (
        WorkCategory.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def _request_list_queryset() -> QuerySet[RepairRequest]:
    return RepairRequest.objects.select_related("category__parent", "home", "building")


def repair_requests_visible_to(user: User) -> QuerySet[RepairRequest]:
    """Desk and coordinator see every request; a tenant only their household's, past tenancies excluded."""
    if has_role(user, Role.DESK, Role.COORDINATOR):
        return _request_list_queryset()
    if has_role(user, Role.TENANT):
        # Their own household's requests, and shared-area reports they joined ("affects me too").
        # The ids are looked up first, in one query: with literal ids the database combines two index
        # scans; an OR over subqueries or joins made it scan every request (a second per page at a
        # million requests).
        own = (
            Household.objects.filter(members=user, end_date__isnull=True)
            .annotate(kind=Value("household"))
            .values_list("kind", "pk")
        )
        joined = (
            AlsoAffected.objects.filter(household__members=user, household__end_date__isnull=True)
            .annotate(kind=Value("request"))
            .values_list("kind", "request_id")
        )
        household_ids, joined_ids = [], []
        for kind, pk in own.union(joined, all=True):
            (household_ids if kind == "household" else joined_ids).append(pk)
        return _request_list_queryset().filter(
            Q(household_id__in=household_ids) | Q(pk__in=joined_ids)
        )
    return RepairRequest.objects.none()


def open_shared_area_requests(building_id: int, category: WorkCategory) -> QuerySet[RepairRequest]:
    """Open reports of the same defect in the same building, shown before a neighbour files another."""
    return (
        RepairRequest.objects.filter(
            building_id=building_id,
            category=category,
            status__in=(
                RequestStatus.REGISTERED,
                RequestStatus.ASSESSING,
                RequestStatus.IN_PROGRESS,
            ),
        )
        .select_related("category")
        .order_by("-created_at")
    )


def shared_area_request_in_building(building_id: int, request_uuid) -> RepairRequest:
    """A shared-area request of the tenant's own building, or 404 (neighbours elsewhere stay private)."""
    found = RepairRequest.objects.filter(
        building_id=building_id, home__isnull=True, uuid=request_uuid
    ).first()
    if found is None:
        raise Http404
    return found


def repair_request_current_work_order(repair_request: RepairRequest) -> WorkOrder | None:
    """The most recent work order that is not cancelled (the one with the appointment)."""
    return (
        repair_request.work_orders.exclude(status=WorkOrderStatus.CANCELLED)
        .select_related("contractor")
        .order_by("-created_at")
        .first()
    )


def repair_request_get_for(user: User, request_uuid) -> RepairRequest:
    """The request or 404: the same answer for 'missing' and 'not yours'."""
    # The rating comes along (a reverse one-to-one): the detail page shows it or offers to rate.
    found = (
        repair_requests_visible_to(user).select_related("rating").filter(uuid=request_uuid).first()
    )
    if found is None:
        raise Http404
    return found


def repair_request_public_events(repair_request: RepairRequest) -> QuerySet[RequestEvent]:
    return repair_request.events.filter(visibility=EventVisibility.PUBLIC).order_by(
        "created_at", "pk"
    )


def repair_request_ids_awaiting_routing(created_before: datetime) -> list[int]:
    """Requests the foundation handles that have no work order yet and are not waiting on the desk."""
    return list(
        RepairRequest.objects.filter(
            status__in=(RequestStatus.REGISTERED, RequestStatus.ASSESSING),
            responsibility=Responsibility.FOUNDATION,
            routing_flagged=False,
            created_at__lt=created_before,
        )
        .exclude(work_orders__status__in=ACTIVE_WORK_ORDER_STATUSES)
        .values_list("pk", flat=True)
    )


def work_order_ids_awaiting_notification(created_before: datetime) -> list[int]:
    return list(
        WorkOrder.objects.filter(
            status__in=ACTIVE_WORK_ORDER_STATUSES,
            contractor_notified_at__isnull=True,
            created_at__lt=created_before,
        ).values_list("pk", flat=True)
    )


def eligible_contracts_for(repair_request: RepairRequest, on_date: date) -> QuerySet[Contract]:
    """Contracts that may take this request, best first, each with `open_orders` and `used` annotated.

    Eligible: an active contractor whose contract is valid on the date, covers the trade (and the defect,
    when the contract names defects) and the complex, is below its annual ceiling (committed + actual this
    year), and has not already declined or let this request expire. Ranked by contract priority, then
    fewest open work orders, then least recently assigned.
    """
    from budget.models import BudgetEntry

    category = repair_request.category
    used_this_year = (
        BudgetEntry.objects.filter(contract=OuterRef("pk"), booked_on__year=on_date.year)
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    open_orders = (
        WorkOrder.objects.filter(
            contractor=OuterRef("contractor"), status__in=ACTIVE_WORK_ORDER_STATUSES
        )
        .values("contractor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    last_assigned = (
        WorkOrder.objects.filter(contractor=OuterRef("contractor"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    refused_before = WorkOrder.objects.filter(
        request=repair_request, contractor=OuterRef("contractor"), status=WorkOrderStatus.CANCELLED
    )
    names_defects = Contract.categories.through.objects.filter(contract=OuterRef("pk"))
    names_this_defect = names_defects.filter(workcategory=category)
    return (
        Contract.objects.filter(
            contractor__is_active=True,
            valid_from__lte=on_date,
            valid_until__gte=on_date,
            trades=category.trade,
            complexes=repair_request.complex_id,
        )
        .filter(~Exists(names_defects) | Exists(names_this_defect))
        .exclude(Exists(refused_before))
        .select_related("contractor")
        .annotate(
            used=Coalesce(
                Subquery(used_this_year), Value(Decimal("0")), output_field=DecimalField()
            ),
            open_orders=Coalesce(Subquery(open_orders), Value(0)),
            last_assigned=Subquery(last_assigned),
        )
        .filter(used__lt=F("annual_ceiling"))
        .order_by(
            "priority",
            "open_orders",
            F("last_assigned").asc(nulls_first=True),
            "contractor__name",
            "pk",
        )
    )


def _work_order_queryset() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.select_related(
        "request__home",
        "request__building",
        "request__household",
        "request__category__parent",
        "contractor",
    )


def work_orders_visible_to(user: User) -> QuerySet[WorkOrder]:
    base = _work_order_queryset()
    if has_role(user, Role.DESK, Role.COORDINATOR):
        return base
    if has_role(user, Role.CONTRACTOR):
        # Literal ids rather than a join through the users: the planner then uses the contractor's
        # indexes instead of reading every order (120 ms to 1 ms for the finished tab at 850,000 orders).
        contractor_ids = list(
            Contractor.users.through.objects.filter(user=user).values_list(
                "contractor_id", flat=True
            )
        )
        return base.filter(contractor_id__in=contractor_ids)
    return WorkOrder.objects.none()


def contractor_work_orders(user: User, *, done: bool) -> QuerySet[WorkOrder]:
    """The contractor's open orders (earliest appointment, then oldest first), or its finished ones."""
    # Only what the list shows: every further join added milliseconds of planning to each page.
    orders = (
        work_orders_visible_to(user)
        .select_related(None)
        .select_related("request__home", "request__building", "request__category")
    )
    if done:
        return orders.exclude(status__in=ACTIVE_WORK_ORDER_STATUSES).order_by("-created_at", "-pk")
    return orders.filter(status__in=ACTIVE_WORK_ORDER_STATUSES).order_by(
        F("appointment_start").asc(nulls_last=True), "created_at", "pk"
    )


def work_order_by_token(raw_token: str) -> tuple[WorkOrder | None, bool]:
    """The work order a link token opens, and whether the link has expired."""
    if not raw_token or len(raw_token) > 128:
        return None, False
    work_order = WorkOrder.objects.filter(access_token_hash=token_hash(raw_token)).first()
    if work_order is None:
        return None, False
    return work_order, work_order.access_token_expires_at < timezone.now()


def work_order_get_for(user: User, work_order_uuid, session_scoped_uuids: list[str]) -> WorkOrder:
    """A contractor reaches an order through their account, or through the session a signed link opened."""
    queryset = work_orders_visible_to(user)
    if str(work_order_uuid) in session_scoped_uuids:
        queryset = _work_order_queryset()
    found = queryset.filter(uuid=work_order_uuid).first()
    if found is None:
        raise Http404
    return found


def call_list_open() -> QuerySet[CallListEntry]:
    """Updates the office still has to pass on by phone or letter, oldest first."""
    return CallListEntry.objects.filter(done_at__isnull=True).select_related(
        "household__home", "request__category", "event"
    )


def desk_queue_queryset() -> QuerySet[RepairRequest]:
    """Every request with what the queue shows, in a fixed number of queries whatever the size."""
    active_contractor = WorkOrder.objects.filter(
        request=OuterRef("pk"), status__in=ACTIVE_WORK_ORDER_STATUSES
    ).values("contractor__name")[:1]
    return RepairRequest.objects.select_related("category__parent", "home", "building").annotate(
        contractor_name=Subquery(active_contractor)
    )


# What a row of the desk's queue shows: a request's long texts (description, availability, reason)
# stay in the database. Category names are read in every language (django-modeltranslation picks
# the reader's, falling back to Dutch).
_CATEGORY_NAMES = [f"name_{code}" for code, _label in settings.LANGUAGES]
# A request on one line: number, when, what and where.
_REQUEST_LINE_FIELDS = (
    "uuid", "number", "created_at", "home_id", "building_id", "category_id",
    "home__street", "home__house_number", "home__house_number_addition", "building__name",
    "category__parent_id",
    *(f"category__{name}" for name in _CATEGORY_NAMES),
    *(f"category__parent__{name}" for name in _CATEGORY_NAMES),
)  # fmt: skip
QUEUE_ROW_FIELDS = (
    *_REQUEST_LINE_FIELDS,
    "urgency", "status", "sla_state", "resolution_due", "channel",
)  # fmt: skip


def desk_queue_rows() -> QuerySet[RepairRequest]:
    """The queue's rows: only the columns the table shows."""
    return desk_queue_queryset().only(*QUEUE_ROW_FIELDS)


def desk_next_request(after: RepairRequest) -> RepairRequest | None:
    """The next open request in the desk's working order (most urgent first, then oldest)."""
    return (
        RepairRequest.objects.filter(status__in=(RequestStatus.REGISTERED, RequestStatus.ASSESSING))
        .exclude(pk=after.pk)
        .order_by(URGENCY_ORDER, "created_at")
        .first()
    )


def desk_sla_counts() -> dict[str, int]:
    """How many open requests are at risk or overdue, for the desk's start page (one query)."""
    counts = RepairRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).aggregate(
        at_risk=Count("pk", filter=Q(sla_state="at_risk")),
        overdue=Count("pk", filter=Q(sla_state="overdue")),
        flagged=Count("pk", filter=Q(routing_flagged=True, status__in=("REG", "BEO"))),
    )
    return counts


def referrals_recent(limit: int = 200) -> QuerySet[Referral]:
    """The latest referrals to Bo-Ex, unacknowledged first."""
    return Referral.objects.select_related(
        "request__category__parent",
        "request__home",
        "request__building",
        "sent_by",
        "acknowledged_by",
    ).order_by(F("acknowledged_at").asc(nulls_first=True), "-sent_at")[:limit]


def emergencies_to_call(limit: int = 20) -> QuerySet[RepairRequest]:
    """The oldest open emergencies no contractor has accepted yet: the desk calls these at once."""
    accepted = WorkOrder.objects.filter(
        request=OuterRef("pk"),
        status__in=(WorkOrderStatus.AWARDED, WorkOrderStatus.PLANNED, WorkOrderStatus.IN_PROGRESS),
    )
    # The few requests first (a subquery with its own LIMIT is planned on its own), then their
    # addresses and categories: planned as one seven-table join, the query took 5 ms to plan and
    # 2 ms to run at a million requests.
    oldest = (
        RepairRequest.objects.filter(urgency="emergency", status__in=OPEN_REQUEST_STATUSES)
        .exclude(Exists(accepted))
        .order_by("created_at")
        .values("pk")[:limit]
    )
    return (
        RepairRequest.objects.filter(pk__in=Subquery(oldest))
        .select_related("home", "building", "household", "category__parent")
        .only(*_REQUEST_LINE_FIELDS, "contact_phone", "household_id", "household__phone")
        .order_by("created_at")
    )
