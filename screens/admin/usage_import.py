"""利用実績の取込 (administrator): upload a usage file (CSV or .xlsx), replace months already imported
if chosen, see every bad row with its line number (nothing of such a file is imported), the list of
imports with undo; and the fee schedule with its start months (a new version from a month)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from services import clock
from services.billing import schedule as fee_schedule
from services.billing import usage_import
from services.billing.months import add_months, month_label, month_of
from services.billing.usage_import import ImportRefused
from services.errors import DomainError, FieldError
from ui.feedback import error_text, flash, run_action, show_error, show_flash
from ui.format import fmt_datetime, plain
from ui.i18n import t
from ui.session import require_actor

REFUSED_KEY = "usage_import_refused"
SCHEDULE_ERRORS_KEY = "fee_schedule_errors"

actor = require_actor()
st.title(t("billing.import.title"))
show_flash()
st.caption(t("billing.import.lead"))


def _import(upload, replace: bool) -> None:
    """Not through run_action: a refused file lists its bad rows (a table), not one message."""
    st.session_state.pop(REFUSED_KEY, None)
    try:
        done = usage_import.import_usage(actor, upload, upload.name, replace=replace)
    except ImportRefused as refused:
        st.session_state[REFUSED_KEY] = (upload.name, refused.total,
                                         [(e.line, error_text(FieldError(e.code, e.params))) for e in refused.errors])
        return
    except DomainError as err:
        show_error(err)
        return
    flash(t("billing.import.done", file=plain(done.file_name), rows=done.row_count))
    st.rerun()


with st.form("usage_import", enter_to_submit=False):
    upload = st.file_uploader(t("billing.import.file"), type=["csv", "xlsx"])
    replace = st.checkbox(t("billing.import.replace"), help=t("billing.import.replace_help"))
    if st.form_submit_button(t("billing.import.submit"), type="primary") and upload is not None:
        _import(upload, replace)

refused = st.session_state.get(REFUSED_KEY)
if refused:
    name, total, lines = refused
    st.error(t("billing.import.refused", total=total), icon=":material/block:")
    st.caption(plain(name))
    # st.table (readable, selectable text); the reasons quote the file's values, escaped by error_text.
    st.table(pd.DataFrame(lines, columns=[t("billing.import.col.line"), t("billing.import.col.reason")])
             .set_index(t("billing.import.col.line")))
    if total > len(lines):
        st.caption(t("billing.import.more", more=total - len(lines)))

st.subheader(t("billing.import.list"))
done_list = usage_import.imports(actor)
if not done_list:
    st.caption(t("billing.import.none"))
else:
    st.dataframe(pd.DataFrame([{
        t("billing.import.col.id"): i.id, t("billing.import.col.file"): i.file_name,
        t("billing.import.col.rows"): i.row_count, t("billing.import.col.replace"): "○" if i.replace else "",
        t("billing.import.col.at"): fmt_datetime(i.imported_at), t("billing.import.col.by"): i.imported_by or "",
        t("billing.import.col.undone"): fmt_datetime(i.undone_at) if i.undone_at else "",
    } for i in done_list]), hide_index=True, width="stretch")
    open_ids = [i.id for i in done_list if i.undone_at is None]
    if open_ids:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        chosen = c1.selectbox(t("billing.import.col.id"), open_ids, format_func=lambda i: f"#{i}", key="undo_id")
        if (c2.button(t("billing.import.undo"), key="undo_import") and chosen is not None
                and run_action(lambda: usage_import.undo_import(actor, chosen)) is not None):
            flash(t("billing.import.undone", id=chosen))
            st.rerun()

st.divider()
st.subheader(t("billing.schedule.title"))
st.caption(t("billing.schedule.lead"))
fields = fee_schedule.FIELDS
st.dataframe(pd.DataFrame([{t("billing.schedule.valid_from"): month_label(v.valid_from),
                            **{t(f"billing.schedule.{k}"): v.values[k] for k in fields}}  # type: ignore[literal-required]
                           for v in fee_schedule.versions(actor)]), hide_index=True, width="stretch")
errors: dict[str, FieldError] = st.session_state.pop(SCHEDULE_ERRORS_KEY, {})
current = fee_schedule.in_force()
with st.form("fee_schedule_add", enter_to_submit=False):
    start = st.date_input(t("billing.schedule.valid_from"), value=add_months(month_of(clock.today_jst()), 1))
    if "valid_from" in errors:
        st.error(error_text(errors["valid_from"]))
    values: dict[str, float] = {}
    for key in fields:
        is_rate = key.startswith("rate_")
        values[key] = st.number_input(t(f"billing.schedule.{key}"), min_value=0.0 if is_rate else 0,
                                      value=float(current[key]) if is_rate else int(current[key]),  # type: ignore[literal-required]
                                      step=0.01 if is_rate else 100, format="%.4f" if is_rate else "%d")
        if key in errors:
            st.error(error_text(errors[key]))
    if st.form_submit_button(t("billing.schedule.add")):
        found: dict[str, FieldError] = {}
        month = start if isinstance(start, date) else month_of(clock.today_jst())
        if run_action(lambda: fee_schedule.add_version(actor, month_of(month), values), errors_into=found):
            flash(t("billing.schedule.added", month=month_label(month_of(month))))
            st.rerun()
        if found:
            st.session_state[SCHEDULE_ERRORS_KEY] = found
            st.rerun()
