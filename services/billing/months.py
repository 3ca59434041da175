"""Billing months: a month is held as the date of its first day."""
from __future__ import annotations

from datetime import date


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def last_months(current: date, n: int) -> list[date]:
    """The n months ending with `current`'s month, oldest first."""
    end = month_of(current)
    return [add_months(end, -i) for i in range(n - 1, -1, -1)]


def month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"
