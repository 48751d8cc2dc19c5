import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetEntry
from tickets import services, work_orders
from tickets.constants import WorkOrderStatus
from tickets.models import RepairRequest, WorkOrder
from zelfbeheer.accounts.roles import Role

from ..factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def tenant_of(routable):
    return routable.household.members.first()


def submit_for(household, category, description="De kraan lekt."):
    return services.repair_request_submit(
        household=household,
        reporter=household.members.first(),
        category=category,
        description=description,
    )


def link_token_from_outbox(contractor_email: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if contractor_email in m.to)
    return re.search(r"/werkorders/link/([^/\s]+)/", body).group(1)


@pytest.fixture
def opened_work_order(client, routable) -> WorkOrder:
    """A routed work order whose e-mailed link the client has followed."""
    repair_request = submit_for(routable.household, routable.category)
    token = link_token_from_outbox(routable.contract.contractor.email)
    client.get(reverse("tickets:work_order_link", args=[token]))
    work_order = repair_request.work_orders.get()
    client.post(reverse("tickets:work_order_detail", args=[work_order.uuid]), {"action": "accept"})
    work_order.refresh_from_db()
    return work_order


def defect_url(category) -> str:
    return reverse("tickets:report_defect", args=[category.parent.code, category.code])


def test_tenant_submits_a_request_through_the_form(client, routable):
    client.force_login(tenant_of(routable))

    response = client.post(
        defect_url(routable.category),
        {
            "room": "kitchen",
            "description": "De kraan druppelt steeds.",
            "availability_slots": ["mon-morning"],
        },
    )

    repair_request = RepairRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:request_detail", args=[repair_request.uuid])
    assert repair_request.household == routable.household
    assert repair_request.work_orders.count() == 1


