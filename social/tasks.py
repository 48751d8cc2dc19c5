"""Thin Celery tasks for social management; the services check 'already done?' themselves."""

from celery import shared_task
from django.db import OperationalError

from . import services

TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=8)
def notify_social_workers_of_new_case(case_id: int) -> int:
    return services.social_workers_notify_of_new_case(case_id)


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=8)
def inform_referrer_of_outcome(case_id: int) -> bool:
    return services.referrer_inform_of_outcome(case_id)


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=3)
def send_action_digest() -> int:
    return services.action_digest_send()


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def anonymise_expired_cases() -> int:
    return services.cases_anonymise_expired()


@shared_task(autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=3)
def check_retention() -> dict[str, list[str]]:
    return services.retention_check()


@shared_task
def sweep_unnotified_cases() -> int:
    return services.cases_awaiting_worker_notice_enqueue()
