"""Thin API views: fetch the contractor's own work order, check the input, call the service, answer.

The state rules are the web page's (`tickets.views.CONTRACTOR_ACTIONS`), so both refuse the same things.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services, work_orders
from ..models import WorkOrder
from ..views import CONTRACTOR_ACTIONS
from . import selectors
from .serializers import (
    AcceptSerializer,
    AttemptSerializer,
    CompleteSerializer,
    DeclineSerializer,
    ErrorSerializer,
    PlanSerializer,
    WorkOrderListQuerySerializer,
    WorkOrderSerializer,
)

# action → the statuses it is offered in, as on the web page
ALLOWED_STATUSES = {name: statuses for name, (_f, statuses, _p, _t) in CONTRACTOR_ACTIONS.items()}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This is not possible for the work order in its current state.")
    default_code = "conflict"


COMMON_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No, unknown or revoked key."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests for this key."),
}
NOT_FOUND = {
    404: OpenApiResponse(ErrorSerializer, description="No such work order of this contractor."),
}
INVALID = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Invalid input: field names with their messages, or `detail` for a body that "
        "is not JSON. Nothing was changed.",
    )
}


def _contractor(request: Request):
    return request.user.contractor


class WorkOrderPagination(PageNumberPagination):
    page_size = 50

    def get_page_number(self, request, paginator):
        # Strict: "?page=" or "?page=2&page=3" is not read as page 1 or 3 but refused, like "?page=x".
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        if len(values) > 1 or not (values[0].isascii() and values[0].isdigit()):
            raise exceptions.NotFound(self.invalid_page_message)
        return values[0]


@extend_schema(
    summary="List work orders (DICO: opdrachten)",
    parameters=[WorkOrderListQuerySerializer],
    responses={
        200: WorkOrderSerializer(many=True),
        **INVALID,
        **COMMON_ERRORS,
        404: OpenApiResponse(ErrorSerializer, description="No such page."),
    },
)
class WorkOrderList(generics.ListAPIView):
    """The key's contractor's work orders, newest first, 50 to a page."""

    serializer_class = WorkOrderSerializer
    pagination_class = WorkOrderPagination

    def get_queryset(self):
        query = WorkOrderListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.work_orders_of_contractor(
            _contractor(self.request), status=query.validated_data.get("status", "")
        )


@extend_schema(
    summary="One work order (DICO: opdracht)",
    responses={200: WorkOrderSerializer, **COMMON_ERRORS, **NOT_FOUND},
)
class WorkOrderDetail(generics.RetrieveAPIView):
    serializer_class = WorkOrderSerializer

    def get_object(self) -> WorkOrder:
        return selectors.work_order_get_for_contractor(
            _contractor(self.request), self.kwargs["uuid"]
        )


class WorkOrderAction(APIView):
    """Fetch (404) → check the input (400) → check the state (409) → call the service → the new order."""

    action_name: str  # a key of CONTRACTOR_ACTIONS
    input_serializer: type[serializers.Serializer]

    def perform(self, work_order: WorkOrder, data: dict) -> None:
        raise NotImplementedError

    def post(self, request: Request, uuid) -> Response:
        contractor = _contractor(request)
        work_order = selectors.work_order_get_for_contractor(contractor, uuid)
        incoming = self.input_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if work_order.status not in ALLOWED_STATUSES[self.action_name]:
            raise Conflict
        try:
            self.perform(work_order, incoming.validated_data)
        except work_orders.WorkOrderRefused as refusal:
            raise Conflict(str(refusal)) from None
        work_order = selectors.work_order_get_for_contractor(contractor, uuid)
        return Response(WorkOrderSerializer(work_order).data)


def _action_schema(summary: str, description: str, request) -> dict:
    return {
        "summary": summary,
        "description": description,
        "request": request,
        "responses": {
            200: WorkOrderSerializer,
            **INVALID,
            **COMMON_ERRORS,
            **NOT_FOUND,
            409: OpenApiResponse(
                ErrorSerializer,
                description="Not possible in the order's current status; nothing was changed.",
            ),
        },
    }


@extend_schema(
    **_action_schema(
        "Accept (DICO: opdrachtbevestiging)",
        "Only in status REG. The order becomes GUN; the tenant hears who comes; an estimate is "
        "booked as a commitment.",
        AcceptSerializer,
    )
)
class WorkOrderAccept(WorkOrderAction):
    action_name = "accept"
    input_serializer = AcceptSerializer

    def perform(self, work_order, data):
        work_orders.work_order_accept(
            work_order=work_order, actor=None, estimate=data.get("estimate")
        )


@extend_schema(
    **_action_schema(
        "Decline (DICO: opdrachtweigering)",
        "Only in status REG. The order becomes GEA and the office asks the next contractor.",
        DeclineSerializer,
    )
)
class WorkOrderDecline(WorkOrderAction):
    action_name = "decline"
    input_serializer = DeclineSerializer

    def perform(self, work_order, data):
        work_orders.work_order_decline(work_order=work_order, actor=None, reason=data["reason"])


@extend_schema(
    **_action_schema(
        "Plan the appointment (DICO: planningsverzoek → afspraak)",
        "Only in status GUN or PLN (moving an appointment). A window on one day, not in the past; "
        "the order becomes PLN and the tenant is told.",
        PlanSerializer,
    )
)
class WorkOrderPlan(WorkOrderAction):
    action_name = "plan"
    input_serializer = PlanSerializer

    def perform(self, work_order, data):
        try:
            services.work_order_plan(
                work_order=work_order, start=data["start"], end=data["end"], actor=None
            )
        except ValueError:  # the service's own check; the serializer normally catches it first
            raise exceptions.ValidationError(
                {"end": [_("The appointment must end after it starts.")]}
            ) from None


@extend_schema(
    **_action_schema(
        "Report completion (DICO: gereedmelding)",
        "Only in status GUN, PLN or INB. The order becomes TEC and the total cost is booked on "
        "the budget (replacing the estimate's commitment).",
        CompleteSerializer,
    )
)
class WorkOrderComplete(WorkOrderAction):
    action_name = "complete"
    input_serializer = CompleteSerializer

    def perform(self, work_order, data):
        services.work_order_complete(
            work_order=work_order,
            total_cost=data["total_cost"],
            hours=data.get("hours"),
            notes=data["notes"],
            cause_found=data["cause_found"],
            materials=data["materials"],
            actor=None,
        )


@extend_schema(
    **_action_schema(
        "Visit without result (DICO: statusbericht)",
        "Only in status GUN or PLN. Nobody home (a call-out fee is recorded) or parts needed; the "
        "appointment is cleared and the order goes back to GUN for a new one.",
        AttemptSerializer,
    )
)
class WorkOrderAttempt(WorkOrderAction):
    action_name = "attempt"
    input_serializer = AttemptSerializer

    def perform(self, work_order, data):
        work_orders.work_order_attempt_record(
            work_order=work_order, actor=None, outcome=data["outcome"], notes=data["notes"]
        )


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Anything else under /api/v1/ answers 404 in JSON, not with the portal's HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound
