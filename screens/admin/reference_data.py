"""参照データの管理 (administrators): システム区分, 業種 (added, retired, survey forms, the fields of their
システム設定申込 tab), 処理方式, 回線種別, the
review deadlines and the fee schedule, each edited in a table (st.data_editor) and saved in one
transaction by its service (services.reference_data; the fee schedule: services.billing.schedule).
A refused save lists every reason with its row and saves nothing."""
from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from db.reference import SETTINGS_FIELD_KINDS, SURVEY_FORMS
from services import reference_data, reference_fields
from services.authz import ADMIN
from services.billing import schedule as fee_schedule
from services.billing.months import month_label, month_of
from services.errors import FieldError
from services.reference_data import CONNECTION_TYPES, DEADLINE_RANGES, EditRow, ReferenceKind
from ui.feedback import error_text, flash, run_action, show_flash
from ui.format import plain
from ui.i18n import t
from ui.labels import connection_label
from ui.session import require_roles

actor = require_roles(ADMIN)
st.title(t("reference.title"))
show_flash()
st.caption(t("reference.lead"))
state = reference_data.editable(actor)
token = state.token or "seed"  # the editors' keys change with every save: fresh tables after it


def _show_errors(errors: dict[str, FieldError]) -> None:
    """Every reason a save was refused, with its row (data_editor cells take no message of their own)."""
    for error in errors.values():
        params = dict(error.params)
        if params.get("group"):
            params["group"] = connection_label(params["group"])
        message = error_text(FieldError(error.code, params))
        row = params.get("row")
        st.error(t("reference.row_error", row=row, message=message) if isinstance(row, int) else message,
                 icon=":material/block:")


def _saved(changed: bool | int | None, list_key: str) -> None:
    if changed is None:
        return
    flash(t("reference.saved", list=t(list_key)) if changed else t("reference.unchanged"),
          kind="success" if changed else "info")
    st.rerun()


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _flag(value: Any) -> bool:
    return bool(value) and not (isinstance(value, float) and pd.isna(value))


def _list_editor(kind: ReferenceKind) -> None:
    in_use = state.in_use[kind]
    rows = [{"original": i.name, "name": i.name, "retired": i.retired, "in_use": i.name in in_use,
             "code": i.code, "mailbox": i.mailbox, "survey_forms": list(i.survey_forms)}
            for i in state.data.items[kind]]
    columns = ["name", "retired", "in_use"]
    config: dict[str, Any] = {
        "name": st.column_config.TextColumn(t("reference.col.name"), required=True,
                                            max_chars=reference_data.NAME_MAX[kind]),
        "retired": st.column_config.CheckboxColumn(t("reference.col.retired"), default=False),
        "in_use": st.column_config.CheckboxColumn(t("reference.col.in_use"), disabled=True),
    }
    if kind == ReferenceKind.PROCESSING_METHOD:
        columns[1:1] = ["code", "mailbox"]
        config["code"] = st.column_config.SelectboxColumn(t("reference.col.connection_type"), options=CONNECTION_TYPES,
                                                          format_func=connection_label, required=True)
        config["mailbox"] = st.column_config.CheckboxColumn(t("reference.col.mailbox"), default=False)
    if kind == ReferenceKind.INDUSTRY:
        st.caption(t("reference.industry_lead"))
        columns[1:1] = ["survey_forms"]
        config["survey_forms"] = st.column_config.MultiselectColumn(
            t("reference.col.survey_forms"), options=SURVEY_FORMS,
            format_func=lambda key: t(f"system_settings.survey_form.{key}"))
    frame = pd.DataFrame(rows, columns=["original", "name", "retired", "in_use", "code", "mailbox", "survey_forms"])
    with st.form(f"ref_form_{kind}", enter_to_submit=False, border=False):
        edited = st.data_editor(frame, key=f"ref_{kind}_{token}", column_order=columns, column_config=config,
                                hide_index=True, num_rows="dynamic",
                                width="stretch", height=36 * (len(rows) + 2))  # every row without scrolling
        if not st.form_submit_button(t("reference.save"), key=f"ref_save_{kind}"):
            return
    edits = [EditRow(original=_text(r["original"]) or None, name=_text(r["name"]), retired=_flag(r["retired"]),
                     code=_text(r["code"]) or None, mailbox=_flag(r["mailbox"]),
                     survey_forms=tuple(r["survey_forms"] if isinstance(r["survey_forms"], list) else ()))
             for r in edited.to_dict("records")]
    found: dict[str, FieldError] = {}
    _saved(run_action(lambda: reference_data.save_list(actor, kind, edits, state.token), errors_into=found),
           f"reference.tab_{kind}")
    _show_errors(found)


