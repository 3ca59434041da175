"""One 詳細入力画面 rendered read-only from an ApplicationView's SectionView.

Used by the 入力確認画面, 申込内容確認 and the reviewer's detail page. st.table renders every cell as
Markdown, so each value is escaped here (ui.format.plain): what was typed shows literally."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from services.application.fieldspec import BOOL, CONFIRM, ROWS, Context, FieldSpec
from services.application.forms import get_section
from services.application.read import SectionView
from services.application.sections import COMPLETE, EMPTY, PARTIAL
from ui.format import plain
from ui.i18n import t

STATUS_COLOURS = {EMPTY: "gray", PARTIAL: "orange", COMPLETE: "green"}


def field_label(section_key: str, spec: FieldSpec, row_of: str | None = None) -> str:
    if row_of:
        return t(f"wizard.row.{section_key}.{spec.name}")
    return t(f"wizard.field.{section_key}.{spec.name}")


def status_label(section: SectionView) -> str:
    if section.needs_correction:
        return t("wizard.status.needs_correction")
    if section.corrected:
        return t("wizard.status.corrected")
    if not section.applies:
        return t("wizard.status.not_required")
    return t(f"wizard.status.{section.status}")


def format_value(spec: FieldSpec, value: Any) -> str:
    if spec.kind == BOOL:
        return t("wizard.value.yes") if value else t("wizard.value.no")
    if spec.kind == CONFIRM:
        return t("wizard.value.confirmed") if value is True else t("wizard.value.not_confirmed")
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(_option(spec, v) for v in value)
    return _option(spec, value)


def _option(spec: FieldSpec, value: Any) -> str:
    return t(f"{spec.option_labels}.{value}") if spec.option_labels else str(value)


def review_comment(body: str, author: str | None = None) -> None:
    """A reviewer's comment on a screen, as the applicant (and the desk) read it: the text as typed."""
    st.warning(t("wizard.comment", body=plain(body), author=plain(author)), icon=":material/rate_review:")


def item_table(pairs: list[tuple[str, str]]) -> None:
    """A two-column 項目 / 内容 table. st.table renders each cell as Markdown: the caller passes
    typed text through `plain` (labels and fixed values may carry Markdown of our own)."""
    st.table(pd.DataFrame(pairs, columns=[t("wizard.view.item"), t("wizard.view.value")])
             .set_index(t("wizard.view.item")))


def render_section(section: SectionView, *, connection_type: str | None = None,
                   show_status: bool = True) -> None:
    """The screen's values as a two-column table; row lists (利用者コード, …) as their own table."""
    definition = get_section(section.key)
    if show_status:
        colour = ("red" if section.needs_correction else "blue" if section.corrected
                  else STATUS_COLOURS.get(section.status, "gray"))
        st.caption(f":{colour}[● {status_label(section)}]")
    for comment in section.comments:
        review_comment(comment.body, comment.author_name)
    if not section.applies:
        st.caption(t("wizard.not_required_for_choice"))
        return
    ctx = Context(connection_type=connection_type)
    pairs = []
    for spec in definition.fields:
        if spec.hidden_in_view or spec.kind == ROWS or not spec.applies(section.data, ctx):
            continue
        pairs.append((field_label(section.key, spec), plain(format_value(spec, section.data.get(spec.name)))))
    if pairs:
        item_table(pairs)
    for spec in definition.fields:
        if spec.kind == ROWS:
            rows = section.data.get(spec.name) or []
            st.caption(t(f"wizard.field.{section.key}.{spec.name}") + f"（{len(rows)}）")
            if rows:
                table = [{field_label(section.key, sub, spec.name): plain(format_value(sub, row.get(sub.name)))
                          for sub in spec.row_fields if sub.applies(row, ctx)}
                         for row in rows]
                frame = pd.DataFrame(table)
                frame.index = range(1, len(frame) + 1)
                st.table(frame)
