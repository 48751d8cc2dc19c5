"""Routing survives a killed worker, a broker that is down at submission, and duplicate deliveries.

These tests use a real broker (Redis in CI) and real workers: a worker subprocess where the test has to SIGKILL
it, an in-process worker thread elsewhere.
"""

import email
import os
import shlex
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from kombu.utils.json import loads

from tickets import services
from tickets.constants import RequestStatus
from tickets.models import RepairRequest, WorkOrder
from tickets.tasks import notify_contractor, route_repair_request, sweep_unrouted_repair_requests
from zelfbeheer.celery import app

from ..conftest import require_component

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker_required]

ROUTE_TASK = "tickets.tasks.route_repair_request"
NOTIFY_TASK = "tickets.tasks.notify_contractor"
# The default queue only, one task at a time, no chatter with other workers: it starts in about a second.
WORKER_ARGS = shlex.split(
    "-m celery -A zelfbeheer worker --pool solo -Q default"
    " --without-heartbeat --without-mingle --without-gossip --loglevel INFO"
)
# kombu's Redis transport keeps delivered, unacknowledged messages in these keys (its defaults).
UNACKED_KEYS = ("unacked", "unacked_index", "unacked_mutex")


def broker_reachable() -> bool:
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory test database locks tables between threads
        time.sleep(0.1)
    return False


def uses_redis() -> bool:
    return app.conf.broker_url.startswith("redis://")


@contextmanager
def redis_client():
    with app.connection_for_write() as broker:
        yield broker.default_channel.client


def clear_broker() -> None:
    """Leftovers of an interrupted run would otherwise be delivered into this test's database."""
    app.control.purge()
    if uses_redis():
        with redis_client() as client:
            client.delete(*UNACKED_KEYS)


def unacked_task_names() -> list[str]:
    with redis_client() as client:
        payloads = client.hvals("unacked")
    return sorted(loads(payload)[0]["headers"]["task"] for payload in payloads)


def broker_idle() -> bool:
    """Nothing waiting in the queue and nothing delivered but unacknowledged: every task has finished."""
    with redis_client() as client:
        waiting = sum(client.llen(key) for key in client.keys("default*"))
        return waiting == 0 and client.hlen("unacked") == 0


@pytest.fixture
def broker(settings):
    require_component(broker_reachable(), f"Celery broker at {settings.CELERY_BROKER_URL}")
    if os.environ.get("CI"):
        assert uses_redis(), "CI runs the workers against Redis"
    app.conf.task_always_eager = False  # publish to the broker; the settings object stays eager
    clear_broker()
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        clear_broker()


@contextmanager
def worker_thread():
    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["default"]
    ) as worker:
        yield worker


@pytest.fixture
def finished_tasks():
    """Tasks the in-process worker finished: {"id", "name", "args", "retval", "state"} each."""
    finished = []

    def record(sender=None, task_id=None, task=None, args=None, retval=None, state=None, **kwargs):
        finished.append(
            {"id": task_id, "name": task.name, "args": args, "retval": retval, "state": state}
        )

    task_postrun.connect(record, weak=False)
    try:
        yield finished
    finally:
        task_postrun.disconnect(record)


def finished_named(finished_tasks, name: str) -> list[dict]:
    return [task for task in list(finished_tasks) if task["name"] == name]


def submit(routable) -> RepairRequest:
    return services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="De kraan lekt.",
    )


def mails_to_in_outbox(address: str) -> int:
    return sum(address in message.to for message in mail.outbox)


# --- 1. A real worker process, killed in the middle of routing ---------------------------------------


def mails_to_in_files(directory: Path, address: str) -> int:
    """Count messages to `address` written by Django's file e-mail backend (one file per connection)."""
    separator = "-" * 79
    count = 0
    for path in directory.glob("*.log"):
        for raw in path.read_text().split(separator):
            if raw.strip() and address in email.message_from_string(raw.strip()).get("To", ""):
                count += 1
    return count


def _die_with_the_test_process() -> None:
    """In the worker child, before exec: Linux kills it if pytest itself is killed (the fixture cannot)."""
    if sys.platform == "linux":
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@pytest.fixture
def worker_processes(tmp_path):
    """Start `celery worker` subprocesses on the test database; all are killed at the end, whatever happened."""
    started: list[tuple[str, subprocess.Popen, Path]] = []
    email_dir = tmp_path / "mail"
    email_dir.mkdir()

    def start(name: str, *, stall_marker: Path | None = None) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.tickets.worker_process",
            # pytest-django's test database (test_<name>), which the base settings cannot know.
            "ZB_WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
            "ZB_WORKER_EMAIL_DIR": str(email_dir),
        }
        env.pop("ZB_WORKER_STALL_MARKER", None)
        if stall_marker is not None:
            env["ZB_WORKER_STALL_MARKER"] = str(stall_marker)
        log_path = tmp_path / f"worker-{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, *WORKER_ARGS, "--hostname", f"resilience-{name}@%h"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_the_test_process,
            )
        started.append((name, process, log_path))
        return process

    start.email_dir = email_dir
    try:
        yield start
    finally:
        for name, process, log_path in started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
            # Shown by pytest only when the test failed.
            print(f"--- worker {name} (exit {process.returncode}) ---")
            print(log_path.read_text(errors="replace")[-4000:])


