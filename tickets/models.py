import uuid
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zelfbeheer.housing.models import Building, Complex, Home, Household

from .constants import (
    ACTIVE_WORK_ORDER_STATUSES,
    EVENT_TEXTS,
    OPEN_REQUEST_STATUSES,
    CauseFound,
    Channel,
    EventVisibility,
    PauseReason,
    PhaseCode,
    RequestStatus,
    Responsibility,
    Room,
    SlaState,
    SlaUnit,
    Urgency,
    WorkOrderStatus,
    availability_slot_label,
)


class WorkCategory(models.Model):
    """A node of the reparatiewijzer tree: a trade (no parent) or a defect within a trade."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    default_urgency = models.CharField(
        _("default urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    tenant_guidance = models.TextField(_("guidance for the tenant"), blank=True)
    is_shared_area = models.BooleanField(_("shared area"), default=False)

    class Meta:
        verbose_name = _("work category")
        verbose_name_plural = _("work categories")
        ordering = ["parent__name", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def trade(self) -> "WorkCategory":
        return self.parent if self.parent_id else self


class Phase(models.Model):
    """A stage of the take-over: until daily maintenance starts, technical requests go to the corporation."""

    code = models.CharField(_("phase"), max_length=32, choices=PhaseCode.choices, unique=True)
    starts_on = models.DateField(_("starts on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.starts_on})"


class SlaPolicy(models.Model):
    """Response and resolution targets of one urgency: hours around the clock, or Dutch working days."""

    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, unique=True)
    response_amount = models.PositiveIntegerField(_("respond within"))
    response_unit = models.CharField(_("unit"), max_length=16, choices=SlaUnit.choices)
    resolution_amount = models.PositiveIntegerField(_("resolve within"))
    resolution_unit = models.CharField(_("unit"), max_length=16, choices=SlaUnit.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self) -> str:
        return self.get_urgency_display()


class ResponsibilityRule(models.Model):
    """Who is responsible for a category from a date on: the phased take-over is data, not code."""

    category = models.ForeignKey(
        WorkCategory, on_delete=models.CASCADE, related_name="responsibility_rules"
    )
    responsibility = models.CharField(
        _("responsible"), max_length=16, choices=Responsibility.choices
    )
    effective_from = models.DateField(_("effective from"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility rule")
        verbose_name_plural = _("responsibility rules")
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="one_rule_per_category_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_responsibility_display()} ({self.effective_from})"


class RequestNumberSequence(models.Model):
    """The last issued request number of a year; locked while issuing, so numbers never repeat."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class RepairRequest(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=16, unique=True)
    home = models.ForeignKey(
        Home, on_delete=models.PROTECT, null=True, blank=True, related_name="repair_requests"
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_area_requests",
        help_text=_("Set for defects in a shared area (stairwell, roof, courtyard)."),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="repair_requests"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The desk worker who entered the request on the tenant's behalf."),
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    category = models.ForeignKey(
        WorkCategory, on_delete=models.PROTECT, related_name="repair_requests"
    )
    room = models.CharField(_("room"), max_length=16, choices=Room.choices, blank=True)
    description = models.TextField(_("description"))
    availability = models.CharField(_("when someone is home"), max_length=500, blank=True)
    availability_slots = models.JSONField(
        _("parts of the week someone is home"), default=list, blank=True
    )
    consent_caretaker_key = models.BooleanField(
        _("the contractor may use the caretaker's key when nobody is home"), default=False
    )
    tenant_reason = models.TextField(
        _("why the tenant asks us anyway"),
        blank=True,
        help_text=_("Given when the defect is normally the tenant's own job."),
    )
    booked_to_subscription = models.BooleanField(
        _("booked to the service subscription"), default=False
    )
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Optimistic locking for the desk: a save based on an older version is refused, nothing overwritten.
    version = models.PositiveIntegerField(default=1)
    sla_state = models.CharField(
        _("SLA"), max_length=16, choices=SlaState.choices, default=SlaState.ON_TIME, db_index=True
    )
    sla_paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    sla_pause_reason = models.CharField(
        _("why the clock is paused"), max_length=16, choices=PauseReason.choices, blank=True
    )
    legal_deadline_flagged_at = models.DateTimeField(null=True, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    responsibility = models.CharField(
        _("responsible"),
        max_length=16,
        choices=Responsibility.choices,
        default=Responsibility.FOUNDATION,
    )
    status = models.CharField(
        _("status"), max_length=3, choices=RequestStatus.choices, default=RequestStatus.REGISTERED
    )
    response_due = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    routing_flagged = models.BooleanField(
        _("needs the desk"), default=False, help_text=_("Routing found no contractor.")
    )

    class Meta:
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(home__isnull=False) | models.Q(building__isnull=False),
                name="repair_request_has_home_or_building",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["household", "-created_at"]),
            # The desk works on the open requests only: a few thousand among a million. Partial
            # indexes give its queue, its emergencies and its counts without touching the rest.
            models.Index(
                fields=["-created_at"],
                condition=models.Q(status__in=OPEN_REQUEST_STATUSES),
                name="open_request_newest_idx",
            ),
            # Emergencies only in the condition, so the index is in receipt order and the planner
            # sees that (an (urgency, created_at) index looked scattered to it and was passed over).
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=OPEN_REQUEST_STATUSES, urgency="emergency"),
                name="open_emergency_idx",
            ),
            models.Index(
                fields=["sla_state", "routing_flagged", "status"],
                include=["id"],
                condition=models.Q(status__in=OPEN_REQUEST_STATUSES),
                name="open_request_sla_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def location(self) -> str:
        return str(self.home) if self.home_id else str(self.building)

    @property
    def availability_labels(self) -> list[str]:
        return [availability_slot_label(slot) for slot in self.availability_slots]

    @property
    def complex_id(self) -> int:
        return self.home.building.complex_id if self.home_id else self.building.complex_id


def _display_values(data: dict) -> dict:
    """Moments are stored as ISO strings and shown in the reader's language and time zone."""
    shown = dict(data)
    if "start" in data and "end" in data:
        start = timezone.localtime(datetime.fromisoformat(data["start"]))
        end = timezone.localtime(datetime.fromisoformat(data["end"]))
        shown.update(
            date=date_format(start, "l j F Y"),
            start=time_format(start, "H:i"),
            end=time_format(end, "H:i"),
        )
    if "pause_reason" in data:
        # The code is stored; its label is translated for the reader.
        shown["pause_reason"] = dict(PauseReason.choices).get(
            data["pause_reason"], data["pause_reason"]
        )
    return shown


class RequestEvent(models.Model):
    """One line of a request's timeline; public lines are shown to the tenant."""

    request = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(
        max_length=16, choices=EventVisibility.choices, default=EventVisibility.PUBLIC
    )
    kind = models.CharField(max_length=32)
    old_status = models.CharField(max_length=3, blank=True)
    new_status = models.CharField(max_length=3, blank=True)
    data = models.JSONField(default=dict, blank=True)
    household_notified_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, help_text=_("Free text written by a person."))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.kind}"

    @property
    def text(self) -> str:
        """The timeline line in the reader's language; free text of a person as it was written."""
        if self.message:
            return self.message
        template = EVENT_TEXTS.get(self.kind)
        if template is None:
            return self.kind
        return str(template) % _display_values(self.data)


