"""The caller's record: contact data, next step, act for the caller, call notes, history."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import notes
from services.authz import Actor
from services.desk import callers, duplicates
from services.desk import card as callers_card
from services.desk.callers import CallerRecord
from services.desk.card import CallerCard
from services.errors import FieldError
from services.notes import NoteKind
from ui.desk import OPEN_CALLER_KEY
from ui.desk.duplicates_view import warn_duplicates
from ui.desk.search_view import param_text, status_text
from ui.feedback import error_text, run_action
from ui.format import countdown, fmt_date, fmt_datetime, md, plain
from ui.history_view import history_table
from ui.i18n import t
from ui.labels import kind_label
from ui.mail_status import mail_status_panel
from ui.target import act_for
from ui.terms_view import agreed_terms_panel
from ui.user_ids import show_user_ids

APPLICATION_PAGE = "screens/applicant/application.py"  # the applicant's own wizard, reused for the desk
WIZARD_CURRENT_KEY = "wiz_current"  # that page's open screen (its CURRENT), set to where the caller is
NOTE_ERROR_KEY = "desk_note_error"


def _contact_table(r: CallerRecord) -> pd.DataFrame:
    rows = [
        ("desk.col.name", r.contact_name), ("desk.col.kana", r.contact_kana),
        ("desk.col.company", r.company_name), ("desk.col.department", r.department or "—"),
        ("desk.col.phone", r.phone), ("desk.col.email", r.email),
        ("desk.col.corporate_number", r.corporate_number or "—"),
        ("desk.col.temp_login_id", r.temp_login_id), ("desk.col.office_code", r.office_code or "—"),
        ("desk.col.issued_at", f"{fmt_datetime(r.issued_at)}（{t(f'desk.via.{r.terms_agreed_via}')}）"),
    ]
    return pd.DataFrame({t("desk.col.item"): [t(k) for k, _ in rows], t("desk.col.value"): [v for _, v in rows]})


def _applications(r: CallerRecord) -> None:
    if not r.applications:
        return
    st.subheader(t("desk.caller.applications"))
    st.dataframe(pd.DataFrame([{
        t("desk.app.kind"): kind_label(a.kind),
        t("desk.app.status"): status_text(a.status),
        t("desk.app.ref_no"): a.ref_no or "—",
        t("desk.app.submitted_at"): fmt_datetime(a.submitted_at),
        t("desk.app.start_date"): fmt_date(a.start_date),
    } for a in r.applications]), hide_index=True, width="stretch")


def _act_for_button(actor: Actor, r: CallerRecord, card: CallerCard) -> None:
    left, right = st.columns([1, 2], vertical_alignment="center")
    if card.wizard_screen_label_key:
        right.caption(t("desk.card.opens_on", screen=t(card.wizard_screen_label_key)))
    if left.button(t("desk.caller.act_for"), key="desk_act_for", type="primary", icon=":material/edit_note:"):
        callers.start_acting_for(actor, r.applicant_id)
        act_for(r.applicant_id)
        # The wizard opens where the caller is, not where this desk session last was for someone else.
        st.session_state[WIZARD_CURRENT_KEY] = card.wizard_screen
        st.switch_page(APPLICATION_PAGE)


def _card(r: CallerRecord, card: CallerCard) -> None:
    """What the worker on the phone needs first: status, the one thing to say, the deadlines."""
    st.markdown(md("**{status}**", status=t("desk.card.status", status=status_text(r.next_step.application_status))))
    st.info(t(f"desk.tell.{card.tell}", **{k: param_text(v) for k, v in card.params.items()}),
            icon=":material/record_voice_over:")
    if card.deadlines:
        for column, d in zip(st.columns(len(card.deadlines)), card.deadlines, strict=True):
            column.caption(t(f"desk.deadline.{d.kind}"))
            column.markdown(md("**{due}**　{left}", due=param_text(d.due), left=countdown(d.due)))


def _notes(actor: Actor, applicant_id: int) -> None:
    st.subheader(t("desk.notes.title"))
    with st.form("desk_note_form", clear_on_submit=True, enter_to_submit=False):
        body = st.text_area(t("desk.notes.body"), key="desk_note_body", height=100)
        if error := st.session_state.pop(NOTE_ERROR_KEY, None):
            st.error(error_text(error), icon=":material/error:")
        added = st.form_submit_button(t("desk.notes.add"), icon=":material/add_comment:")
    if added:
        errors: dict[str, FieldError] = {}
        added_id = run_action(lambda: notes.add_note(actor, NoteKind.CALL_NOTE, applicant_id, body),
                              errors_into=errors)
        if errors:
            st.session_state[NOTE_ERROR_KEY] = errors[notes.BODY]  # drawn under the note box
        if added_id is not None or errors:
            st.rerun()
    listed = notes.list_notes(actor, NoteKind.CALL_NOTE, applicant_id)
    if not listed:
        st.caption(t("desk.notes.none"))
    for note in listed:
        with st.container(border=True):
            st.caption(t("desk.notes.meta", at=fmt_datetime(note.created_at), author=plain(note.author_name),
                         login_id=plain(note.author_login_id)))
            st.text(note.body)


def _history(actor: Actor, r: CallerRecord) -> None:
    st.subheader(t("desk.history.title"))
    history_table(callers.caller_history(actor, r.applicant_id), empty_key="desk.history.none",
                  caller_name=r.contact_name)


def render_caller(actor: Actor, applicant_id: int) -> None:
    if st.button(t("desk.caller.back"), key="desk_back", icon=":material/arrow_back:"):
        st.session_state.pop(OPEN_CALLER_KEY, None)
        st.rerun()
    r = run_action(lambda: callers.get_caller(actor, applicant_id))
    if r is None:
        return
    st.header(t("desk.caller.title", name=plain(r.contact_name)))
    st.caption(plain(r.company_name))
    card = callers_card.caller_card(actor, applicant_id)
    with st.container(border=True):
        _card(r, card)
        warn_duplicates(duplicates.caller_duplicates(actor, applicant_id))
        _act_for_button(actor, r, card)
    show_user_ids(actor, r.applicant_id)
    left, right = st.columns(2)
    with left:
        st.subheader(t("desk.caller.contact"))
        st.dataframe(_contact_table(r), hide_index=True, width="stretch")
        agreed_terms_panel(actor, r.applicant_id)
    with right:
        _notes(actor, applicant_id)
    _applications(r)
    mail_status_panel(actor, applicant_id)
    _history(actor, r)
