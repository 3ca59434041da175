"""Dates and times as users read them: always Japan time, one style (2026/12/01, 2026/12/01 09:30)."""
from __future__ import annotations

from datetime import date, datetime

from services.clock import JST

DATE_FORMAT = "%Y/%m/%d"
DATETIME_FORMAT = "%Y/%m/%d %H:%M"
EMPTY = "—"


def fmt_date(day: date | datetime | None) -> str:
    if day is None:
        return EMPTY
    if isinstance(day, datetime):
        day = day.astimezone(JST).date()
    return day.strftime(DATE_FORMAT)


def fmt_datetime(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return EMPTY
    return moment.astimezone(JST).strftime(DATETIME_FORMAT + (":%S" if seconds else ""))
