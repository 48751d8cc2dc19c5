import inspect
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from budget.tasks import previous_month
from zelfbeheer.celery import app

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_entry_names_a_registered_task_with_matching_arguments(name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    app.loader.import_default_modules()

    task = app.tasks[entry["task"]]
    signature = inspect.signature(task.run)
    signature.bind(*entry.get("args", ()), **entry.get("kwargs", {}))


def test_monthly_report_runs_on_the_first_at_six_amsterdam_time():
    schedule = settings.CELERY_BEAT_SCHEDULE["monthly-report-for-previous-month"]["schedule"]

    assert schedule.day_of_month == {1}
    assert schedule.hour == {6}
    assert schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime(2027, 1, 1, 6, tzinfo=AMSTERDAM), (2026, 12)),
        (datetime(2026, 11, 1, 6, tzinfo=AMSTERDAM), (2026, 10)),
    ],
)
def test_the_report_is_for_the_previous_month_across_a_year_boundary(today, expected):
    period = previous_month(today.date())

    assert (period.year, period.month, period.day) == (*expected, 1)


def test_reports_run_on_their_own_queue():
    assert settings.CELERY_TASK_ROUTES["budget.tasks.generate_monthly_report"]["queue"] == "pdf"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"
