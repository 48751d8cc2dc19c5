"""The appointment as an iCalendar file, so the tenant can put it in the phone's agenda."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import WorkOrder


def appointment_ics(work_order: WorkOrder, language: str) -> bytes:
    """Caller checked that the work order has an appointment and that the reader may see it."""
    repair_request = work_order.request
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Zelfbeheer Lombok//Reparaties//NL")
        calendar.add("version", "2.0")
        event = Event()
        event.add("uid", f"{work_order.uuid}@zelfbeheer-lombok")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(work_order.appointment_start))
        event.add("dtend", timezone.localtime(work_order.appointment_end))
        event.add(
            "summary",
            _("Repair %(number)s: %(contractor)s")
            % {"number": repair_request.number, "contractor": work_order.contractor.name},
        )
        event.add("location", repair_request.location)
        event.add(
            "description",
            _("Questions or can you not be home? Call the neighbourhood office: %(phone)s.")
            % {"phone": settings.OFFICE_PHONE_NUMBER},
        )
        calendar.add_component(event)
    return calendar.to_ical()
