"""The 代理入力中 banner: on every screen while a desk user acts for a caller (app.py draws it)."""
from __future__ import annotations

import streamlit as st

from services.authz import Actor
from services.desk import callers
from services.errors import DomainError
from ui.format import plain
from ui.i18n import t
from ui.target import ACTING_FOR_KEY, act_for, is_acting_for_caller


def acting_banner(actor: Actor | None) -> None:
    if actor is None or not is_acting_for_caller(actor):
        return
    applicant_id = st.session_state[ACTING_FOR_KEY]
    try:
        who = callers.caller_summary(actor, applicant_id)
    except DomainError:
        act_for(None)  # not desk staff, or the applicant is gone: nothing to act for
        return
    text_key = "desk.banner.acting_office" if who.office_code else "desk.banner.acting_temp"
    # Room for the whole button label: at [5, 1] it was cut to 「代理入力を…」.
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.warning(t(text_key, name=plain(who.contact_name), temp_id=plain(who.temp_login_id),
                   office_code=plain(who.office_code)),
                 icon=":material/support_agent:")
    if right.button(t("desk.banner.stop"), key="desk_stop_acting", icon=":material/logout:",
                    width="stretch"):
        callers.stop_acting_for(actor, applicant_id)
        act_for(None)
        st.rerun()
