"""Publishing Celery tasks from on_commit hooks, shared by every app."""

import logging

from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Publish a task from an on_commit hook; what it refers to is already committed.

    An unreachable broker must not turn a saved submission into a server error (the user would submit
    again) nor skip the remaining on_commit hooks: it is logged, and the periodic sweeps enqueue again.
    """
    try:
        task.delay(*args)
    except BrokerUnavailable:
        logger.exception("Broker unreachable: %s%r not enqueued", task.name, args)
