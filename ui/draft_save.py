"""一時保存 on the pages that draw several screens at once (システム設定申込, 変更申込): asked first,
since it logs the office out; then every screen saved as typed (field errors included, as in the
wizard) and the office logged out, the next login showing it again. Desk staff acting for a caller
are not logged out (as in the wizard). A value refused outright (nothing saved) keeps the page open."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services.authz import Actor
from ui.auth_ui import current_authenticator, logout
from ui.feedback import flash
from ui.i18n import t
from ui.target import is_acting_for_caller


def draft_save(actor: Actor, prefix: str, warning_key: str, button_slot, button_key: str,
               save: Callable[[], bool]) -> None:
    """`save` stores every screen as a 一時保存 and returns True when one was refused (nothing of it
    saved). `prefix` keys the confirmation's state and buttons on the page."""
    asked = f"{prefix}_confirm_draft"
    if button_slot.button(t("wizard.button.draft_save"), key=button_key):
        st.session_state[asked] = True
    if not st.session_state.get(asked):
        return
    staff = is_acting_for_caller(actor)
    st.warning(t("wizard.msg.draft_warning_staff" if staff else warning_key), icon=":material/warning:")
    ok, cancel = st.columns(2)
    if cancel.button(t("wizard.button.draft_cancel"), key=f"{prefix}_draft_cancel"):
        st.session_state[asked] = False
        st.rerun()
    if not ok.button(t("wizard.button.draft_confirm_staff" if staff else "wizard.button.draft_confirm"),
                     type="primary", key=f"{prefix}_draft_confirm"):
        return
    st.session_state[asked] = False
    if save():
        st.rerun()
    if staff:
        flash(t("wizard.msg.draft_saved_staff"))
    else:  # the login page says it was saved (the flash outlives the logout)
        flash(t("wizard.msg.draft_saved_logged_out"))
        logout(current_authenticator(), actor)
    st.rerun()
