"""The shape of the API's input and output, described with the DICO (Ketenstandaard) terms.

Serializers only check and convert; the services in `tickets.work_orders` and `tickets.services` act.
"""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..constants import ACTIVE_WORK_ORDER_STATUSES, CauseFound, Urgency, WorkOrderStatus
from ..models import VisitOutcome, WorkOrder

MONEY_PATTERN = r"^(?:100000(?:\.0{1,2})?|\d{1,5}(?:\.\d{1,2})?)$"
HOURS_PATTERN = r"^(?:500(?:\.0{1,2})?|[1-4]?\d{1,2}(?:\.\d{1,2})?)$"


class DecimalStringField(serializers.DecimalField):
    """A decimal sent as a JSON string ("125.50"), never a float, so nothing is rounded on the way."""

    pattern = re.compile(r"^\d+(?:\.\d{1,2})?$")
    default_error_messages = {
        "not_a_string": _('Send the number as a string, for example "125.50".'),
        "format": _('Use digits with at most two decimals, for example "125.50".'),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        value = super().to_internal_value(data)  # messages for too small, too large, bad precision
        if not self.pattern.fullmatch(data):
            self.fail("format")
        return value


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": MONEY_PATTERN, "example": "125.50"}
)
class MoneyField(DecimalStringField):
    """Euros excluding VAT: 0 to 100000 with at most two decimals."""

    pattern = re.compile(MONEY_PATTERN)

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100000)
        super().__init__(max_digits=8, decimal_places=2, **kwargs)


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": HOURS_PATTERN, "example": "1.50"}
)
class HoursField(DecimalStringField):
    """Hours worked: 0 to 500 with at most two decimals."""

    pattern = re.compile(HOURS_PATTERN)

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=0, max_value=500, **kwargs)


class OffsetDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment with its UTC offset; a moment without offset is ambiguous and refused."""

    default_error_messages = {
        "naive": _("Give the moment with its UTC offset, for example 2025-03-04T09:00:00+01:00."),
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value)
            except ValueError:
                parsed = None  # the parent gives the "wrong format" message
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


# --- output: the work order (DICO: opdracht) ---------------------------------------------------------


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Code of the defect (reparatiewijzer; DICO: gebrekcode)."
    )
    name = serializers.CharField(help_text="Name of the defect (DICO: gebrekomschrijving).")


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(allow_null=True, help_text="DICO werkadres: straatnaam.")
    number = serializers.IntegerField(allow_null=True, help_text="DICO werkadres: huisnummer.")
    addition = serializers.CharField(
        allow_null=True, help_text="DICO werkadres: huisnummertoevoeging (may be empty)."
    )
    postcode = serializers.CharField(allow_null=True, help_text="DICO werkadres: postcode.")
    city = serializers.CharField(allow_null=True, help_text="DICO werkadres: plaatsnaam.")
    building = serializers.CharField(
        help_text="The building (complex part). For a defect in a shared area (stairwell, roof, "
        "courtyard) only the building is known and the other fields are null."
    )


class HouseholdSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="DICO contactpersoon bewoner: naam.")
    phone = serializers.CharField(help_text="DICO contactpersoon bewoner: telefoonnummer.")
    availability = serializers.ListField(
        child=serializers.CharField(),
        help_text="Parts of the week someone is home (DICO: bereikbaarheid), as codes such as "
        "`mon-morning` or `fri-afternoon`.",
    )
    availability_note = serializers.CharField(
        help_text="The household's own words on when to come (may be empty)."
    )
    caretaker_key_allowed = serializers.BooleanField(
        help_text="The contractor may use the caretaker's key when nobody is home."
    )


class WorkOrderSerializer(serializers.ModelSerializer):
    """A work order as the contractor sees it; address and household only while the order is open."""

    request_number = serializers.CharField(
        source="request.number",
        help_text="DICO: opdrachtnummer (our request number, e.g. M-2025-00042); quote it on invoices.",
    )
    status = serializers.ChoiceField(
        choices=WorkOrderStatus.choices,
        help_text="DICO: status (VERA onderhoudsorder): REG sent to the contractor, GUN accepted "
        "(gegund), PLN planned, INB in progress, TEC technically done, FIN being settled, "
        "AFG closed, GEA cancelled (declined or not accepted in time).",
    )
    category = CategorySerializer(source="request.category", help_text="DICO: gebrek.")
    urgency = serializers.ChoiceField(
        source="request.urgency",
        choices=Urgency.choices,
        help_text="DICO: urgentie (prioriteit): emergency, urgent or normal.",
    )
    address = serializers.SerializerMethodField(
        help_text="DICO: werkadres. Only while the order is open (REG, GUN, PLN, INB); null after."
    )
    household = serializers.SerializerMethodField(
        help_text="DICO: contactpersoon bewoner. Only while the order is open; null after, and for "
        "a shared-area report the office entered without a household."
    )
    description = serializers.CharField(
        source="request.description", help_text="DICO: omschrijving (the tenant's description)."
    )
    accept_before = serializers.DateTimeField(
        allow_null=True,
        help_text="DICO: uiterste reactiedatum. Not accepted by then: the next contractor is asked.",
    )
    appointment_start = serializers.DateTimeField(
        allow_null=True, help_text="DICO planning: afspraak begin (with UTC offset)."
    )
    appointment_end = serializers.DateTimeField(
        allow_null=True, help_text="DICO planning: afspraak eind (with UTC offset)."
    )
    estimate = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="DICO: begroting (opdrachtsom), euros excl. VAT, as a string.",
    )
    total_cost = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="DICO gereedmelding: totaalbedrag, euros excl. VAT, as a string.",
    )

    class Meta:
        model = WorkOrder
        fields = [
            "uuid",
            "request_number",
            "status",
            "category",
            "urgency",
            "address",
            "household",
            "description",
            "accept_before",
            "appointment_start",
            "appointment_end",
            "estimate",
            "total_cost",
        ]
        read_only_fields = fields
        extra_kwargs = {"uuid": {"help_text": "The work order's id (DICO: opdracht-GUID)."}}

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_address(self, work_order: WorkOrder) -> dict | None:
        if work_order.status not in ACTIVE_WORK_ORDER_STATUSES:
            return None
        repair_request = work_order.request
        home = repair_request.home
        if home is None:
            return {
                "street": None,
                "number": None,
                "addition": None,
                "postcode": None,
                "city": None,
                "building": repair_request.building.name,
            }
        return {
            "street": home.street,
            "number": home.house_number,
            "addition": home.house_number_addition,
            "postcode": home.postcode,
            "city": home.city,
            "building": home.building.name,
        }

    @extend_schema_field(HouseholdSerializer(allow_null=True))
    def get_household(self, work_order: WorkOrder) -> dict | None:
        repair_request = work_order.request
        household = repair_request.household
        if work_order.status not in ACTIVE_WORK_ORDER_STATUSES or household is None:
            return None
        return {
            "name": household.name,
            "phone": repair_request.contact_phone or household.phone,
            "availability": list(repair_request.availability_slots),
            "availability_note": repair_request.availability,
            "caretaker_key_allowed": repair_request.consent_caretaker_key,
        }


class WorkOrderListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=WorkOrderStatus.choices,
        required=False,
        allow_blank=True,
        help_text="Only orders with this status (VERA onderhoudsorder), e.g. REG for new orders; "
        "empty for all.",
    )

    default_error_messages = {"repeated": _("Give this parameter once.")}

    def to_internal_value(self, data):
        # A query string may repeat a name; silently taking one of the values would hide a mistake.
        getlist = getattr(data, "getlist", lambda name: [])
        repeated = [name for name in self.fields if len(getlist(name)) > 1]
        if repeated:
            raise serializers.ValidationError(
                {name: [self.error_messages["repeated"]] for name in repeated}
            )
        return super().to_internal_value(data)


# --- input: the contractor's messages (DICO: opdrachtbevestiging, planning, gereedmelding) ----------


class AcceptSerializer(serializers.Serializer):
    estimate = MoneyField(
        required=False,
        allow_null=True,
        help_text="DICO opdrachtbevestiging: begroting, euros excl. VAT as a string (optional). "
        "Booked as a commitment on the budget.",
    )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        help_text="DICO opdrachtweigering: reden. The office asks the next contractor.",
    )


class PlanSerializer(serializers.Serializer):
    """DICO planningsverzoek → afspraak: a time window on one day, today or later."""

    start = OffsetDateTimeField(help_text="DICO afspraak begin, ISO 8601 with UTC offset.")
    end = OffsetDateTimeField(help_text="DICO afspraak eind, ISO 8601 with UTC offset.")

    def validate_start(self, start: datetime) -> datetime:
        if start < timezone.now():
            raise serializers.ValidationError(_("The appointment cannot start in the past."))
        return start

    def validate(self, attrs: dict) -> dict:
        start, end = attrs["start"], attrs["end"]
        if end <= start:
            raise serializers.ValidationError(
                {"end": _("The appointment must end after it starts.")}
            )
        if timezone.localdate(end) != timezone.localdate(start):
            # The tenant is told one date with a time window, as on the web page.
            raise serializers.ValidationError(
                {"end": _("The appointment must end on the day it starts.")}
            )
        return attrs


class CompleteSerializer(serializers.Serializer):
    """DICO gereedmelding."""

    total_cost = MoneyField(help_text="DICO gereedmelding: totaalbedrag, euros excl. VAT.")
    hours = HoursField(
        required=False, allow_null=True, help_text="DICO gereedmelding: bestede uren (optional)."
    )
    notes = serializers.CharField(
        max_length=4000, help_text="DICO gereedmelding: uitgevoerde werkzaamheden."
    )
    cause_found = serializers.ChoiceField(
        choices=CauseFound.choices,
        help_text="DICO gereedmelding: oorzaak. `wear` (wear and tear), `resident` (caused by the "
        "resident) or `self_made` (a change the resident made); the last two may be charged to "
        "the tenant.",
    )
    materials = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="DICO gereedmelding: gebruikte materialen (optional).",
    )


class AttemptSerializer(serializers.Serializer):
    """DICO statusbericht for a visit without result; the order goes back to accepted (GUN)."""

    outcome = serializers.ChoiceField(
        choices=VisitOutcome.choices,
        help_text="`not_home` (nobody home; a call-out fee is recorded) or `parts_needed` "
        "(a follow-up appointment is needed).",
    )
    notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Notes (optional)."
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
