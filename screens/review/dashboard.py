"""審査ダッシュボード: figures at a glance (each opens its queue), the filtered queue above the fold (a click
on a row opens it; its state in the URL), its CSV export, then the deadline lists and the chart."""
import tempfile
from datetime import datetime

import pyarrow as pa
import streamlit as st

from locales import translate
from services import clock
from services.application.connection import ConnectionType
from services.authz import ADMIN, REVIEWER, may_review
from services.review import export, queue
from services.review.stats import DeadlineKind
from services.workflow import OPEN_FOR_REVIEW, ApplicationStatus
from ui.feedback import show_flash
from ui.format import countdown, fmt_date, fmt_datetime, md
from ui.i18n import current_language, t
from ui.labels import labels_in
from ui.pager import current_page, pager, reset_page
from ui.review_figures import chart_values, dashboard_figures
from ui.review_queue_filters import (
    current_values,
    detail_url,
    filter_widgets,
    open_detail,
    page_from_url,
    preset,
    seed_from_url,
    to_params,
)
from ui.review_queue_table import new_rows, queue_table, show_bulk_report
from ui.session import require_roles

actor = require_roles(REVIEWER, ADMIN)
st.title(t("review.dashboard.title"))
show_flash()
reviewers = queue.list_reviewers(actor)
# A reload, or the way back from 申込詳細: the queue as the URL describes it.
entered = seed_from_url(st.query_params, {r[0] for r in reviewers})

# ---------------------------------------------------------------- at a glance: each figure opens its queue
figures = dashboard_figures(actor)  # kept for a few seconds: every click on this page reruns it
OPEN = list(OPEN_FOR_REVIEW)
TILES = (
    ("open_submitted", figures.open_by_status.get(ApplicationStatus.SUBMITTED, 0),
     {"rq_statuses": [ApplicationStatus.SUBMITTED]}),
    ("open_in_review", figures.open_by_status.get(ApplicationStatus.IN_REVIEW, 0),
     {"rq_statuses": [ApplicationStatus.IN_REVIEW]}),
    ("mine", figures.mine_open, {"rq_statuses": OPEN, "rq_assignee": queue.MINE}),
    ("unassigned", figures.unassigned_open, {"rq_statuses": OPEN, "rq_assignee": queue.UNASSIGNED}),
    ("overdue", figures.overdue, {"rq_statuses": OPEN, "rq_due": queue.OVERDUE}),
    ("due_soon", figures.due_soon, {"rq_statuses": OPEN, "rq_due": queue.DUE_SOON}),
)
for col, (name, count, values) in zip(st.columns(len(TILES)), TILES, strict=True):
    with col.container(border=True, gap=None):
        st.metric(t(f"review.dashboard.{name}"), count)
        st.button(t("review.work.tile_link"), key=f"rq_tile_{name}", on_click=preset, kwargs=values,
                  type="tertiary", icon=":material/filter_list:", help=t("review.work.tile_help"))
if figures.oldest_waiting_at and figures.oldest_waiting_id is not None:
    waited = (clock.today_jst() - figures.oldest_waiting_at.astimezone(clock.JST).date()).days
    o1, o2 = st.columns([5, 1], vertical_alignment="center")
    o1.caption(md("{label}：{ref} ", label=t("review.dashboard.oldest"), ref=figures.oldest_waiting_ref)
               + t("review.dashboard.oldest_value", date=fmt_date(figures.oldest_waiting_at), days=waited))
    if o2.button(t("review.work.open_oldest"), key="rq_open_oldest", type="tertiary", icon=":material/open_in_new:"):
        open_detail(figures.oldest_waiting_id, to_params(current_values(), 0))

# ---------------------------------------------------------------- queue
st.subheader(t("review.queue.title"))
PAGE_KEY, ENTERED_KEY, HERE_KEY = "rq_page", "rq_entered", "rq_here"
st.session_state[ENTERED_KEY] = entered  # read by the queue's next run only: a fragment rerun is no re-entry


@st.fragment
def queue_section() -> None:
    """The filters, the queue, its pager and its CSV: a filter, sort or page change reruns only this
    (the figures, deadline lists and chart above and below are not drawn again)."""
    filters, sort = filter_widgets(reviewers)
    if st.session_state.pop(ENTERED_KEY, False):  # the page in the URL belongs to these filters
        st.session_state[PAGE_KEY] = page_from_url(st.query_params)
        st.session_state["rq_last"] = (filters, sort)
    elif st.session_state.get("rq_last") != (filters, sort):  # new filters start again at page 1
        st.session_state["rq_last"] = (filters, sort)
        reset_page(PAGE_KEY)
        new_rows()
    page = current_page(PAGE_KEY)
    total, rows = queue.list_queue(actor, filters, sort, page, queue.PAGE_SIZE)
    if not rows and page:  # the URL's page is past the end now (items were decided): the last one
        page = max(queue.pageable_count(total) - 1, 0) // queue.PAGE_SIZE
        st.session_state[PAGE_KEY] = page
        total, rows = queue.list_queue(actor, filters, sort, page, queue.PAGE_SIZE)
    here = to_params(current_values(), page)
    st.session_state[HERE_KEY] = here  # the deadline lists' links carry it too
    st.query_params.from_dict(here)  # the queue as it is now: a reload or 申込詳細's way back returns here

    show_bulk_report()
    if not rows:
        st.info(t("review.queue.empty"), icon=":material/inbox:")
    else:
        first, last = page * queue.PAGE_SIZE + 1, page * queue.PAGE_SIZE + len(rows)
        h1, h2 = st.columns([3, 1], vertical_alignment="center")
        if queue.is_capped(total):  # counting stopped after COUNT_CAP rows: the real total is unknown
            h1.caption(t("review.queue.count_capped", cap=f"{queue.COUNT_CAP:,}", first=first, last=last)
                       + "　" + t("review.work.click_hint"))
        else:
            h1.caption(t("review.queue.count", total=total, first=first, last=last)
                       + "　" + t("review.work.click_hint"))
        bulk = may_review(actor) and h2.toggle(t("review.work.bulk_mode"), key="rq_bulk")
        queue_table(actor, rows, here, bulk=bulk)

    if queue.is_capped(total):
        st.caption(t("review.queue.capped_hint", cap=f"{queue.COUNT_CAP:,}"))
    # When capped, page numbers reach the first COUNT_CAP rows: a "last page" would need the real total.
    pager(PAGE_KEY, queue.pageable_count(total), queue.PAGE_SIZE, label_key="review.queue.page")
    csv_download(filters, sort, disabled=total == 0)
    if queue.is_capped(total):  # the real count is not known past the cap: say the file's limit
        st.caption(t("review.queue.export_cap", cap=f"{export.ROW_CAP:,}"))


def csv_download(filters, sort: str, *, disabled: bool) -> None:
    # The download callable runs outside the script, where the session language is unknown: it gets
    # the language now and translates only when the file is asked for.
    lang = current_language()

    def csv_file() -> bytes:
        """Streamed from the database chunk by chunk into a temp file, then read back once.

        Streamlit keeps the download as one bytes object anyway; spooling to disk avoids holding the
        chunks and their joined copy in memory at the same time, and the file is closed here.
        """
        headers = {c: translate(lang, f"review.csv.{c}") for c in export.COLUMNS}
        names = labels_in(lang)
        labels = {"kind": {k: names[f"application_kind.{k}"] for k in queue.KINDS},
                  "status": {s: names[f"application_status.{s}"] for s in ApplicationStatus},
                  "connection_type": {c: names[f"connection_type.{c}"] for c in ConnectionType}}
        with tempfile.TemporaryFile() as spool:
            for chunk in export.export_csv(actor, filters, sort, headers=headers, value_labels=labels):
                spool.write(chunk)
            spool.seek(0)
            return spool.read()

    st.download_button(t("review.queue.export"), data=csv_file, mime="text/csv", on_click="ignore",
                       file_name=f"review_queue_{clock.today_jst():%Y%m%d}.csv", icon=":material/download:",
                       disabled=disabled)


queue_section()
here = st.session_state[HERE_KEY]

