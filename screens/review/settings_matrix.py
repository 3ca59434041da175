"""システム設定の状況 (staff, beyond NSS): every 利用者コード of the offices starting within N business
days with its ○/× per item, sorted by days left, filterable by 業種, exportable — who to call before
the cut-off. A row opens the office's desk record (desk) or the approved application (reviewers)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import clock, reference_data
from services.authz import DESK
from services.system_settings import matrix
from ui.desk import OPEN_CALLER_KEY
from ui.format import countdown, fmt_date
from ui.i18n import t
from ui.pager import current_page, pager, reset_page
from ui.review_queue_filters import open_detail
from ui.session import require_actor
from ui.target import act_for

PAGE_KEY, PAGE_SIZE = "sm_page", 50
DESK_PAGE = "screens/desk/search.py"

actor = require_actor()
st.title(t("settings_matrix.title"))
st.caption(t("settings_matrix.lead"))

left, middle, right, last = st.columns([2, 3, 3, 2], vertical_alignment="bottom")
horizon = left.number_input(t("settings_matrix.horizon"), min_value=0, max_value=matrix.MAX_HORIZON_DAYS,
                            value=reference_data.current().deadline("default_start_business_days"), key="sm_horizon",
                            on_change=reset_page, args=(PAGE_KEY,))
industry = middle.selectbox(t("settings_matrix.industry"), ["", *reference_data.current().known_industries], key="sm_industry",
                            format_func=lambda v: v or t("settings_matrix.all_industries"),
                            on_change=reset_page, args=(PAGE_KEY,))
sort = right.selectbox(t("settings_matrix.sort_label"), matrix.SORTS, key="sm_sort",
                       format_func=lambda v: t(f"settings_matrix.sort.{v.replace('-', 'desc_')}"),
                       on_change=reset_page, args=(PAGE_KEY,))
incomplete = last.checkbox(t("settings_matrix.incomplete_only"), value=True, key="sm_incomplete",
                           on_change=reset_page, args=(PAGE_KEY,))
filters = {"horizon_days": int(horizon), "industry": industry or None, "incomplete_only": incomplete, "sort": sort}

result = matrix.settings_matrix(actor, page=current_page(PAGE_KEY) + 1, page_size=PAGE_SIZE, **filters)
st.write(t("settings_matrix.count", count=result.total))
if not result.rows:
    st.info(t("settings_matrix.none"))
    st.stop()

table = pd.DataFrame({
    t("settings_matrix.col.company_name"): [r.company_name for r in result.rows],
    t("settings_matrix.col.office_code"): [r.office_code for r in result.rows],
    t("settings_matrix.col.user_code"): [r.user_code for r in result.rows],
    t("settings_matrix.col.start_date"): [fmt_date(r.start_date) for r in result.rows],
    t("settings_matrix.col.deadline"): [fmt_date(r.deadline) for r in result.rows],
    t("settings_matrix.col.days_left"): [countdown(r.deadline) for r in result.rows],
    **{column: [r.mark(column) for r in result.rows] for column in result.columns},
})
st.caption(t("settings_matrix.click_hint"))
event = st.dataframe(table, hide_index=True, width="stretch", key="sm_table", on_select="rerun",
                     selection_mode="single-row")
pager(PAGE_KEY, result.total, PAGE_SIZE)
chosen = [result.rows[i] for i in event.selection.rows if i < len(result.rows)]
if chosen:
    row = chosen[0]
    if DESK in actor.roles:  # the caller's record, where the desk phones from
        act_for(row.applicant_id)
        st.session_state[OPEN_CALLER_KEY] = row.applicant_id
        st.switch_page(DESK_PAGE)
    open_detail(row.application_id, {})

headers = {c: t(f"settings_matrix.col.{c}") for c in matrix.COLUMNS}
st.download_button(t("settings_matrix.export"), data=lambda: matrix.matrix_csv(actor, headers=headers, **filters),
                   mime="text/csv", on_click="ignore", icon=":material/download:",
                   file_name=f"system_settings_{clock.today_jst():%Y%m%d}.csv")
