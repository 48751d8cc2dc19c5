"""Intake at the office for tenants who do not use the website: find the household, report for them.

Reads and writes for the desk's intake screens; the request itself is made by
`services.repair_request_submit` like any other, with the desk worker as `entered_by`.
"""

import re

from django.db.models import Q, QuerySet

from zelfbeheer.accounts.models import User
from zelfbeheer.housing.models import ContactPreference, Household

from .models import Visit

POSTCODE_AND_NUMBER = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*(\d+)?\s*(\S*)\s*$")
MAX_RESULTS = 20


def households_find(query: str) -> QuerySet[Household]:
    """One field for everything: '3531 KA 12', '3531KA', 'Kaneelstraat 12', a unit id, or a name."""
    query = query.strip()
    households = Household.objects.filter(end_date__isnull=True).select_related("home__building")
    if len(query) < 2:
        return households.none()
    match = POSTCODE_AND_NUMBER.match(query)
    if match:
        found = households.filter(home__postcode=f"{match.group(1)} {match.group(2).upper()}")
        if match.group(3):
            found = found.filter(home__house_number=int(match.group(3)))
        if match.group(4):
            found = found.filter(home__house_number_addition__iexact=match.group(4))
        return found.order_by("home__house_number", "home__house_number_addition")[:MAX_RESULTS]
    street_number = re.match(r"^(.*\D)\s+(\d+)\s*(\S*)$", query)
    if street_number:
        found = households.filter(
            home__street__icontains=street_number.group(1).strip(),
            home__house_number=int(street_number.group(2)),
        )
        if street_number.group(3):
            found = found.filter(home__house_number_addition__iexact=street_number.group(3))
        return found[:MAX_RESULTS]
    return households.filter(
        Q(name__icontains=query) | Q(home__street__icontains=query) | Q(home__unit_id__iexact=query)
    ).order_by("home__street", "home__house_number")[:MAX_RESULTS]


def household_get_current(household_uuid) -> Household | None:
    return (
        Household.objects.filter(uuid=household_uuid, end_date__isnull=True)
        .select_related("home__building__complex")
        .first()
    )


def household_contact_preference_set(household: Household, preference: str) -> None:
    if preference in ContactPreference.values and household.contact_preference != preference:
        household.contact_preference = preference
        household.save(update_fields=["contact_preference"])


def visit_record(
    *,
    reason: str,
    handled_by: User,
    household: Household | None = None,
    referred_to: str = "",
    notes: str = "",
) -> Visit:
    return Visit.objects.create(
        reason=reason,
        handled_by=handled_by,
        household=household,
        referred_to=referred_to,
        notes=notes,
    )
