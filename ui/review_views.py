"""Shared pieces of the review pages: labels and error text. Screens are shown read-only with the
wizard's renderer (ui/section_view.py), so reviewers see exactly what the applicant entered."""
from __future__ import annotations

from datetime import date, datetime

from services import clock
from services.calendar import business_days_between
from services.errors import DomainError
from ui.i18n import t


def status_label(status: str) -> str:
    return t(f"review.status.{status}")


def kind_label(kind: str, shared_use: bool = False) -> str:
    return t("review.kind.NEW_USAGE_SHARED") if kind == "NEW_USAGE" and shared_use else t(f"review.kind.{kind}")


def connection_label(connection_type: str | None) -> str:
    return t(f"review.connection.{connection_type}") if connection_type else ""


def fmt_date(day: date | None) -> str:
    return day.strftime("%Y/%m/%d") if day else ""


def countdown(due: date | datetime) -> str:
    """「あと 3 営業日」, 「本日」 or 「2 営業日超過」; hours for a moment (a temporary account's expiry)."""
    if isinstance(due, datetime):
        hours = max(0, int((due - clock.now()).total_seconds() // 3600))
        return t("review.countdown.hours", hours=hours)
    days = business_days_between(clock.today_jst(), due)
    if days == 0:
        return t("review.countdown.today")
    return t("review.countdown.left", days=days) if days > 0 else t("review.countdown.over", days=-days)


def error_text(err: DomainError) -> str:
    """Words for a service error code; codes from the workflow map to the review wording."""
    if err.code == "workflow.invalid_transition":
        return t("review.invalid_transition")
    if err.code == "error.stale":
        return t("review.stale")
    return t(err.code, **err.params)