class Contractor(models.Model):
    name = models.CharField(_("company name"), max_length=200)
    kvk_number = models.CharField(_("chamber of commerce number"), max_length=8, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contractors",
        verbose_name=_("staff accounts"),
    )

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A framework contract: which trades, for which complexes, in which period, at what price."""

    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="contracts")
    trades = models.ManyToManyField(
        WorkCategory,
        related_name="contracts",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("trades"),
    )
    complexes = models.ManyToManyField(
        Complex, related_name="contracts", verbose_name=_("complexes")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=8, decimal_places=2)
    call_out_fee = models.DecimalField(_("call-out fee"), max_digits=8, decimal_places=2, default=0)
    annual_ceiling = models.DecimalField(_("annual ceiling"), max_digits=12, decimal_places=2)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text=_("1 is asked first.")
    )
    categories = models.ManyToManyField(
        WorkCategory,
        blank=True,
        related_name="category_contracts",
        limit_choices_to={"parent__isnull": False},
        verbose_name=_("only these defects"),
        help_text=_("Leave empty to cover every defect of the trades."),
    )
    acceptance_hours = models.PositiveSmallIntegerField(
        _("hours to accept a work order"),
        default=24,
        help_text=_("Not accepted in time: the next contractor is asked."),
    )
    emergency_acceptance_minutes = models.PositiveSmallIntegerField(
        _("minutes to accept an emergency"), default=30
    )
    response_emergency_hours = models.PositiveSmallIntegerField(
        _("response time for emergencies (hours)"), default=2
    )
    response_urgent_hours = models.PositiveSmallIntegerField(
        _("response time for urgent work (hours)"), default=24
    )
    response_normal_working_days = models.PositiveSmallIntegerField(
        _("response time for normal work (working days)"), default=5
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["priority", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="contract_period_is_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contractor} {self.valid_from:%Y}–{self.valid_until:%Y}"


class WorkOrder(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(RepairRequest, on_delete=models.PROTECT, related_name="work_orders")
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="work_orders")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="work_orders")
    status = models.CharField(
        _("status"),
        max_length=3,
        choices=WorkOrderStatus.choices,
        default=WorkOrderStatus.REGISTERED,
    )
    routing_reason = models.TextField(_("why this contractor"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accept_before = models.DateTimeField(_("accept before"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    estimate = models.DecimalField(
        _("estimate excl. VAT"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cause_found = models.CharField(
        _("cause found"), max_length=16, choices=CauseFound.choices, blank=True
    )
    materials = models.TextField(_("materials used"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    appointment_start = models.DateTimeField(_("appointment from"), null=True, blank=True)
    appointment_end = models.DateTimeField(_("appointment until"), null=True, blank=True)
    completion_notes = models.TextField(_("what was done"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    total_cost = models.DecimalField(
        _("total cost excl. VAT"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Only a SHA-256 of the link token is kept: a database leak does not open any work order.
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    contractor_notified_at = models.DateTimeField(
        _("contractor notified at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["contractor", "status", "created_at"]),
            # A contractor's finished orders, newest first.
            models.Index(
                fields=["contractor", "-created_at"], name="work_order_contractor_new_idx"
            ),
            # A contractor's open orders in the order of their page (earliest appointment first).
            models.Index(
                fields=["contractor", "appointment_start", "created_at", "id"],
                condition=models.Q(status__in=ACTIVE_WORK_ORDER_STATUSES),
                name="work_order_contractor_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=ACTIVE_WORK_ORDER_STATUSES),
                name="one_active_work_order_per_request",
            ),
            models.CheckConstraint(
                condition=models.Q(total_cost__isnull=True) | models.Q(total_cost__gte=0),
                name="work_order_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(estimate__isnull=True) | models.Q(estimate__gte=0),
                name="work_order_estimate_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(appointment_start__isnull=True)
                | models.Q(appointment_end__gt=models.F("appointment_start")),
                name="appointment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} → {self.contractor}"


def photo_upload_path(instance: "Photo", filename: str) -> str:
    return f"photos/{instance.request.uuid}/{instance.uuid}.jpg"


def thumbnail_upload_path(instance: "Photo", filename: str) -> str:
    return f"photos/{instance.request.uuid}/{instance.uuid}-thumb.jpg"


class Photo(models.Model):
    """A photo re-encoded as JPEG with all metadata removed; served only through a permission check."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=photo_upload_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(upload_to=thumbnail_upload_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.number} photo {self.pk}"


