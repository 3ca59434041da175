"""パスワードの再設定: opened from the link in the re-issue mail (`?token=…`), before login.

The link works once, for LINK_LIFETIME; the old password keeps working until it is used.
"""
import streamlit as st

from services import reissue
from services.passwords import MAX_LENGTH, MIN_LENGTH
from ui.feedback import error_text, run_action
from ui.i18n import t
from ui.page_links import page_link_or_disabled

ERRORS, DONE = "rp_errors", "rp_done"
LOGIN_PAGE, REISSUE_PAGE = "screens/account/login.py", "screens/account/reissue.py"

st.title(t("reset.title"))
if done := st.session_state.get(DONE):
    st.success(t("reset.done", office_code=done), icon=":material/check_circle:")
    page_link_or_disabled(LOGIN_PAGE, t("reset.to_login"), key="rp_to_login", icon=":material/login:")
    st.stop()

token = st.query_params.get("token")
link = run_action(lambda: reissue.check_link(token))  # an unusable link: one message, whatever the reason
if link is None:
    page_link_or_disabled(REISSUE_PAGE, t("reset.request_again"), key="rp_again", icon=":material/lock_reset:")
    page_link_or_disabled(LOGIN_PAGE, t("reset.to_login"), key="rp_to_login", icon=":material/login:")
    st.stop()

st.caption(t("reset.lead", office_code=link.office_code))
st.caption(t("password.policy", min=MIN_LENGTH, max=MAX_LENGTH))
errors = st.session_state.pop(ERRORS, {})
with st.form("rp_form", enter_to_submit=False):
    new = st.text_input(t("password.new"), type="password", max_chars=MAX_LENGTH + 8, key="rp_new")
    if "new" in errors:
        st.error(error_text(errors["new"]), icon=":material/error:")
    repeat = st.text_input(t("password.new_repeat"), type="password", max_chars=MAX_LENGTH + 8, key="rp_repeat")
    if "new_repeat" in errors:
        st.error(error_text(errors["new_repeat"]), icon=":material/error:")
    submitted = st.form_submit_button(t("reset.submit"), type="primary")
if submitted:
    field_errors: dict = {}
    office_code = run_action(lambda: reissue.reset_password(token, new, repeat), errors_into=field_errors)
    if field_errors:
        st.session_state[ERRORS] = field_errors
        st.rerun()
    if office_code:
        st.session_state[DONE] = office_code
        st.query_params.clear()  # the spent token leaves the address bar
        st.rerun()
page_link_or_disabled(LOGIN_PAGE, t("reset.to_login"), key="rp_to_login", icon=":material/login:")
