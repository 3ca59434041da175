"""The one source of 'now', so tests can move time (lockout expiry, 48-hour limits, deadlines)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
_offset = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC) + _offset


def today_jst() -> date:
    return now().astimezone(JST).date()


@contextmanager
def shifted(by: timedelta) -> Iterator[None]:
    """Pretend `by` has passed (tests only)."""
    global _offset
    old, _offset = _offset, _offset + by
    try:
        yield
    finally:
        _offset = old