class AlsoAffected(models.Model):
    """A neighbour who reports that a shared-area defect affects them too, instead of a new request."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="also_affected"
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("also affected")
        verbose_name_plural = _("also affected")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "household"], name="affected_once_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.number}: {self.household}"


class Rating(models.Model):
    request = models.OneToOneField(RepairRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_between_1_and_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.number}: {self.score}"


class CallListEntry(models.Model):
    """An update the desk passes on by phone or letter, for households that prefer that to e-mail."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="call_list_entries"
    )
    event = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("call list entry")
        verbose_name_plural = _("call list")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "household"], name="one_call_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.request.number}"


class Referral(models.Model):
    """Work passed on to the corporation (planned maintenance, structural, rent): what was sent and when."""

    request = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="referrals")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("what was passed on"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("referral to Bo-Ex")
        verbose_name_plural = _("referrals to Bo-Ex")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.request.number} → Bo-Ex"


class VisitReason(models.TextChoices):
    REPAIR = "repair", _("Repair")
    SOCIAL = "social", _("Support or nuisance")
    RENT = "rent", _("Rent or payment (Bo-Ex)")
    INFORMATION = "information", _("Information")
    OTHER = "other", _("Other")


class Visit(models.Model):
    """A walk-in at the neighbourhood office; feeds the monthly figures."""

    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=VisitReason.choices)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]

    def __str__(self) -> str:
        return f"{self.visited_at:%Y-%m-%d} {self.get_reason_display()}"