def test_a_worker_killed_mid_routing_and_restarted_gives_one_work_order_and_one_email(
    broker, worker_processes, routable, tmp_path
):
    require_component(uses_redis(), "Redis broker (REDIS_URL) for the worker-process test")
    require_component(
        connection.vendor == "postgresql",
        "PostgreSQL (DATABASE_URL): a worker process cannot see SQLite's in-memory test database",
    )
    contractor_email = routable.contract.contractor.email
    stall_marker = tmp_path / "routing-stalled"
    stalled = worker_processes("stalled", stall_marker=stall_marker)

    repair_request = submit(routable)

    assert wait_for(stall_marker.exists, timeout=20), (
        "the worker never got to the work order insert"
    )
    # The worker has inserted the work order but not committed: nobody else sees it yet.
    assert not WorkOrder.objects.filter(request=repair_request).exists()
    stalled.kill()  # SIGKILL: no warm shutdown, no ack, no rollback by the worker itself
    stalled.wait(timeout=10)

    # PostgreSQL rolled the worker's transaction back; the message is delivered but never acknowledged
    # (acks_late), so Redis holds it aside until the visibility timeout passes.
    assert not WorkOrder.objects.filter(request=repair_request).exists()
    repair_request.refresh_from_db()
    assert repair_request.status == RequestStatus.REGISTERED
    assert unacked_task_names() == [ROUTE_TASK]

    worker_processes("restarted")

    assert wait_for(
        lambda: (
            WorkOrder.objects.filter(
                request=repair_request, contractor_notified_at__isnull=False
            ).exists()
            and broker_idle()
        ),
        timeout=30,
    ), "the restarted worker did not route the redelivered request"
    assert WorkOrder.objects.filter(request=repair_request).count() == 1
    assert mails_to_in_files(worker_processes.email_dir, contractor_email) == 1


# --- 2. The broker is down when the tenant submits ---------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def broker_unreachable():
    """Publishing fails as it does when Redis is down: kombu raises OperationalError (connection refused).

    The app caches its connection pool and producer pool, bound to the real broker; they are set aside so
    that publishing builds new ones for the closed port, and put back afterwards. (`app.close()` is no
    substitute: in Celery 5.7 it leaves the producer pool alone and deregisters the app.)
    """
    saved = (app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app._pool = app.amqp._producer_pool = None
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_url, app._pool, app.amqp._producer_pool = saved


def test_a_request_submitted_while_the_broker_is_down_is_routed_by_the_sweep(
    broker, finished_tasks, client, routable
):
    contractor_email = routable.contract.contractor.email
    client.force_login(routable.household.members.first())

    defect_url = reverse(
        "tickets:report_defect", args=[routable.category.parent.code, routable.category.code]
    )
    form = {
        "room": "kitchen",
        "description": "De kraan lekt.",
        "availability_slots": ["mon-morning"],
    }

    with broker_unreachable():
        response = client.post(defect_url, form)

    # The tenant's submission is committed and confirmed even though nothing could be enqueued.
    repair_request = RepairRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:request_detail", args=[repair_request.uuid])
    assert repair_request.status == RequestStatus.REGISTERED
    assert not repair_request.work_orders.exists()

    # The periodic sweep only picks up requests older than its margin.
    RepairRequest.objects.filter(pk=repair_request.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    with worker_thread():
        sweep_unrouted_repair_requests.delay()
        assert wait_for(
            lambda: [t["retval"] for t in finished_named(finished_tasks, NOTIFY_TASK)] == [True]
        ), "the sweep did not lead to a routed and notified work order"

    assert [
        t["retval"] for t in finished_named(finished_tasks, sweep_unrouted_repair_requests.name)
    ] == [1]
    assert len(finished_named(finished_tasks, ROUTE_TASK)) == 1
    assert WorkOrder.objects.filter(request=repair_request).count() == 1
    assert mails_to_in_outbox(contractor_email) == 1


# --- 3. A duplicate delivery of routing -------------------------------------------------------------


def test_a_duplicate_delivery_of_routing_creates_nothing_new(broker, finished_tasks, routable):
    contractor_email = routable.contract.contractor.email
    with worker_thread():
        repair_request = submit(routable)
        assert wait_for(
            lambda: [t["retval"] for t in finished_named(finished_tasks, NOTIFY_TASK)] == [True]
        )
        work_order = WorkOrder.objects.get(request=repair_request)
        events_before = repair_request.events.count()
        finished_tasks.clear()

        # The same message delivered twice (a redelivery keeps the task id), and a repeated notification.
        redelivered = route_repair_request.delay(repair_request.pk).id
        route_repair_request.apply_async((repair_request.pk,), task_id=redelivered)
        notify_contractor.delay(work_order.pk)
        assert wait_for(
            lambda: (
                len(finished_named(finished_tasks, ROUTE_TASK)) == 2
                and len(finished_named(finished_tasks, NOTIFY_TASK)) == 1
            )
        )

    assert [t["retval"] for t in finished_named(finished_tasks, ROUTE_TASK)] == [work_order.pk] * 2
    assert [t["retval"] for t in finished_named(finished_tasks, NOTIFY_TASK)] == [False]
    assert WorkOrder.objects.filter(request=repair_request).count() == 1
    assert repair_request.events.count() == events_before
    assert mails_to_in_outbox(contractor_email) == 1
