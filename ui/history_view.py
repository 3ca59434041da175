"""The audit history as people read it, for the desk's caller record and the reviewer's detail.

Labels come from one table (`audit.<action>`); what an event changed is worded field by field
(`history.field.*`, statuses by ui.labels, screens by `wizard.section.*`, fields of a saved screen by
the wizard's own labels). Values a user has no words for (internal ids, raw screen data) are left
out, and secrets stay as services.audit masked them.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from services.audit import AuditAction
from services.history import HistoryEntry
from services.workflow import ApplicationStatus
from ui.format import fmt_date, fmt_datetime
from ui.i18n import t
from ui.labels import kind_label, status_label

CHANGE_MAX = 300
_SAVED_DATA = "data"
_STATUSES = frozenset(ApplicationStatus)
SYSTEM_ACTIONS = frozenset({AuditAction.CUTOFF_APPROVAL_CANCELLED, AuditAction.CANCELLATION_APPLIED})


def _label(key: str, fallback: str) -> str:
    label = t(key)
    return fallback if label == key else label


def action_label(action: str) -> str:
    return _label(f"audit.{action}", action)


def section_label(section: str) -> str:
    return _label(f"wizard.section.{section}", section)


def _value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return t("history.value.none")
    if isinstance(value, bool):
        return t("history.value.yes" if value else "history.value.no")
    if key == "status":
        return status_label(value) if value in _STATUSES else str(value)
    if key == "kind":
        return kind_label(value)
    if key == "via":
        return _label(f"desk.via.{value}", str(value))
    if key == "roles":
        return "、".join(_label(f"role.{r}", str(r)) for r in value)
    if key == "start_date":
        return fmt_date(_as_date(value))
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _changed_fields(section: str, before: dict, after: dict) -> list[str]:
    old, new = before.get(_SAVED_DATA), after.get(_SAVED_DATA)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    names = [k for k in new if old.get(k) != new.get(k)] + [k for k in old if k not in new]
    labels = (t(f"wizard.field.{section}.{name}") for name in names)
    return [label for label in labels if not label.startswith("wizard.field.")]


def change_text(entry: HistoryEntry) -> str:
    """What the event changed, in words: the changed fields of a saved screen (the screen itself is
    named with the action), or each labelled value as 項目：前 → 後."""
    before, after = entry.before or {}, entry.after or {}
    parts: list[str] = []
    if entry.section and (fields := _changed_fields(entry.section, before, after)):
        parts.append("、".join(fields))
    for key in dict.fromkeys([*before, *after]):
        if key in ("section", _SAVED_DATA) or (entry.section and key == "status"):
            continue
        label = t(f"history.field.{key}")
        if label == f"history.field.{key}":
            continue  # no words for it: an internal id or raw data
        if key in before and key in after:
            parts.append(f"{label}：{_value(key, before[key])} → {_value(key, after[key])}")
        else:
            parts.append(f"{label}：{_value(key, after.get(key, before.get(key)))}")
    text = " ／ ".join(parts)
    return text if len(text) <= CHANGE_MAX else text[:CHANGE_MAX] + "…"


def _who(entry: HistoryEntry) -> str:
    if entry.actor_login_id is None and entry.actor_name is None and entry.action in SYSTEM_ACTIONS:
        return t("history.system")  # a job acted, not a person (services/jobs.py)
    return entry.actor_name or entry.actor_login_id or ""


def _frame(entries: list[HistoryEntry], caller_name: str | None) -> pd.DataFrame:
    """One layout for every role: when, what (with the screen), who (and for whom), what changed."""
    def by(e: HistoryEntry) -> str:
        applicant = caller_name or e.for_applicant
        if e.on_behalf and applicant:
            return t("history.on_behalf", staff=_who(e), applicant=applicant)
        return _who(e) or "—"
    return pd.DataFrame([{
        t("history.col.at"): fmt_datetime(e.at),
        t("history.col.action"): (f"{action_label(e.action)}（{section_label(e.section)}）" if e.section
                                  else action_label(e.action)),
        t("history.col.by"): by(e),
        t("history.col.change"): change_text(e),
    } for e in entries])


def history_table(entries: list[HistoryEntry], *, empty_key: str, caller_name: str | None = None) -> None:
    """The history, newest first. The page is about one applicant, `caller_name`, named in
    「…様の代理で入力」 (or, without it, each entry's applicant with its company)."""
    if not entries:
        st.caption(t(empty_key))
        return
    st.dataframe(_frame(entries, caller_name), hide_index=True, width="stretch",
                 column_config={t("history.col.at"): st.column_config.TextColumn(width="small"),
                                t("history.col.change"): st.column_config.TextColumn(width="large")})
