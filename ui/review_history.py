"""The detail page's history, earlier review comments and internal notes."""
from __future__ import annotations

import streamlit as st

from services import notes
from services.authz import Actor
from services.notes import NoteKind
from services.review.detail import ApplicationDetail
from ui.feedback import flash, run_action
from ui.format import fmt_datetime, md
from ui.history_view import history_table
from ui.i18n import t


def history_panel(actor: Actor, d: ApplicationDetail) -> None:
    st.subheader(t("review.detail.history"))
    history_table(d.history, empty_key="review.detail.history_empty", caller_name=d.contact_name)

    st.subheader(t("review.detail.comments"))
    if not d.comments:
        st.caption(t("review.detail.no_comments"))
    for c in d.comments:
        where = t(f"wizard.section.{c.section_key}") if c.section_key else t("review.detail.comment_general")
        done = f" ・ {t('review.detail.resolved')}" if c.resolved else ""
        with st.container(border=True):
            st.caption(md("{at} ・ {author} ・ {where}", at=fmt_datetime(c.created_at), author=c.author_name, where=where) + done)
            st.text(c.body)

    st.subheader(t("review.detail.notes"))
    if not d.notes:
        st.caption(t("review.detail.no_notes"))
    for n in d.notes:
        with st.container(border=True):
            st.caption(md("{at} ・ {author}", at=fmt_datetime(n.created_at), author=n.author_name))
            st.text(n.body)
    body = st.text_area(t("review.detail.note_input"), key=f"rd_note_{d.id}", max_chars=notes.NOTE_MAX)
    if (st.button(t("review.detail.note_add"), key="rd_note_add")
            and run_action(lambda: notes.add_note(actor, NoteKind.INTERNAL, d.id, body)) is not None):
        st.session_state.pop(f"rd_note_{d.id}", None)
        flash(t("review.detail.note_saved"))
        st.rerun()
