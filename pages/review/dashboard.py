"""審査ダッシュボード: figures at a glance, the deadline list, the filtered queue and its CSV export."""
import tempfile
from datetime import datetime

import altair as alt
import pandas as pd
import streamlit as st

from services import clock
from services.application.connection import ConnectionType
from services.authz import ADMIN, REVIEWER
from services.review import export, queue, stats
from services.review.stats import DeadlineKind
from services.workflow import ApplicationStatus
from ui.format import countdown, fmt_date, fmt_datetime, plain
from ui.i18n import t
from ui.labels import connection_label, kind_label, status_label
from ui.pager import current_page, pager, reset_page
from ui.review_queue_filters import filter_widgets
from ui.session import require_roles

DETAIL_PAGE = "pages/review/detail.py"
actor = require_roles(REVIEWER, ADMIN)
st.title(t("review.dashboard.title"))

# ---------------------------------------------------------------- at a glance
figures = stats.dashboard_stats(actor)
cols = st.columns(6)
cols[0].metric(t("review.dashboard.open_submitted"), figures.open_by_status.get(ApplicationStatus.SUBMITTED, 0))
cols[1].metric(t("review.dashboard.open_in_review"), figures.open_by_status.get(ApplicationStatus.IN_REVIEW, 0))
cols[2].metric(t("review.dashboard.mine"), figures.mine_open)
cols[3].metric(t("review.dashboard.unassigned"), figures.unassigned_open)
cols[4].metric(t("review.dashboard.overdue"), figures.overdue)
cols[5].metric(t("review.dashboard.due_soon"), figures.due_soon)
if figures.oldest_waiting_at:
    waited = (clock.today_jst() - figures.oldest_waiting_at.astimezone(clock.JST).date()).days
    st.caption(f"{t('review.dashboard.oldest')}：{plain(figures.oldest_waiting_ref)} "
               + t("review.dashboard.oldest_value", date=fmt_date(figures.oldest_waiting_at), days=waited))

chart_data = figures.daily.rename(columns={"submitted": t("review.dashboard.chart_submitted"),
                                           "approved": t("review.dashboard.chart_approved")})
long = chart_data.melt("date", var_name=t("review.dashboard.chart_series"), value_name=t("review.dashboard.chart_count"))
long["date"] = pd.to_datetime(long["date"])
st.subheader(t("review.dashboard.chart_title"))
st.altair_chart(
    alt.Chart(long).mark_bar().encode(
        x=alt.X("yearmonthdate(date):T", title=t("review.dashboard.chart_date"), axis=alt.Axis(format="%m/%d")),
        y=alt.Y(f"{t('review.dashboard.chart_count')}:Q", title=t("review.dashboard.chart_count")),
        color=alt.Color(f"{t('review.dashboard.chart_series')}:N"),
        xOffset=f"{t('review.dashboard.chart_series')}:N"),
    width="stretch")

st.subheader(t("review.dashboard.deadlines"))
if not any(figures.deadline_counts.values()):
    st.caption(t("review.dashboard.deadline_none"))
for kind, key in ((DeadlineKind.TEMP_ACCOUNT_EXPIRY, "deadline_temp"),
                  (DeadlineKind.SYSTEM_SETTINGS_DUE, "deadline_settings"),
                  (DeadlineKind.ID_NOTICE_DISPLAY, "deadline_notice")):
    count = figures.deadline_counts[kind]
    if not count:
        continue
    items = [d for d in figures.deadlines if d.kind == kind]
    with st.expander(t(f"review.dashboard.{key}", count=count), icon=":material/schedule:"):
        table = pd.DataFrame({
            t("review.dashboard.col_reference"): [d.reference for d in items],
            t("review.dashboard.col_company"): [d.company_name for d in items],
            t("review.dashboard.col_due"): [fmt_datetime(d.due) if isinstance(d.due, datetime) else fmt_date(d.due)
                                           for d in items],
            t("review.dashboard.col_countdown"): [countdown(d.due) for d in items]})
        if kind == DeadlineKind.SYSTEM_SETTINGS_DUE:
            table[t("review.dashboard.col_pending")] = [d.detail for d in items]
        st.dataframe(table, hide_index=True, width="stretch")

