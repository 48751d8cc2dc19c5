from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tickets import services, sla
from tickets.constants import (
    EventVisibility,
    PauseReason,
    RequestStatus,
    SlaState,
    SlaUnit,
    Urgency,
)
from tickets.models import OfficeSettings, RepairRequest, RequestEvent, SlaPolicy
from tickets.selectors import repair_request_public_events
from tickets.tasks import refresh_sla_states
from zelfbeheer.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Monday 2 March 2026, 09:00 in Amsterdam, until a test moves it."""
    frozen = Clock(at(2026, 3, 2, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def desk_user(db):
    return UserFactory(role=Role.DESK, totp=False)


def submit(routable) -> RepairRequest:
    return services.repair_request_submit(
        household=routable.household,
        reporter=routable.household.members.first(),
        category=routable.category,
        description="De kraan in de keuken lekt.",
    )


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)


# --- due dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "received", "response", "resolution"),
    [
        pytest.param(
            Urgency.NORMAL,
            at(2026, 3, 25, 10, 0),  # Wednesday; the weekend and the switch to summer time between
            at(2026, 4, 1, 10, 0),
            at(2026, 4, 10, 10, 0),  # and Good Friday and Easter Monday
            id="weekend-summer-time-and-easter",
        ),
        pytest.param(
            Urgency.NORMAL,
            # Christmas on Friday 25 and Saturday 26 December, New Year on Friday
            at(2026, 12, 23, 14, 0),
            at(2026, 12, 31, 14, 0),
            at(2027, 1, 8, 14, 0),
            id="christmas-and-new-year-2026",
        ),
        pytest.param(
            Urgency.NORMAL,
            at(2025, 12, 31, 16, 0),  # New Year's Day on Thursday
            at(2026, 1, 8, 16, 0),
            at(2026, 1, 15, 16, 0),
            id="new-year-2026",
        ),
        pytest.param(
            Urgency.URGENT,
            at(2026, 4, 24, 9, 0),  # Friday; King's Day on Monday 27 April 2026
            at(2026, 4, 25, 9, 0),  # 24 hours around the clock, a Saturday is fine
            at(2026, 5, 4, 9, 0),
            id="kings-day-2026-monday",
        ),
        pytest.param(
            Urgency.NORMAL,
            at(2025, 4, 25, 9, 0),  # Friday; King's Day 2025 fell on Saturday 26 April
            at(2025, 5, 2, 9, 0),
            at(2025, 5, 12, 9, 0),  # Liberation Day 2025 (Monday 5 May, a lustrum year) is off
            id="kings-day-2025-saturday",
        ),
        pytest.param(
            Urgency.NORMAL,
            at(2026, 5, 13, 11, 0),  # Ascension on Thursday 14 May, Whit Monday on 25 May
            at(2026, 5, 21, 11, 0),
            at(2026, 5, 29, 11, 0),
            id="ascension-and-whit-monday",
        ),
        pytest.param(
            Urgency.NORMAL,
            at(2026, 4, 2, 12, 0),  # Thursday; Good Friday and Easter Monday are not working days
            at(2026, 4, 13, 12, 0),
            at(2026, 4, 20, 12, 0),
            id="easter",
        ),
        pytest.param(
            Urgency.EMERGENCY,
            at(2026, 11, 20, 23, 15),  # late Friday evening: answered in the night, solved Saturday
            at(2026, 11, 21, 1, 15),
            at(2026, 11, 21, 23, 15),
            id="emergency-across-midnight",
        ),
        pytest.param(
            Urgency.EMERGENCY,
            at(2026, 3, 28, 12, 0),  # 24 real hours over the night the clocks go forward
            at(2026, 3, 28, 14, 0),
            at(2026, 3, 29, 13, 0),
            id="emergency-across-summer-time",
        ),
    ],
)
def test_due_dates_follow_the_policy_in_dutch_working_days(urgency, received, response, resolution):
    response_due, resolution_due = sla.sla_due_dates(urgency, received)

    assert (local(response_due), local(resolution_due)) == (response, resolution)


def test_a_received_moment_in_utc_counts_working_days_in_amsterdam():
    # 23:30 UTC on Friday 24 April 2026 is already Saturday in Amsterdam.
    received = datetime(2026, 4, 24, 23, 30, tzinfo=ZoneInfo("UTC"))

    response_due, _resolution_due = sla.sla_due_dates(Urgency.NORMAL, received)

    assert local(response_due) == at(2026, 5, 4, 1, 30)  # King's Day on Monday 27 April


def test_a_changed_policy_changes_the_due_dates_of_new_requests():
    received = at(2026, 3, 2, 9, 0)
    before = sla.sla_due_dates(Urgency.NORMAL, received)

    SlaPolicy.objects.filter(urgency=Urgency.NORMAL).update(
        response_amount=8, response_unit=SlaUnit.HOURS, resolution_amount=3
    )
    after = sla.sla_due_dates(Urgency.NORMAL, received)

    assert before == (at(2026, 3, 9, 9, 0), at(2026, 3, 16, 9, 0))
    assert after == (at(2026, 3, 2, 17, 0), at(2026, 3, 5, 9, 0))


def test_without_a_policy_row_the_sector_norms_apply():
    SlaPolicy.objects.all().delete()

    assert sla.sla_due_dates(Urgency.URGENT, at(2026, 3, 2, 9, 0)) == (
        at(2026, 3, 3, 9, 0),
        at(2026, 3, 9, 9, 0),
    )


# --- pause and resume ------------------------------------------------------------------------------


def test_pause_and_resume_move_the_due_dates_by_the_waiting_time(routable, clock, desk_user):
    repair_request = submit(routable)
    response_due, resolution_due = repair_request.response_due, repair_request.resolution_due
    version = repair_request.version

    sla.sla_pause(repair_request=repair_request, reason=PauseReason.NO_ACCESS, actor=desk_user)
    repair_request.refresh_from_db()
    assert repair_request.sla_paused_since == clock.now
    assert repair_request.sla_pause_reason == PauseReason.NO_ACCESS
    assert repair_request.sla_state == SlaState.PAUSED
    assert sla.sla_state_for(repair_request, clock.now + timedelta(days=30)) == SlaState.PAUSED

    clock.advance(days=2, hours=3)
    sla.sla_resume(repair_request=repair_request, actor=desk_user)

    repair_request.refresh_from_db()
    assert repair_request.response_due == response_due + timedelta(days=2, hours=3)
    assert repair_request.resolution_due == resolution_due + timedelta(days=2, hours=3)
    assert repair_request.sla_paused_since is None
    assert repair_request.sla_pause_reason == ""
    assert repair_request.sla_state == SlaState.ON_TIME
    # An older desk form cannot save over the new dates.
    assert repair_request.version == version + 2
    public = list(repair_request_public_events(repair_request).values_list("kind", "actor"))
    assert public[-2:] == [("sla_paused", desk_user.pk), ("sla_resumed", desk_user.pk)]


def test_the_tenant_reads_why_the_clock_waits(routable, clock, desk_user):
    repair_request = submit(routable)

    sla.sla_pause(
        repair_request=repair_request, reason=PauseReason.WAITING_FOR_TENANT, actor=desk_user
    )

    event = repair_request.events.get(kind="sla_paused")
    assert event.visibility == EventVisibility.PUBLIC
    assert event.data == {"pause_reason": "tenant_info"}
    with translation.override("en"):
        assert "waiting for you" in event.text
        assert "Waiting for information from the tenant" in event.text


def test_pausing_twice_changes_nothing(routable, clock, desk_user):
    repair_request = submit(routable)
    sla.sla_pause(repair_request=repair_request, reason=PauseReason.NO_ACCESS, actor=desk_user)
    repair_request.refresh_from_db()
    paused = (repair_request.sla_paused_since, repair_request.version)
    events = repair_request.events.count()

    clock.advance(hours=5)
    sla.sla_pause(
        repair_request=repair_request, reason=PauseReason.WAITING_FOR_TENANT, actor=desk_user
    )

    repair_request.refresh_from_db()
    assert (repair_request.sla_paused_since, repair_request.version) == paused
    assert repair_request.sla_pause_reason == PauseReason.NO_ACCESS
    assert repair_request.events.count() == events


def test_resuming_a_running_clock_changes_nothing(routable, clock, desk_user):
    repair_request = submit(routable)
    before = RepairRequest.objects.values().get(pk=repair_request.pk)

    sla.sla_resume(repair_request=repair_request, actor=desk_user)

    assert RepairRequest.objects.values().get(pk=repair_request.pk) == before
    assert not repair_request.events.filter(kind="sla_resumed").exists()


def test_a_closed_request_cannot_be_paused(routable, clock, desk_user):
    repair_request = submit(routable)
    RepairRequest.objects.filter(pk=repair_request.pk).update(status=RequestStatus.CLOSED)

    with pytest.raises(sla.SlaClockRefused):
        sla.sla_pause(repair_request=repair_request, reason=PauseReason.NO_ACCESS, actor=desk_user)

    repair_request.refresh_from_db()
    assert repair_request.sla_paused_since is None
    assert not repair_request.events.filter(kind="sla_paused").exists()


def test_an_unknown_pause_reason_is_refused(routable, clock, desk_user):
    repair_request = submit(routable)

    with pytest.raises(ValueError):
        sla.sla_pause(repair_request=repair_request, reason="holiday", actor=desk_user)

    repair_request.refresh_from_db()
    assert repair_request.sla_paused_since is None


# --- states ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        # Received Monday 2 March 09:00: respond by Monday 9 March, resolve by Monday 16 March.
        (RequestStatus.REGISTERED, at(2026, 3, 3, 9, 0), SlaState.ON_TIME),
        (RequestStatus.ASSESSING, at(2026, 3, 7, 14, 59), SlaState.ON_TIME),
        (RequestStatus.ASSESSING, at(2026, 3, 7, 15, 0), SlaState.AT_RISK),  # 3/4 of 168 hours
        (RequestStatus.REGISTERED, at(2026, 3, 9, 9, 1), SlaState.OVERDUE),  # nobody responded
        (RequestStatus.IN_PROGRESS, at(2026, 3, 9, 9, 1), SlaState.ON_TIME),  # a contractor has it
        (RequestStatus.IN_PROGRESS, at(2026, 3, 12, 20, 59), SlaState.ON_TIME),
        (RequestStatus.IN_PROGRESS, at(2026, 3, 12, 21, 0), SlaState.AT_RISK),  # 3/4 of 336 h
        (RequestStatus.IN_PROGRESS, at(2026, 3, 16, 9, 1), SlaState.OVERDUE),
        (RequestStatus.TECHNICALLY_DONE, at(2026, 4, 1, 9, 0), SlaState.ON_TIME),
        (RequestStatus.CLOSED, at(2026, 4, 1, 9, 0), SlaState.ON_TIME),
        (RequestStatus.CANCELLED, at(2026, 4, 1, 9, 0), SlaState.ON_TIME),
    ],
)
def test_sla_state_at_a_fixed_moment(routable, clock, status, now, expected):
    repair_request = submit(routable)
    repair_request.status = status

    assert sla.sla_state_for(repair_request, now) == expected


def test_a_paused_request_is_paused_however_late(routable, clock, desk_user):
    repair_request = submit(routable)
    sla.sla_pause(repair_request=repair_request, reason=PauseReason.NO_ACCESS, actor=desk_user)

    assert sla.sla_state_for(repair_request, at(2026, 6, 1, 9, 0)) == SlaState.PAUSED


def test_the_office_sets_when_a_request_is_at_risk(routable, clock):
    repair_request = submit(routable)
    OfficeSettings.objects.update_or_create(pk=1, defaults={"at_risk_fraction": Decimal("0.50")})

    assert sla.sla_state_for(repair_request, at(2026, 3, 5, 20, 59)) == SlaState.ON_TIME
    assert sla.sla_state_for(repair_request, at(2026, 3, 5, 21, 0)) == SlaState.AT_RISK


def _open_requests(routable, count: int) -> list[RepairRequest]:
    """Requests received on Monday 2 March 2026 at 09:00 (the clock), without any later work."""
    return [submit(routable) for _ in range(count)]


def test_refresh_stores_the_states_and_counts_them(routable, clock, desk_user):
    on_time, at_risk, overdue, paused, closed = _open_requests(routable, 5)
    RepairRequest.objects.filter(pk=at_risk.pk).update(response_due=at(2026, 3, 3, 12, 0))
    RepairRequest.objects.filter(pk=overdue.pk).update(response_due=at(2026, 3, 2, 8, 0))
    sla.sla_pause(repair_request=paused, reason=PauseReason.NO_ACCESS, actor=desk_user)
    RepairRequest.objects.filter(pk=closed.pk).update(
        status=RequestStatus.CLOSED, sla_state=SlaState.OVERDUE
    )

    counts = sla.sla_states_refresh(now=at(2026, 3, 3, 9, 0))

    assert counts == {"on_time": 1, "at_risk": 1, "overdue": 1, "paused": 1}
    stored = dict(RepairRequest.objects.values_list("pk", "sla_state"))
    assert stored == {
        on_time.pk: SlaState.ON_TIME,
        at_risk.pk: SlaState.AT_RISK,
        overdue.pk: SlaState.OVERDUE,
        paused.pk: SlaState.PAUSED,
        closed.pk: SlaState.ON_TIME,  # no longer open: no flag left behind
    }


def test_refresh_runs_the_same_number_of_queries_for_20_and_200_requests(routable, clock):
    late = at(2026, 3, 20, 9, 0)  # every open request is overdue, so every row changes
    sla.office_settings_get()  # created once, before counting
    _open_requests(routable, 20)
    with CaptureQueriesContext(connection) as few:
        counts = sla.sla_states_refresh(now=late)
    assert counts["overdue"] == 20

    _open_requests(routable, 180)
    RepairRequest.objects.update(sla_state=SlaState.ON_TIME)
    with CaptureQueriesContext(connection) as many:
        counts = sla.sla_states_refresh(now=late)

    assert counts["overdue"] == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert RepairRequest.objects.filter(sla_state=SlaState.OVERDUE).count() == 200


# --- the six-week legal term -----------------------------------------------------------------------


@pytest.fixture
def coordinators(db):
    active = [UserFactory(role=Role.COORDINATOR, totp=False) for _ in range(2)]
    UserFactory(role=Role.COORDINATOR, totp=False, is_active=False)
    UserFactory(role=Role.DESK, totp=False)
    return active


def _received_at(repair_request: RepairRequest, moment: datetime) -> RepairRequest:
    response_due, resolution_due = sla.sla_due_dates(repair_request.urgency, moment)
    RepairRequest.objects.filter(pk=repair_request.pk).update(
        created_at=moment, response_due=response_due, resolution_due=resolution_due
    )
    repair_request.refresh_from_db()
    return repair_request


def test_coordinators_are_warned_once_before_the_legal_term(routable, clock, coordinators):
    # Now: Monday 2 March 2026 09:00. Ten working days on: Monday 16 March 09:00, so the term
    # (received + 6 weeks) must end by then: received on or before Monday 2 February 09:00.
    on_the_edge = _received_at(submit(routable), at(2026, 2, 2, 9, 0))
    past_the_term = _received_at(submit(routable), at(2026, 1, 5, 9, 0))
    not_yet = _received_at(submit(routable), at(2026, 2, 2, 9, 1))
    closed = _received_at(submit(routable), at(2026, 1, 5, 9, 0))
    RepairRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.CLOSED)
    mail.outbox.clear()

    flagged = sla.legal_deadline_warnings()

    assert flagged == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(user.email for user in coordinators)
    assert past_the_term.number in message.body
    assert on_the_edge.number in message.body
    assert not_yet.number not in message.body
    assert closed.number not in message.body
    # Dates in Dutch: the terms of the request on the edge and of the one already past its term.
    assert "16 maart 2026" in message.body
    assert "16 februari 2026" in message.body
    assert "Ontvangen" in message.body
    assert set(
        RepairRequest.objects.filter(legal_deadline_flagged_at__isnull=False).values_list(
            "pk", flat=True
        )
    ) == {on_the_edge.pk, past_the_term.pk}
    events = RequestEvent.objects.filter(kind="legal_deadline_near")
    assert {event.request_id for event in events} == {on_the_edge.pk, past_the_term.pk}
    assert {event.visibility for event in events} == {EventVisibility.INTERNAL}

    assert sla.legal_deadline_warnings() == 0
    assert len(mail.outbox) == 1

    clock.advance(minutes=5)  # now the last open one comes within reach: one more mail, just for it
    assert sla.legal_deadline_warnings() == 1
    assert len(mail.outbox) == 2
    assert not_yet.number in mail.outbox[1].body
    assert past_the_term.number not in mail.outbox[1].body


def test_a_closed_request_is_never_flagged(routable, clock, coordinators):
    closed = _received_at(submit(routable), at(2025, 6, 1, 9, 0))
    RepairRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.TECHNICALLY_DONE)
    mail.outbox.clear()

    assert sla.legal_deadline_warnings() == 0

    closed.refresh_from_db()
    assert closed.legal_deadline_flagged_at is None
    assert mail.outbox == []


def test_without_a_coordinator_nothing_is_flagged_so_the_warning_is_not_lost(routable, clock):
    old = _received_at(submit(routable), at(2026, 1, 5, 9, 0))
    mail.outbox.clear()

    assert sla.legal_deadline_warnings() == 0

    old.refresh_from_db()
    assert old.legal_deadline_flagged_at is None
    assert mail.outbox == []


def test_the_periodic_task_refreshes_and_warns_and_can_run_twice(routable, clock, coordinators):
    _received_at(submit(routable), at(2026, 1, 5, 9, 0))
    mail.outbox.clear()

    first = refresh_sla_states()
    second = refresh_sla_states()

    assert first == {"on_time": 0, "at_risk": 0, "overdue": 1, "paused": 0, "legal_warnings": 1}
    assert second == {**first, "legal_warnings": 0}
    assert len(mail.outbox) == 1
