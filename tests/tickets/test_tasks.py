from datetime import timedelta

import pytest
from django.utils import timezone

from tickets import services
from tickets.models import RepairRequest, WorkOrder
from tickets.tasks import route_repair_request, sweep_unrouted_repair_requests

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_sweep_routes_a_request_whose_task_was_lost(routable, monkeypatch):
    # The broker is down at submission: the on-commit enqueue fails, the request itself is saved.
    monkeypatch.setattr(services, "enqueue_routing", lambda repair_request_id: None)
    repair_request = services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="De kraan lekt.",
    )
    assert not WorkOrder.objects.exists()
    RepairRequest.objects.filter(pk=repair_request.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    first = sweep_unrouted_repair_requests()
    second = sweep_unrouted_repair_requests()

    assert (first, second) == (1, 0)
    assert WorkOrder.objects.get().request == repair_request


def test_the_sweep_leaves_fresh_and_flagged_requests_alone(routable, monkeypatch):
    monkeypatch.setattr(services, "enqueue_routing", lambda repair_request_id: None)
    fresh = services.repair_request_submit(
        household=routable.household, category=routable.category, description="Net gemeld"
    )
    flagged = services.repair_request_submit(
        household=routable.household, category=routable.category, description="Bij de balie"
    )
    RepairRequest.objects.filter(pk=flagged.pk).update(
        routing_flagged=True, created_at=timezone.now() - timedelta(hours=1)
    )

    assert sweep_unrouted_repair_requests() == 0
    assert fresh.work_orders.count() == 0


def test_routing_task_twice_gives_one_work_order(routable, monkeypatch):
    monkeypatch.setattr(services, "enqueue_routing", lambda repair_request_id: None)
    repair_request = services.repair_request_submit(
        household=routable.household, category=routable.category, description="De kraan lekt."
    )

    first = route_repair_request.delay(repair_request.pk).get()
    second = route_repair_request.delay(repair_request.pk).get()

    assert first == second
    assert WorkOrder.objects.filter(request=repair_request).count() == 1


def test_the_sweep_also_sends_a_contractor_mail_that_was_never_queued(routable, monkeypatch):
    from django.core import mail

    monkeypatch.setattr(
        services, "_enqueue", lambda task, *args: None
    )  # the broker is down throughout
    repair_request = services.repair_request_submit(
        household=routable.household, category=routable.category, description="De kraan lekt."
    )
    services.repair_request_route(repair_request.pk)
    WorkOrder.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    monkeypatch.undo()

    sweep_unrouted_repair_requests()
    sweep_unrouted_repair_requests()

    assert WorkOrder.objects.get().contractor_notified_at is not None
    assert len([m for m in mail.outbox if routable.contract.contractor.email in m.to]) == 1