# ---------------------------------------------------------------- queue
st.subheader(t("review.queue.title"))
filters, sort = filter_widgets(queue.list_reviewers(actor))
PAGE_KEY = "rq_page"
if st.session_state.get("rq_last") != (filters, sort):  # new filters start again at page 1
    st.session_state["rq_last"] = (filters, sort)
    reset_page(PAGE_KEY)
page = current_page(PAGE_KEY)
total, rows = queue.list_queue(actor, filters, sort, page, queue.PAGE_SIZE)

if not rows:
    st.info(t("review.queue.empty"), icon=":material/inbox:")
else:
    first, last = page * queue.PAGE_SIZE + 1, page * queue.PAGE_SIZE + len(rows)
    if queue.is_capped(total):  # counting stopped after COUNT_CAP rows: the real total is unknown
        st.caption(t("review.queue.count_capped", cap=f"{queue.COUNT_CAP:,}", first=first, last=last))
    else:
        st.caption(t("review.queue.count", total=total, first=first, last=last))
    st.dataframe(pd.DataFrame({
        t("review.queue.col_ref_no"): [r.ref_no for r in rows],
        t("review.queue.col_kind"): [kind_label(r.kind, r.shared_use) for r in rows],
        t("review.queue.col_status"): [status_label(r.status) for r in rows],
        t("review.queue.col_company"): [r.company_name for r in rows],
        t("review.queue.col_contact"): [r.contact_name for r in rows],
        t("review.queue.col_connection"): [connection_label(r.connection_type) for r in rows],
        t("review.queue.col_industries"): ["、".join(r.industries) for r in rows],
        t("review.queue.col_submitted_at"): [fmt_datetime(r.submitted_at) for r in rows],
        t("review.queue.col_due_date"): [fmt_date(r.due_date) for r in rows],
        t("review.queue.col_overdue"): [r.overdue for r in rows],
        t("review.queue.col_assignee"): [r.assignee_name or "" for r in rows],
    }), hide_index=True, width="stretch")
    by_id = {r.id: r for r in rows}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(t("review.queue.open_select"), list(by_id), key="rq_open",
                          format_func=lambda i: f"{by_id[i].ref_no}　{by_id[i].company_name}")
    if c2.button(t("review.queue.open"), key="rq_open_btn", icon=":material/open_in_new:"):
        st.session_state["review_app_id"] = chosen
        st.switch_page(DETAIL_PAGE, query_params={"app": str(chosen)})

if queue.is_capped(total):
    st.caption(t("review.queue.capped_hint", cap=f"{queue.COUNT_CAP:,}"))
# When capped, page numbers reach the first COUNT_CAP rows: a "last page" would need the real total.
pager(PAGE_KEY, queue.pageable_count(total), queue.PAGE_SIZE, label_key="review.queue.page")


# Translated now: the download callable runs outside the script, where the session language is unknown.
CSV_HEADERS = {c: t(f"review.csv.{c}") for c in export.COLUMNS}
CSV_LABELS = {"kind": {k: kind_label(k) for k in queue.KINDS},
              "status": {s: status_label(s) for s in ApplicationStatus},
              "connection_type": {c: connection_label(c) for c in ConnectionType}}


def _csv_file() -> bytes:
    """Streamed from the database chunk by chunk into a temp file, then read back once.

    Streamlit keeps the download as one bytes object anyway; spooling to disk avoids holding the
    chunks and their joined copy in memory at the same time, and the file is closed here.
    """
    with tempfile.TemporaryFile() as spool:
        for chunk in export.export_csv(actor, filters, sort, headers=CSV_HEADERS, value_labels=CSV_LABELS):
            spool.write(chunk)
        spool.seek(0)
        return spool.read()


st.download_button(t("review.queue.export"), data=_csv_file, mime="text/csv", on_click="ignore",
                   file_name=f"review_queue_{clock.today_jst():%Y%m%d}.csv", icon=":material/download:",
                   disabled=total == 0)