def test_invalid_form_keeps_the_input_and_creates_nothing(client, routable):
    client.force_login(tenant_of(routable))

    response = client.post(
        defect_url(routable.category),
        {
            "room": "no-such-room",
            "description": "Mijn verwarming doet het niet",
            "availability_slots": ["tue-afternoon"],
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mijn verwarming doet het niet" in page
    assert re.search(r'value="tue-afternoon"[^>]*checked', page)
    assert not re.search(r'value="mon-morning"[^>]*checked', page)
    assert not RepairRequest.objects.exists()


def test_a_tenant_cannot_see_another_households_request(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    neighbour = HouseholdFactory(tenant=True)
    client.force_login(neighbour.members.first())

    response = client.get(reverse("tickets:request_detail", args=[repair_request.uuid]))
    own_list = client.get(reverse("tickets:my_requests"))

    assert response.status_code == 404
    assert repair_request.number not in own_list.content.decode()


def test_the_tenant_sees_the_public_timeline(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    work_orders.work_order_accept(work_order=repair_request.work_orders.get(), actor=None)
    client.force_login(tenant_of(routable))

    page = client.get(
        reverse("tickets:request_detail", args=[repair_request.uuid])
    ).content.decode()

    assert repair_request.number in page
    assert routable.contract.contractor.name in page
    assert "confirmation_sent" not in page


@pytest.mark.parametrize("role", [Role.CONTRACTOR, Role.BOARD, Role.CORPORATION])
def test_other_roles_are_refused_tenant_pages(client, routable, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("tickets:my_requests")).status_code == 403
    assert client.get(reverse("tickets:desk_queue")).status_code == 403


def test_desk_queue_lists_requests_for_the_desk(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    client.force_login(UserFactory(role=Role.DESK))

    page = client.get(reverse("tickets:desk_queue")).content.decode()

    assert repair_request.number in page


def test_contractor_link_opens_that_order_and_leaves_the_url(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    work_order = repair_request.work_orders.get()
    token = link_token_from_outbox(routable.contract.contractor.email)

    response = client.get(reverse("tickets:work_order_link", args=[token]))
    detail = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:work_order_detail", args=[work_order.uuid])
    assert token not in response["Location"]
    assert detail.status_code == 200
    assert routable.household.home.address in detail.content.decode()


def test_a_link_for_one_order_does_not_open_another(client, routable):
    submit_for(routable.household, routable.category)
    token_a = link_token_from_outbox(routable.contract.contractor.email)
    other = submit_for(HouseholdFactory(tenant=True), routable.category)
    order_b = other.work_orders.get()

    client.get(reverse("tickets:work_order_link", args=[token_a]))

    assert client.get(reverse("tickets:work_order_detail", args=[order_b.uuid])).status_code == 404


def test_unknown_and_expired_links_explain_themselves(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    token = link_token_from_outbox(routable.contract.contractor.email)
    WorkOrder.objects.filter(request=repair_request).update(
        access_token_expires_at=timezone.now() - timedelta(minutes=1)
    )

    unknown = client.get(reverse("tickets:work_order_link", args=["x" * 43]))
    expired = client.get(reverse("tickets:work_order_link", args=[token]))

    assert unknown.status_code == 404
    assert expired.status_code == 410
    assert repair_request.number in expired.content.decode()


def test_contractor_completes_with_a_cost_and_it_is_booked(client, opened_work_order):
    work_order = opened_work_order
    response = client.post(
        reverse("tickets:work_order_detail", args=[work_order.uuid]),
        {
            "action": "complete",
            "notes": "Kraanleertje en O-ring vervangen.",
            "hours": "1",
            "total_cost": "87,50",
            "cause_found": "wear",
        },
    )

    work_order.refresh_from_db()
    assert response.status_code == 302
    assert work_order.status == WorkOrderStatus.TECHNICALLY_DONE
    assert BudgetEntry.objects.get().amount == Decimal("87.50")


def test_a_negative_cost_is_refused_and_changes_nothing(client, opened_work_order):
    work_order = opened_work_order
    response = client.post(
        reverse("tickets:work_order_detail", args=[work_order.uuid]),
        {"action": "complete", "notes": "Klaar", "total_cost": "-5", "cause_found": "wear"},
    )

    work_order.refresh_from_db()
    assert response.status_code == 400
    assert work_order.status == WorkOrderStatus.AWARDED
    assert not BudgetEntry.objects.exists()


def test_contractor_account_sees_only_its_own_orders(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    own_user = UserFactory(role=Role.CONTRACTOR)
    routable.contract.contractor.users.add(own_user)
    stranger = UserFactory(role=Role.CONTRACTOR)
    work_order = repair_request.work_orders.get()

    client.force_login(own_user)
    assert (
        repair_request.number in client.get(reverse("tickets:contractor_orders")).content.decode()
    )
    client.force_login(stranger)
    assert (
        repair_request.number
        not in client.get(reverse("tickets:contractor_orders")).content.decode()
    )
    assert (
        client.get(reverse("tickets:work_order_detail", args=[work_order.uuid])).status_code == 404
    )


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_my_requests_and_detail_query_counts_do_not_grow_with_data(client, routable):
    client.force_login(tenant_of(routable))
    first = submit_for(routable.household, routable.category)
    few = (
        _queries_for(client, reverse("tickets:my_requests")),
        _queries_for(client, reverse("tickets:request_detail", args=[first.uuid])),
    )
    for _ in range(15):
        submit_for(routable.household, routable.category)

    many = (
        _queries_for(client, reverse("tickets:my_requests")),
        _queries_for(client, reverse("tickets:request_detail", args=[first.uuid])),
    )

    assert few == many
    assert many[0] <= 10


def test_desk_queue_query_count_does_not_grow_with_data(client, routable):
    client.force_login(UserFactory(role=Role.DESK))
    submit_for(routable.household, routable.category)
    few = _queries_for(client, reverse("tickets:desk_queue"))
    for _ in range(30):
        submit_for(HouseholdFactory(tenant=True), routable.category)

    assert _queries_for(client, reverse("tickets:desk_queue")) == few


def test_the_timeline_speaks_the_readers_language(client, routable):
    repair_request = submit_for(routable.household, routable.category)
    work_orders.work_order_accept(work_order=repair_request.work_orders.get(), actor=None)
    tenant = tenant_of(routable)
    tenant.preferred_language = "tr"
    tenant.save()
    client.force_login(tenant)

    turkish = client.get(
        reverse("tickets:request_detail", args=[repair_request.uuid])
    ).content.decode()
    tenant.preferred_language = "nl"
    tenant.save()
    dutch = client.get(
        reverse("tickets:request_detail", args=[repair_request.uuid])
    ).content.decode()

    assert "Talebinizi aldık." in turkish
    assert "We hebben uw melding ontvangen." in dutch
    assert routable.contract.contractor.name in turkish


def test_contractor_orders_open_first_finished_on_their_tab_25_per_page(client, routable):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets.models import WorkOrder

    user = UserFactory(role=Role.CONTRACTOR)
    routable.contract.contractor.users.add(user)
    requests = [submit_for(routable.household, routable.category) for _ in range(3)]
    finished = requests[0].work_orders.get()
    WorkOrder.objects.filter(pk=finished.pk).update(status=WorkOrderStatus.TECHNICALLY_DONE)
    client.force_login(user)
    url = reverse("tickets:contractor_orders")

    to_do = client.get(url).content.decode()
    done = client.get(url, {"show": "done"}).content.decode()
    assert requests[1].number in to_do and finished.request.number not in to_do
    assert finished.request.number in done and requests[1].number not in done

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(27):
        submit_for(routable.household, routable.category)
    with CaptureQueriesContext(connection) as many:
        first_page = client.get(url)
    second_page = client.get(url, {"page": 2})
    assert len(many) == len(few)
    assert len(first_page.context["work_orders"]) == 25
    assert len(second_page.context["work_orders"]) == 4
    assert client.get(url, {"page": "x"}).status_code == 200