# ---------------------------------------------------------------- below the queue: deadlines, then the chart
st.subheader(t("review.dashboard.deadlines"))
if not any(figures.deadline_counts.values()):
    st.caption(t("review.dashboard.deadline_none"))
DEADLINE_LISTS = ((DeadlineKind.TEMP_ACCOUNT_EXPIRY, "deadline_temp"),
                  (DeadlineKind.SYSTEM_SETTINGS_DUE, "deadline_settings"),
                  (DeadlineKind.APPROVAL_CANCELLED, "deadline_cancelled"),
                  (DeadlineKind.ID_NOTICE_DISPLAY, "deadline_notice"))
OPEN_COLUMN = t("review.dashboard.col_open")
for kind, key in DEADLINE_LISTS:
    count = figures.deadline_counts[kind]
    if not count:
        continue
    items = [d for d in figures.deadlines if d.kind == kind]
    with st.expander(t(f"review.dashboard.{key}", count=count), icon=":material/schedule:",
                     expanded=kind in (DeadlineKind.SYSTEM_SETTINGS_DUE, DeadlineKind.APPROVAL_CANCELLED)):
        # Arrow columns built from the items (st.dataframe sends Arrow; pandas only added conversions).
        table: dict[str, list] = {
            t("review.dashboard.col_reference"): [d.reference for d in items],
            t("review.dashboard.col_company"): [d.company_name for d in items],
            t("review.dashboard.col_due"): [fmt_datetime(d.due) if isinstance(d.due, datetime) else fmt_date(d.due)
                                           for d in items]}
        if kind != DeadlineKind.APPROVAL_CANCELLED:
            table[t("review.dashboard.col_countdown")] = [countdown(d.due) for d in items]
        if kind in (DeadlineKind.SYSTEM_SETTINGS_DUE, DeadlineKind.APPROVAL_CANCELLED):
            table[t("review.dashboard.col_pending")] = [d.detail for d in items]
            table[t(f"review.dashboard.col_cut_on_{kind}")] = [fmt_date(d.cut_on) if d.cut_on else "" for d in items]
        if kind == DeadlineKind.TEMP_ACCOUNT_EXPIRY:  # no application yet: nothing to open
            st.dataframe(pa.table(table), hide_index=True, width="stretch")
            continue
        # Each item links to its 申込詳細 (a real URL: opens in a new tab, survives a reload); a click
        # on any other cell opens it here.
        table[OPEN_COLUMN] = [detail_url(d.application_id, here) if d.application_id is not None else None
                              for d in items]
        st.caption(t("review.work.click_hint"))
        event = st.dataframe(pa.table(table), hide_index=True, width="stretch", key=f"rq_deadline_{kind}",
                             on_select="rerun", selection_mode="single-cell",
                             column_config={OPEN_COLUMN: st.column_config.LinkColumn(
                                 OPEN_COLUMN, display_text=t("review.dashboard.open_link"))})
        chosen = [items[row].application_id for row, column in event.selection.cells
                  if row < len(items) and column != OPEN_COLUMN]
        if chosen and chosen[0] is not None:
            open_detail(chosen[0], here)

# A plain Vega-Lite spec with its values inline: an Altair chart is validated against the whole
# Vega-Lite schema on every run (~0.1 s), and a data frame (melted, then sent as Arrow) cost another
# ~10 ms per run for 60 numbers.
with st.expander(t("review.dashboard.chart_title"), icon=":material/bar_chart:"):
    series, count_column = t("review.dashboard.chart_series"), t("review.dashboard.chart_count")
    st.vega_lite_chart({
        "data": {"values": chart_values(figures.daily, {"submitted": t("review.dashboard.chart_submitted"),
                                                       "approved": t("review.dashboard.chart_approved")},
                                        series, count_column)},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "timeUnit": "yearmonthdate",
                  "title": t("review.dashboard.chart_date"), "axis": {"format": "%m/%d"}},
            "y": {"field": count_column, "type": "quantitative", "title": count_column},
            "color": {"field": series, "type": "nominal"},
            "xOffset": {"field": series, "type": "nominal"}}}, width="stretch")
