"""The queue's table: a click on a row opens the application; in bulk mode several rows are ticked
and assigned to me or released in one action (each row checked against the version shown)."""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import pyarrow as pa
import streamlit as st

from locales import translate
from services.authz import Actor, ReviewAction
from services.errors import DomainError, StaleData
from services.review import actions
from services.review.actions import BulkItem
from services.review.queue import QueueRow
from services.workflow import ApplicationKind
from ui.feedback import error_text, run_action
from ui.format import fmt_date, md
from ui.i18n import current_language, t
from ui.labels import labels_in
from ui.review_figures import figures_changed
from ui.review_queue_filters import open_detail

GENERATION_KEY = "rq_table_gen"   # a new table (no stale selection) whenever its rows change
REPORT_KEY = "rq_bulk_report"     # the last bulk action's outcome, shown once on the next run
SHOWN_KEY = "rq_shown_versions"   # {id: version} of the rows on screen when the user clicked


def new_rows() -> None:
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


@cache
def _columns(lang: str) -> dict[str, str]:
    col = {k: translate(lang, f"review.queue.col_{k}") for k in ("ref_no", "kind", "status", "connection",
                                                                  "due_date", "overdue", "assignee")}
    col["company"], col["submitted_on"] = translate(lang, "review.work.col_company"), translate(
        lang, "review.work.col_submitted_on")
    return col


def _frame(rows: list[QueueRow]) -> tuple[pa.Table, dict]:
    """Nine short columns that fit 1,400 px with the sidebar open (the 申込担当者 and the 業種 are in
    the detail and the CSV; 業種 is a filter); 企業名 takes what is left.

    An Arrow table, built straight from the rows: st.dataframe sends Arrow anyway, and going through
    pandas (string arrays converted back and forth) was most of a queue run's time."""
    lang = current_language()
    col, labels = _columns(lang), labels_in(lang)
    frame = pa.table({
        col["ref_no"]: [r.ref_no for r in rows],
        # A システム設定申込 names the 利用者コード it registers next to the company.
        col["company"]: [f"{r.company_name}（{r.user_code}）" if r.user_code else r.company_name for r in rows],
        col["kind"]: [labels["application_kind.NEW_USAGE_SHARED"] if r.shared_use and r.kind == ApplicationKind.NEW_USAGE
                      else labels[f"application_kind.{r.kind}"] for r in rows],
        col["status"]: [labels[f"application_status.{r.status}"] for r in rows],
        col["connection"]: [labels[f"connection_type.{r.connection_type}"] if r.connection_type else ""
                            for r in rows],
        col["submitted_on"]: [fmt_date(r.submitted_at) for r in rows],
        col["due_date"]: [fmt_date(r.due_date) for r in rows],
        col["overdue"]: pa.array([r.overdue for r in rows], type=pa.bool_()),
        col["assignee"]: [r.assignee_name or "" for r in rows],
    })
    widths = {"ref_no": 130, "kind": 100, "status": 64, "connection": 84, "submitted_on": 84, "due_date": 84,
              "overdue": 70, "assignee": 96}
    config: dict = {col[k]: st.column_config.TextColumn(width=w) for k, w in widths.items()}
    config[col["company"]] = st.column_config.TextColumn(width="medium")
    config[col["overdue"]] = st.column_config.CheckboxColumn(width=widths["overdue"])
    return frame, config


def queue_table(actor: Actor, rows: list[QueueRow], queue: Mapping[str, str], *, bulk: bool) -> None:
    """Draws the rows; a click opens the row (single mode) or ticks it (bulk mode)."""
    # The click that runs this script was made on the previous run's rows: lock by their versions
    # (this run has just read the rows again, with whatever another reviewer changed meanwhile).
    shown = st.session_state.get(SHOWN_KEY, {})
    st.session_state[SHOWN_KEY] = {r.id: r.version for r in rows}
    frame, config = _frame(rows)
    # A click on any cell opens its row; in bulk mode the row markers tick rows instead.
    mode = "multi-row" if bulk else "single-cell"
    event = st.dataframe(frame, hide_index=True, width="stretch", column_config=config, on_select="rerun",
                         selection_mode=mode, key=f"rq_table_{mode}_{st.session_state.get(GENERATION_KEY, 0)}",
                         height=min(38 + 35 * len(rows), 38 + 35 * 15))
    if not bulk:
        clicked = [row for row, _column in event.selection.cells if row < len(rows)]
        if clicked:
            open_detail(rows[clicked[0]].id, queue)
        return
    _bulk_buttons(actor, [rows[i] for i in event.selection.rows if i < len(rows)], shown)


def _bulk_buttons(actor: Actor, picked: list[QueueRow], shown: dict[int, int]) -> None:
    bar = st.container(horizontal=True, vertical_alignment="center")
    bar.caption(t("review.work.bulk_picked", count=len(picked)))
    for action, name, icon in ((ReviewAction.CLAIM, "claim", ":material/person_add:"),
                               (ReviewAction.RELEASE, "release", ":material/undo:")):
        label_key = f"review.work.bulk_{name}"
        if bar.button(t(label_key, count=len(picked)), key=f"rq_bulk_{name}", icon=icon, disabled=not picked):
            items = [BulkItem(r.id, shown.get(r.id, r.version)) for r in picked]
            outcomes = run_action(lambda action=action, items=items: actions.bulk_assignment(actor, action, items))
            if outcomes is not None:
                figures_changed()
                names = {r.id: f"{r.ref_no or ''}　{r.company_name}" for r in picked}
                st.session_state[REPORT_KEY] = (
                    t(f"{label_key}_done", count=sum(o.done for o in outcomes)),
                    [f"{names[o.application_id]}：{_why(o.error)}" for o in outcomes if o.error is not None])
                new_rows()
                st.rerun()


def _why(error: DomainError) -> str:
    return t("review.work.bulk_stale") if isinstance(error, StaleData) else error_text(error)


def show_bulk_report() -> None:
    """The last bulk action's outcome: how many went through, and each refused one by name."""
    report = st.session_state.pop(REPORT_KEY, None)
    if not report:
        return
    done, refused = report
    st.success(done, icon=":material/check_circle:")
    if refused:  # the names are typed by applicants: escaped inside the Markdown list
        st.warning("\n".join([t("review.work.bulk_refused"), "", *(md("- {line}", line=line) for line in refused)]),
                   icon=":material/sync_problem:")