def _fields_editor() -> None:
    """The fields of one 業種's システム設定申込 tab (services.reference_fields)."""
    st.subheader(t("reference.fields"))
    st.caption(t("reference.fields_lead"))
    industry = st.selectbox(t("reference.fields_of"), list(state.data.industry_settings), key="ref_fields_industry")
    if industry is None:
        return
    rows = reference_fields.rows_of(state.data, industry)
    if not rows:
        st.info(t("reference.fields_none"), icon=":material/info:")
    frame = pd.DataFrame([{"original": r.original, "name": r.name, "label_ja": r.label_ja, "label_en": r.label_en,
                           "kind": r.kind, "required": r.required, "max_len": r.max_len,
                           "options": "、".join(r.options), "retired": r.retired} for r in rows],
                         columns=["original", "name", "label_ja", "label_en", "kind", "required", "max_len",
                                  "options", "retired"])
    config: dict[str, Any] = {
        "name": st.column_config.TextColumn(t("reference.col.key"), required=True,
                                            max_chars=reference_fields.KEY_MAX),
        "label_ja": st.column_config.TextColumn(t("reference.col.label_ja"), required=True,
                                                max_chars=reference_fields.LABEL_MAX),
        "label_en": st.column_config.TextColumn(t("reference.col.label_en"), required=True,
                                                max_chars=reference_fields.LABEL_MAX),
        "kind": st.column_config.SelectboxColumn(t("reference.col.kind"), options=SETTINGS_FIELD_KINDS,
                                                 format_func=lambda k: t(f"reference.kind.{k}"), required=True),
        "required": st.column_config.CheckboxColumn(t("reference.col.required"), default=True),
        "max_len": st.column_config.NumberColumn(t("reference.col.max_len"), min_value=1, max_value=1000, step=1,
                                                 default=100),
        "options": st.column_config.TextColumn(t("reference.col.options")),
        "retired": st.column_config.CheckboxColumn(t("reference.col.retired"), default=False),
    }
    with st.form("ref_form_fields", enter_to_submit=False, border=False):
        edited = st.data_editor(frame, key=f"ref_fields_{industry}_{token}", column_config=config,
                                column_order=[c for c in frame.columns if c != "original"], hide_index=True,
                                num_rows="dynamic", width="stretch")
        if not st.form_submit_button(t("reference.save"), key="ref_save_fields"):
            return
    edits = [reference_fields.FieldRow(
        original=_text(r["original"]) or None, name=_text(r["name"]), label_ja=_text(r["label_ja"]),
        label_en=_text(r["label_en"]), kind=_text(r["kind"]), required=_flag(r["required"]),
        max_len=None if pd.isna(r["max_len"]) else float(r["max_len"]),
        options=reference_fields.split_options(_text(r["options"])), retired=_flag(r["retired"]))
        for r in edited.to_dict("records")]
    found: dict[str, FieldError] = {}
    _saved(run_action(lambda: reference_fields.save_fields(actor, industry, edits, state.token), errors_into=found),
           "reference.fields")
    _show_errors(found)


def _field_options_editor() -> None:
    """The choices of a select field of a 業種's システム設定申込 tab (許可税関, 保険の種類 …)."""
    st.subheader(t("reference.field_options"))
    fields = reference_data.select_fields()
    keys = {industry: s.key for industry, s in state.data.industry_settings.items()}
    chosen = st.selectbox(t("reference.field_options_of"), fields, key="ref_options_field",
                          format_func=lambda p: f"{p[0]} — {t(f'wizard.field.ss_{keys[p[0]]}.{p[1]}')}")
    if chosen is None:
        return
    industry, name = chosen
    frame = pd.DataFrame({"name": list(state.data.field_options(industry, name))}, columns=["name"])
    with st.form("ref_form_options", enter_to_submit=False, border=False):
        edited = st.data_editor(frame, key=f"ref_options_{industry}_{name}_{token}", hide_index=True,
                                column_config={"name": st.column_config.TextColumn(t("reference.col.option"))},
                                num_rows="dynamic", width="stretch")
        if not st.form_submit_button(t("reference.save"), key="ref_save_options"):
            return
    options = [_text(v) for v in edited["name"].tolist()]
    found: dict[str, FieldError] = {}
    _saved(run_action(lambda: reference_data.save_field_options(actor, industry, name, options, state.token),
                      errors_into=found), "reference.field_options")
    _show_errors(found)


