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
