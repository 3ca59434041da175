"""パスワード変更: current password and the new one twice; forced after an issued password."""
import streamlit as st

from services import auth
from services.passwords import MAX_LENGTH, MIN_LENGTH
from ui.auth_ui import after_password_change
from ui.feedback import error_text, run_action
from ui.i18n import t
from ui.session import require_actor

actor = require_actor()
st.title(t("password.title"))
if actor.must_change_password:
    st.warning(t("password.must_change"), icon=":material/lock_reset:")
st.caption(t("password.policy", min=MIN_LENGTH, max=MAX_LENGTH))

errors = st.session_state.pop("pw_errors", {})
with st.form("pw_form", clear_on_submit=False, enter_to_submit=False):
    current = st.text_input(t("password.current"), type="password", max_chars=MAX_LENGTH + 8)
    if "current" in errors:
        st.error(error_text(errors["current"]))
    new = st.text_input(t("password.new"), type="password", max_chars=MAX_LENGTH + 8)
    if "new" in errors:
        st.error(error_text(errors["new"]))
    repeat = st.text_input(t("password.new_repeat"), type="password", max_chars=MAX_LENGTH + 8)
    if "new_repeat" in errors:
        st.error(error_text(errors["new_repeat"]))
    submitted = st.form_submit_button(t("password.submit"), type="primary")

if submitted:
    st.session_state.pop("pw_done", None)
    field_errors: dict = {}
    updated = run_action(lambda: auth.change_password(actor, current, new, repeat), errors_into=field_errors)
    if field_errors:
        st.session_state["pw_errors"] = field_errors
        st.rerun()
    if updated is not None:
        after_password_change(updated)
        st.session_state["pw_done"] = True
        st.rerun()

# Kept until the next submit: the cookie rewrite right after a change reruns the page.
if st.session_state.get("pw_done"):
    st.success(t("password.done"), icon=":material/check_circle:")
