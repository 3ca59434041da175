"""Every deadline of SPEC §2.5a on the business-day calendar (review, system settings, ID notice,
temporary account), and the review deadline's translation into SQL-friendly cutoffs.

An application is due `review_service_days` business days after its submission date (JST). A due
date grows with the submission date, so "due on or before day L" is the same as "submitted before
a moment": queries compare `submitted_at` with that moment and use its index.
"""
from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from config import settings
from services import clock, reference_data
from services.calendar import add_business_days, business_days_between


# The numbers of days are administered (services.reference_data): read on each use.
def service_days() -> int:
    return reference_data.current().deadline("review_service_days")


def jst_date(moment: datetime) -> date:
    return moment.astimezone(clock.JST).date()


def jst_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.JST).astimezone(UTC)


def due_date(submitted_at: datetime) -> date:
    return _due_after(jst_date(submitted_at), service_days())


@lru_cache(maxsize=4096)
def _due_after(day: date, days: int) -> date:
    # Cached: a page or an export of 100,000 rows has only a few hundred distinct submission days.
    return add_business_days(day, days)


def submitted_before_for_due_by(last_due_day: date) -> datetime:
    """The moment such that submitted_at < moment  <=>  due_date(submitted_at) <= last_due_day."""
    day = last_due_day
    while add_business_days(day, service_days()) > last_due_day:
        day -= timedelta(days=1)
    return jst_midnight_utc(day + timedelta(days=1))


def overdue_cutoff(today: date | None = None) -> datetime:
    """Open applications submitted before this moment are overdue (due date already passed)."""
    today = today or clock.today_jst()
    return submitted_before_for_due_by(today - timedelta(days=1))


def due_soon_cutoff(today: date | None = None) -> datetime:
    """Open applications submitted before this moment are due within the 期限間近 window."""
    today = today or clock.today_jst()
    return submitted_before_for_due_by(add_business_days(today, reference_data.current().deadline("review_due_soon_days")))


def system_settings_deadline(start_date: date) -> date:
    return add_business_days(start_date, -reference_data.current().deadline("system_settings_days_before_start"))


def default_start_date(today: date | None = None) -> date:
    """The 利用開始日 offered to a reviewer approving an application (they may pick another)."""
    return add_business_days(today or clock.today_jst(), reference_data.current().deadline("default_start_business_days"))


def id_notice_display_until(start_date: date) -> date:
    """The 事業所パスワード in the ID notice is shown until N business days after the 利用開始日."""
    return add_business_days(start_date, reference_data.current().deadline("id_notice_days_after_start"))


CERTIFICATE_MONTHS = 2  # netNACCS 電子証明書: obtained within 2 months of the 利用開始日


def certificate_deadline(start_date: date) -> date:
    return add_months(start_date, CERTIFICATE_MONTHS)


def add_months(day: date, months: int) -> date:
    """Same day n months later, or that month's last day (1/31 + 1 month = 2/28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def temp_account_expiry(issued_at: datetime) -> datetime:
    """A 仮ログイン ID lapses NSS_TEMP_ACCOUNT_HOURS after it was issued unless an application starts."""
    return issued_at + timedelta(hours=settings().temp_account_hours)


def business_days_left(due: date, today: date | None = None) -> int:
    """The one countdown rule, for every role: business days from today (JST) up to `due`; 0 on
    the day itself, negative once it has passed."""
    return business_days_between(today or clock.today_jst(), due)


def hours_left(due_at: datetime) -> int:
    """Whole hours until a deadline that is a moment (a temporary account's expiry); 0 once past."""
    return max(0, int((due_at - clock.now()).total_seconds() // 3600))
