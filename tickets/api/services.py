"""API keys for larger contractors: issued once (only the hash is kept), marked when used, revoked.

The work order actions themselves are not here: the API calls `tickets.work_orders` and `tickets.services`,
like the web pages do.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ApiToken, Contractor
from ..selectors import token_hash

# Writing "last used" on every call would make each read a write; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_issue(contractor: Contractor, name: str) -> str:
    """A new 256-bit key for the contractor; the raw key is returned once and never stored."""
    raw_token = secrets.token_urlsafe(32)
    ApiToken.objects.create(contractor=contractor, name=name, token_hash=token_hash(raw_token))
    return raw_token


def api_token_revoke(api_token: ApiToken) -> ApiToken:
    """Revoke the key (kept for the record); revoking twice keeps the first moment."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=api_token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


def api_token_mark_used(api_token: ApiToken) -> None:
    """Record the use, at most once a minute; a conditional update, so concurrent calls write once."""
    now = timezone.now()
    if api_token.last_used_at is not None and now - api_token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION),
        pk=api_token.pk,
    ).update(last_used_at=now)
    api_token.last_used_at = now
