"""Dates, times and countdowns as users read them: always Japan time, one style (2026/12/01,
2026/12/01 09:30), one countdown for every role (business days, hours for a moment)."""
from __future__ import annotations

import re
import string
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


# Every ASCII punctuation mark: Markdown (GFM) and Streamlit act on most of them (links, images,
# emphasis, code, ATX and setext headings, lists, quotes, tables, HTML tags and entities, autolinks
# such as `http://`, `www.` and `a@b.jp`, directives like :red[...], emoji shortcodes, LaTeX), and a
# backslash before any ASCII punctuation is a valid CommonMark escape that shows the mark itself.
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


# GFM turns a bare `http://…`, `www.…` or `a@b.jp` into a link after escapes are resolved, so an
# escaped colon does not stop it. An invisible WORD JOINER (U+2060) inside each such pattern does:
# `http:⁠//`, `www⁠.`, `a@⁠b.jp` read the same and are no longer links.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=www)(?=\.)|(?<=@)")


def plain(text: str | None) -> str:
    """A value someone typed, made safe to put inside Markdown (st.caption, st.markdown, st.table
    cells, alert and heading bodies): shown literally, never as a link, image, heading or markup.

    Every punctuation mark Markdown or Streamlit would act on is backslash-escaped, bare URLs and
    mail addresses get an invisible word joiner that stops autolinking; line breaks stay
    line breaks (a hard break, so a multi-line comment keeps its lines) and leading spaces stay
    spaces (as no-break spaces, so four of them do not start a code block)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, text or ""))
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [("\u00a0" * (len(line) - len(line.lstrip(" \t")))) + line.lstrip(" \t") for line in lines]
    return "  \n".join(kept)


def md(template: str, **values: object) -> str:
    """Markdown from a template of our own with values put in as text: every value goes through
    `plain`, so `md("**{title}**", title=typed)` bolds the title and shows what was typed literally.
    Markup of our own (badges, colours) belongs in the template, never in a value."""
    return template.format(**{name: plain(None if value is None else str(value)) for name, value in values.items()})


def user_id_display(user_ids: list[str]) -> str:
    """利用者ID as Markdown code spans (monospace, so each character reads as itself). The codes come
    from services.codes' alphabet (capitals and digits only), so nothing in them needs escaping."""
    return "、".join(f"`{code}`" for code in user_ids)
