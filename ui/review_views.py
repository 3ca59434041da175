"""Shared pieces of the review pages: labels, one section shown read-only, error text.

`render_section` shows a section's JSON generically (label/value table). When the wizard's
`ui/section_view.py` is merged, swap its body for that renderer; callers stay the same.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

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


def error_text(err: DomainError) -> str:
    """Words for a service error code; codes from the workflow map to the review wording."""
    if err.code == "workflow.invalid_transition":
        return t("review.invalid_transition")
    if err.code == "error.stale":
        return t("review.stale")
    return t(err.code, **err.params)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def render_section(key: str, data: dict[str, Any]) -> None:
    """One 詳細入力画面 read-only. Text goes through dataframes/st.text, never as HTML."""
    if not data:
        st.caption(t("review.detail.section_empty"))
        return
    scalars = {k: v for k, v in data.items() if not (isinstance(v, list) and v and isinstance(v[0], dict))}
    tables = {k: v for k, v in data.items() if k not in scalars}
    if scalars:
        st.dataframe(pd.DataFrame({t("review.detail.field"): list(scalars),
                               t("review.detail.value"): [_plain(v) for v in scalars.values()]}),
                     hide_index=True, width="stretch")
    for name, rows in tables.items():
        st.caption(name)
        st.dataframe(pd.DataFrame([{k: _plain(v) for k, v in row.items()} for row in rows]),
                     hide_index=True, width="stretch")
