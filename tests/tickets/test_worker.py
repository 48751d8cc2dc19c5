"""A real Celery worker (in-process thread) consuming from the configured broker: Redis in CI."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import OperationalError

from tickets import services
from tickets.models import WorkOrder
from zelfbeheer.celery import app

from ..conftest import require_component

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker_required]


def broker_reachable() -> bool:
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True


@pytest.fixture
def celery_worker(settings):
    require_component(broker_reachable(), f"Celery broker at {settings.CELERY_BROKER_URL}")
    if os.environ.get("CI"):
        assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI runs the worker against Redis"
    app.conf.task_always_eager = False
    app.control.purge()  # leftovers of an interrupted earlier run
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["default"]
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except (
            OperationalError
        ):  # SQLite's shared in-memory test database locks tables between threads
            pass
        time.sleep(0.1)
    return False


def test_a_submitted_request_is_routed_by_the_worker_to_exactly_one_work_order(
    celery_worker, routable
):
    repair_request = services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="De kraan lekt.",
    )

    assert wait_for(
        lambda: WorkOrder.objects.filter(
            request=repair_request, contractor_notified_at__isnull=False
        ).exists()
    )
    assert wait_for(lambda: any(routable.contract.contractor.email in m.to for m in mail.outbox))
    # A duplicate delivery of the routing task changes nothing.
    from tickets.tasks import route_repair_request

    route_repair_request.delay(repair_request.pk)
    time.sleep(1)
    assert WorkOrder.objects.filter(request=repair_request).count() == 1
    assert sum(routable.contract.contractor.email in m.to for m in mail.outbox) == 1
    assert settings.CELERY_TASK_ALWAYS_EAGER is True  # the settings object itself is untouched
