"""The caller's record: contact data, next step, act for the caller, call notes, history."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from services.authz import Actor
from services.desk import call_notes, callers
from services.desk.callers import CallerRecord
from services.errors import DomainError, ValidationFailed
from ui.desk import OPEN_CALLER_KEY, jst
from ui.desk.search_view import next_step_text, status_text
from ui.i18n import t, t_error
from ui.target import act_for

APPLICATION_PAGE = "pages/applicant/application.py"  # the applicant's own wizard, reused for the desk
ROOT = Path(__file__).resolve().parents[2]
NOTE_ERROR_KEY = "desk_note_error"


def _contact_table(r: CallerRecord) -> pd.DataFrame:
    rows = [
        ("desk.col.name", r.contact_name), ("desk.col.kana", r.contact_kana),
        ("desk.col.company", r.company_name), ("desk.col.department", r.department or "—"),
        ("desk.col.phone", r.phone), ("desk.col.email", r.email),
        ("desk.col.corporate_number", r.corporate_number or "—"),
        ("desk.col.temp_login_id", r.temp_login_id), ("desk.col.office_code", r.office_code or "—"),
        ("desk.col.issued_at", f"{jst(r.issued_at)}（{t(f'desk.via.{r.terms_agreed_via}')}）"),
    ]
    return pd.DataFrame({t("desk.col.item"): [t(k) for k, _ in rows], t("desk.col.value"): [v for _, v in rows]})


def _applications(r: CallerRecord) -> None:
    if not r.applications:
        return
    st.subheader(t("desk.caller.applications"))
    st.dataframe(pd.DataFrame([{
        t("desk.app.kind"): t(f"desk.kind.{a.kind}"),
        t("desk.app.status"): status_text(a.status),
        t("desk.app.ref_no"): a.ref_no or "—",
        t("desk.app.submitted_at"): jst(a.submitted_at) if a.submitted_at else "—",
        t("desk.app.start_date"): a.start_date.isoformat() if a.start_date else "—",
    } for a in r.applications]), hide_index=True, width="stretch")


def _act_for_button(actor: Actor, r: CallerRecord) -> None:
    available = (ROOT / APPLICATION_PAGE).exists()
    if st.button(t("desk.caller.act_for"), key="desk_act_for", type="primary", disabled=not available,
                 icon=":material/edit_note:"):
        callers.start_acting_for(actor, r.applicant_id)
        act_for(r.applicant_id)
        st.switch_page(APPLICATION_PAGE)
    if not available:
        st.caption(t("desk.caller.wizard_missing"))


def _notes(actor: Actor, applicant_id: int) -> None:
    st.subheader(t("desk.notes.title"))
    with st.form("desk_note_form", clear_on_submit=True):
        body = st.text_area(t("desk.notes.body"), key="desk_note_body", height=100)
        if error := st.session_state.pop(NOTE_ERROR_KEY, None):
            st.error(error, icon=":material/error:")
        added = st.form_submit_button(t("desk.notes.add"), icon=":material/add_comment:")
    if added:
        try:
            call_notes.add_call_note(actor, applicant_id, body)
        except ValidationFailed as err:
            st.session_state[NOTE_ERROR_KEY] = t_error(err.errors["body"])
        except DomainError as err:
            st.session_state[NOTE_ERROR_KEY] = t_error(err)
        st.rerun()
    notes = call_notes.list_call_notes(actor, applicant_id)
    if not notes:
        st.caption(t("desk.notes.none"))
    for note in notes:
        with st.container(border=True):
            st.caption(t("desk.notes.meta", at=jst(note.created_at), author=note.author_name,
                         login_id=note.author_login_id))
            st.text(note.body)


def _label(key: str, fallback: str) -> str:
    label = t(key)
    return fallback if label == key else label


def _action_label(action: str, section: str | None) -> str:
    label = _label(f"desk.action.{action.replace('.', '_')}", action)
    if section:
        return f"{label}（{_label(f'wizard.section.{section}', section)}）"
    return label


def _history(actor: Actor, r: CallerRecord) -> None:
    st.subheader(t("desk.history.title"))
    entries = callers.caller_history(actor, r.applicant_id)
    if not entries:
        st.caption(t("desk.history.none"))
        return
    st.dataframe(pd.DataFrame([{
        t("desk.history.at"): jst(e.at),
        t("desk.history.action"): _action_label(e.action, e.section),
        t("desk.history.by"): (t("desk.history.on_behalf", staff=e.actor_name or e.actor_login_id,
                                 applicant=r.contact_name) if e.on_behalf
                               else (e.actor_name or e.actor_login_id or "—")),
    } for e in entries]), hide_index=True, width="stretch")


def render_caller(actor: Actor, applicant_id: int) -> None:
    if st.button(t("desk.caller.back"), key="desk_back", icon=":material/arrow_back:"):
        st.session_state.pop(OPEN_CALLER_KEY, None)
        st.rerun()
    try:
        r = callers.get_caller(actor, applicant_id)
    except DomainError as err:
        st.error(t_error(err))
        return
    st.header(t("desk.caller.title", name=r.contact_name))
    st.caption(r.company_name)
    st.info(t("desk.caller.next_step", status=status_text(r.next_step.application_status),
              next=next_step_text(r.next_step)), icon=":material/flag:")
    _act_for_button(actor, r)
    left, right = st.columns(2)
    with left:
        st.subheader(t("desk.caller.contact"))
        st.dataframe(_contact_table(r), hide_index=True, width="stretch")
    with right:
        _notes(actor, applicant_id)
    _applications(r)
    _history(actor, r)
