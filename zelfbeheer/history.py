"""Audit trails with django-simple-history, attributed to the portal user who made the change."""

from simple_history.models import HistoricalRecords


def history_user(request, **kwargs):
    """The logged-in portal user; None for a contractor's API client or a Celery task."""
    from zelfbeheer.accounts.models import User

    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def audit_trail(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(get_user=history_user, **kwargs)
