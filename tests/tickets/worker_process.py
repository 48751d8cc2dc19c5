"""Settings for a real `celery worker` subprocess started by tests/tickets/test_worker_resilience.py.

The test process owns pytest-django's test database and the broker; this module makes a separate worker
process use the same ones, with the differences a worker started by a test needs. Read from the environment
(set by the test, never in deployments):

- ZB_WORKER_DATABASE_NAME: the test database (`test_<name>`), so the worker sees what the test committed.
- ZB_WORKER_EMAIL_DIR: mail goes to files there, so the test can count e-mails across processes.
- ZB_WORKER_STALL_MARKER: when set, the worker stalls inside routing (see `_stall_inside_routing`).
"""

import os
import time

from celery.signals import task_prerun

from zelfbeheer.settings.test import *  # noqa: F403
from zelfbeheer.settings.test import DATABASES

# A worker that ran tasks eagerly would never consume anything.
CELERY_TASK_ALWAYS_EAGER = False
DATABASES["default"]["NAME"] = os.environ["ZB_WORKER_DATABASE_NAME"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["ZB_WORKER_EMAIL_DIR"]
# Redis keeps a delivered but unacknowledged message (acks_late) aside and hands it out again only after the
# visibility timeout: one hour by default, and kombu scans for such messages only every ~100 s (interval 10 s,
# throttle 10). Redelivery after a killed worker must happen within seconds here, so: a 5 s timeout, scanned
# every second. Only the consuming side reads these options; the test process publishes with the defaults.
# (Not for production: a task that runs longer than the visibility timeout would be handed out twice.)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

STALL_MARKER = os.environ.get("ZB_WORKER_STALL_MARKER", "")
STALL_SECONDS = 60  # the test kills the worker long before this runs out


def _stall_after_work_order_insert(sender, instance, created, **kwargs):
    """Runs inside `repair_request_route`'s transaction: the work order row exists but is not committed."""
    if not created:
        return
    with open(STALL_MARKER, "w") as marker:
        marker.write(str(instance.request_id))
    time.sleep(STALL_SECONDS)


def _stall_inside_routing(sender, **kwargs):
    """Make routing hang right after it inserted the work order, so a SIGKILL lands mid-transaction.

    Connected lazily, from the first task, because the models are not loaded yet when settings are read.
    """
    if sender.name != "tickets.tasks.route_repair_request":
        return
    from django.db.models.signals import post_save

    post_save.connect(
        _stall_after_work_order_insert,
        sender="tickets.WorkOrder",
        dispatch_uid="worker-process-stall-inside-routing",
    )


if STALL_MARKER:
    task_prerun.connect(_stall_inside_routing, weak=False)
