"""The SLA clock of repair requests.

- `sla_due_dates` turns the SLA targets (SlaPolicy, editable by the coordinator) into due moments.
- `sla_pause` / `sla_resume` stop the clock while we wait for the tenant and add the waiting time.
- `sla_state_for` says on time / at risk / overdue / paused; `sla_states_refresh` stores it for all open
  requests (the desk queue filters and sorts on the stored value).
- `legal_deadline_warnings` warns the coordinators, once per request, before the six-week legal term.

Reads are named like selectors, writes like services. Moments are aware datetimes; working days are Dutch
working days in Europe/Amsterdam (weekends and public holidays do not count).
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import Role
from zelfbeheer.workdays import add_working_days

from .constants import (
    LEGAL_REMEDY_WEEKS,
    OPEN_REQUEST_STATUSES,
    EventVisibility,
    PauseReason,
    RequestStatus,
    SlaState,
    SlaUnit,
    Urgency,
)
from .models import OfficeSettings, RepairRequest, SlaPolicy
from .queue_cache import queue_changed
from .services import request_event_add

logger = logging.getLogger(__name__)

# Used only when a policy row is missing; the same sector norms that migration 0005 seeds.
SECTOR_NORMS: dict[str, tuple[tuple[int, str], tuple[int, str]]] = {
    Urgency.EMERGENCY: ((2, SlaUnit.HOURS), (24, SlaUnit.HOURS)),
    Urgency.URGENT: ((24, SlaUnit.HOURS), (5, SlaUnit.WORKING_DAYS)),
    Urgency.NORMAL: ((5, SlaUnit.WORKING_DAYS), (10, SlaUnit.WORKING_DAYS)),
}
# Before a contractor has the request, the response target counts too.
AWAITING_RESPONSE_STATUSES = (RequestStatus.REGISTERED, RequestStatus.ASSESSING)
BULK_UPDATE_BATCH = 500
_STATE_FIELDS = (
    "pk",
    "status",
    "created_at",
    "response_due",
    "resolution_due",
    "sla_state",
    "sla_paused_since",
)


class SlaClockRefused(Exception):
    """The clock cannot be paused; the message is for the desk worker."""


def _deadline(start: datetime, amount: int, unit: str) -> datetime:
    if unit == SlaUnit.HOURS:
        # Elapsed time around the clock: computed in UTC, so a DST change neither adds nor removes an hour.
        return timezone.localtime(start.astimezone(UTC) + timedelta(hours=amount))
    return add_working_days(timezone.localtime(start), amount)


def sla_due_dates(urgency: str, received_at: datetime) -> tuple[datetime, datetime]:
    """(response due, resolution due) for a request of this urgency received at that moment.

    Hours run around the clock; working days land on the same time of day that many Dutch working days
    later (weekends, Christmas, New Year, King's Day, Easter and Whit Monday, Ascension are skipped).
    """
    policy = SlaPolicy.objects.filter(urgency=urgency).first()
    if policy is not None:
        response = (policy.response_amount, policy.response_unit)
        resolution = (policy.resolution_amount, policy.resolution_unit)
    else:
        response, resolution = SECTOR_NORMS.get(urgency, SECTOR_NORMS[Urgency.NORMAL])
    return _deadline(received_at, *response), _deadline(received_at, *resolution)


def office_settings_get() -> OfficeSettings:
    settings_row, _created = OfficeSettings.objects.get_or_create(pk=1)
    return settings_row


def _at_risk_fraction() -> Decimal:
    # A freshly created row still holds the float default; Decimal(str()) keeps 0.75 exactly 0.75.
    return Decimal(str(office_settings_get().at_risk_fraction))


def _window_used_at_least(start: datetime, due: datetime, now: datetime, fraction: Decimal) -> bool:
    """Whether `fraction` of the time from receipt to the due moment has passed (a pause lengthens both)."""
    window = due - start
    if window <= timedelta(0):
        return True
    used = now - start
    return Decimal(used // timedelta(microseconds=1)) >= fraction * (
        window // timedelta(microseconds=1)
    )


def sla_state_for(
    repair_request: RepairRequest, now: datetime, *, at_risk_fraction: Decimal | None = None
) -> SlaState:
    """The SLA state at `now`. Pass `at_risk_fraction` when judging many requests (saves a query each).

    Requests that are no longer open (repaired, closed, cancelled) are never flagged, even if a pause
    was left on. Overdue wins over at risk; the response target counts only until a contractor has it.
    """
    if repair_request.status not in OPEN_REQUEST_STATUSES:
        return SlaState.ON_TIME
    if repair_request.sla_paused_since is not None:
        return SlaState.PAUSED
    if at_risk_fraction is None:
        at_risk_fraction = _at_risk_fraction()
    dues = [repair_request.resolution_due]
    if repair_request.status in AWAITING_RESPONSE_STATUSES:
        dues.append(repair_request.response_due)
    state = SlaState.ON_TIME
    for due in dues:
        if due is None:
            continue
        if now > due:
            return SlaState.OVERDUE
        if _window_used_at_least(repair_request.created_at, due, now, at_risk_fraction):
            state = SlaState.AT_RISK
    return state


def _lock(repair_request: RepairRequest) -> RepairRequest:
    return RepairRequest.objects.select_for_update(of=("self",)).get(pk=repair_request.pk)


def _copy_clock(source: RepairRequest, target: RepairRequest) -> None:
    """Let the caller's instance show what was saved (views re-render it)."""
    for field in (
        "response_due",
        "resolution_due",
        "sla_state",
        "sla_paused_since",
        "sla_pause_reason",
        "version",
    ):
        setattr(target, field, getattr(source, field))


def sla_pause(*, repair_request: RepairRequest, reason: PauseReason, actor: User | None) -> None:
    """Stop the clock while we wait for the tenant (no access, missing information).

    Pausing a paused request changes nothing. Raises SlaClockRefused for a request that is no longer open,
    and ValueError for an unknown reason.
    """
    reason = PauseReason(reason)  # a plain code from a form is accepted too
    with transaction.atomic():
        locked = _lock(repair_request)
        if locked.sla_paused_since is None:
            if locked.status not in OPEN_REQUEST_STATUSES:
                raise SlaClockRefused(
                    _("Request %(number)s is no longer open.") % {"number": locked.number}
                )
            locked.sla_paused_since = timezone.now()
            locked.sla_pause_reason = reason
            locked.sla_state = SlaState.PAUSED
            # The due dates will move: a desk form opened before this must not save over it.
            locked.version += 1
            locked.save(
                update_fields=[
                    "sla_paused_since",
                    "sla_pause_reason",
                    "sla_state",
                    "version",
                    "updated_at",
                ]
            )
            request_event_add(
                locked, "sla_paused", data={"pause_reason": reason.value}, actor=actor
            )
    _copy_clock(locked, repair_request)


def sla_resume(*, repair_request: RepairRequest, actor: User | None) -> None:
    """Start the clock again: both due moments move on by the time it stood still. Idempotent."""
    with transaction.atomic():
        locked = _lock(repair_request)
        if locked.sla_paused_since is not None:
            now = timezone.now()
            paused_for = max(now - locked.sla_paused_since, timedelta(0))
            if locked.response_due is not None:
                locked.response_due += paused_for
            if locked.resolution_due is not None:
                locked.resolution_due += paused_for
            locked.sla_paused_since = None
            locked.sla_pause_reason = ""
            locked.sla_state = sla_state_for(locked, now)
            locked.version += 1
            locked.save(
                update_fields=[
                    "response_due",
                    "resolution_due",
                    "sla_paused_since",
                    "sla_pause_reason",
                    "sla_state",
                    "version",
                    "updated_at",
                ]
            )
            request_event_add(
                locked,
                "sla_resumed",
                data={"paused_minutes": int(paused_for.total_seconds() // 60)},
                actor=actor,
            )
    _copy_clock(locked, repair_request)


def sla_states_refresh(now: datetime | None = None) -> dict[str, int]:
    """Store the SLA state of every open request; returns how many open requests are in each state.

    A fixed number of queries whatever the number of requests: one read, and one bulk update per 500
    changed rows. Requests that left the open statuses lose any flag they had.
    """
    now = now or timezone.now()
    fraction = _at_risk_fraction()
    counts = dict.fromkeys(SlaState.values, 0)
    changed: list[RepairRequest] = []
    open_requests = (
        RepairRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .only(*_STATE_FIELDS)
        .order_by()
    )
    for repair_request in open_requests.iterator(chunk_size=2000):
        state = sla_state_for(repair_request, now, at_risk_fraction=fraction)
        counts[state] += 1
        if repair_request.sla_state != state:
            repair_request.sla_state = state
            changed.append(repair_request)
    # Written after reading: SQLite does not isolate a running read from writes on the same connection.
    RepairRequest.objects.bulk_update(changed, ["sla_state"], batch_size=BULK_UPDATE_BATCH)
    closed_reset = (
        RepairRequest.objects.exclude(status__in=OPEN_REQUEST_STATUSES)
        .exclude(sla_state=SlaState.ON_TIME)
        .update(sla_state=SlaState.ON_TIME)
    )
    if changed or closed_reset:
        # Written around the models: the desk's cached queue does not hear of it otherwise.
        queue_changed()
    return counts


def legal_deadline(repair_request: RepairRequest) -> datetime:
    """The end of the legal term: after it the tenant may ask the Huurcommissie for a rent reduction."""
    return timezone.localtime(repair_request.created_at) + timedelta(weeks=LEGAL_REMEDY_WEEKS)


@dataclass(frozen=True)
class _WarningRow:
    repair_request: RepairRequest
    deadline: datetime
    passed: bool
    url: str


def _coordinator_addresses() -> list[str]:
    return list(
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR.value)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def legal_deadline_warnings(now: datetime | None = None) -> int:
    """Flag open requests whose six-week legal term ends within the configured working days (or has
    passed) and send the active coordinators one e-mail listing them. Returns how many were flagged.

    A flagged request is never mailed again. Without any coordinator nothing is flagged, so the warning
    goes out as soon as one exists. The mail is sent inside the transaction: if the mail server refuses,
    nothing is flagged and the next run tries again.
    """
    now = now or timezone.now()
    working_days = office_settings_get().legal_warning_working_days
    # Term ends (received + 6 weeks) on or before `now` + N working days  <=>  received on or before this.
    received_before = add_working_days(timezone.localtime(now), working_days) - timedelta(
        weeks=LEGAL_REMEDY_WEEKS
    )
    recipients = _coordinator_addresses()
    with transaction.atomic():
        due = list(
            RepairRequest.objects.select_for_update(of=("self",))
            .select_related("category__parent", "home", "building")
            .filter(
                status__in=OPEN_REQUEST_STATUSES,
                legal_deadline_flagged_at__isnull=True,
                created_at__lte=received_before,
            )
            .order_by("created_at", "pk")
        )
        if not due:
            return 0
        if not recipients:
            logger.warning("%d requests near the legal term, but no active coordinator", len(due))
            return 0
        RepairRequest.objects.filter(pk__in=[r.pk for r in due]).update(
            legal_deadline_flagged_at=now
        )
        rows = []
        for repair_request in due:
            deadline = legal_deadline(repair_request)
            request_event_add(
                repair_request,
                "legal_deadline_near",
                data={"deadline": deadline.isoformat()},
                visibility=EventVisibility.INTERNAL,
            )
            url = settings.SITE_URL + reverse(
                "tickets:request_detail", kwargs={"request_uuid": repair_request.uuid}
            )
            rows.append(
                _WarningRow(
                    repair_request=repair_request,
                    deadline=deadline,
                    passed=deadline <= now,
                    url=url,
                )
            )
        # Office mail: in the office's language, whoever's request started the run.
        with translation.override(settings.LANGUAGE_CODE):
            subject = ngettext(
                "%(count)s repair request is close to the six-week legal term",
                "%(count)s repair requests are close to the six-week legal term",
                len(rows),
            ) % {"count": len(rows)}
            body = render_to_string("tickets/email/legal_deadline_warning.txt", {"rows": rows})
        send_mail(subject, body, None, recipients)
    return len(rows)
