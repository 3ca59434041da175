"""現在 → 変更後 of a 変更申込 as one table (its confirmation screen, 申込内容確認 and the reviewer's
detail). st.table renders Markdown, so every cell goes through ui.format.plain."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from services.application.fieldspec import FieldSpec
from services.application.forms import get_section
from services.change.diff import IDENTITY_FIELDS, Change, ChangeKind
from services.change.read import ChangeSummary
from ui.format import fmt_date, plain
from ui.i18n import t
from ui.section_view import field_label, format_value


def _spec(change: Change) -> FieldSpec:
    specs = get_section(change.section_key).fields
    if change.row_of:
        specs = next(s for s in specs if s.name == change.row_of).row_fields
    return next(s for s in specs if s.name == change.field)


def _row_text(change: Change, row: dict[str, Any]) -> str:
    """A whole row added or removed: its values, 「項目：値」 each."""
    rows_spec = _spec(change)
    return " / ".join(f"{field_label(change.section_key, sub, rows_spec.name)}：{format_value(sub, row.get(sub.name))}"
                      for sub in rows_spec.row_fields if sub.name not in IDENTITY_FIELDS and sub.name in row)


def _item(change: Change) -> str:
    spec = _spec(change)
    if change.kind != ChangeKind.CHANGED:
        what = t(f"wizard.field.{change.section_key}.{spec.name}")
        return t(f"change.diff.{change.kind}", item=what, row=change.row or "")
    label = field_label(change.section_key, spec, change.row_of)
    if change.row_of:
        row_of = t(f"wizard.field.{change.section_key}.{change.row_of}")
        return f"{row_of} {change.row}：{label}"
    return label


def _values(change: Change) -> tuple[str, str]:
    if change.kind == ChangeKind.ADDED:
        return "—", _row_text(change, change.after or {})
    if change.kind == ChangeKind.REMOVED:
        return _row_text(change, change.before or {}), t("change.diff.removed_value")
    spec = _spec(change)
    return format_value(spec, change.before), format_value(spec, change.after)


def diff_table(summary: ChangeSummary) -> None:
    """The effective month, the chosen parts and one line per changed item."""
    month = fmt_date(summary.effective_from)[:7] if summary.effective_from else "—"
    st.markdown(t("change.diff.effective", month=month))
    st.caption(t("change.diff.parts", parts="、".join(t(f"change.part.{p}") for p in summary.parts)))
    if not summary.changes:
        st.info(t("change.diff.none"), icon=":material/info:")
        return
    lines = []
    for change in summary.changes:
        before, after = _values(change)
        lines.append({t("change.diff.col_section"): plain(t(f"wizard.section.{change.section_key}")),
                      t("change.diff.col_item"): plain(_item(change)),
                      t("change.diff.col_before"): plain(before), t("change.diff.col_after"): plain(after)})
    frame = pd.DataFrame(lines)
    frame.index = range(1, len(frame) + 1)
    st.table(frame)
