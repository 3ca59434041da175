"""The detail page's history, earlier review comments and internal notes."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from services.authz import Actor
from services.errors import ValidationFailed
from services.review import detail as detail_service
from services.review.detail import ApplicationDetail
from ui.i18n import t, t_error


CHANGE_MAX = 300


def _change(before, after) -> str:
    """A short, plain-text summary: a saved screen names the screen; anything else shows its values."""
    if not before and not after:
        return ""
    if after and "section" in after and "data" in after:
        return t(f"wizard.section.{after['section']}")
    text = json.dumps({k: v for k, v in (("before", before), ("after", after)) if v}, ensure_ascii=False)
    return text if len(text) <= CHANGE_MAX else text[:CHANGE_MAX] + "…"


def _action_label(action: str) -> str:
    key = f"review.audit.{action}"
    label = t(key)
    return action if label == key else label


def history_panel(actor: Actor, d: ApplicationDetail) -> None:
    st.subheader(t("review.detail.history"))
    if not d.history:
        st.caption(t("review.detail.history_empty"))
    else:
        st.dataframe(pd.DataFrame({
            t("review.detail.history_at"): [h.at.strftime("%Y/%m/%d %H:%M:%S") for h in d.history],
            t("review.detail.history_who"): [h.actor_name or h.actor_login_id or "" for h in d.history],
            t("review.detail.history_for"): [t("review.detail.entered_for", staff=h.actor_name or h.actor_login_id,
                                               applicant=h.for_applicant) if h.for_applicant else ""
                                             for h in d.history],
            t("review.detail.history_what"): [_action_label(h.action) for h in d.history],
            t("review.detail.history_change"): [_change(h.before, h.after) for h in d.history],
        }), hide_index=True, width="stretch")

    st.subheader(t("review.detail.comments"))
    if not d.comments:
        st.caption(t("review.detail.no_comments"))
    for c in d.comments:
        where = t(f"wizard.section.{c.section_key}") if c.section_key else t("review.detail.comment_general")
        done = f" ・ {t('review.detail.resolved')}" if c.resolved else ""
        with st.container(border=True):
            st.caption(f"{c.created_at:%Y/%m/%d %H:%M} ・ {c.author_name} ・ {where}{done}")
            st.text(c.body)

    st.subheader(t("review.detail.notes"))
    if not d.notes:
        st.caption(t("review.detail.no_notes"))
    for n in d.notes:
        with st.container(border=True):
            st.caption(f"{n.created_at:%Y/%m/%d %H:%M} ・ {n.author_name}")
            st.text(n.body)
    body = st.text_area(t("review.detail.note_input"), key=f"rd_note_{d.id}", max_chars=detail_service.NOTE_MAX)
    if st.button(t("review.detail.note_add"), key="rd_note_add"):
        try:
            detail_service.add_internal_note(actor, d.id, body)
        except ValidationFailed as err:
            st.error(t_error(err.errors["note"]))
        else:
            st.session_state.pop(f"rd_note_{d.id}", None)
            st.session_state["review_flash"] = t("review.detail.note_saved")
            st.rerun()