def _deadline_editor() -> None:
    st.caption(t("reference.deadline_lead"))
    values = state.data.review_deadlines
    frame = pd.DataFrame([{"key": key, "label": t(f"reference.deadline.{key}"), "value": values[key],
                           "range": f"{low}–{high}"} for key, (low, high) in DEADLINE_RANGES.items()])
    with st.form("ref_form_deadlines", enter_to_submit=False, border=False):
        edited = st.data_editor(frame, key=f"ref_deadlines_{token}", column_order=["label", "value", "range"],
                                column_config={
                                    "label": st.column_config.TextColumn(t("reference.col.deadline"), disabled=True),
                                    "value": st.column_config.NumberColumn(t("reference.col.value"), step=1),
                                    "range": st.column_config.TextColumn(t("reference.col.range"), disabled=True)},
                                hide_index=True, num_rows="fixed", width="stretch")
        if not st.form_submit_button(t("reference.save"), key="ref_save_deadlines"):
            return
    new = {r["key"]: (None if pd.isna(r["value"]) else r["value"]) for r in edited.to_dict("records")}
    found: dict[str, FieldError] = {}
    _saved(run_action(lambda: reference_data.save_deadlines(actor, new, state.token), errors_into=found),
           "reference.tab_review_deadline")
    for key, error in found.items():
        st.error(f"{plain(t(f'reference.deadline.{key}'))}：{error_text(error)}", icon=":material/block:")


def _fee_schedule_editor() -> None:
    """The fee schedule's versions; a new row is a new version (services.billing.schedule.add_versions)."""
    st.caption(t("billing.schedule.lead") + " " + t("reference.fee_schedule_lead"))
    fields = fee_schedule.FIELDS
    stored = fee_schedule.versions(actor)
    frame = pd.DataFrame([{"stored": True, "valid_from": v.valid_from, **{k: v.values[k] for k in fields}}  # type: ignore[literal-required]
                          for v in stored], columns=["stored", "valid_from", *fields])
    config: dict[str, Any] = {"valid_from": st.column_config.DateColumn(t("billing.schedule.valid_from"),
                                                                        format="YYYY/MM/DD", required=True)}
    config |= {k: st.column_config.NumberColumn(t(f"billing.schedule.{k}"), min_value=0, required=True,
                                                step=0.0001 if k.startswith("rate_") else 1) for k in fields}
    with st.form("ref_form_fee_schedule", enter_to_submit=False, border=False):
        edited = st.data_editor(frame, key=f"ref_fee_{len(stored)}_{stored[0].valid_from if stored else ''}",
                                column_order=["valid_from", *fields], column_config=config, hide_index=True,
                                num_rows="add", width="stretch")
        if not st.form_submit_button(t("reference.save"), key="ref_save_fee_schedule"):
            return
    records = edited.to_dict("records")
    errors: dict[str, FieldError] = {}
    for n, (old, new) in enumerate(zip(stored, records, strict=False), start=1):
        if _schedule_row(new) != (old.valid_from, dict(old.values)):
            errors[f"{n}.changed"] = FieldError("reference.error.schedule_changed",
                                                {"row": n, "month": month_label(old.valid_from)})
    added: list[tuple[date, dict[str, float]]] = []
    for n, new in enumerate(records[len(stored):], start=1):
        month = _schedule_row(new)[0]
        if month is None:
            errors[f"new{n}.valid_from"] = FieldError("reference.error.month_missing", {"row": len(stored) + n})
        else:
            added.append((month, _schedule_row(new)[1]))
    if errors:
        _show_errors(errors)
        return
    found: dict[str, FieldError] = {}
    done = run_action(lambda: fee_schedule.add_versions(actor, added), errors_into=found) if added else 0
    if found:
        # add_versions counts the added rows from 1: shift them to the table's rows.
        _show_errors({k: FieldError(e.code, {**e.params, "row": int(e.params.get("row", 0)) + len(stored)})
                      for k, e in found.items()})
        return
    _saved(done, "reference.tab_fee_schedule")


def _schedule_row(record: dict[str, Any]) -> tuple[date | None, dict[str, float]]:
    raw = record.get("valid_from")
    month = None if raw is None or (not isinstance(raw, date) and pd.isna(raw)) else month_of(pd.Timestamp(raw).date())
    values = {k: (None if pd.isna(record.get(k)) else float(record[k])) for k in fee_schedule.FIELDS}
    return month, values  # type: ignore[return-value]


tabs = st.tabs([t(f"reference.tab_{k}") for k in (*reference_data.LIST_KINDS, "review_deadline", "fee_schedule")])
for tab, kind in zip(tabs, reference_data.LIST_KINDS, strict=False):
    with tab:
        _list_editor(kind)
        if kind == ReferenceKind.INDUSTRY:
            _fields_editor()
            _field_options_editor()
with tabs[len(reference_data.LIST_KINDS)]:
    _deadline_editor()
with tabs[-1]:
    _fee_schedule_editor()
