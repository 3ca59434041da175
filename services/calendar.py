"""The Japanese business-day calendar: weekends, national holidays and 12/31–1/3 are off."""
from __future__ import annotations

from datetime import date, timedelta

import jpholiday


def is_business_day(day: date) -> bool:
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return not ((day.month == 12 and day.day == 31) or (day.month == 1 and day.day <= 3))


def add_business_days(day: date, n: int) -> date:
    """The n-th business day after `day` (n < 0 counts back)."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (negative when end is earlier)."""
    if end < start:
        return -business_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1) if is_business_day(start + timedelta(days=i)))
