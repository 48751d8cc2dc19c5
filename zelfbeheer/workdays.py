"""Dutch working days: weekends and public holidays (King's Day, Christmas, ...) do not count for SLAs."""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same time of day, `days` working days later."""
    result = moment
    remaining = days
    while remaining > 0:
        result += timedelta(days=1)
        if is_working_day(result.date()):
            remaining -= 1
    return result