class OfficeSettings(models.Model):
    """The office's tunable numbers, one row (pk=1), edited by the coordinator."""

    repeat_defect_count = models.PositiveSmallIntegerField(
        _("repeated defect: number of requests"), default=3
    )
    repeat_defect_months = models.PositiveSmallIntegerField(
        _("repeated defect: within months"), default=12
    )
    at_risk_fraction = models.DecimalField(
        _("at risk when this part of the time is used"),
        max_digits=3,
        decimal_places=2,
        default=0.75,
    )
    legal_warning_working_days = models.PositiveSmallIntegerField(
        _("warn this many working days before the 6-week legal term"), default=10
    )
    monthly_report_recipients = models.TextField(
        _("monthly report: Bo-Ex e-mail addresses"),
        blank=True,
        help_text=_(
            "One address per line. The final report is e-mailed here with its PDF and CSV."
        ),
    )
    monthly_report_send_automatically = models.BooleanField(
        _("monthly report: make final and send without a board member"),
        default=False,
        help_text=_(
            "Off: a board member checks the draft and makes it final, which sends it. On: the report of "
            "the first of the month is made final and sent at once."
        ),
    )
    # The board decides this with its privacy adviser; closed social cases are anonymised after it.
    social_case_retention_months = models.PositiveSmallIntegerField(
        _("keep closed social cases for this many months"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office settings")
        verbose_name_plural = _("office settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class SavedQueueFilter(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], name="saved_filter_name_unique_per_user"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VisitOutcome(models.TextChoices):
    NOT_HOME = "not_home", _("Nobody home")
    PARTS_NEEDED = "parts_needed", _("Parts needed, follow-up appointment")


class WorkOrderAttempt(models.Model):
    """A visit that could not finish the job; a missed appointment costs a call-out fee."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attempts")
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices)
    call_out_fee = models.DecimalField(_("call-out fee"), max_digits=8, decimal_places=2, default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("visit without result")
        verbose_name_plural = _("visits without result")
        ordering = ["happened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(call_out_fee__gte=0), name="call_out_fee_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_order}: {self.get_outcome_display()}"


class ApiToken(models.Model):
    """A larger contractor's key to the JSON API; only its hash is kept."""

    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.contractor}: {self.name}"
