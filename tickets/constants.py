"""Statuses follow the VERA standard (Aedes) codes; labels are Dutch-first through gettext."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    REGISTERED = "REG", _("Received")
    ASSESSING = "BEO", _("Being assessed")
    IN_PROGRESS = "INB", _("In progress")
    TECHNICALLY_DONE = "TEC", _("Repaired")
    FINANCIAL = "FIN", _("Being settled")
    CLOSED = "AFG", _("Closed")
    CANCELLED = "GEA", _("Cancelled")


OPEN_REQUEST_STATUSES = (
    RequestStatus.REGISTERED,
    RequestStatus.ASSESSING,
    RequestStatus.IN_PROGRESS,
)


class WorkOrderStatus(models.TextChoices):
    REGISTERED = "REG", _("Sent to contractor")
    AWARDED = "GUN", _("Accepted")
    PLANNED = "PLN", _("Planned")
    IN_PROGRESS = "INB", _("In progress")
    TECHNICALLY_DONE = "TEC", _("Done")
    FINANCIAL = "FIN", _("Ready to invoice")
    CLOSED = "AFG", _("Closed")
    CANCELLED = "GEA", _("Cancelled")


ACTIVE_WORK_ORDER_STATUSES = (
    WorkOrderStatus.REGISTERED,
    WorkOrderStatus.AWARDED,
    WorkOrderStatus.PLANNED,
    WorkOrderStatus.IN_PROGRESS,
)


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    DESK = "desk", _("At the office")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class Responsibility(models.TextChoices):
    TENANT = "tenant", _("Tenant")
    FOUNDATION = "foundation", _("Foundation")
    CORPORATION = "corporation", _("Bo-Ex")


class Room(models.TextChoices):
    KITCHEN = "kitchen", _("Kitchen")
    BATHROOM = "bathroom", _("Bathroom")
    TOILET = "toilet", _("Toilet")
    LIVING_ROOM = "living_room", _("Living room")
    BEDROOM = "bedroom", _("Bedroom")
    HALL = "hall", _("Hall or stairs")
    OUTSIDE = "outside", _("Balcony, garden or outside")
    OTHER = "other", _("Elsewhere")


class EventVisibility(models.TextChoices):
    PUBLIC = "public", _("Visible to the tenant")
    INTERNAL = "internal", _("Internal")


# What the timeline says for each kind of event, translated when shown (never stored translated).
EVENT_TEXTS = {
    "received": _("We received your request."),
    "contractor_assigned": _("%(contractor)s will carry out the repair."),
    "routing_failed": _("No contracted professional is available; the office takes over."),
    "completed": _("The repair has been carried out."),
    "cost_not_booked": _("No budget line covers this category this year; the cost was not booked."),
    "confirmation_sent": _("Confirmation sent by e-mail."),
    "forwarded_to_corporation": _("This is handled by Bo-Ex; we have passed your request on."),
    "tenant_responsibility": _(
        "This is usually the tenant's own job; the office will look at your reason."
    ),
    "subscription": _("Handled under your service subscription."),
    "cancelled": _("The request was cancelled."),
    "reopened": _("The request was reopened because the problem is not solved."),
    "appointment_planned": _("Appointment on %(date)s between %(start)s and %(end)s."),
    "rated": _("Thank you for rating the repair."),
    "also_affected": _("A neighbour reported that this affects them too."),
    "photos_added": _("Photos added: %(count)s."),
    "work_order_sent": _("Work order sent to %(contractor)s."),
    "contractor_declined": _("%(contractor)s declined: %(reason)s"),
    "acceptance_expired": _("%(contractor)s did not accept in time."),
    "work_order_cancelled": _("The work order for %(contractor)s was cancelled: %(reason)s"),
    "missed_appointment": _(
        "Nobody was home at the appointment. Please make a new appointment; a call-out fee may be charged."
    ),
    "follow_up_needed": _("Parts are needed; the contractor will make a follow-up appointment."),
    "appointment_reminder": _(
        "Reminder: the contractor comes on %(date)s between %(start)s and %(end)s."
    ),
    "sla_paused": _(
        "We are waiting for you, so the repair deadline is on hold. Reason: %(pause_reason)s."
    ),
    "sla_resumed": _("The repair deadline runs again; the waiting time has been added to it."),
    "legal_deadline_near": _(
        "The six-week legal term for this repair is close; the coordinators were warned."
    ),
    "merged": _("This report was merged with request %(number)s, which is about the same defect."),
    "duplicates_merged": _("Reports of the same defect merged into this one: %(count)s."),
}

# Events that are worth telling the household about (by e-mail, or through the office's call list).
NOTIFIED_EVENT_KINDS = frozenset(
    {
        "contractor_assigned",
        "appointment_planned",
        "appointment_reminder",
        "missed_appointment",
        "follow_up_needed",
        "completed",
        "forwarded_to_corporation",
        "merged",
        "own_job_explained",
        "office_message",
    }
)

WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
]
DAY_PARTS = [("morning", _("morning")), ("afternoon", _("afternoon"))]
AVAILABILITY_SLOTS = [f"{day}-{part}" for day, _day in WEEKDAYS for part, _part in DAY_PARTS]


def availability_slot_label(slot: str) -> str:
    """'mon-morning' → 'Monday morning' in the reader's language; unknown codes are shown as they are."""
    day, _dash, part = slot.partition("-")
    day_label, part_label = dict(WEEKDAYS).get(day), dict(DAY_PARTS).get(part)
    if day_label is None or part_label is None:
        return slot
    return f"{day_label} {part_label}"


# How long after completion a tenant may say the problem is not solved.
REOPEN_WINDOW_DAYS = 14


class SlaState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")


class PauseReason(models.TextChoices):
    NO_ACCESS = "no_access", _("No access to the home")
    WAITING_FOR_TENANT = "tenant_info", _("Waiting for information from the tenant")


class SlaUnit(models.TextChoices):
    HOURS = "hours", _("hours (around the clock)")
    WORKING_DAYS = "working_days", _("working days")


class PhaseCode(models.TextChoices):
    SOCIAL_MANAGEMENT = "social_management", _("Social management")
    DAILY_MAINTENANCE = "daily_maintenance", _("Daily maintenance")


# The legal backstop: a landlord must remedy a reported defect within six weeks (then: Huurcommissie).
LEGAL_REMEDY_WEEKS = 6


class CauseFound(models.TextChoices):
    WEAR = "wear", _("Wear and tear")
    RESIDENT = "resident", _("Caused by the resident")
    SELF_MADE = "self_made", _("A change the resident made")


# Causes that allow the desk to charge the repair to the tenant.
CHARGEABLE_CAUSES = frozenset({CauseFound.RESIDENT, CauseFound.SELF_MADE})
