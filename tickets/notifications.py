"""Telling households what happens to their request: by e-mail, or on the office's call list.

Households that prefer a phone call or a letter (often elderly or not digital) get no e-mail: the update
lands on the desk's call list instead, so nobody is left uninformed.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zelfbeheer.housing.models import ContactPreference, Household

from .models import CallListEntry, RequestEvent


def _households_to_tell(event: RequestEvent) -> list[Household]:
    repair_request = event.request
    households = [repair_request.household] if repair_request.household_id else []
    households += [
        affected.household for affected in repair_request.also_affected.select_related("household")
    ]
    return [household for household in households if household.end_date is None]


def household_notify_of_event(event_id: int) -> int:
    """Tell every household following the request about one event, once. Returns how many were told."""
    with transaction.atomic():
        event = (
            RequestEvent.objects.select_for_update(of=("self",))
            .select_related("request__household", "request__category")
            .get(pk=event_id)
        )
        if event.household_notified_at is not None:
            return 0
        told = 0
        for household in _households_to_tell(event):
            members_with_email = [member for member in household.members.all() if member.email]
            if household.contact_preference == ContactPreference.EMAIL and members_with_email:
                for member in members_with_email:
                    _send_update(
                        event,
                        member.email,
                        member.preferred_language or household.preferred_language,
                    )
            else:
                CallListEntry.objects.get_or_create(
                    event=event, household=household, request=event.request
                )
            told += 1
        event.household_notified_at = timezone.now()
        event.save(update_fields=["household_notified_at"])
    return told


def _send_update(event: RequestEvent, email: str, language: str) -> None:
    repair_request = event.request
    detail_url = settings.SITE_URL + reverse(
        "tickets:request_detail", kwargs={"request_uuid": repair_request.uuid}
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("Update on your repair request %(number)s") % {"number": repair_request.number}
        body = render_to_string(
            "tickets/email/request_update.txt",
            {
                "event": event,
                "repair_request": repair_request,
                "detail_url": detail_url,
                "ask_rating": event.kind == "completed",
                "office_phone_number": settings.OFFICE_PHONE_NUMBER,
            },
        )
    send_mail(subject, body, None, [email])


def call_list_entry_done(*, entry_id: int, user) -> bool:
    """The desk has called or written; marking twice changes nothing."""
    updated = CallListEntry.objects.filter(pk=entry_id, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=user
    )
    return bool(updated)
