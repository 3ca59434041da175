"""申込者を探す: one box (the field is detected) or a chosen field, results with status and next step."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pandas as pd
import streamlit as st

from services.authz import Actor
from services.desk import query as q
from services.desk.search import SearchResult, find_callers
from services.desk.status import NextStep
from services.workflow import ApplicationKind
from ui.desk import OPEN_CALLER_KEY
from ui.feedback import run_action
from ui.focus import focus
from ui.format import fmt_date, fmt_datetime
from ui.i18n import t
from ui.labels import kind_label, status_label

LAST_QUERY_KEY = "desk_last_query"  # (text, field) of the last search, so results survive reruns
FOCUS_KEY = "desk_focus"            # (widget key, token): where the keyboard focus goes (ui.focus)
SEARCH_BOX, OPEN_BUTTON = "desk_q", "desk_open"


def param_text(value):
    """Dates and moments of a next step as everyone reads them; no date yet is a dash."""
    if isinstance(value, datetime):
        return fmt_datetime(value)
    if value is None or isinstance(value, date):
        return fmt_date(value)
    return value


def next_step_text(step: NextStep) -> str:
    text = t(f"desk.next.{step.code}", **{k: param_text(v) for k, v in step.params.items()})
    if step.application_kind and step.application_kind != ApplicationKind.NEW_USAGE:
        return f"{kind_label(step.application_kind)}：{text}"
    return text


def status_text(status: str | None) -> str:
    return status_label(status) if status else t("desk.next.no_application")


# Pixel widths that fit the main area at 1400 px with the sidebar open (about 940 px), 次の手順
# the widest. The カナ and the mail address are on the record: with them 次の手順 was out of sight.
_WIDTHS = {"desk.col.name": 110, "desk.col.company": 150, "desk.col.phone": 115, "desk.col.login_id": 135,
           "desk.col.status": 80, "desk.col.next_step": 300}


def _table(result: SearchResult) -> pd.DataFrame:
    return pd.DataFrame([{
        t("desk.col.name"): h.contact_name,
        t("desk.col.company"): h.company_name,
        t("desk.col.phone"): h.phone,
        t("desk.col.login_id"): h.office_code or h.temp_login_id,
        t("desk.col.status"): status_text(h.application_status),
        t("desk.col.next_step"): next_step_text(h.next_step),
    } for h in result.hits])


def _columns() -> dict[str, st.column_config.Column]:
    return {t(key): st.column_config.TextColumn(width=width) for key, width in _WIDTHS.items()}


def focus_search_box() -> None:
    """Arriving at the search (first visit, back from a record): the cursor is in the search box."""
    st.session_state[FOCUS_KEY] = (SEARCH_BOX, uuid.uuid4().hex)


def _open(applicant_id: int) -> None:
    st.session_state[OPEN_CALLER_KEY] = applicant_id
    focus_search_box()  # for the way back
    st.session_state.pop("desk_results", None)  # a kept row selection would reopen it on "back"
    st.rerun()


def _results(result: SearchResult) -> None:
    count = t("desk.search.count_capped" if result.total_capped else "desk.search.count",
              total=result.total, shown=len(result.hits))
    st.caption(f"{count}　{t('desk.search.searched_as', field=t(f'desk.field.{result.kind}'))}")
    if not result.hits:
        st.info(t("desk.search.no_results"), icon=":material/search_off:")
        return
    picked = st.dataframe(_table(result), hide_index=True, width="stretch", column_config=_columns(),
                          on_select="rerun", selection_mode="single-row", key="desk_results")
    rows = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
    if rows:
        _open(result.hits[rows[0]].applicant_id)
    st.caption(t("desk.search.select_hint"))
    ids = [h.applicant_id for h in result.hits]
    labels = {h.applicant_id: f"{h.contact_name}（{h.company_name}・{h.office_code or h.temp_login_id}）"
              for h in result.hits}
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("desk.search.pick"), ids, format_func=labels.get, key="desk_pick")
    # After a search the focus is here, on the first result: Enter opens it.
    if right.button(t("desk.search.open"), key=OPEN_BUTTON, icon=":material/person:", type="primary"):
        _open(chosen)


def render_search(actor: Actor) -> None:
    with st.form("desk_search_form"):
        left, right = st.columns([4, 2])
        text = left.text_input(t("desk.search.query"), key=SEARCH_BOX, placeholder=t("desk.search.placeholder"))
        labels = {f: t(f"desk.field.{f}") for f in q.FIELDS}  # looked up now, in this session's language
        field = right.selectbox(t("desk.search.field"), q.FIELDS, key="desk_field", format_func=labels.get)
        submitted = st.form_submit_button(t("desk.search.submit"), type="primary", icon=":material/search:")
    st.caption(t("desk.search.hint"))
    if submitted:
        st.session_state[LAST_QUERY_KEY] = (text, field)
    if FOCUS_KEY not in st.session_state:
        focus_search_box()
    last = st.session_state.get(LAST_QUERY_KEY)
    result = run_action(lambda: find_callers(actor, *last)) if last is not None else None
    if submitted:  # Enter searched: with results the focus moves to 開く (the first result), else stays
        st.session_state[FOCUS_KEY] = (OPEN_BUTTON if result is not None and result.hits else SEARCH_BOX,
                                       uuid.uuid4().hex)
    focus(*st.session_state[FOCUS_KEY])
    if result is not None:
        _results(result)
