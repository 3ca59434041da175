"""Dates, times and countdowns as users read them: always Japan time, one style (2026/12/01,
2026/12/01 09:30), one countdown for every role (business days, hours for a moment)."""
from __future__ import annotations

import re
from datetime import date, datetime

from services import clock, deadlines
from services.clock import JST
from ui.i18n import t

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


def countdown(due: date | datetime) -> str:
    """「あと 3 営業日」, 「本日が期限」 or 「2 営業日超過」; 「あと 5 時間」 while a moment is still ahead."""
    if isinstance(due, datetime):
        if due > clock.now():
            return t("countdown.hours", hours=deadlines.hours_left(due))
        due = due.astimezone(JST).date()
    days = deadlines.business_days_left(due)
    if days == 0:
        return t("countdown.today")
    return t("countdown.left", days=days) if days > 0 else t("countdown.over", days=-days)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def plain(text: str | None) -> str:
    """A value someone typed, made safe to put inside Markdown (st.caption, st.markdown): every
    character Markdown or Streamlit's directives (:red[...]) would act on is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def user_id_display(user_ids: list[str]) -> str:
    """利用者ID as Markdown code spans (monospace, so each character reads as itself). The codes come
    from services.codes' alphabet (capitals and digits only), so nothing in them needs escaping."""
    return "、".join(f"`{code}`" for code in user_ids)
