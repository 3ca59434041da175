"""Shared pieces of the review pages: the deadline countdown. Labels come from ui/labels.py, dates
from ui/format.py; screens are shown read-only with the wizard's renderer (ui/section_view.py), so
reviewers see exactly what the applicant entered."""
from __future__ import annotations

from datetime import date, datetime

from services import clock
from services.calendar import business_days_between
from ui.i18n import t


def countdown(due: date | datetime) -> str:
    """「あと 3 営業日」, 「本日」 or 「2 営業日超過」; hours for a moment (a temporary account's expiry)."""
    if isinstance(due, datetime):
        hours = max(0, int((due - clock.now()).total_seconds() // 3600))
        return t("review.countdown.hours", hours=hours)
    days = business_days_between(clock.today_jst(), due)
    if days == 0:
        return t("review.countdown.today")
    return t("review.countdown.left", days=days) if days > 0 else t("review.countdown.over", days=-days)
