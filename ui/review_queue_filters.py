"""The queue's filter and sort widgets; returns what the services take (QueueFilters, sort key)."""
from __future__ import annotations

import streamlit as st

from db.reference import INDUSTRIES
from services.application.connection import ConnectionType
from services.review.queue import DUE_SOON, KINDS, MINE, OVERDUE, SORTS, UNASSIGNED, QueueFilters
from services.workflow import OPEN_FOR_REVIEW, ApplicationStatus
from ui.i18n import t
from ui.labels import connection_label, kind_label, status_label

ANY = ""


def filter_widgets(reviewers: list[tuple[int, str, str]]) -> tuple[QueueFilters, str]:
    with st.expander(t("review.queue.filters"), expanded=True, icon=":material/filter_list:"):
        c1, c2, c3, c4 = st.columns(4)
        kinds = c1.multiselect(t("review.queue.kind"), KINDS, format_func=kind_label, key="rq_kinds",
                               placeholder=t("review.queue.any"))
        # The work to do first: open items. Clearing the filter shows decided ones too.
        statuses = c2.multiselect(t("review.queue.status"), [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT],
                                  default=list(OPEN_FOR_REVIEW), format_func=status_label, key="rq_statuses",
                                  placeholder=t("review.queue.any"))
        connection = c3.selectbox(t("review.queue.connection"), (ANY, *ConnectionType), key="rq_connection",
                                  format_func=lambda c: connection_label(c) if c else t("review.queue.any"))
        industry = c4.selectbox(t("review.queue.industry"), (ANY, *INDUSTRIES), key="rq_industry",
                                format_func=lambda i: i or t("review.queue.any"))
        c5, c6, c7, c8 = st.columns(4)
        between = c5.date_input(t("review.queue.submitted_between"), value=(), key="rq_between", format="YYYY/MM/DD")
        assignee_options = [ANY, MINE, UNASSIGNED, *[r[0] for r in reviewers]]
        names = {r[0]: f"{r[2]}（{r[1]}）" for r in reviewers}
        assignee = c6.selectbox(t("review.queue.assignee"), assignee_options, key="rq_assignee",
                                format_func=lambda a: names.get(a) or t(f"review.queue.assignee_{a or 'any'}"))
        due = c7.selectbox(t("review.queue.due"), (ANY, OVERDUE, DUE_SOON), key="rq_due",
                           format_func=lambda d: t({ANY: "review.queue.due_any", OVERDUE: "review.queue.due_overdue",
                                                    DUE_SOON: "review.queue.due_soon"}[d]))
        ref_no = c8.text_input(t("review.queue.ref_no"), key="rq_ref_no", max_chars=20)
        s1, s2 = st.columns([3, 1])
        sort = s1.selectbox(t("review.queue.sort"), list(SORTS), key="rq_sort",
                            format_func=lambda k: t(f"review.queue.sort_{k}"))
        descending = s2.checkbox(t("review.queue.descending"), key="rq_desc")
    dates = tuple(between) if isinstance(between, (list, tuple)) else (between,)
    filters = QueueFilters(
        kinds=tuple(kinds), statuses=tuple(statuses), connection_type=connection or None,
        industry=industry or None, submitted_from=dates[0] if dates else None,
        submitted_to=dates[1] if len(dates) > 1 else (dates[0] if dates else None),
        assignee=assignee or None, due=due or None, ref_no=ref_no)
    return filters, ("-" if descending else "") + sort
