import copy
import inspect
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from budget.tasks import previous_month
from zelfbeheer.celery import app

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHLY_REPORT = "monthly-report-for-previous-month"


def schedule_at(name: str, now: datetime):
    """The beat entry's own schedule object, asked as if the clock showed `now`."""
    schedule = copy.copy(settings.CELERY_BEAT_SCHEDULE[name]["schedule"])
    schedule.app = app
    schedule.nowfun = lambda: now
    return schedule


def next_run_after(name: str, last_run_at: datetime) -> datetime:
    """When beat runs the entry next, in UTC, right after a run at `last_run_at` (beat keeps it in UTC)."""
    last_run_at = last_run_at.astimezone(UTC)
    return last_run_at + schedule_at(name, last_run_at).remaining_estimate(last_run_at)


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_entry_names_a_registered_task_with_matching_arguments(name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    app.loader.import_default_modules()

    task = app.tasks[entry["task"]]
    signature = inspect.signature(task.run)
    signature.bind(*entry.get("args", ()), **entry.get("kwargs", {}))


def test_monthly_report_runs_on_the_first_at_six_amsterdam_time():
    schedule = settings.CELERY_BEAT_SCHEDULE[MONTHLY_REPORT]["schedule"]

    assert schedule.day_of_month == {1}
    assert schedule.hour == {6}
    assert schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("last_run", "next_run_utc", "period"),
    [
        # Into summer time (29 March 2026): 06:00 Amsterdam is 04:00 UTC in April.
        (datetime(2026, 3, 1, 6, tzinfo=AMSTERDAM), datetime(2026, 4, 1, 4, tzinfo=UTC), (2026, 3)),
        # Back to winter time (25 October 2026): 06:00 Amsterdam is 05:00 UTC in November.
        (
            datetime(2026, 10, 1, 6, tzinfo=AMSTERDAM),
            datetime(2026, 11, 1, 5, tzinfo=UTC),
            (2026, 10),
        ),
        # Across the year boundary.
        (
            datetime(2026, 12, 1, 6, tzinfo=AMSTERDAM),
            datetime(2027, 1, 1, 5, tzinfo=UTC),
            (2026, 12),
        ),
    ],
    ids=["into summer time", "into winter time", "into the new year"],
)
def test_monthly_report_runs_next_on_the_first_at_six_amsterdam_time_across_dst(
    last_run, next_run_utc, period
):
    next_run = next_run_after(MONTHLY_REPORT, last_run)
    a_minute_early = schedule_at(MONTHLY_REPORT, next_run_utc - timedelta(minutes=1))
    on_time = schedule_at(MONTHLY_REPORT, next_run_utc)

    assert next_run == next_run_utc
    local = next_run.astimezone(AMSTERDAM)
    assert (local.day, local.hour, local.minute) == (1, 6, 0)
    assert a_minute_early.is_due(last_run).is_due is False
    assert on_time.is_due(last_run).is_due is True
    # The run of the 1st reports on the month that just ended.
    reported = previous_month(local.date())
    assert (reported.year, reported.month, reported.day) == (*period, 1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime(2027, 1, 1, 6, tzinfo=AMSTERDAM), (2026, 12)),
        (datetime(2026, 11, 1, 6, tzinfo=AMSTERDAM), (2026, 10)),
        (datetime(2026, 4, 1, 6, tzinfo=AMSTERDAM), (2026, 3)),
        (datetime(2026, 3, 1, 6, tzinfo=AMSTERDAM), (2026, 2)),
        (datetime(2026, 12, 1, 6, tzinfo=AMSTERDAM), (2026, 11)),
    ],
)
def test_the_report_is_for_the_previous_month_across_a_year_boundary(today, expected):
    period = previous_month(today.date())

    assert (period.year, period.month, period.day) == (*expected, 1)


def test_reports_run_on_their_own_queue():
    assert settings.CELERY_TASK_ROUTES["budget.tasks.generate_monthly_report"]["queue"] == "pdf"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"
