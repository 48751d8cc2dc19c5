"""The contractor API: the same rules as the web page, through the same services, in JSON."""

import hashlib
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from budget.models import BudgetEntry, EntryKind
from tickets import services, work_orders
from tickets.api import services as api_services
from tickets.constants import RequestStatus, Responsibility, WorkOrderStatus
from tickets.models import ApiToken, RequestEvent, WorkOrder, WorkOrderAttempt

from ..factories import (
    BuildingFactory,
    ComplexFactory,
    ContractFactory,
    HomeFactory,
    HouseholdFactory,
    WorkCategoryFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def submit(household, category, description="De kraan lekt."):
    """A request that is routed at once (Celery runs eagerly) into a work order in status REG."""
    repair_request = services.repair_request_submit(
        household=household, category=category, description=description
    )
    return repair_request.work_orders.get()


def api_url(name: str, work_order: WorkOrder | None = None) -> str:
    return reverse(f"api:{name}", args=[work_order.uuid] if work_order else [])


def client_with(raw_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw_token}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def accepted(work_order: WorkOrder, estimate: Decimal | None = None) -> WorkOrder:
    return work_orders.work_order_accept(work_order=work_order, actor=None, estimate=estimate)


def planned(work_order: WorkOrder) -> WorkOrder:
    accepted(work_order)
    return services.work_order_plan(
        work_order=work_order, start=tomorrow_at(9), end=tomorrow_at(11)
    )


def completed(work_order: WorkOrder) -> WorkOrder:
    accepted(work_order)
    return services.work_order_complete(
        work_order=work_order, total_cost=Decimal("80.00"), notes="Klaar.", cause_found="wear"
    )


def snapshot(work_order: WorkOrder) -> tuple:
    """Everything an action may change, to compare before and after a refused call."""
    work_order.refresh_from_db()
    return (
        work_order.status,
        work_order.estimate,
        work_order.total_cost,
        work_order.appointment_start,
        work_order.appointment_end,
        work_order.decline_reason,
        work_order.request.status,
        RequestEvent.objects.filter(request=work_order.request).count(),
        BudgetEntry.objects.count(),
        WorkOrderAttempt.objects.count(),
    )


@pytest.fixture
def contractor(routable):
    return routable.contract.contractor


@pytest.fixture
def raw_token(contractor) -> str:
    return api_services.api_token_issue(contractor, "planning system")


@pytest.fixture
def api(raw_token) -> APIClient:
    return client_with(raw_token)


@pytest.fixture
def work_order(routable) -> WorkOrder:
    return submit(routable.household, routable.category)


@pytest.fixture
def other_contractors_order(routable) -> WorkOrder:
    """An order routed to another contractor: a household in a complex only that one covers."""
    other_complex = ComplexFactory(code="LOMBOK-999", name="Lombok 999")
    household = HouseholdFactory(home=HomeFactory(building=BuildingFactory(complex=other_complex)))
    other = ContractFactory(trades=[routable.category.parent], complexes=[other_complex])
    work_order = submit(household, routable.category)
    assert work_order.contractor == other.contractor
    return work_order


# --- authentication -------------------------------------------------------------------------------


def test_no_key_is_refused_with_401(work_order):
    response = APIClient().get(api_url("work_order_list"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header",
    ["Token not-a-real-key", "Token", "Token two parts", "Bearer abc", "Token " + "x" * 500],
)
def test_a_wrong_key_is_refused_with_401(work_order, raw_token, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert client.get(api_url("work_order_list")).status_code == 401


def test_a_revoked_key_is_refused_and_a_fresh_one_works(contractor, work_order, raw_token):
    api_services.api_token_revoke(ApiToken.objects.get())
    fresh = api_services.api_token_issue(contractor, "new system")

    assert client_with(raw_token).get(api_url("work_order_list")).status_code == 401
    assert client_with(fresh).get(api_url("work_order_list")).status_code == 200


def test_the_key_of_an_inactive_contractor_is_refused(contractor, work_order, api):
    contractor.is_active = False
    contractor.save()

    assert api.get(api_url("work_order_list")).status_code == 401


def test_only_the_hash_of_a_key_is_stored(contractor):
    raw_token = api_services.api_token_issue(contractor, "planning system")

    stored = ApiToken.objects.get()
    assert stored.token_hash == hashlib.sha256(raw_token.encode()).hexdigest()
    assert raw_token not in {stored.token_hash, stored.name}
    assert len(raw_token) >= 43  # 256 bits


def test_last_use_is_recorded_at_most_once_a_minute(work_order, api):
    api.get(api_url("work_order_list"))
    first_use = ApiToken.objects.get().last_used_at

    api.get(api_url("work_order_list"))
    unchanged = ApiToken.objects.get().last_used_at
    ApiToken.objects.update(last_used_at=first_use - timedelta(minutes=2))
    api.get(api_url("work_order_list"))

    assert first_use is not None
    assert unchanged == first_use
    assert ApiToken.objects.get().last_used_at > first_use


def test_the_rate_limit_is_per_key(settings, contractor, work_order, api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"contractor_api": "2/min"},
    }
    other_key = client_with(api_services.api_token_issue(contractor, "second system"))

    answers = [api.get(api_url("work_order_list")).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert other_key.get(api_url("work_order_list")).status_code == 200


def test_the_issue_command_prints_the_key_once(contractor, capsys):
    call_command("issue_api_token", contractor.kvk_number, "planning system")

    raw_token = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().token_hash == hashlib.sha256(raw_token.encode()).hexdigest()
    assert client_with(raw_token).get(api_url("work_order_list")).status_code == 200


def test_the_issue_command_refuses_an_unknown_contractor(contractor):
    with pytest.raises(CommandError):
        call_command("issue_api_token", "99999999", "planning system")

    assert not ApiToken.objects.exists()


def test_the_schema_is_public_and_names_the_dico_terms():
    response = APIClient().get(api_url("schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/work-orders/{uuid}/complete" in schema["paths"]
    assert "opdrachtnummer" in str(schema["components"]["schemas"]["WorkOrder"])
    assert "contractorToken" in schema["components"]["securitySchemes"]


def test_an_unknown_api_path_answers_404_in_json(api):
    response = api.get("/api/v1/work-orders/not-a-uuid/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- reading --------------------------------------------------------------------------------------


def test_the_list_shows_only_the_contractors_own_orders(
    routable, work_order, other_contractors_order, api
):
    response = api.get(api_url("work_order_list"))

    assert response.status_code == 200
    assert response.json()["count"] == 1
    [shown] = response.json()["results"]
    assert shown["uuid"] == str(work_order.uuid)
    assert shown["request_number"] == work_order.request.number
    assert shown["status"] == "REG"
    assert shown["category"] == {"code": routable.category.code, "name": routable.category.name}
    home = routable.household.home
    assert shown["address"]["street"] == home.street
    assert shown["address"]["number"] == home.house_number
    assert shown["address"]["postcode"] == home.postcode
    assert shown["household"]["name"] == routable.household.name
    assert shown["household"]["phone"] == routable.household.phone


def test_a_shared_area_order_shows_the_building_only(routable, api):
    stairwell = WorkCategoryFactory(
        code="stairwell-light",
        name="Lamp trappenhuis",
        parent=routable.category.parent,
        is_shared_area=True,
        responsibility=Responsibility.FOUNDATION,
    )
    work_order = submit(routable.household, stairwell)

    shown = api.get(api_url("work_order_detail", work_order)).json()

    assert shown["address"] == {
        "street": None,
        "number": None,
        "addition": None,
        "postcode": None,
        "city": None,
        "building": routable.household.home.building.name,
    }
    assert shown["household"]["name"] == routable.household.name


@pytest.mark.parametrize("size", [2, 20])
def test_the_list_takes_a_fixed_number_of_queries(routable, api, size):
    for number in range(size):
        submit(HouseholdFactory(), routable.category, f"Lekkage nummer {number}.")
    api.get(api_url("work_order_list"))  # the key's first use is written once

    with CaptureQueriesContext(connection) as queries:
        response = api.get(api_url("work_order_list"))

    assert response.json()["count"] == size
    # the key (with its contractor), the count, the page
    assert len(queries) == 3


def test_the_list_filters_on_status(routable, work_order, api):
    second = submit(HouseholdFactory(), routable.category)
    accepted(second)

    new = api.get(api_url("work_order_list"), {"status": "REG"}).json()["results"]
    awarded = api.get(api_url("work_order_list"), {"status": "GUN"}).json()["results"]
    wrong = api.get(api_url("work_order_list"), {"status": "XYZ"})

    assert [order["uuid"] for order in new] == [str(work_order.uuid)]
    assert [order["uuid"] for order in awarded] == [str(second.uuid)]
    assert wrong.status_code == 400
    assert "status" in wrong.json()


def test_another_contractors_order_is_not_found(other_contractors_order, api):
    before = snapshot(other_contractors_order)

    detail = api.get(api_url("work_order_detail", other_contractors_order))
    accept = api.post(api_url("accept", other_contractors_order), {}, format="json")

    assert detail.status_code == 404
    assert accept.status_code == 404
    assert snapshot(other_contractors_order) == before


def test_address_and_household_are_hidden_once_the_order_is_closed(work_order, api):
    open_order = api.get(api_url("work_order_detail", work_order)).json()
    completed(work_order)

    closed_order = api.get(api_url("work_order_detail", work_order)).json()

    assert open_order["address"] is not None
    assert open_order["household"] is not None
    assert closed_order["status"] == "TEC"
    assert closed_order["address"] is None
    assert closed_order["household"] is None
    assert closed_order["request_number"] == work_order.request.number


# --- the contractor's messages --------------------------------------------------------------------


def test_accept_with_an_estimate_books_a_commitment(work_order, api):
    response = api.post(api_url("accept", work_order), {"estimate": "250.00"}, format="json")

    work_order.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "GUN"
    assert response.json()["estimate"] == "250.00"
    assert work_order.status == WorkOrderStatus.AWARDED
    commitment = BudgetEntry.objects.get(work_order=work_order)
    assert (commitment.kind, commitment.amount) == (EntryKind.COMMITMENT, Decimal("250.00"))
    assert work_order.request.events.filter(kind="contractor_assigned").exists()


def test_accept_without_a_body_books_nothing(work_order, api):
    response = api.post(api_url("accept", work_order))

    assert response.status_code == 200
    assert response.json()["estimate"] is None
    assert not BudgetEntry.objects.exists()


def test_decline_sends_the_request_back_to_routing(work_order, api):
    response = api.post(
        api_url("decline", work_order), {"reason": "Geen monteur vrij."}, format="json"
    )

    work_order.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "GEA"
    assert response.json()["address"] is None
    assert work_order.decline_reason == "Geen monteur vrij."
    assert work_order.request.events.filter(kind="contractor_declined").exists()
    # no other contract covers it: the desk is asked
    assert work_order.request.events.filter(kind="routing_failed").exists()


def test_plan_sets_the_appointment_and_tells_the_household(work_order, api):
    accepted(work_order)
    start, end = tomorrow_at(9), tomorrow_at(11)

    response = api.post(
        api_url("plan", work_order),
        {"start": start.isoformat(), "end": end.isoformat()},
        format="json",
    )

    work_order.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "PLN"
    assert datetime.fromisoformat(response.json()["appointment_start"]) == start
    assert (work_order.appointment_start, work_order.appointment_end) == (start, end)
    assert work_order.request.events.filter(kind="appointment_planned").count() == 1


def test_plan_accepts_any_offset_for_the_same_moment(work_order, api):
    accepted(work_order)
    start, end = tomorrow_at(9), tomorrow_at(11)

    response = api.post(
        api_url("plan", work_order),
        {
            "start": start.astimezone(UTC).isoformat(),
            "end": end.astimezone(UTC).isoformat(),
        },
        format="json",
    )

    work_order.refresh_from_db()
    assert response.status_code == 200
    assert work_order.appointment_start == start


def test_complete_records_the_work_and_commits_the_cost(work_order, api):
    planned(work_order)

    response = api.post(
        api_url("complete", work_order),
        {
            "total_cost": "187.50",
            "hours": "1.5",
            "notes": "Kraanleertje vervangen.",
            "cause_found": "wear",
            "materials": "Kraanleertje",
        },
        format="json",
    )

    work_order.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "TEC"
    assert response.json()["total_cost"] == "187.50"
    assert (work_order.hours, work_order.cause_found) == (Decimal("1.50"), "wear")
    assert work_order.request.status == RequestStatus.TECHNICALLY_DONE
    committed = BudgetEntry.objects.get(work_order=work_order)
    assert (committed.kind, committed.amount) == (EntryKind.COMMITMENT, Decimal("187.50"))
    assert work_order.request.events.filter(kind="completed").exists()


def test_the_reported_cost_replaces_the_accepted_estimate(work_order, api):
    api.post(api_url("accept", work_order), {"estimate": "250.00"}, format="json")

    api.post(
        api_url("complete", work_order),
        {"total_cost": "187.50", "notes": "Klaar.", "cause_found": "resident"},
        format="json",
    )

    assert list(BudgetEntry.objects.values_list("kind", "amount")) == [
        (EntryKind.COMMITMENT, Decimal("187.50"))
    ]


def test_a_visit_without_result_clears_the_appointment(routable, work_order, api):
    routable.contract.call_out_fee = Decimal("45.00")
    routable.contract.save()
    planned(work_order)

    response = api.post(
        api_url("attempt", work_order),
        {"outcome": "not_home", "notes": "Niemand thuis."},
        format="json",
    )

    work_order.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "GUN"
    assert response.json()["appointment_start"] is None
    attempt = WorkOrderAttempt.objects.get()
    assert (attempt.outcome, attempt.call_out_fee) == ("not_home", Decimal("45.00"))
    assert work_order.request.events.filter(kind="missed_appointment").exists()


# --- refusals: nothing changes --------------------------------------------------------------------

COMPLETE_BODY = {"total_cost": "10.00", "notes": "Klaar.", "cause_found": "wear"}


def body_for(action: str) -> dict:
    return {
        "accept": {},
        "decline": {"reason": "Geen tijd."},
        "plan": {"start": tomorrow_at(9).isoformat(), "end": tomorrow_at(11).isoformat()},
        "complete": COMPLETE_BODY,
        "attempt": {"outcome": "parts_needed"},
    }[action]


@pytest.mark.parametrize(
    ("prepare", "action"),
    [
        (None, "complete"),  # not accepted yet
        (None, "plan"),
        (None, "attempt"),
        (accepted, "accept"),
        (accepted, "decline"),
        (planned, "decline"),
        (completed, "complete"),
        (completed, "plan"),
        (completed, "attempt"),
        (completed, "accept"),
    ],
)
def test_an_action_in_the_wrong_state_is_refused_with_409(work_order, api, prepare, action):
    if prepare:
        prepare(work_order)
    before = snapshot(work_order)

    response = api.post(api_url(action, work_order), body_for(action), format="json")

    assert response.status_code == 409
    assert response.json()["detail"]
    assert snapshot(work_order) == before


def test_a_refusal_of_the_service_is_answered_with_409(work_order, api, monkeypatch):
    """The state can change between our check and the service's lock; the service has the last word."""

    def refuse(**kwargs):
        raise work_orders.WorkOrderRefused("This work order can no longer be accepted.")

    monkeypatch.setattr(work_orders, "work_order_accept", refuse)
    before = snapshot(work_order)

    response = api.post(api_url("accept", work_order), {}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This work order can no longer be accepted."}
    assert snapshot(work_order) == before


def yesterday_at(hour: int) -> datetime:
    return tomorrow_at(hour) - timedelta(days=2)


BAD_INPUT = [
    ("complete", {**COMPLETE_BODY, "total_cost": "-1.00"}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "total_cost": "100000.01"}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "total_cost": "10.005"}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "total_cost": 10.5}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "total_cost": "1e3"}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "total_cost": "NaN"}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "cause_found": "aliens"}, "cause_found"),
    ("complete", {**COMPLETE_BODY, "hours": "-2"}, "hours"),
    ("complete", {**COMPLETE_BODY, "notes": "  "}, "notes"),
    ("complete", {"notes": "Klaar.", "cause_found": "wear"}, "total_cost"),
    ("complete", {**COMPLETE_BODY, "notes": "nul\x00byte"}, "notes"),
    ("complete", ["not", "an", "object"], "non_field_errors"),
    ("decline", {}, "reason"),
    ("decline", {"reason": "   "}, "reason"),
    ("decline", {"reason": "x" * 1001}, "reason"),
    ("accept", {"estimate": "abc"}, "estimate"),
    ("accept", {"estimate": "-5"}, "estimate"),
    ("attempt", {"outcome": "gone_fishing"}, "outcome"),
    ("plan", {"start": "tomorrow_11", "end": "tomorrow_9"}, "end"),
    ("plan", {"start": "tomorrow_9", "end": "tomorrow_9"}, "end"),
    ("plan", {"start": "yesterday_9", "end": "yesterday_11"}, "start"),
    ("plan", {"start": "naive_9", "end": "naive_11"}, "start"),
    ("plan", {"start": "tomorrow_9", "end": "day_after_9"}, "end"),
    ("plan", {"start": "next week", "end": "tomorrow_11"}, "start"),
    ("plan", {"start": "9999-12-31T23:59:59-23:59", "end": "tomorrow_11"}, "start"),
]


def resolve_moments(body):
    if not isinstance(body, dict):
        return body
    moments = {
        "tomorrow_9": tomorrow_at(9).isoformat(),
        "tomorrow_11": tomorrow_at(11).isoformat(),
        "yesterday_9": yesterday_at(9).isoformat(),
        "yesterday_11": yesterday_at(11).isoformat(),
        "naive_9": tomorrow_at(9).replace(tzinfo=None).isoformat(),
        "naive_11": tomorrow_at(11).replace(tzinfo=None).isoformat(),
        "day_after_9": (tomorrow_at(9) + timedelta(days=1)).isoformat(),
    }
    return {key: moments.get(value, value) for key, value in body.items()}


@pytest.mark.parametrize(("action", "body", "field"), BAD_INPUT)
def test_bad_input_is_refused_with_400_and_changes_nothing(work_order, api, action, body, field):
    if action in ("complete", "attempt"):
        planned(work_order)
    elif action == "plan":
        accepted(work_order)
    before = snapshot(work_order)

    response = api.post(api_url(action, work_order), resolve_moments(body), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(work_order) == before


@pytest.mark.parametrize("action", ["accept", "decline", "plan", "complete", "attempt"])
def test_a_body_that_is_not_json_is_refused_with_400(work_order, api, action):
    before = snapshot(work_order)

    response = api.post(
        api_url(action, work_order), '{"total_cost": "10.00",', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert snapshot(work_order) == before


def test_a_form_encoded_body_is_refused_with_415(work_order, api):
    before = snapshot(work_order)

    response = api.post(
        api_url("decline", work_order), {"reason": "Geen tijd."}, format="multipart"
    )

    assert response.status_code == 415
    assert snapshot(work_order) == before
