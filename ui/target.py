"""Whose application a screen shows: the applicant's own, or — for desk staff on the phone —
the caller chosen on the desk page. The same screens serve both (SPEC §3.2)."""
from __future__ import annotations

import streamlit as st

from services.authz import Actor

ACTING_FOR_KEY = "nss_acting_for"  # applicant id the desk user is working for


def target_applicant_id(actor: Actor) -> int | None:
    if actor.applicant_id is not None and not actor.is_staff:
        return actor.applicant_id
    return st.session_state.get(ACTING_FOR_KEY)


def act_for(applicant_id: int | None) -> None:
    if applicant_id is None:
        st.session_state.pop(ACTING_FOR_KEY, None)
    else:
        st.session_state[ACTING_FOR_KEY] = applicant_id


def is_acting_for_caller(actor: Actor) -> bool:
    return actor.is_staff and st.session_state.get(ACTING_FOR_KEY) is not None


def require_target_applicant(actor: Actor, no_target_key: str) -> int:
    """The applicant a page shows; desk staff who have not chosen a caller are told to pick one."""
    from ui.i18n import t
    applicant_id = target_applicant_id(actor)
    if applicant_id is None:
        st.info(t(no_target_key), icon=":material/info:")
        st.stop()
    return applicant_id
